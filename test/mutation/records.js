/**
 * The per-file records of Stryker's dry run (written by ./environment.js into MUTATION_COVERAGE_DIR),
 * read once per process: which test files reached each mutant, which mutants were reached statically
 * (module-level code, run once at load), and how long each file took with all its tests.
 */
const { readFileSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

let loaded;
function dryRunRecords(dir) {
  if (loaded) return loaded;
  const byMutant = new Map();
  const staticIds = new Set();
  const durations = new Map();
  for (const name of readdirSync(dir)) {
    const record = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    for (const id of [...record.static, ...record.inTests]) byMutant.set(id, (byMutant.get(id) ?? new Set()).add(record.testPath));
    for (const id of record.static) staticIds.add(id);
    if (typeof record.ms === 'number') durations.set(record.testPath, record.ms);
  }
  loaded = { byMutant, staticIds, durations };
  return loaded;
}

module.exports = { dryRunRecords };
