/**
 * The conformance log of this process: every payload checked against Google's schema (answers the
 * tests and the simulator receive, bodies the local Chat API receives) is counted here, and each
 * violation kept with where it came from, so a test run can fail the test that produced it
 * (`test/schema/setup.ts`) and print how many payloads were checked. The webhook secrets the
 * payloads show are kept too, for the run's check that none is stored.
 */
import { SECRET_PATTERN } from '../../shared/stores/webhooks';
import { describeViolations, validateAnswer, validateMessageBody, type AnswerFormat, type Violation } from './answers';

export interface Recorded {
  /** What sent the payload: `answer to MESSAGE`, `spaces.messages.create`, … */
  source: string;
  violations: Violation[];
  payload: unknown;
}

const log = { checked: 0, violations: [] as Recorded[], secrets: new Set<string>() };

function record(source: string, payload: unknown, violations: Violation[]): Violation[] {
  log.checked += 1;
  for (const m of (JSON.stringify(payload) ?? '').matchAll(SECRET_PATTERN)) log.secrets.add(m[0]);
  if (violations.length > 0) log.violations.push({ source, violations, payload });
  return violations;
}

export const checkAnswer = (format: AnswerFormat, answer: unknown, source: string): Violation[] =>
  record(source, answer, validateAnswer(format, answer));

export const checkMessageBody = (body: unknown, source: string): Violation[] => record(source, body, validateMessageBody(body));

/** The webhook secrets the payloads showed (for the run's at-rest scan, test/helpers/at-rest.ts). */
export const secretsShown = (): string[] => [...log.secrets];

/** How many payloads this process checked so far. */
export const checkedCount = (): number => log.checked;

/** The violations recorded since the last call, removed from the log. */
export function takeViolations(): Recorded[] {
  return log.violations.splice(0);
}

export const formatRecorded = (r: Recorded): string => `${r.source}: ${describeViolations(r.violations)}`;
