#!/usr/bin/env node
/**
 * The per-file summary of a Stryker report (`reports/mutation/both-passes.json`: both passes of
 * `npm run test:mutation`, scripts/mutation.mjs), in the README's table
 * shape, and the per-file break check: Stryker's own `thresholds.break` looks at the score of the
 * whole run only, so one weak module could hide behind strong ones.
 * `node scripts/mutation-summary.mjs [REPORT]` prints the table of an existing report.
 *
 * The score is Stryker's: (killed + timeout) / (killed + timeout + survived + no coverage). Mutants the
 * TypeScript checker refused (CompileError), runtime errors and ignored mutants are outside it.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const COLUMNS = ['mutants', 'refused by tsc', 'killed', 'timeout', 'survived', 'no coverage', 'runtime error', 'ignored', 'score'];

/** Counts per file of a mutation-testing-report-schema report, keyed by the path relative to the repo. */
export function summarize(report) {
  return Object.entries(report.files).map(([file, { mutants }]) => {
    const count = (status) => mutants.filter((m) => m.status === status).length;
    const row = {
      file,
      mutants: mutants.length,
      'refused by tsc': count('CompileError'),
      killed: count('Killed'),
      timeout: count('Timeout'),
      survived: count('Survived'),
      'no coverage': count('NoCoverage'),
      'runtime error': count('RuntimeError'),
      ignored: count('Ignored'),
    };
    const valid = row.killed + row.timeout + row.survived + row['no coverage'];
    // A file whose every mutant was refused or ignored has nothing to score (Stryker says NaN).
    row.score = valid === 0 ? undefined : (100 * (row.killed + row.timeout)) / valid;
    return row;
  });
}

export function formatTable(rows) {
  const cell = (row, c) => (c === 'score' ? (row.score === undefined ? 'n/a' : `${row.score.toFixed(1)} %`) : String(row[c]));
  return [
    `| file | ${COLUMNS.join(' | ')} |`,
    `| --- |${COLUMNS.map(() => ' ---: |').join('')}`,
    ...rows.map((r) => `| \`${r.file}\` | ${COLUMNS.map((c) => cell(r, c)).join(' | ')} |`),
  ].join('\n');
}

/** The files scoring under `breakAt` (percent); none when no threshold is set. */
export function belowBreak(rows, breakAt) {
  if (typeof breakAt !== 'number') return [];
  return rows.filter((r) => r.score !== undefined && r.score < breakAt);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = JSON.parse(readFileSync(process.argv[2] ?? 'reports/mutation/both-passes.json', 'utf8'));
  console.log(formatTable(summarize(report)));
}
