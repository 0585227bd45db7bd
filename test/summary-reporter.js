/**
 * Prints the plain closing line CI reads ("N passed, N failed, N skipped"),
 * since Jest's own summary is not in a form CI recognises, and how many payloads (answers and
 * Chat API writes) were checked against Google's schema: each test file's count is a file in
 * SCHEMA_REPORT_DIR (set by the global setup; test/schema/setup.ts writes them).
 */
const { existsSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

function schemaCount() {
  const dir = process.env.SCHEMA_REPORT_DIR;
  if (!dir || !existsSync(dir)) return undefined;
  let checked = 0;
  for (const name of readdirSync(dir)) checked += JSON.parse(readFileSync(join(dir, name), 'utf8')).checked;
  rmSync(dir, { recursive: true, force: true });
  return checked;
}

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const checked = schemaCount();
    if (checked !== undefined) process.stdout.write(`\nschema: ${checked} payloads checked against Google's Chat protos (violations fail their test)\n`);
    process.stdout.write(`\njest: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`);
  }
}
module.exports = SummaryReporter;
