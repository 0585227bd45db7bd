#!/usr/bin/env node
/**
 * `npm run test:mutation [-- STRYKER_ARGS]`: starts the emulators once (Stryker calls Jest once per
 * mutant, so Jest's own globalSetup would start them hundreds of times), runs Stryker's two passes
 * (stryker.config.mjs: every mutant but the static ones, then the static ones), stops the emulators,
 * prints the per-file table of both passes together and fails when a mutated file scores under
 * `breakAt`.
 * `npm run test:mutation -- --static-pass-only` runs the second pass again, for the static mutants of
 * the last first pass's report (after a change to the tests that import their module).
 * `--time-limit MINUTES` stops Stryker when the whole run has taken that long: the results so far (Stryker
 * keeps them in its incremental file when interrupted) are summarized and checked, and the rest is
 * left for the next run, which resumes there.
 * `npm run test:mutation:changed -- REF [--max-files N]` mutates only the critical modules that differ
 * from REF (the CI stage); over N files (default 3) it mutates a sample of N chosen by the commit.
 * Each pass starts from the committed baseline when this checkout has no results of its own, and
 * a run of every file saves its results there (scripts/mutation-baseline.mjs).
 * Needs `npm run build` first (both npm scripts do it) for dist/local/emulators.js.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, matchesGlob } from 'node:path';
import { breakAt, critical, reportFiles } from '../stryker.config.mjs';
import { belowBreak, formatTable, summarize } from './mutation-summary.mjs';
import { baselineFiles, byLoopDetector, restoreBaseline, saveBaseline } from './mutation-baseline.mjs';

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
const staticPassOnly = args.includes('--static-pass-only');
if (staticPassOnly) args.splice(args.indexOf('--static-pass-only'), 1);
const ref = takeOption(args, '--changed');
const maxFiles = Number(takeOption(args, '--max-files') ?? 3);
const timeLimitMinutes = Number(takeOption(args, '--time-limit') ?? Infinity);
if (!(timeLimitMinutes > 0)) throw new Error('--time-limit must be a positive number of minutes');
const deadline = Date.now() + timeLimitMinutes * 60_000;
/** Whether this run mutates a file (the changed modules, or the user's --mutate); undefined: a run of every file. */
let mutates;
if (ref !== undefined) {
  if (!Number.isInteger(maxFiles) || maxFiles < 1) throw new Error('--max-files must be a positive integer');
  const files = changedModules(ref, maxFiles);
  if (files.length === 0) {
    console.log(`mutation: no critical module differs from ${ref}; nothing to mutate`);
    process.exit(0);
  }
  console.log(`mutation: mutating ${files.length} critical module(s) that differ from ${ref}: ${files.join(' ')}`);
  args.push('--mutate', files.join(','));
  mutates = (file) => files.includes(file);
} else if (args.includes('--mutate')) {
  // Files, globs or a file's ranges (`file:line:col-line:col`). The reports hold every file's reused
  // results: without this, the table would show them and the second pass take every static mutant.
  const patterns = takeOption([...args], '--mutate').split(',').map((p) => p.replace(/:\d+:\d+-\d+:\d+$/, ''));
  mutates = (file) => patterns.some((p) => matchesGlob(file, p));
}

/**
 * Stryker writes to the incremental file only the files a run mutated: a run of some of them (`--mutate`,
 * `--changed`) would cut the local results and the baseline down to those. So such a run works on a
 * copy, which it reads from and writes to, and leaves both as they were (its own results are dropped:
 * the next whole run reuses the local ones where the code is unchanged and redoes the rest).
 */
const copies = mutates ? mkdtempSync(join(tmpdir(), 'mutation-partial-')) : undefined;
/** The incremental file a pass reads and writes. */
const incrementalOf = (pass) => (copies ? join(copies, `${pass}-incremental.json`) : reportFiles[pass].incremental);

/** Where a mutant is, as Stryker's `--mutate` range (report lines and columns are 1-based; the range's columns 0-based). */
const range = (file, { start, end }) => `${file}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`;
const sameMutant = (a, b) =>
  a.mutatorName === b.mutatorName && a.replacement === b.replacement && JSON.stringify(a.location) === JSON.stringify(b.location);

/** The first pass's report with each static mutant's result from the second pass. */
function merge(all, statics) {
  for (const [file, { mutants }] of Object.entries(all.files)) {
    const found = statics.files[file]?.mutants ?? [];
    all.files[file].mutants = mutants.map((m) => (m.status === 'Ignored' ? found.find((s) => sameMutant(s, m)) ?? m : m));
  }
  return all;
}

/**
 * A result that is no verdict: survived, reached by no test, a runtime error, or a timeout by the clock
 * rather than by Stryker's loop detector (seen: 6 static mutants of `normalize-chat.ts` and
 * `normalize-addon.ts`, reused as timeouts, that is as killed, passed the event and add-on tests by hand).
 */
const withoutVerdict = (m) => ['Survived', 'NoCoverage', 'RuntimeError'].includes(m.status) || (m.status === 'Timeout' && !byLoopDetector(m));

/**
 * Drops the mutants without a verdict from a pass's incremental file, so that this run judges them
 * again against today's tests. Stryker names a test by
 * its file, position and title, and reuses such a result unless a test of a new name covers the
 * mutant: an assertion added to an existing test or to its `afterEach`, or a test file that no longer
 * throws as it loads, would never count (seen: `worker.ts` survivors that the job-attempts tests'
 * per-line `afterEach` kills by hand were reused as survived). They are few, so this costs minutes.
 */
function forgetWithoutVerdict(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let forgotten = 0;
  for (const [name, entry] of Object.entries(report.files)) {
    // A run of some files (--changed, --mutate) judges only those again; the others keep theirs.
    if (mutates && !mutates(name)) continue;
    const kept = entry.mutants.filter((m) => !withoutVerdict(m));
    forgotten += entry.mutants.length - kept.length;
    entry.mutants = kept;
  }
  if (forgotten === 0) return;
  writeFileSync(file, JSON.stringify(report));
  console.log(`mutation: ${forgotten} earlier results without a verdict (survived, no coverage, runtime error, timed out by the clock) in ${file} are judged again`);
}

// Reports left by an earlier run must not be read as this run's.
for (const file of [staticPassOnly ? undefined : reportFiles.all.json, reportFiles.static.json, reportFiles.merged]) if (file) rmSync(file, { force: true });
for (const pass of staticPassOnly ? ['static'] : ['all', 'static']) {
  const restored = restoreBaseline(reportFiles[pass].incremental, baselineFiles[pass]);
  if (restored) console.log(restored);
  if (copies && existsSync(reportFiles[pass].incremental)) copyFileSync(reportFiles[pass].incremental, incrementalOf(pass));
  forgetWithoutVerdict(incrementalOf(pass));
}
let emulators = await startTestEmulators();
let running;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => running?.kill(signal));

let timedOut = false;
/**
 * One Stryker pass: its exit code (a signal other than the time limit's counts as a failure) and its
 * report: the JSON reporter's, or after the time limit stopped it, the incremental file Stryker wrote
 * on the way out, restricted to this run's files.
 */
async function runPass(pass, passArgs) {
  if (Date.now() >= deadline) {
    timedOut = true;
    return { code: 0, report: undefined };
  }
  const started = Date.now();
  // Which test files reached which mutant in this pass's dry run (test/mutation/environment.js, filter.js).
  const coverageDir = mkdtempSync(join(tmpdir(), 'mutation-coverage-'));
  try {
    const stryker = join(dirname(require.resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js');
    running = spawn(process.execPath, [stryker, 'run', ...passArgs, '--incrementalFile', incrementalOf(pass)], {
      stdio: 'inherit',
      env: { ...process.env, ...emulators.env, MUTATION_COVERAGE_DIR: coverageDir, MUTATION_PASS: pass },
      // Its own process group, so that what it leaves behind can be stopped with it (below).
      detached: true,
    });
    // (A timer of Infinity ms would fire at once: Node clamps delays over 2^31 - 1 to 1.)
    const limit = Number.isFinite(deadline)
      ? setTimeout(() => {
          timedOut = true;
          console.log(`mutation: the time limit of ${timeLimitMinutes} min is reached; stopping Stryker, which keeps the results so far`);
          running.kill('SIGINT');
        }, deadline - Date.now())
      : undefined;
    const [code, signal] = await new Promise((resolve) => running.on('exit', (...exit) => resolve(exit)));
    clearTimeout(limit);
    // Interrupted, Stryker can exit before its checker and test runners (seen: three left running).
    try {
      process.kill(-running.pid, 'SIGKILL');
    } catch {
      // ESRCH: nothing of the group is left.
    }
    const saved = !copies && saveBaseline(incrementalOf(pass), baselineFiles[pass], started);
    if (saved) console.log(saved);
    const file = timedOut ? incrementalOf(pass) : reportFiles[pass].json;
    // Stopped before it had results (in its dry run), Stryker leaves an earlier run's file, for older code.
    const report = existsSync(file) && statSync(file).mtimeMs >= started ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
    if (report && mutates) report.files = Object.fromEntries(Object.entries(report.files).filter(([f]) => mutates(f)));
    return { code: timedOut ? 0 : signal ? 1 : code, report };
  } finally {
    rmSync(coverageDir, { recursive: true, force: true });
  }
}

/** Both passes; the exit code. */
async function run() {
  if (staticPassOnly && !existsSync(reportFiles.all.json)) {
    console.error(`mutation: --static-pass-only needs a first pass's report (${reportFiles.all.json}); run npm run test:mutation first`);
    return 1;
  }
  const first = staticPassOnly ? { code: 0, report: JSON.parse(readFileSync(reportFiles.all.json, 'utf8')) } : await runPass('all', [...args, '--ignoreStatic']);
  let { code } = first;
  const { report } = first;
  if (!report) {
    if (timedOut) console.error('mutation: no mutant got a result within the time limit');
    return code || 1;
  }
  const statics = Object.entries(report.files).flatMap(([file, { mutants }]) => mutants.filter((m) => m.status === 'Ignored').map((m) => range(file, m.location)));
  // Past the time limit the second pass would not start: say nothing of it (the PARTIAL line below says why).
  if (statics.length > 0 && !timedOut) {
    console.log(`mutation: second pass, the ${statics.length} static mutants against the tests that import their module`);
    // Fresh emulators: after the first pass's hour of test projects, a test waiting for a write timed
    // out in the second pass's dry run (seen once; it passes alone and under CPU load).
    await emulators.stop();
    emulators = await startTestEmulators();
    // The user's own --mutate is replaced by the static mutants' ranges (a range also takes in mutants nested in it: their second results are not used).
    const rest = [...args];
    takeOption(rest, '--mutate');
    const second = await runPass('static', [...rest, '--mutate', statics.join(',')]);
    code ||= second.code;
    if (second.report) merge(report, second.report);
    else if (!timedOut) return code || 1;
  }
  writeFileSync(reportFiles.merged, JSON.stringify(report));
  const rows = summarize(report);
  if (timedOut) console.log('mutation: PARTIAL, stopped by the time limit: the table counts only the mutants that got a result; the next run resumes from them');
  console.log(`\nPer file, both passes (score = (killed + timeout) / (killed + timeout + survived + no coverage)):\n${formatTable(rows)}`);
  const low = belowBreak(rows, breakAt);
  for (const r of low) console.error(`mutation: ${r.file} scores ${r.score.toFixed(1)} %, under the break threshold of ${breakAt} %`);
  return code || (low.length > 0 ? 1 : 0);
}

let code = 1;
try {
  code = await run();
} finally {
  await emulators.stop();
  if (copies) rmSync(copies, { recursive: true, force: true });
}
process.exit(code);
