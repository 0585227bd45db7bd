/**
 * The Jest run Stryker drives (`npm run test:mutation`). Same tests as `npm test`, except:
 * - no globalSetup/globalTeardown: Stryker calls Jest once per mutant, so scripts/mutation.mjs starts the
 *   emulators once per run (on free ports) and every test-runner process inherits their env vars;
 * - transpile only (tsconfig.mutation.json): the TypeScript checker already refuses mutants that do not
 *   compile, so type-checking each test file again per run only costs time;
 * - without the suites that reach no critical module in-process (Terraform, the local Chat API, the
 *   browser-driven simulator): they cannot kill a mutant there and cost minutes each run. The simulator's
 *   `--endpoint` suite does import the token verifier, as the external app's check, but starts
 *   `npm start` and Chromium and times out under load; test/auth and test/addon cover the verifier;
 *   the compile-cache suite checks the built cache by module path, which Stryker's sandbox changes
 *   (its node_modules is a symlink), and reaches no critical module in-process;
 * - for each mutant, only the related test files that reached it in the dry run, cheapest first, and none
 *   after the first failing test (test/mutation/).
 */
const { join } = require('node:path');
const base = require('./jest.config');

module.exports = {
  ...base,
  globalSetup: undefined,
  globalTeardown: undefined,
  reporters: ['default'],
  // Absolute: Stryker reads testEnvironment itself, before Jest would resolve <rootDir>.
  testEnvironment: join(__dirname, 'test/mutation/environment.js'),
  filter: join(__dirname, 'test/mutation/filter.js'),
  testSequencer: join(__dirname, 'test/mutation/sequencer.js'),
  runner: join(__dirname, 'test/mutation/runner.js'),
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.mutation.json' }] },
  testPathIgnorePatterns: [
    ...base.testPathIgnorePatterns,
    '<rootDir>/test/deploy/',
    '<rootDir>/test/chat-api/',
    '<rootDir>/test/simulator/(simulator|web-types|start-command|start-endpoint-logs)\\.test\\.ts$',
    '<rootDir>/test/runtime/compile-cache\\.test\\.ts$',
  ],
};
