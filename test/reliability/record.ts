/**
 * Each reliability case records what it tried and what survived; the table reporter prints them
 * all at the end and writes them as JSON (reliability-results/summary.json).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_DIR = join(__dirname, '..', '..', 'reliability-results');

export interface CaseResult {
  case: string;
  tried: number;
  survived: number;
  /** Effects that should have happened and did not. */
  lost: number;
  /** Effects that happened more than once. */
  doubled: number;
  notes?: string;
}

export function record(result: CaseResult): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  appendFileSync(join(RESULTS_DIR, 'cases.jsonl'), `${JSON.stringify(result)}\n`);
}
