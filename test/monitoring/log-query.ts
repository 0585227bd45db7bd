/**
 * A small evaluator for the subset of the Cloud Logging query language the log-based metrics in
 * terraform/monitoring.tf use (https://cloud.google.com/logging/docs/view/logging-query-language),
 * and the ingestion that turns a function's stdout JSON line into the LogEntry those filters see.
 * There is no Cloud Logging here, and no library evaluates its queries, so this is written by hand.
 *
 * Subset: comparisons `path OP value` with OP one of = > < >= <= : (has), values quoted strings,
 * numbers or bare words, `:*` (field present); NOT, AND (also implied by juxtaposition), OR and
 * parentheses, OR binding tighter than AND as the language defines. Anything else (!=, regular
 * expressions, functions, global restrictions) is refused rather than guessed: their semantics on
 * missing fields are not ones a test should assume.
 *
 * String equality is evaluated both case-sensitively and not (`caseSensitive`): a filter whose
 * result depends on which one Cloud Logging uses is caught by evaluating both.
 */

export interface LogEntry {
  logName: string;
  resource: { type: string; labels: Record<string, string> };
  severity: string;
  timestamp?: string;
  trace?: string;
  spanId?: string;
  traceSampled?: boolean;
  labels?: Record<string, string>;
  httpRequest?: Record<string, unknown>;
  jsonPayload: Record<string, unknown>;
}

/** The special fields of a structured line and where Cloud Logging puts them (structured-logging docs). */
const SPECIAL: Record<string, keyof LogEntry> = {
  severity: 'severity',
  time: 'timestamp',
  timestamp: 'timestamp',
  httpRequest: 'httpRequest',
  'logging.googleapis.com/trace': 'trace',
  'logging.googleapis.com/spanId': 'spanId',
  'logging.googleapis.com/trace_sampled': 'traceSampled',
  'logging.googleapis.com/labels': 'labels',
};

/** What Cloud Run's logging makes of one JSON line a 2nd gen function (= Cloud Run service `service`) wrote. */
export function ingest(line: Record<string, unknown>, service: string, projectId: string): LogEntry {
  const entry: LogEntry = {
    logName: `projects/${projectId}/logs/run.googleapis.com%2Fstdout`,
    resource: { type: 'cloud_run_revision', labels: { service_name: service, project_id: projectId, location: 'us-central1' } },
    severity: 'DEFAULT',
    jsonPayload: {},
  };
  for (const [key, value] of Object.entries(line)) {
    const to = SPECIAL[key];
    if (to) (entry as unknown as Record<string, unknown>)[to] = value;
    else entry.jsonPayload[key] = value;
  }
  return entry;
}

const SEVERITIES = ['DEFAULT', 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'];

type Op = '=' | '>' | '<' | '>=' | '<=' | ':';
type Node =
  | { and: Node[] }
  | { or: Node[] }
  | { not: Node }
  | { path: string[]; op: Op; value: string; quoted: boolean };

type Token = { kind: 'word' | 'string' | 'op' | '(' | ')'; text: string };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (c === '"') {
      let text = '';
      for (i++; query[i] !== '"'; i++) {
        if (i >= query.length) throw new Error(`unterminated string in ${query}`);
        text += query[i] === '\\' ? query[++i] : query[i];
      }
      tokens.push({ kind: 'string', text });
      i++;
    } else if (/[=<>:!]/.test(c)) {
      const op = /^(>=|<=|!=|=~|!~|[=<>:])/.exec(query.slice(i))![1];
      if (['!=', '=~', '!~'].includes(op)) throw new Error(`operator ${op} is outside the evaluated subset`);
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    } else {
      const word = /^[^\s()"=<>:!]+/.exec(query.slice(i))![0];
      tokens.push({ kind: 'word', text: word });
      i += word.length;
    }
  }
  return tokens;
}

export function parseQuery(query: string): Node {
  const tokens = tokenize(query);
  let at = 0;
  const peek = () => tokens[at];
  const isWord = (w: string) => peek()?.kind === 'word' && peek().text === w;

  // Precedence, lowest first: AND (explicit or implied), OR, NOT.
  const conjunction = (): Node => {
    const parts = [disjunction()];
    while (at < tokens.length && peek().kind !== ')') {
      if (isWord('AND')) at++;
      parts.push(disjunction());
    }
    return parts.length === 1 ? parts[0] : { and: parts };
  };
  const disjunction = (): Node => {
    const parts = [negation()];
    while (isWord('OR')) {
      at++;
      parts.push(negation());
    }
    return parts.length === 1 ? parts[0] : { or: parts };
  };
  const negation = (): Node => {
    if (isWord('NOT')) {
      at++;
      return { not: negation() };
    }
    return primary();
  };
  const primary = (): Node => {
    const t = tokens[at++];
    if (!t) throw new Error(`query ends early: ${query}`);
    if (t.kind === '(') {
      const inner = conjunction();
      if (tokens[at++]?.kind !== ')') throw new Error(`missing ) in ${query}`);
      return inner;
    }
    if (t.kind !== 'word' || ['AND', 'OR', 'NOT'].includes(t.text)) throw new Error(`expected a field at "${t.text}" in ${query}`);
    const op = tokens[at++];
    if (op?.kind !== 'op') throw new Error(`global restriction "${t.text}" is outside the evaluated subset`);
    const value = tokens[at++];
    if (!value || (value.kind !== 'word' && value.kind !== 'string')) throw new Error(`expected a value after ${t.text}${op.text} in ${query}`);
    return { path: fieldPath(t.text), op: op.text as Op, value: value.text, quoted: value.kind === 'string' };
  };

  const node = conjunction();
  if (at !== tokens.length) throw new Error(`unexpected "${peek().text}" in ${query}`);
  return node;
}

/** `jsonPayload.a.b` → ["jsonPayload", "a", "b"]; `resource.labels.x` and `resource.label.x` are the same. */
function fieldPath(text: string): string[] {
  const path = text.split('.');
  if (path.some((p) => p === '')) throw new Error(`bad field path ${text}`);
  if (path[0] === 'resource' && path[1] === 'label') path[1] = 'labels';
  return path;
}

function lookup(entry: LogEntry, path: string[]): unknown {
  let value: unknown = entry;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function compare(field: unknown, op: Op, literal: string, quoted: boolean, path: string[], caseSensitive: boolean): boolean {
  if (field === undefined || field === null) return false;
  if (typeof field === 'object') return false;
  if (op === ':') return literal === '*' && !quoted ? true : String(field).toLowerCase().includes(literal.toLowerCase());
  if (path.length === 1 && path[0] === 'severity') {
    const [a, b] = [SEVERITIES.indexOf(String(field)), SEVERITIES.indexOf(literal.toUpperCase())];
    if (b === -1) throw new Error(`unknown severity ${literal}`);
    return { '=': a === b, '>': a > b, '<': a < b, '>=': a >= b, '<=': a <= b }[op];
  }
  const number = Number(literal);
  if (typeof field === 'number' && literal !== '' && Number.isFinite(number)) {
    return { '=': field === number, '>': field > number, '<': field < number, '>=': field >= number, '<=': field <= number }[op];
  }
  if (op !== '=') throw new Error(`ordering ${op} on a non-number (${path.join('.')}) is outside the evaluated subset`);
  const [a, b] = caseSensitive ? [String(field), literal] : [String(field).toLowerCase(), literal.toLowerCase()];
  return a === b;
}

export function matches(node: Node, entry: LogEntry, options: { caseSensitive: boolean }): boolean {
  if ('and' in node) return node.and.every((n) => matches(n, entry, options));
  if ('or' in node) return node.or.some((n) => matches(n, entry, options));
  if ('not' in node) return !matches(node.not, entry, options);
  return compare(lookup(entry, node.path), node.op, node.value, node.quoted, node.path, options.caseSensitive);
}

/** Whether the entry matches, the same under both case rules (else throws: the filter is ambiguous). */
export function filterMatches(query: string | Node, entry: LogEntry): boolean {
  const node = typeof query === 'string' ? parseQuery(query) : query;
  const sensitive = matches(node, entry, { caseSensitive: true });
  if (matches(node, entry, { caseSensitive: false }) !== sensitive) {
    throw new Error(`the filter's result on ${JSON.stringify(entry.jsonPayload)} depends on case sensitivity`);
  }
  return sensitive;
}

/** `EXTRACT(field)`, the value and label extractors' one function in monitoring.tf. */
export function extract(extractor: string, entry: LogEntry): unknown {
  const m = /^EXTRACT\(([\w.]+)\)$/.exec(extractor);
  if (!m) throw new Error(`extractor ${extractor} is outside the evaluated subset`);
  return lookup(entry, fieldPath(m[1]));
}
