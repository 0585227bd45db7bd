/**
 * Jest's node environment, plus a record of which mutants each test file reached in Stryker's dry run
 * (`npm run test:mutation`; jest.mutation.config.js). Stryker knows which tests cover a mutant but
 * not in which files they are, so for each mutant Jest would load every test file related to the
 * mutated module; `./filter.js` uses this record to load only the files that can reach it.
 * Outside a mutation run (no MUTATION_COVERAGE_DIR) it is Jest's node environment, unchanged.
 */
const { createHash } = require('node:crypto');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { TestEnvironment } = require('jest-environment-node');

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
    // Only the dry run (no active mutant) measures coverage.
    if (process.env.MUTATION_COVERAGE_DIR && process.env.__STRYKER_ACTIVE_MUTANT__ === undefined) {
      this.before = hits(this.strykerContext()?.mutantCoverage);
    }
  }

  async teardown() {
    if (this.before) {
      const after = hits(this.strykerContext()?.mutantCoverage);
      const record = { testPath: this.testPath, static: grown(this.before.static, after.static), inTests: grown(this.before.inTests, after.inTests) };
      const name = createHash('sha256').update(this.testPath).digest('hex').slice(0, 16);
      writeFileSync(join(process.env.MUTATION_COVERAGE_DIR, `${name}.json`), JSON.stringify(record));
    }
    await super.teardown();
  }
}

module.exports = MutationCoverageEnvironment;
