/**
 * Jest's `filter` for Stryker's mutant runs (jest.mutation.config.js): of the test files related to
 * the mutated module, only those that reached the active mutant in the dry run (recorded by
 * `./environment.js`), plus, for a mutant reached statically (module-level code, run once at load),
 * the files that start a child process running the instrumented build, since the child may run it
 * where the dry run could not see. Stryker still filters the tests by name within these files.
 * Without a record (the dry run itself, or a mutant no file reached) it keeps every file, as Jest would.
 */
const { readFileSync } = require('node:fs');
const { dryRunRecords } = require('./records');

/** Test files that start the worker (or another child) on the instrumented build. */
const STARTS_A_CHILD = /helpers\/(?:worker-process|pubsub-door)|node:child_process/;

const startsAChild = new Map();
function spawns(testPath) {
  if (!startsAChild.has(testPath)) startsAChild.set(testPath, STARTS_A_CHILD.test(readFileSync(testPath, 'utf8')));
  return startsAChild.get(testPath);
}

module.exports = async (testPaths) => {
  const dir = process.env.MUTATION_COVERAGE_DIR;
  const active = process.env.__STRYKER_ACTIVE_MUTANT__;
  if (!dir || active === undefined) return { filtered: testPaths };
  const { byMutant, staticIds } = dryRunRecords(dir);
  const reached = byMutant.get(active);
  if (!reached) return { filtered: testPaths };
  const isStatic = staticIds.has(active);
  return { filtered: testPaths.filter((p) => reached.has(p) || (isStatic && spawns(p))) };
};
