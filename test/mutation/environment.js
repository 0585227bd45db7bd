/**
 * Jest's node environment, plus two things for Stryker's runs (`npm run test:mutation`;
 * jest.mutation.config.js):
 * - a record of which mutants each test file reached in the dry run. Stryker knows which tests cover a
 *   mutant but not in which files they are, so for each mutant Jest would load every test file related
 *   to the mutated module; `./filter.js` uses this record to load only the files that can reach it.
 * - bail: once a test has failed with the active mutant, the mutant is killed, and the rest of its
 *   tests are skipped (Stryker's Jest runner cannot make Jest bail: it sets `bail: false`,
 *   jest-override-options.js); ./runner.js then starts no further file. A mutant that survives runs
 *   every test, as before.
 * Outside a mutation run (no MUTATION_COVERAGE_DIR) it is Jest's node environment, unchanged.
 */
const { createHash } = require('node:crypto');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { TestEnvironment } = require('jest-environment-node');
const { isKilled, recordKill } = require('./bail');

/** Hit counts by mutant id so far, statically (module load, hooks) and inside tests. */
function hits(coverage) {
  const count = (byId) => new Map(Object.entries(byId ?? {}));
  const inTests = new Map();
  for (const byId of Object.values(coverage?.perTest ?? {})) {
    for (const [id, n] of Object.entries(byId)) inTests.set(id, (inTests.get(id) ?? 0) + n);
  }
  return { static: count(coverage?.static), inTests };
}

/** The ids whose count grew between two snapshots: the mutants this file reached. */
function grown(before, after) {
  return [...after].filter(([id, n]) => n > (before.get(id) ?? 0)).map(([id]) => id);
}

class MutationCoverageEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
  }

  /** Stryker's instrumenter context, which its environment puts on the global (the same object for every file of the process). */
  strykerContext() {
    return this.global[this.global.__strykerGlobalNamespace__ ?? '__stryker__'];
  }

  async setup() {
    await super.setup();
    // Only Stryker's dry run (no active mutant) measures coverage. Stryker's own environment has put its
    // context on the global by now: a Jest run by hand with the same variables (seen: one without the
    // mutant's id) would otherwise overwrite the run's record with reaches that all look static.
    if (process.env.MUTATION_COVERAGE_DIR && process.env.__STRYKER_ACTIVE_MUTANT__ === undefined && this.strykerContext() !== undefined) {
      this.before = hits(this.strykerContext()?.mutantCoverage);
      this.started = Date.now();
    }
  }

  /** Bail (header): a test or describe block that starts after a failure with this mutant is skipped. */
  handleTestEvent(event) {
    const active = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (!process.env.MUTATION_COVERAGE_DIR || active === undefined) return;
    if (event.name === 'test_done' && event.test.errors.length > 0) recordKill(active);
    else if (!isKilled(active)) return;
    // A skipped describe block runs neither its beforeAll nor its afterAll hooks (jest-circus).
    else if (event.name === 'run_describe_start') event.describeBlock.mode = 'skip';
    else if (event.name === 'test_start') event.test.mode = 'skip';
  }

  async teardown() {
    if (this.before) {
      const after = hits(this.strykerContext()?.mutantCoverage);
      const record = {
        testPath: this.testPath,
        static: grown(this.before.static, after.static),
        inTests: grown(this.before.inTests, after.inTests),
        // How long the file took with all its tests (./sequencer.js runs the cheapest first).
        ms: Date.now() - this.started,
      };
      const name = createHash('sha256').update(this.testPath).digest('hex').slice(0, 16);
      writeFileSync(join(process.env.MUTATION_COVERAGE_DIR, `${name}.json`), JSON.stringify(record));
    }
    await super.teardown();
  }
}

module.exports = MutationCoverageEnvironment;
