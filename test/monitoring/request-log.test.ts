/**
 * The log lines Cloud Logging and Error Reporting read: the trace of a request (traceparent or
 * X-Cloud-Trace-Context, with the project), one `chat event` line per request with its outcome,
 * and errors in Error Reporting's shape.
 */
import { deliveryKey } from '../../shared/events/delivery-key';
import { normalizeEvent } from '../../shared/events/normalize';
import { createLogger, REPORTED_ERROR_EVENT, traceFields } from '../../shared/log';
import { reply } from '../../shared/replies/responses';
import { Router } from '../../shared/routing/router';
import { DELIVERIES } from '../../shared/stores/deliveries';
import { newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('traceFields', () => {
  it('reads a W3C traceparent: trace with the project, span id, sampling flag', () => {
    expect(traceFields({ traceparent: `00-${TRACE}-00f067aa0ba902b7-01` }, 'p')).toEqual({
      'logging.googleapis.com/trace': `projects/p/traces/${TRACE}`,
      'logging.googleapis.com/spanId': '00f067aa0ba902b7',
      'logging.googleapis.com/trace_sampled': true,
    });
    expect(traceFields({ traceparent: `00-${TRACE}-00f067aa0ba902b7-00` }, 'p')['logging.googleapis.com/trace_sampled']).toBe(false);
  });

  it('reads X-Cloud-Trace-Context when there is no usable traceparent; its decimal span id becomes 16 hex digits', () => {
    expect(traceFields({ cloudTrace: `${TRACE}/12345;o=1` }, 'p')).toEqual({
      'logging.googleapis.com/trace': `projects/p/traces/${TRACE}`,
      'logging.googleapis.com/spanId': '0000000000003039',
      'logging.googleapis.com/trace_sampled': true,
    });
    expect(traceFields({ traceparent: 'garbage', cloudTrace: TRACE }, 'p')).toEqual({ 'logging.googleapis.com/trace': `projects/p/traces/${TRACE}` });
  });

  it.each([
    ['version ff', { traceparent: `ff-${TRACE}-00f067aa0ba902b7-01` }],
    ['an all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` }],
    ['an all-zero span id', { traceparent: `00-${TRACE}-${'0'.repeat(16)}-01` }],
    ['uppercase hex', { traceparent: `00-${TRACE.toUpperCase()}-00F067AA0BA902B7-01` }],
    ['a short trace id', { cloudTrace: '1234/5' }],
    ['text', { traceparent: '<script>', cloudTrace: 'projects/x/traces/y' }],
  ])('gives no trace for %s', (_what, headers) => {
    expect(traceFields(headers, 'p')).toEqual({});
  });

  it('drops a span id past 64 bits rather than logging a wrong one', () => {
    expect(traceFields({ cloudTrace: `${TRACE}/99999999999999999999` }, 'p')).toEqual({ 'logging.googleapis.com/trace': `projects/p/traces/${TRACE}` });
  });
});

describe('errors in the shape Error Reporting picks up', () => {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({}, (l) => lines.push(JSON.parse(l)));
  beforeEach(() => (lines.length = 0));

  it('an ERROR with an Error: its message, its stack as stack_trace, the ReportedErrorEvent @type', () => {
    log.error('handler failed', { err: new Error('bug') });
    expect(lines[0]).toMatchObject({ severity: 'ERROR', message: 'handler failed', error: 'bug', '@type': REPORTED_ERROR_EVENT });
    expect(String(lines[0].stack_trace)).toMatch(/^Error: bug\n\s+at /);
    expect(lines[0].err).toBeUndefined();
  });

  it('a WARNING with an Error, or an ERROR with a non-Error, has the message only', () => {
    log.warn('will retry', { err: new Error('flaky') });
    log.error('odd', { err: 'a string' });
    expect(lines[0]).toEqual({ severity: 'WARNING', message: 'will retry', error: 'flaky', time: expect.any(String) });
    expect(lines[1]).toEqual({ severity: 'ERROR', message: 'odd', error: 'a string', time: expect.any(String) });
  });
});

describe('one chat event line per request', () => {
  const router = new Router()
    .command({ id: 2, name: '/count', description: 'answers' }, () => reply.text('counted'))
    .command({ id: 6, name: '/boom', description: 'throws' }, () => {
      throw new Error('handler bug');
    });
  const projectId = randomProjectId('requestlog');
  const db = testFirestore(projectId);
  let server: EventsServer;
  beforeAll(async () => {
    server = await startEventsServer({ projectId, router, env: { DELIVERY_WAIT_MS: '3000' } });
  });
  afterAll(() => server?.stop());

  const keyOf = (event: Record<string, unknown>) => {
    const n = normalizeEvent(event);
    if (!('event' in n)) throw new Error('not an event');
    return deliveryKey(n.event);
  };
  const post = async (event: unknown, headers: Record<string, string> = {}, path = '') => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token()}`, ...headers },
      body: JSON.stringify(event),
    });
    await res.text();
    return res.status;
  };
  const lineFor = (trace: string) => {
    const found = server.logs.filter((l) => l.message === 'chat event' && l['logging.googleapis.com/trace'] === `projects/${projectId}/traces/${trace}`);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const traceparent = (trace: string) => ({ traceparent: `00-${trace}-00f067aa0ba902b7-01` });
  const trace = (n: number) => n.toString(16).padStart(32, 'a');

  it('new, then replayed; the trace, span and httpRequest (path only) on the line', async () => {
    const event = slashCommandEvent(newSpace(), 2, '/count');
    expect(await post(event, traceparent(trace(1)), '?q=caller-text')).toBe(200);
    expect(await post(event, { 'x-cloud-trace-context': `${trace(2)}/1;o=1` })).toBe(200);
    expect(lineFor(trace(1))).toMatchObject({
      severity: 'INFO',
      outcome: 'new',
      detail: 'answered',
      route: 'command:2',
      status: 200,
      'logging.googleapis.com/spanId': '00f067aa0ba902b7',
      'logging.googleapis.com/trace_sampled': true,
      httpRequest: { requestMethod: 'POST', requestUrl: '/', status: 200, latency: expect.stringMatching(/^\d+\.\d{4}s$/) },
    });
    expect(lineFor(trace(2))).toMatchObject({ outcome: 'replayed', detail: 'replayed', status: 200, 'logging.googleapis.com/spanId': '0000000000000001' });
  });

  it('waited: a repeat that arrives while the first runs, and gets its answer', async () => {
    const event = slashCommandEvent(newSpace(), 2, '/count');
    const ref = db.collection(DELIVERIES).doc(keyOf(event));
    await ref.create({ status: 'RUNNING', owner: 'other', attempt: 1, leaseUntil: Date.now() + 60_000, space: 'x', eventType: 'MESSAGE' });
    const repeat = post(event, traceparent(trace(3)));
    await new Promise((r) => setTimeout(r, 500));
    await ref.update({ status: 'DONE', response: '{"text":"from the first"}' });
    expect(await repeat).toBe(200);
    expect(lineFor(trace(3))).toMatchObject({ severity: 'INFO', outcome: 'waited', detail: 'waited' });
  });

  it('refused: still in flight after the wait (WARNING, 503), and a bad token (WARNING, 401)', async () => {
    const event = slashCommandEvent(newSpace(), 2, '/count');
    await db.collection(DELIVERIES).doc(keyOf(event)).create({ status: 'RUNNING', owner: 'other', attempt: 1, leaseUntil: Date.now() + 60_000, space: 'x', eventType: 'MESSAGE' });
    expect(await post(event, traceparent(trace(4)))).toBe(503);
    expect(lineFor(trace(4))).toMatchObject({ severity: 'WARNING', outcome: 'refused', detail: 'in-flight', status: 503 });
    expect(await post(event, { ...traceparent(trace(5)), authorization: 'Bearer nope' })).toBe(401);
    expect(lineFor(trace(5))).toMatchObject({ severity: 'WARNING', outcome: 'refused', detail: 'unauthorized', reason: 'not a JWT', status: 401 });
  });

  it('a handler that throws: the ERROR line Error Reporting takes, and an INFO chat event line (the person got an apology)', async () => {
    expect(await post(slashCommandEvent(newSpace(), 6, '/boom'), traceparent(trace(6)))).toBe(200);
    expect(lineFor(trace(6))).toMatchObject({ severity: 'INFO', outcome: 'new', detail: 'handler-error' });
    const error = server.logs.find((l) => l.message === 'handler failed' && l['logging.googleapis.com/trace'] === `projects/${projectId}/traces/${trace(6)}`);
    expect(error).toMatchObject({ severity: 'ERROR', error: 'handler bug', '@type': REPORTED_ERROR_EVENT, route: 'command:6' });
    expect(String(error?.stack_trace)).toContain('Error: handler bug');
  });
});
