/** Prints the reliability table at the end of the run and writes it as JSON. */
const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const DIR = join(__dirname, '..', '..', 'reliability-results');
const CASES = join(DIR, 'cases.jsonl');

class TableReporter {
  onRunStart() {
    rmSync(CASES, { force: true });
  }

  onRunComplete() {
    if (!existsSync(CASES)) return;
    const rows = readFileSync(CASES, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const header = ['case', 'tried', 'survived', 'lost', 'doubled', 'notes'];
    const cells = rows.map((r) => [r.case, r.tried, r.survived, r.lost, r.doubled, r.notes ?? ''].map(String));
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
    const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
    process.stdout.write(`\nReliability\n${out}\n`);
    mkdirSync(DIR, { recursive: true });
    writeFileSync(join(DIR, 'summary.json'), `${JSON.stringify({ at: new Date().toISOString(), cases: rows }, null, 2)}\n`);
  }
}
module.exports = TableReporter;
