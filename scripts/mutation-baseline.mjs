/**
 * The committed mutation baseline: each pass's Stryker incremental file, gzipped, in
 * `test/mutation/baseline/`. The incremental file itself lives in `reports/` (ignored), which a fresh
 * clone (CI, a new machine) does not have, so without the baseline every clone would start from
 * nothing: a whole run takes over an hour and a half on 2 cores (README, Mutation testing), more
 * than CI can give it. A run starts from the baseline when it has no incremental file of its own, and writes
 * its results back, so that committing the baseline with a change keeps the results that change
 * earned. Gzip because the file holds the source of every mutated and test file (2.6 MB of JSON
 * for the first pass, 271 KB gzipped); Node's own zlib, no library needed.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

export const baselineFiles = {
  all: 'test/mutation/baseline/all.json.gz',
  static: 'test/mutation/baseline/static.json.gz',
};

/** A timeout from Stryker's hit counter (a loop the mutant made endless), not from a slow test run. */
export const byLoopDetector = (m) => m.status === 'Timeout' && /^Hit limit reached \(\d+\/\d+\)$/.test(m.statusReason ?? '');

/** Unpacks the pass's baseline into its incremental file when this checkout has none; what it did. */
export function restoreBaseline(incrementalFile, baselineFile) {
  if (existsSync(incrementalFile) || !existsSync(baselineFile)) return undefined;
  mkdirSync(dirname(incrementalFile), { recursive: true });
  writeFileSync(incrementalFile, gunzipSync(readFileSync(baselineFile)));
  return `mutation: no ${incrementalFile} here: starting from the committed baseline ${baselineFile}`;
}

/**
 * Packs the incremental file a pass wrote (since `since`, ms) into the baseline. The gzip header has
 * no timestamp (Node writes 0), so the same results give the same bytes and no spurious diff.
 */
export function saveBaseline(incrementalFile, baselineFile, since) {
  if (!existsSync(incrementalFile) || statSync(incrementalFile).mtimeMs < since) return undefined;
  const report = JSON.parse(readFileSync(incrementalFile, 'utf8'));
  // A result's `statusReason` is a failing test's message, which can quote a throwaway secret a test
  // made on the emulator and this machine's paths; Stryker reuses a result without it. The loop
  // detector's own words are kept: they tell its timeouts, which are verdicts, from the clock's.
  for (const { mutants } of Object.values(report.files)) for (const m of mutants) if (!byLoopDetector(m)) delete m.statusReason;
  mkdirSync(dirname(baselineFile), { recursive: true });
  writeFileSync(baselineFile, gzipSync(JSON.stringify(report), { level: 9 }));
  return `mutation: results saved to ${baselineFile} (commit it with the change it judges)`;
}
