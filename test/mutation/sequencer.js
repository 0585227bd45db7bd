/**
 * Jest's test order for Stryker's mutant runs (jest.mutation.config.js). Jest's own order runs the
 * slowest files first (to keep parallel workers busy till the end), the worst order for a mutant: with
 * bail (./environment.js) the first failing test ends its run, so the cheapest files should come first.
 * First the files that failed last time (most likely the previous mutant's killer, often a mutant of
 * the same function), then by how long each took in the dry run with all its tests (Jest's own
 * timings are of the mutant runs, where bail skipped most files), unknown last. Outside a mutant run,
 * Jest's order.
 */
const Sequencer = require('@jest/test-sequencer').default;
const { dryRunRecords } = require('./records');

class CheapestFirst extends Sequencer {
  sort(tests) {
    const dir = process.env.MUTATION_COVERAGE_DIR;
    if (!dir || process.env.__STRYKER_ACTIVE_MUTANT__ === undefined) return super.sort(tests);
    const { durations } = dryRunRecords(dir);
    const cost = (test) => durations.get(test.path) ?? Infinity;
    return [...tests].sort((a, b) => Number(this.hasFailed(b)) - Number(this.hasFailed(a)) || cost(a) - cost(b));
  }
}

module.exports = CheapestFirst;
