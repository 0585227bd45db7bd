/**
 * After each test file: no log line its app runs wrote holds a token, a secret or message text
 * (test/helpers/log-capture.ts captures them). A failure here names the line.
 */
import { logHygieneProblems } from './helpers/log-capture';

afterAll(() => {
  const problems = logHygieneProblems();
  if (problems.length > 0) throw new Error(`log lines must not hold tokens, secrets or message text:\n${problems.slice(0, 20).join('\n')}`);
});
