/** `npm run test:reliability`: the invariants under floods, faults and hostile input; prints a table. */
const base = require('./jest.config');

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  roots: ['<rootDir>/test/reliability'],
  reporters: ['default', '<rootDir>/test/reliability/table-reporter.js', '<rootDir>/test/summary-reporter.js'],
  testTimeout: 240000,
  // One case at a time: they measure the machine and some stop the emulators.
  maxWorkers: 1,
  // The at-rest scan reads what every other case wrote: it runs last.
  testSequencer: '<rootDir>/test/reliability/sequencer.js',
  // Clients created lazily inside the functions under test keep sockets open; the run is over.
  forceExit: true,
};
