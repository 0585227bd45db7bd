/**
 * The reliability cases in jest's usual order, except the at-rest scan, which reads what every
 * other case wrote and so runs last (maxWorkers is 1: the order is the order they run in).
 */
const Sequencer = require('@jest/test-sequencer').default;

const LAST = 'secrets-at-rest.test.ts';

class AtRestLast extends Sequencer {
  async sort(tests) {
    const sorted = [...(await super.sort(tests))];
    return [...sorted.filter((t) => !t.path.endsWith(LAST)), ...sorted.filter((t) => t.path.endsWith(LAST))];
  }
}

module.exports = AtRestLast;
