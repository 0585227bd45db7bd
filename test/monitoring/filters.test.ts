/**
 * Every log-based metric's filter (terraform/monitoring.tf, local.log_filters) against real log
 * lines: the built chatEvents and chatWorker run in their own processes as deployed, a scenario
 * drives them (good and bad tokens, repeats, jobs that succeed, meet 429s, fail, a malformed
 * message), their stdout becomes Cloud Logging entries (log-query.ts), and each filter must match
 * exactly the lines of the events it counts. Which lines those are is known from the scenario
 * (each request carries its own traceparent, so its line is found by trace), not from the filters.
 */
import { randomBytes } from 'node:crypto';
import type { PubSub } from '@google-cloud/pubsub';
import { startLocalChatApi, type LocalChatApi } from '../../local/chat-api';
import { startCertsServer, type CertsServer } from '../../local/certs-server';
import { chatTokenClaims, createSigner } from '../../local/signing';
import { JOBS } from '../../shared/jobs/model';
import { loadTerraform, TerraformEvaluator, type TerraformConfig } from '../deploy/support';
import { ADA, addedEvent, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';
import { rememberSecret, rememberTexts } from '../helpers/log-capture';
import { until as waitFor } from '../helpers/until';
import { createPushSubscription, jobTestWorkerEnv, startFunctionProcess, startWorkerProcess, type FunctionProcess } from '../helpers/worker-process';
import { extract, filterMatches, ingest, parseQuery, type LogEntry } from './log-query';
import { logMetricsOf, type LogMetric } from './log-metrics';

jest.setTimeout(180_000);

const projectId = randomProjectId('monitoring');
const TOPIC = 'chat-jobs';
const AUDIENCE = '123456789012';
const signer = createSigner();
const db = testFirestore(projectId);
let tf: TerraformConfig;
let certs: CertsServer;
let api: LocalChatApi;
let events: FunctionProcess;
let worker: FunctionProcess;
let pubsub: { pubsub: PubSub; close(): Promise<void> };

beforeAll(async () => {
  tf = await loadTerraform();
  api = await startLocalChatApi();
  certs = await startCertsServer(() => signer.certs());
  worker = await startWorkerProcess(jobTestWorkerEnv(projectId, api.url, TOPIC));
  pubsub = await createPushSubscription(projectId, TOPIC, worker.port);
  events = await startFunctionProcess('chatEvents', {
    GOOGLE_CLOUD_PROJECT: projectId,
    CHAT_AUDIENCE_MODE: 'project-number',
    CHAT_AUDIENCE: AUDIENCE,
    CHAT_CERTS_URL: certs.url,
    JOBS_TOPIC: TOPIC,
    CHAT_EVENTS_URL: 'https://chat-app.example.com/',
  });
});
afterAll(async () => {
  await events?.stop();
  await worker?.stop();
  await pubsub?.close();
  await certs?.stop();
  await api?.stop();
});

const goodToken = () => signer.sign(chatTokenClaims('project-number', AUDIENCE));
/** Requests sent, by trace id, with what the scenario made them. */
const sent = new Map<string, string>();

async function send(kind: string, body: unknown, options: { token?: string | null; method?: string; raw?: string } = {}) {
  const trace = randomBytes(16).toString('hex');
  sent.set(trace, kind);
  const token = options.token === undefined ? goodToken() : options.token;
  if (token) rememberSecret(token);
  rememberTexts(body);
  const res = await fetch(`http://127.0.0.1:${events.port}/`, {
    method: options.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      traceparent: `00-${trace}-${randomBytes(8).toString('hex')}-01`,
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: options.method === 'GET' ? undefined : (options.raw ?? JSON.stringify(body)),
  });
  await res.arrayBuffer();
  return { trace, status: res.status };
}

const until = <T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000) =>
  waitFor(what, fn, timeoutMs, () => `worker logs: ${JSON.stringify(worker.logs().slice(-8))}`);

/** /report in a new space the local Chat API knows; resolves with its job id. */
async function report(kind: string, setUp: (space: string) => void = () => undefined): Promise<string> {
  const space = newSpace();
  const name = String(space.name);
  api.addSpace({ name });
  setUp(name);
  const event = slashCommandEvent(space, 4, '/report');
  api.postUserMessage({ space: name, sender: ADA, text: '/report', threadName: (event.thread as { name: string }).name });
  expect((await send(kind, event)).status).toBe(200);
  const jobs = await db.collection(JOBS).where('space', '==', name).get();
  expect(jobs.size).toBe(1);
  return jobs.docs[0].id;
}

const jobStatus = async (jobId: string) => (await db.collection(JOBS).doc(jobId).get()).get('status') as string | undefined;

test('each log-based metric counts exactly the lines of the events it is for', async () => {
  // A GET (as a health check would send) is logged but counted by no metric; lines up to its
  // line are not part of the scenario.
  await fetch(`http://127.0.0.1:${events.port}/`, { method: 'GET' });
  await until("the health check's line", () => events.logs().some((l) => l.message === 'chat event') || undefined, 10_000);
  from = { events: events.logs().length, worker: worker.logs().length };
  // ── the scenario ──
  const space = newSpace();
  await send('new', addedEvent(space));
  const about = slashCommandEvent(space, 1, '/about');
  await send('new', about);
  await send('bad-token', about, { token: signer.sign(chatTokenClaims('project-number', '999999999999')) });
  await send('bad-token', about, { token: 'not-a-jwt' });
  await send('bad-token', about, { token: null });
  await send('bad-request', { hello: 'not a Chat event' });
  await send('method', undefined, { method: 'GET', token: null });
  // Concurrent copies of one delivery: one runs it, the others wait for or replay its answer.
  const poll = slashCommandEvent(space, 3, '/poll', '"Lunch?" "Pizza" "Sushi"');
  const copies = await Promise.all(Array.from({ length: 4 }, () => send('copy', poll)));
  await send('repeat', poll); // the first has finished: answered from its stored answer

  const done = await report('new');
  const quota = await report('new', () => api.injectFault({ method: 'create', count: 2, status: 429 }));
  const denied = await report('new', (name) => api.setAppMembership(name, false));
  await pubsub.pubsub.topic(TOPIC).publishMessage({ data: Buffer.from('not json at all') });
  await until('the jobs to finish', async () =>
    (await jobStatus(done)) === 'DONE' && (await jobStatus(quota)) === 'DONE' && (await jobStatus(denied)) === 'FAILED' ? true : undefined,
  );
  // The worker writes a job's last line just after the job's end is committed: wait for the lines too.
  await until('their last lines', () => [done, quota, denied].every((id) => worker.logs().some((l) => l.jobId === id && ['done', 'failed'].includes(String(l.outcome)))) || undefined);
  await until('the malformed message', () => worker.logs().some((l) => l.outcome === 'malformed') || undefined);
  await until('all request lines', () => traced(eventsEntries()).size >= sent.size || undefined, 10_000).catch((e) => {
    const seen = traced(eventsEntries());
    throw new Error(`${e}\nmissing: ${JSON.stringify([...sent].filter(([t]) => !seen.has(t)))}\nlines: ${JSON.stringify(eventsEntries().slice(-30).map((x) => x.jsonPayload))}`);
  });

  // ── the filters ──
  const filters = new TerraformEvaluator(tf, { project_id: projectId, chat_audience_mode: 'endpoint-url' }).local('log_filters') as Record<string, string>;
  const all = [...eventsEntries(), ...workerEntries()];
  const matching = (name: string) => all.filter((e) => filterMatches(filters[name], e));
  const tracesOf = (kind: string) => [...sent].filter(([, k]) => k === kind).map(([t]) => t).sort();

  // Rejected tokens: the three requests with a bad or missing token, not the request that is not an event or the GET.
  expect([...traced(matching('rejected_tokens')).keys()].sort()).toEqual(tracesOf('bad-token'));

  // Replayed deliveries: the repeat, and every concurrent copy but the one that ran (or got 503).
  const replayed = traced(matching('replayed_deliveries'));
  const copyTraces = copies.map((c) => c.trace);
  expect([...replayed.keys()].filter((t) => !copyTraces.includes(t))).toEqual(tracesOf('repeat'));
  expect(copyTraces.filter((t) => replayed.has(t))).toHaveLength(copies.filter((c) => c.status === 200).length - 1);

  // Answer latency: one value per request, every request, nothing else.
  const latency = matching('answer_latency');
  expect(latency).toHaveLength(sent.size);
  expect([...traced(latency).keys()].sort()).toEqual([...sent.keys()].sort());
  const latencyMetric = metric('answer_latency');
  for (const e of latency) {
    expect(typeof extract(latencyMetric.valueExtractor!, e)).toBe('number');
    expect(extract(latencyMetric.labelExtractors.outcome, e)).toEqual(expect.any(String));
  }

  // Job attempts: worker lines only, at least one per job and the malformed message, ending as Firestore says.
  const attempts = matching('job_attempts');
  expect(attempts.every((e) => e.resource.labels.service_name === 'chat-worker')).toBe(true);
  const outcomes = (jobId: string) => attempts.filter((e) => e.jsonPayload.jobId === jobId).map((e) => extract(metric('job_attempts').labelExtractors.outcome, e));
  for (const e of attempts) expect(extract(metric('job_attempts').labelExtractors.kind, e) ?? 'none').toEqual(expect.any(String));
  // A redelivery after the end (Pub/Sub got the ack late) is a duplicate; the last other outcome is the end.
  const end = (jobId: string) => outcomes(jobId).filter((o) => o !== 'duplicate').at(-1);
  expect(end(done)).toBe('done');
  expect(end(quota)).toBe('done');
  expect(end(denied)).toBe('failed');
  expect(attempts.filter((e) => e.jsonPayload.jobId === undefined).map((e) => e.jsonPayload.outcome)).toContain('malformed');
  expect(worker.logs().filter((l) => l.message === 'chat api error').length).toBeGreaterThan(0); // seen, and not counted as attempts

  // Chat API 429s: one line per 429 the local Chat API answered; the 403 is not one of them.
  const answered429 = api.calls().filter((c) => c.status === 429).length;
  expect(answered429).toBe(2);
  expect(matching('chat_api_429')).toHaveLength(answered429);
  expect(api.calls().some((c) => c.status === 403)).toBe(true);
});

test('every log-based metric reads its filter from local.log_filters, and every filter is used', () => {
  const metrics = logMetricsOf(tf);
  for (const m of metrics) expect(m.name).toBe(`chat_app/${m.key}`);
  expect(metrics.map((m) => m.key).sort()).toEqual(Object.keys(tf.locals.log_filters as object).sort());
  const filters = new TerraformEvaluator(tf, { project_id: projectId, chat_audience_mode: 'endpoint-url' }).local('log_filters') as Record<string, string>;
  for (const filter of Object.values(filters)) expect(() => parseQuery(filter)).not.toThrow();
});

let from = { events: 0, worker: 0 };
const eventsEntries = () => structured(events, from.events).map((l) => ingest(l, 'chat-events', projectId));
const workerEntries = () => structured(worker, from.worker).map((l) => ingest(l, 'chat-worker', projectId));
/** The JSON lines a function process wrote since `start` (its stderr and non-JSON output are kept apart by the helper). */
const structured = (fn: FunctionProcess, start: number) => fn.logs().slice(start).filter((l) => typeof l.severity === 'string');

/** Entries by the trace id of the request they belong to; a second line for one request fails. */
function traced(entries: LogEntry[]): Map<string, LogEntry> {
  const byTrace = new Map<string, LogEntry>();
  for (const e of entries.filter((x) => x.jsonPayload.message === 'chat event')) {
    const id = /\/traces\/([0-9a-f]{32})$/.exec(e.trace ?? '')?.[1];
    if (!id || !sent.has(id)) throw new Error(`a chat event line without a trace the test sent: ${JSON.stringify(e)}`);
    if (byTrace.has(id)) throw new Error(`two chat event lines for trace ${id}`);
    byTrace.set(id, e);
  }
  return byTrace;
}

const metric = (key: string): LogMetric => {
  const found = logMetricsOf(tf).find((m) => m.key === key);
  if (!found) throw new Error(`no log metric ${key}`);
  return found;
};
