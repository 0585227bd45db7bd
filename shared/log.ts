/**
 * Structured logs: one JSON line per entry on stdout, in the shape Cloud Logging reads
 * (`severity`, `message`, trace fields). Tokens and secrets are never passed here.
 */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose entries all carry these fields (e.g. the trace of one request). */
  child(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

const stdoutSink: LogSink = (line) => process.stdout.write(`${line}\n`);

export function createLogger(base: LogFields = {}, sink: LogSink = stdoutSink): Logger {
  const write = (severity: Severity, message: string, fields?: LogFields) => {
    sink(JSON.stringify({ severity, message, ...base, ...fields, time: new Date().toISOString() }));
  };
  return {
    debug: (m, f) => write('DEBUG', m, f),
    info: (m, f) => write('INFO', m, f),
    warn: (m, f) => write('WARNING', m, f),
    error: (m, f) => write('ERROR', m, f),
    child: (fields) => createLogger({ ...base, ...fields }, sink),
  };
}

const TRACE_HEADER = /^([0-9a-f]{32})(?:\/(\d+))?/i;

/** Cloud Logging's trace fields from the `X-Cloud-Trace-Context` header, so entries group per request. */
export function traceFields(header: string | undefined, projectId: string): LogFields {
  const match = header ? TRACE_HEADER.exec(header) : null;
  if (!match) return {};
  return {
    'logging.googleapis.com/trace': `projects/${projectId}/traces/${match[1]}`,
    ...(match[2] ? { 'logging.googleapis.com/spanId': match[2] } : {}),
  };
}
