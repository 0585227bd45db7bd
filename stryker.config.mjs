/**
 * Mutation testing of the modules where a bug costs the most (`npm run test:mutation`, which starts the
 * emulators and runs Stryker with this file). README, "Tests", says how long a run takes and which
 * mutants survive and why.
 */
export const critical = [
  'shared/auth/**/*.ts',
  'shared/events/**/*.ts',
  'shared/routing/**/*.ts',
  'shared/stores/**/*.ts',
  'shared/jobs/**/*.ts',
  'shared/replies/limits.ts',
  'functions/app/polls/store.ts',
  // The memory bound of the caches above (activity shards, roles, burst buckets).
  'shared/bounded-map.ts',
];

/** The lowest mutation score a critical file may have (percent), over both passes. */
export const breakAt = 90;

/**
 * Each run has two passes (scripts/mutation.mjs), each with its own reports and incremental file:
 * - `all`: every mutant but the static ones, each against the tests that reached it in the dry run,
 *   which covers the whole in-process suite;
 * - `static`: the static mutants (module-level code, run once when the module loads, so every test
 *   file that loads the module reaches them, which would cost hours: README, Mutation testing), each
 *   against the test files that import its module directly.
 */
export const pass = process.env.MUTATION_PASS === 'static' ? 'static' : 'all';
export const reportFiles = {
  all: { json: 'reports/mutation/mutation.json', html: 'reports/mutation/index.html', incremental: 'reports/mutation/stryker-incremental.json' },
  static: { json: 'reports/mutation/static.json', html: 'reports/mutation/static.html', incremental: 'reports/mutation/static-incremental.json' },
  /** Both passes' results in one report: what the summary table counts. */
  merged: 'reports/mutation/both-passes.json',
};

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: critical,
  testRunner: 'jest',
  // `--findRelatedTests` follows imports within test/ only (Jest's roots): the tests that import the module.
  jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: pass === 'static' },
  // Each mutant runs only the tests that reached it in the dry run.
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  // The sources only: a mutant is refused when the app's own code no longer compiles. The checker was
  // the run's bottleneck, and a full check of the sources costs a third less than with the tests
  // (12.1 vs 18.6 CPU-s); a mutant that only breaks a test's typing changes behaviour, which Jest
  // (transpiling only) gets to judge.
  tsconfigFile: 'tsconfig.build.json',
  // The worker tests run the built functions in a child process: build them from the instrumented
  // sources, so the child (which inherits the active mutant through its env) runs the mutant too.
  buildCommand: 'npx tsc -p tsconfig.build.json',
  disableTypeChecks: '{shared,functions,local}/**/*.ts',
  // Re-runs redo only the mutants whose code or covering tests changed. The file stays out of git
  // (reports/ is ignored): it is generated, large, and every change to a critical module rewrites it.
  incremental: true,
  incrementalFile: reportFiles[pass].incremental,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: reportFiles[pass].html },
  jsonReporter: { fileName: reportFiles[pass].json },
  clearTextReporter: { reportScoreTable: true, reportMutants: false, allowEmojis: false },
  // Two cores: two test-runner processes, each running Jest in band.
  concurrency: 2,
  timeoutMS: 15000,
  // The dry run runs every related test file once with coverage: minutes on a busy 2-core machine.
  dryRunTimeoutMinutes: 30,
  // No `break`: Stryker would apply it to one pass's whole score; scripts/mutation.mjs applies `breakAt`
  // to each file's score over both passes.
  thresholds: { high: 90, low: 80, break: null },
  ignorePatterns: [
    'dist', 'reports', 'coverage', '.emulators', '.terraform', 'terraform/.build', '.tools',
    'bench-results', 'reliability-results', 'test-artifacts',
  ],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
