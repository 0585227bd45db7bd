#!/usr/bin/env node
/**
 * `npm run test:mutation [-- STRYKER_ARGS]`: starts the emulators once (Stryker calls Jest once per
 * mutant, so Jest's own globalSetup would start them hundreds of times), runs Stryker, stops them,
 * prints the per-file table and fails when a mutated file scores under `thresholds.break`.
 * `npm run test:mutation:changed -- REF [--max-files N]` mutates only the critical modules that differ
 * from REF (the CI stage); over N files (default 3) it mutates a sample of N chosen by the commit.
 * Needs `npm run build` first (both npm scripts do it) for dist/local/emulators.js.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import config, { critical } from '../stryker.config.mjs';
import { belowBreak, formatTable, summarize } from './mutation-summary.mjs';

const require = createRequire(import.meta.url);
const { startTestEmulators } = require('../dist/local/emulators.js');

/** Removes `--name VALUE` from args and returns VALUE. */
function takeOption(args, name) {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (!value || value.startsWith('--')) throw new Error(`${name} needs a value`);
  args.splice(at, 2);
  return value;
}

/**
 * The critical modules differing from `ref`, at most `maxFiles` of them. Over the cap, a sample chosen
 * by hashing each file with the commit: the same commit always checks the same files, successive
 * commits check different ones, and the run says loudly what it left out.
 */
function changedModules(ref, maxFiles) {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { stdio: 'ignore' });
  } catch {
    console.error(`mutation: ${ref} is not a commit of this clone (a shallow clone has no HEAD~1: fetch with --depth 2 or more)`);
    process.exit(1);
  }
  const files = execFileSync('git', ['diff', '--name-only', ref, '--', ...critical.map((g) => `:(glob)${g}`)], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && existsSync(f));
  if (files.length <= maxFiles) return files;
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const rank = (f) => createHash('sha256').update(`${head}\0${f}`).digest('hex');
  const sample = [...files].sort((a, b) => rank(a).localeCompare(rank(b))).slice(0, maxFiles);
  const left = files.filter((f) => !sample.includes(f));
  console.log(`mutation: ${files.length} critical modules differ from ${ref}, over the cap of ${maxFiles}.`);
  console.log(`mutation: NOT CHECKED in this run (a sample was taken; run them locally): ${left.join(' ')}`);
  return sample;
}

const args = process.argv.slice(2);
const ref = takeOption(args, '--changed');
const maxFiles = Number(takeOption(args, '--max-files') ?? 3);
if (ref !== undefined) {
  if (!Number.isInteger(maxFiles) || maxFiles < 1) throw new Error('--max-files must be a positive integer');
  const files = changedModules(ref, maxFiles);
  if (files.length === 0) {
    console.log(`mutation: no critical module differs from ${ref}; nothing to mutate`);
    process.exit(0);
  }
  console.log(`mutation: mutating ${files.length} critical module(s) that differ from ${ref}: ${files.join(' ')}`);
  args.push('--mutate', files.join(','));
}

const report = config.jsonReporter.fileName;
// A report left by an earlier run must not be read as this run's.
rmSync(report, { force: true });
// Which test files reached which mutant in the dry run (test/mutation/environment.js, filter.js).
const coverageDir = mkdtempSync(join(tmpdir(), 'mutation-coverage-'));
const emulators = await startTestEmulators();
let stopping;
const stop = () => (stopping ??= emulators.stop().finally(() => rmSync(coverageDir, { recursive: true, force: true })));
const stryker = spawn(process.execPath, [join(dirname(require.resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js'), 'run', ...args], {
  stdio: 'inherit',
  env: { ...process.env, ...emulators.env, MUTATION_COVERAGE_DIR: coverageDir },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stryker.kill(signal));
stryker.on('exit', async (code, signal) => {
  await stop();
  if (signal || !existsSync(report)) process.exit(code || 1);
  const rows = summarize(JSON.parse(readFileSync(report, 'utf8')));
  console.log(`\nPer file (score = (killed + timeout) / (killed + timeout + survived + no coverage)):\n${formatTable(rows)}`);
  // Stryker's own break threshold applies to the whole run's score; this one to each file.
  const low = belowBreak(rows, config.thresholds.break);
  for (const r of low) console.error(`mutation: ${r.file} scores ${r.score.toFixed(1)} %, under the break threshold of ${config.thresholds.break} %`);
  process.exit(code || (low.length > 0 ? 1 : 0));
});
