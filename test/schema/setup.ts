/**
 * Runs around every test file (jest `setupFilesAfterEnv`): a payload Google's schema refuses fails
 * the test during which it was produced, naming its JSON path; after the file, the number of
 * payloads this file checked goes to the run's report folder, which `test/summary-reporter.js` sums
 * (jest runs files in separate worker processes).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkedCount, formatRecorded, secretsShown, takeViolations } from '../../local/schema/conformance';
import { noteSecrets } from '../helpers/at-rest';

function failOnViolations(when: string): void {
  const found = takeViolations();
  if (found.length > 0) {
    throw new Error(`Google's Chat schema refuses ${found.length} payload(s) ${when}:\n${found.map(formatRecorded).join('\n')}`);
  }
}

afterEach(() => failOnViolations('this test produced'));

afterAll(() => {
  const dir = process.env.SCHEMA_REPORT_DIR;
  if (dir) writeFileSync(join(dir, `${randomUUID()}.json`), JSON.stringify({ file: expect.getState().testPath, checked: checkedCount() }));
  // The secrets this file's answers showed: the run's end checks none of them is stored.
  noteSecrets(secretsShown());
  // A write that landed after the file's last test (a worker's late reply) still fails the file.
  failOnViolations('produced after the last test');
});
