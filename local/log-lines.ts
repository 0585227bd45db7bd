/**
 * The functions' log lines as `npm start` prints them. The functions write one JSON object per
 * line in the Cloud Logging shape (shared/log.ts); a developer at a terminal reads one short line
 * per event instead: time, function, what came in (event type, route), status, latency, outcome.
 * `npm start -- --json` prints the JSON as written. Written here: a few fields of our own log
 * shape, nothing a log library would know.
 */
import { CHAT_EVENT_MESSAGE } from '../shared/http/request-log';
import { JOB_ATTEMPT_MESSAGE } from '../shared/jobs/worker';

type Entry = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const SEVERITY_MARK: Record<string, string> = { WARNING: 'warn ', ERROR: 'ERROR ', CRITICAL: 'ERROR ' };

function clock(time: unknown): string {
  const t = typeof time === 'string' ? new Date(time) : new Date();
  return Number.isNaN(t.getTime()) ? '' : t.toISOString().slice(11, 19);
}

/** The remaining fields, `key=value`, short: what a line did not say already. */
function rest(entry: Entry, skip: readonly string[]): string {
  return Object.entries(entry)
    .filter(([k, v]) => !skip.includes(k) && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

const COMMON = ['severity', 'message', 'time', 'function', 'logging.googleapis.com/trace', 'logging.googleapis.com/spanId', 'logging.googleapis.com/trace_sampled', 'httpRequest', '@type', 'stack_trace'];

/** One line for a person: `12:04:05 chatEvents  MESSAGE command:1 → 200 new/answered 35 ms`. */
export function readableLine(target: string, line: string): string {
  let entry: Entry;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `${''.padEnd(8)} ${target.padEnd(12)} ${line}`;
    entry = parsed as Entry;
  } catch {
    return `${''.padEnd(8)} ${target.padEnd(12)} ${line}`;
  }
  const head = `${clock(entry.time)} ${target.padEnd(12)} ${SEVERITY_MARK[str(entry.severity)] ?? ''}`;
  if (entry.message === CHAT_EVENT_MESSAGE) {
    const what = [str(entry.eventType), str(entry.route)].filter(Boolean).join(' ') || str((entry.httpRequest as Entry | undefined)?.requestMethod);
    const extra = rest(entry, [...COMMON, 'eventType', 'route', 'status', 'outcome', 'detail', 'latencyMs']);
    return `${head}${what} → ${str(entry.status)} ${str(entry.outcome)}/${str(entry.detail)} ${Math.round(Number(entry.latencyMs))} ms${extra ? `  ${extra}` : ''}`;
  }
  if (entry.message === JOB_ATTEMPT_MESSAGE) {
    const latency = entry.latencyMs !== undefined ? ` ${Math.round(Number(entry.latencyMs))} ms` : '';
    const extra = rest(entry, [...COMMON, 'outcome', 'detail', 'kind', 'latencyMs']);
    return `${head}job ${str(entry.kind)} → ${str(entry.outcome)}${latency}  ${str(entry.detail)}${extra ? `  ${extra}` : ''}`;
  }
  const extra = rest(entry, COMMON);
  return `${head}${str(entry.message)}${extra ? `  ${extra}` : ''}`;
}
