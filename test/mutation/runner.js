/**
 * Jest's test runner for Stryker's mutant runs (jest.mutation.config.js): Jest's own, but once a test
 * has failed with the active mutant it starts no further test file. The environment's bail
 * (./environment.js) skips the remaining tests, but Jest would still load each remaining file and its
 * imports, about half a second each (seen: a mutant killed in its second file took 20.7 s, and 7.2 s with
 * this runner). The files not started report nothing, which Stryker reads as not run (checked: a
 * mutant killed this way counts as killed). Outside a mutant run, or run in parallel, Jest's runner.
 */
const TestRunner = require('jest-runner').default;
const { isKilled } = require('./bail');

class BailingTestRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    const active = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (!options.serial || !process.env.MUTATION_COVERAGE_DIR || active === undefined) return super.runTests(tests, watcher, options);
    for (const test of tests) {
      if (isKilled(active)) return;
      await super.runTests([test], watcher, options);
    }
  }
}

module.exports = BailingTestRunner;
