/**
 * Structured logs: one JSON line per entry on stdout, in the shape Cloud Logging reads natively
 * (https://cloud.google.com/logging/docs/structured-logging): `severity`, `message`, `time`, the
 * trace fields, and for errors the shape Error Reporting picks up (`stack_trace` and the
 * ReportedErrorEvent `@type`). Tokens, secrets and message text are never passed here.
 *
 * Hand-written rather than pino with @google-cloud/pino-logging-gcp-config: that pair took
 * 0.5-1.2 s to load on the cold-start path here (it loads @google-cloud/logging, gRPC and
 * google-auth-library) against ~2 ms for this file, and neither reads the trace headers (README,
 * "Operating it").
 */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  /** An `err` field holding an Error is written as `error` (its message) plus the stack for Error Reporting. */
  error(message: string, fields?: LogFields): void;
  /** A logger whose entries all carry these fields (e.g. the trace of one request). */
  child(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

/** The special fields Cloud Logging lifts out of a JSON line into the LogEntry. */
export const TRACE_FIELD = 'logging.googleapis.com/trace';
export const SPAN_FIELD = 'logging.googleapis.com/spanId';
export const SAMPLED_FIELD = 'logging.googleapis.com/trace_sampled';
export const LABELS_FIELD = 'logging.googleapis.com/labels';
/** With this `@type`, Error Reporting takes the entry as an error event (formatting-error-messages). */
export const REPORTED_ERROR_EVENT = 'type.googleapis.com/google.devtools.clouderrorreporting.v1beta1.ReportedErrorEvent';

const stdoutSink: LogSink = (line) => process.stdout.write(`${line}\n`);

/** `err` becomes `error` (message only) and, on an ERROR entry, the stack and the Error Reporting shape. */
function errorFields(severity: Severity, fields: LogFields | undefined): LogFields | undefined {
  const err = fields?.err;
  if (err === undefined) return fields;
  const { err: _err, ...rest } = fields as LogFields;
  if (!(err instanceof Error)) return { ...rest, error: String(err) };
  if (severity !== 'ERROR' || !err.stack) return { ...rest, error: err.message };
  // No serviceContext: on Cloud Run, Error Reporting names the service from the entry's resource.
  return { ...rest, error: err.message, stack_trace: err.stack, '@type': REPORTED_ERROR_EVENT };
}

export function createLogger(base: LogFields = {}, sink: LogSink = stdoutSink): Logger {
  const write = (severity: Severity, message: string, fields?: LogFields) => {
    sink(JSON.stringify({ severity, message, ...base, ...errorFields(severity, fields), time: new Date().toISOString() }));
  };
  return {
    debug: (m, f) => write('DEBUG', m, f),
    info: (m, f) => write('INFO', m, f),
    warn: (m, f) => write('WARNING', m, f),
    error: (m, f) => write('ERROR', m, f),
    child: (fields) => createLogger({ ...base, ...fields }, sink),
  };
}

/** W3C trace context: version-traceid-parentid-flags, all lowercase hex (https://www.w3.org/TR/trace-context/). */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-|$)/;
/** `TRACE_ID/SPAN_ID;o=OPTIONS`, the span id in decimal (Cloud Trace's legacy header). */
const CLOUD_TRACE = /^([0-9a-f]{32})(?:\/(\d{1,20}))?(?:;o=([0-9]+))?/i;
const ZEROS = /^0+$/;

export interface TraceHeaders {
  traceparent?: string;
  /** `X-Cloud-Trace-Context` */
  cloudTrace?: string;
}

/**
 * Cloud Logging's trace fields (`projects/P/traces/T`, a 16-hex span id, the sampling flag) from
 * `traceparent`, else `X-Cloud-Trace-Context`, so that the entries of one request group under its
 * trace. Headers that do not parse give no fields: anyone can send them, and their text is never logged.
 */
export function traceFields(headers: TraceHeaders, projectId: string): LogFields {
  const w3c = headers.traceparent ? TRACEPARENT.exec(headers.traceparent.trim()) : null;
  if (w3c && w3c[1] !== 'ff' && !ZEROS.test(w3c[2]) && !ZEROS.test(w3c[3])) {
    return {
      [TRACE_FIELD]: `projects/${projectId}/traces/${w3c[2]}`,
      [SPAN_FIELD]: w3c[3],
      [SAMPLED_FIELD]: (parseInt(w3c[4], 16) & 1) === 1,
    };
  }
  const legacy = headers.cloudTrace ? CLOUD_TRACE.exec(headers.cloudTrace.trim()) : null;
  if (!legacy || ZEROS.test(legacy[1])) return {};
  const span = legacy[2] ? BigInt(legacy[2]) : 0n;
  return {
    [TRACE_FIELD]: `projects/${projectId}/traces/${legacy[1].toLowerCase()}`,
    ...(span > 0n && span < 2n ** 64n ? { [SPAN_FIELD]: span.toString(16).padStart(16, '0') } : {}),
    ...(legacy[3] !== undefined ? { [SAMPLED_FIELD]: legacy[3] === '1' } : {}),
  };
}
