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
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: critical,
  testRunner: 'jest',
  jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: true },
  // Each mutant runs only the tests that reached it in the dry run.
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  // The worker tests run the built functions in a child process: build them from the instrumented
  // sources, so the child (which inherits the active mutant through its env) runs the mutant too.
  buildCommand: 'npx tsc -p tsconfig.build.json',
  disableTypeChecks: '{shared,functions,local}/**/*.ts',
  // Re-runs redo only the mutants whose code or covering tests changed. The file stays out of git
  // (reports/ is ignored): it is generated, large, and every change to a critical module rewrites it.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { reportScoreTable: true, reportMutants: false, allowEmojis: false },
  // Two cores: two test-runner processes, each running Jest in band.
  concurrency: 2,
  timeoutMS: 15000,
  // The dry run runs every related test file once with coverage: minutes on a busy 2-core machine.
  dryRunTimeoutMinutes: 30,
  // `break` is checked per file by scripts/mutation.mjs too (Stryker applies it to the whole run only).
  thresholds: { high: 90, low: 80, break: 90 },
  ignorePatterns: [
    'dist', 'reports', 'coverage', '.emulators', '.terraform', 'terraform/.build', '.tools',
    'bench-results', 'reliability-results', 'test-artifacts',
  ],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
