/**
 * The active mutant a test has failed with: module state shared by ./environment.js (which records it
 * and skips the rest of that file's tests) and ./runner.js (which then loads no further file). It
 * outlives each file's environment: Stryker's runner process runs mutant after mutant, each under its id.
 */
let killedMutant;

module.exports = {
  recordKill: (id) => {
    killedMutant = id;
  },
  isKilled: (id) => id !== undefined && killedMutant === id,
};
