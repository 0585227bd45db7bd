/**
 * The one log line per Chat request (`message: "chat event"`), which the log-based metrics in
 * terraform/monitoring.tf count: `outcome` says what happened to the delivery, `detail` how.
 *
 * - `new`: this request ran the handler (detail answered, overran, handler-error, too-large: the
 *   answer was over Chat's limits and replaced);
 * - `replayed`: a repeat of a finished delivery, answered from its stored answer;
 * - `waited`: a repeat that arrived while the first was running and waited for its answer;
 * - `refused`: nothing ran: the request was rejected (unauthorized, bad-request, too-large,
 *   body-too-large, method-not-allowed) or Chat must retry (in-flight, unavailable);
 * - `ignored`: an event type the app does not handle.
 */
import type { Request } from '@google-cloud/functions-framework';
import { traceFields, type LogFields, type Logger } from '../log';
import type { Outcome } from '../routing/dispatch';

export type RequestOutcome = 'new' | 'replayed' | 'waited' | 'refused' | 'ignored';
export type EdgeRefusal = 'unauthorized' | 'bad-request' | 'body-too-large' | 'method-not-allowed';
export type Detail = Outcome | EdgeRefusal | 'ignored';

const OUTCOME: Record<Detail, RequestOutcome> = {
  answered: 'new',
  overran: 'new',
  'handler-error': 'new',
  'too-large': 'new',
  replayed: 'replayed',
  waited: 'waited',
  'in-flight': 'refused',
  unavailable: 'refused',
  unauthorized: 'refused',
  'bad-request': 'refused',
  'body-too-large': 'refused',
  'method-not-allowed': 'refused',
  ignored: 'ignored',
};

export const CHAT_EVENT_MESSAGE = 'chat event';

/** The request's trace, from `traceparent` or `X-Cloud-Trace-Context`. */
export function requestTrace(req: Request, projectId: string): LogFields {
  return traceFields({ traceparent: req.get('traceparent'), cloudTrace: req.get('x-cloud-trace-context') }, projectId);
}

export interface RequestLogLine {
  status: number;
  detail: Detail;
  latencyMs: number;
  responseBytes: number;
  /** Route, event type, space...: never message text or a token. */
  fields?: LogFields;
}

/**
 * Writes the request's line: INFO, WARNING for a 4xx and for a repeat still in flight (Chat
 * retries it; nothing failed), ERROR for the other 5xx. `httpRequest` carries the path only: a
 * query string is the caller's text.
 */
export function logChatRequest(log: Logger, req: Request, line: RequestLogLine): void {
  const outcome = OUTCOME[line.detail];
  const latencyMs = Math.round(line.latencyMs * 100) / 100;
  const entry = {
    status: line.status,
    outcome,
    detail: line.detail,
    latencyMs,
    ...line.fields,
    httpRequest: {
      requestMethod: req.method,
      requestUrl: req.path.slice(0, 256),
      status: line.status,
      requestSize: String(Number(req.get('content-length')) || 0),
      responseSize: String(line.responseBytes),
      latency: `${(latencyMs / 1000).toFixed(4)}s`,
    },
  };
  if (line.status >= 500 && line.detail !== 'in-flight') log.error(CHAT_EVENT_MESSAGE, entry);
  else if (line.status >= 400 || line.detail === 'in-flight') log.warn(CHAT_EVENT_MESSAGE, entry);
  else log.info(CHAT_EVENT_MESSAGE, entry);
}
