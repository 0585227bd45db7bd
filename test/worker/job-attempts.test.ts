/**
 * One job's deliveries, each outcome of an attempt: `chatWorker` in-process (the worker the
 * deployed function wires, with the real job store on the Firestore emulator and the Chat API client
 * on the local Chat API), fed Pub/Sub deliveries as the functions-framework hands them over. What is
 * observable: the messages in the space, the job document, whether the delivery is acknowledged
 * (resolves) or redelivered (rejects), and the `job attempt` log line. The end-to-end path (the
 * built worker in its own process, pushed to by the Pub/Sub emulator) is in jobs.test.ts.
 */
import type { CloudEvent } from '@google-cloud/functions-framework';
import { PubSub } from '@google-cloud/pubsub';
import { create as createDomain } from 'node:domain';
import { startLocalChatApi, type LocalChatApi } from '../../local/chat-api';
import { createChatApi } from '../../shared/chat-api/client';
import { JOBS, replyMessageId, replyRequestId, type JobRecord } from '../../shared/jobs/model';
import type { JobStore } from '../../shared/jobs/store';
import { createJobWorker, FAILURE_TEXT, type JobOutcome, type Task } from '../../shared/jobs/worker';
import { ChatApiError } from '../../shared/errors';
import { loopbackFetch } from '../chat-api/loopback-fetch';
import { jobsTestbed } from '../helpers/jobs-testbed';

jest.setTimeout(30_000);

const TOPIC = 'attempt-jobs';
const { projectId, db, firestore, lines, log, jobs, queue } = jobsTestbed('attempts', TOPIC);
const LEASE = 1500;
const MAX_ATTEMPTS = 2;
let api: LocalChatApi;
let runs: string[] = [];
let releaseStale: () => void = () => undefined;
let staleGate = Promise.resolve();
let seenJobs: JobRecord[] = [];
const domains: unknown[] = [];

const tasks: Record<string, Task> = {
  echo: async (job) => {
    runs.push(job.jobId);
    seenJobs.push(job);
    return { text: `Result ${String(job.args.n)}` };
  },
  steps: async (job, ctx) => {
    runs.push(job.jobId);
    await ctx.progress('Step one of two');
    await ctx.progress('Step two of two');
    return { text: 'All steps finished' };
  },
  broken: async (job) => {
    runs.push(job.jobId);
    throw new Error('the task broke');
  },
  /** The first run waits for `releaseStale`, then answers (or fails for good); any later run answers at once. */
  stale: async (job) => {
    runs.push(job.jobId);
    if (runs.length > 1) return { text: 'Fresh result' };
    await staleGate;
    if (job.args.failing) throw new ChatApiError('400 on a call of the task', 400, false);
    return { text: 'Stale result' };
  },
  /** Records the `node:domain` it runs in (none, once the worker has left the framework's). */
  domain: async (job) => {
    runs.push(job.jobId);
    domains.push((process as { domain?: unknown }).domain);
    return { text: 'Domain checked' };
  },
  /** Runs for three leases: longer than any lease it is given. */
  slow: async (job) => {
    runs.push(job.jobId);
    await new Promise((r) => setTimeout(r, 3 * LEASE));
    return { text: 'Slow result ready' };
  },
};

const worker = (options: { progressIntervalMs?: number; store?: JobStore } = {}) =>
  createJobWorker({
    projectId,
    firestore,
    jobs: options.store ?? jobs,
    chat: createChatApi({ rootUrl: api.url, timeoutMs: 5000, fetchImplementation: loopbackFetch }),
    tasks,
    log,
    maxAttempts: MAX_ATTEMPTS,
    leaseMs: LEASE,
    progressIntervalMs: options.progressIntervalMs ?? 0,
    retry: { attempts: 2, sleep: async () => undefined },
  });
let chatWorker: ReturnType<typeof worker>;

beforeAll(async () => {
  api = await startLocalChatApi();
  chatWorker = worker();
  await new PubSub({ projectId }).createTopic(TOPIC);
});
afterAll(() => api?.stop());
beforeEach(() => {
  lines.length = 0;
  runs = [];
  seenJobs = [];
});

/**
 * What the operator reads on each outcome's line, whatever the test: its severity (alerts key on
 * ERROR), why in words, and, once a job was claimed, its kind and attempt.
 */
const OUTCOME_LINES: Record<JobOutcome, { severity: string; detail: RegExp; claimed: boolean }> = {
  done: { severity: 'INFO', detail: /^job done$/, claimed: true },
  retry: { severity: 'WARNING', detail: /will redeliver/, claimed: true },
  failed: { severity: 'ERROR', detail: /unknown job kind|failed permanently|failed on its last attempt/, claimed: true },
  exhausted: { severity: 'ERROR', detail: /attempts exhausted/, claimed: true },
  duplicate: { severity: 'INFO', detail: /already finished/, claimed: false },
  busy: { severity: 'INFO', detail: /running elsewhere/, claimed: false },
  missing: { severity: 'WARNING', detail: /not found/, claimed: false },
  malformed: { severity: 'WARNING', detail: /message|data|jobId/, claimed: false },
  superseded: { severity: 'WARNING', detail: /lost its lease/, claimed: true },
};
afterEach(() => {
  for (const line of lines.filter((l) => l.message === 'job attempt')) {
    const expected = OUTCOME_LINES[line.outcome as JobOutcome];
    expect(line).toMatchObject({ severity: expected.severity, detail: expect.stringMatching(expected.detail) });
    if (expected.claimed) expect(line).toMatchObject({ kind: expect.any(String), attempt: expect.any(Number) });
    if (line.latencyMs !== undefined) {
      expect(line.latencyMs).toBeGreaterThanOrEqual(0);
      expect(line.latencyMs).toBeLessThan(60_000);
    }
  }
});

let n = 0;
/** A space the app is in, and a job of `kind` enqueued there (as chatEvents does). */
async function newJob(kind: string, thread: string | null = null) {
  const space = `spaces/ATTEMPTS${n++}`;
  api.addSpace({ name: space });
  const { jobId } = await queue.enqueue({ space, thread, user: 'users/1111' }, `attempt-key-${n}`, { kind, args: { n } });
  return { space, jobId, n };
}

const pubsubEvent = (message: unknown): CloudEvent<unknown> =>
  ({ id: 'cloud-event-1', specversion: '1.0', type: 'google.cloud.pubsub.topic.v1.messagePublished', source: 'test', data: { message } }) as CloudEvent<unknown>;
const deliver = (jobId: string, w?: ReturnType<typeof worker>) =>
  (w ?? chatWorker)(pubsubEvent({ data: Buffer.from(JSON.stringify({ jobId, kind: 'any' })).toString('base64'), messageId: `pubsub-${jobId}` }));
const jobDoc = async (jobId: string) => (await db.collection(JOBS).doc(jobId).get()).data()!;
const appMessages = (space: string) => api.messages(space).filter((m) => m.sender.type === 'BOT');
const calls = (space: string) => api.calls().filter((c) => c.space === space).map((c) => `${c.method} ${c.status}`);
const outcomes = () => lines.filter((l) => l.message === 'job attempt').map((l) => l.outcome);

test('a job runs once: one reply with the answer, the job DONE after one attempt; a redelivery is acknowledged and writes nothing', async () => {
  const { space, jobId, n: arg } = await newJob('echo');
  await expect(deliver(jobId)).resolves.toBeUndefined();
  const [m, ...more] = appMessages(space);
  expect(more).toEqual([]);
  expect(m).toMatchObject({ text: `Result ${arg}`, clientAssignedMessageId: replyMessageId(jobId), updateCount: 0 });
  expect(await jobDoc(jobId)).toMatchObject({ status: 'DONE', attempts: 1, error: null, replyMessage: m.name });
  expect(lines.find((l) => l.outcome === 'done')).toMatchObject({ jobId, pubsubMessageId: `pubsub-${jobId}`, kind: 'echo', attempt: 1 });

  await expect(deliver(jobId)).resolves.toBeUndefined();
  expect(runs).toEqual([jobId]);
  expect(appMessages(space)).toHaveLength(1);
  expect(calls(space)).toEqual(['create 200']);
  // The operator reads why the redelivery did nothing.
  expect(lines.find((l) => l.outcome === 'duplicate')).toMatchObject({ jobId, status: 'DONE', severity: 'INFO', detail: expect.stringMatching(/already finished/) });
});

test('the reply goes to the thread the job names', async () => {
  const space = `spaces/ATTEMPTS${n++}`;
  api.addSpace({ name: space });
  const { threadName } = api.postUserMessage({ space, sender: { name: 'users/1111' }, text: 'start the job please' });
  const { jobId } = await queue.enqueue({ space, thread: threadName, user: 'users/1111' }, `attempt-key-thread-${n}`, { kind: 'echo', args: { n: 7 } });
  await deliver(jobId);
  expect(appMessages(space)).toMatchObject([{ threadName, threadReply: true, text: 'Result 7' }]);
});

test('every progress update is written when the interval allows it, into the same one message', async () => {
  const { space, jobId } = await newJob('steps');
  await deliver(jobId);
  expect(calls(space)).toEqual(['create 200', 'patch 200', 'patch 200']);
  expect(appMessages(space)).toMatchObject([{ text: 'All steps finished', updateCount: 2 }]);
});

test('progress inside the interval is skipped; the final answer is always written', async () => {
  const { space, jobId } = await newJob('steps');
  await deliver(jobId, worker({ progressIntervalMs: 3600_000 }));
  expect(calls(space)).toEqual(['create 200', 'patch 200']);
  expect(appMessages(space)).toMatchObject([{ text: 'All steps finished', updateCount: 1 }]);
});

test('an attempt that created the reply and died before recording it: the next one finds the same message and brings it up to date', async () => {
  const { space, jobId, n: arg } = await newJob('echo');
  // What the earlier attempt sent: its create, with the job's request id and message id.
  const chat = createChatApi({ rootUrl: api.url, fetchImplementation: loopbackFetch });
  await chat.createMessage({ parent: space, message: { text: 'Working on it' }, requestId: replyRequestId(jobId), messageId: replyMessageId(jobId), threadName: null });
  await deliver(jobId);
  // The second create is answered with the earlier attempt's message (same request id), then patched.
  expect(calls(space)).toEqual(['create 200', 'create 200', 'patch 200']);
  expect(appMessages(space)).toMatchObject([{ text: `Result ${arg}`, updateCount: 1 }]);
  expect((await jobDoc(jobId)).replyMessage).toMatch(new RegExp(`^${space}/messages/`));
});

test("the reply's id exists under another request id (Chat forgot the request [U]): the same message is patched, no second one", async () => {
  const { space, jobId, n: arg } = await newJob('echo');
  const chat = createChatApi({ rootUrl: api.url, fetchImplementation: loopbackFetch });
  await chat.createMessage({ parent: space, message: { text: 'Working on it' }, requestId: 'another-request', messageId: replyMessageId(jobId), threadName: null });
  await deliver(jobId);
  expect(calls(space)).toEqual(['create 200', 'create 409', 'patch 200']);
  expect(appMessages(space)).toMatchObject([{ text: `Result ${arg}`, updateCount: 1 }]);
  expect(await jobDoc(jobId)).toMatchObject({ status: 'DONE', replyMessage: `${space}/messages/${replyMessageId(jobId)}` });
});

test('the task fails: the delivery is refused (Pub/Sub redelivers) and the job is RETRY; on the last attempt it is FAILED and the thread is told', async () => {
  const { space, jobId } = await newJob('broken');
  await expect(deliver(jobId)).rejects.toThrow('the task broke');
  expect(await jobDoc(jobId)).toMatchObject({ status: 'RETRY', attempts: 1, error: 'the task broke', leaseUntil: 0 });
  expect(appMessages(space)).toEqual([]);
  expect(outcomes()).toEqual(['retry']);

  await expect(deliver(jobId)).resolves.toBeUndefined();
  expect(await jobDoc(jobId)).toMatchObject({ status: 'FAILED', attempts: MAX_ATTEMPTS, error: 'the task broke' });
  expect(appMessages(space)).toMatchObject([{ text: FAILURE_TEXT }]);
  expect(outcomes()).toEqual(['retry', 'failed']);
  expect(runs).toEqual([jobId, jobId]);
});

test('attempts used up before this delivery: the job is FAILED and the thread is told, without running the task', async () => {
  const { space, jobId } = await newJob('echo');
  await db.collection(JOBS).doc(jobId).update({ status: 'RETRY', attempts: MAX_ATTEMPTS, error: 'Chat API 503' });
  await expect(deliver(jobId)).resolves.toBeUndefined();
  expect(runs).toEqual([]);
  expect(await jobDoc(jobId)).toMatchObject({ status: 'FAILED', error: 'Chat API 503' });
  expect(appMessages(space)).toMatchObject([{ text: FAILURE_TEXT }]);
  expect(outcomes()).toEqual(['exhausted']);
});

test('a job of a kind this worker does not know: FAILED at once, and the thread is told', async () => {
  const { space, jobId } = await newJob('retired-kind');
  await expect(deliver(jobId)).resolves.toBeUndefined();
  expect(await jobDoc(jobId)).toMatchObject({ status: 'FAILED', attempts: 1, error: 'unknown kind retired-kind' });
  expect(appMessages(space)).toMatchObject([{ text: FAILURE_TEXT }]);
  expect(outcomes()).toEqual(['failed']);
});

test('a permanent 4xx on the reply: FAILED after one attempt, and the failure notice takes the same one reply', async () => {
  const { space, jobId } = await newJob('echo');
  api.injectFault({ method: 'create', count: 1, status: 400 });
  await expect(deliver(jobId)).resolves.toBeUndefined();
  expect(await jobDoc(jobId)).toMatchObject({ status: 'FAILED', attempts: 1, error: expect.stringContaining('400') });
  expect(appMessages(space)).toMatchObject([{ text: FAILURE_TEXT, clientAssignedMessageId: replyMessageId(jobId) }]);
});

test.each([
  { what: 'the app is not a member (403)', cut: (space: string) => api.setAppMembership(space, false), status: '403' },
  { what: 'the space is gone (404)', cut: (space: string) => api.removeSpace(space), status: '404' },
])('the space cannot be written to, $what: FAILED, acknowledged, and no failure notice is tried', async ({ cut, status }) => {
  const { space, jobId } = await newJob('echo');
  cut(space);
  await expect(deliver(jobId)).resolves.toBeUndefined();
  expect(await jobDoc(jobId)).toMatchObject({ status: 'FAILED', attempts: 1, error: expect.stringContaining(status) });
  expect(calls(space)).toEqual([`create ${status}`]);
});

test('a 5xx on every try of the reply: the delivery is refused and the job is RETRY, then FAILED with the notice once the API answers', async () => {
  const { space, jobId } = await newJob('echo');
  api.injectFault({ method: 'create', count: 2, status: 503 });
  await expect(deliver(jobId)).rejects.toThrow('503');
  expect(await jobDoc(jobId)).toMatchObject({ status: 'RETRY', attempts: 1 });
  api.injectFault({ method: 'create', count: 2, status: 503 });
  await expect(deliver(jobId)).resolves.toBeUndefined();
  expect(await jobDoc(jobId)).toMatchObject({ status: 'FAILED', attempts: 2, error: expect.stringContaining('503') });
  expect(appMessages(space)).toMatchObject([{ text: FAILURE_TEXT }]);
});

test('a job that is not there (expired, or its space removed) is acknowledged and nothing runs', async () => {
  await expect(deliver('0'.repeat(32))).resolves.toBeUndefined();
  expect(runs).toEqual([]);
  expect(lines.find((l) => l.message === 'job attempt')).toMatchObject({ outcome: 'missing', jobId: '0'.repeat(32), severity: 'WARNING', detail: expect.stringMatching(/not found/) });
});

test.each([
  { what: 'no message', message: undefined, detail: 'no Pub/Sub message in the event' },
  { what: 'a null message', message: null, detail: 'no Pub/Sub message in the event' },
  { what: 'data that is not JSON', message: { data: Buffer.from('{not json').toString('base64') }, detail: 'message data is not base64 JSON' },
  { what: 'no data and no attributes', message: {}, detail: 'message has no valid jobId' },
  { what: 'JSON null', message: { data: Buffer.from('null').toString('base64') }, detail: 'message has no valid jobId' },
  { what: 'a job id that is not one', message: { data: Buffer.from(JSON.stringify({ jobId: '../../etc/passwd' })).toString('base64') }, detail: 'message has no valid jobId' },
  ...['a'.repeat(31), 'a'.repeat(33), `../${'a'.repeat(32)}`, `${'a'.repeat(32)}/x`, 'A'.repeat(32), 'g'.repeat(32), 12345].map((jobId) => ({
    what: `the job id ${JSON.stringify(jobId)}`,
    message: { data: Buffer.from(JSON.stringify({ jobId })).toString('base64') },
    detail: 'message has no valid jobId',
  })),
])('a delivery with $what is acknowledged and logged as malformed, never retried', async ({ message, detail }) => {
  await expect(chatWorker(pubsubEvent(message))).resolves.toBeUndefined();
  expect(lines.filter((l) => l.message === 'job attempt')).toMatchObject([{ outcome: 'malformed', detail, cloudEventId: 'cloud-event-1', severity: 'WARNING' }]);
  expect(runs).toEqual([]);
});

test('the job id may come in the attributes alone, and the delivery id in snake_case (Eventarc [U])', async () => {
  const { space, jobId } = await newJob('echo');
  await chatWorker(pubsubEvent({ data: Buffer.from('{}').toString('base64'), attributes: { jobId }, message_id: 'snake-id' }));
  expect(appMessages(space)).toHaveLength(1);
  expect(lines.find((l) => l.outcome === 'done')).toMatchObject({ jobId, pubsubMessageId: 'snake-id' });
});

test('a message with attributes and no data (Pub/Sub allows it) runs the job they name', async () => {
  const { space, jobId } = await newJob('echo');
  await chatWorker(pubsubEvent({ attributes: { jobId }, messageId: 'no-data' }));
  expect(appMessages(space)).toHaveLength(1);
  expect(lines.find((l) => l.outcome === 'done')).toMatchObject({ jobId, pubsubMessageId: 'no-data' });
});

/** The job claimed by another attempt (RUNNING under its lease), renewed every 300 ms while `alive`. */
async function heldElsewhere(jobId: string, alive: boolean) {
  const claim = await jobs.claim(jobId, { maxAttempts: MAX_ATTEMPTS, leaseMs: LEASE });
  if (claim.outcome !== 'run') throw new Error(`expected a claim, got ${claim.outcome}`);
  const renewing = alive ? setInterval(() => void jobs.renewLease(claim.job as JobRecord, LEASE).catch(() => undefined), 300) : undefined;
  return () => clearInterval(renewing);
}

test('another attempt still renewing its lease: this delivery waits, then is refused for a later redelivery; the task does not run twice', async () => {
  const { space, jobId } = await newJob('echo');
  const stop = await heldElsewhere(jobId, true);
  try {
    await expect(deliver(jobId)).rejects.toThrow('running elsewhere');
  } finally {
    stop();
  }
  expect(runs).toEqual([]);
  expect(appMessages(space)).toEqual([]);
  expect(await jobDoc(jobId)).toMatchObject({ status: 'RUNNING', attempts: 1 });
  expect(outcomes()).toEqual(['busy']);
});

test('another attempt that died (its lease not renewed): this delivery waits out the lease and takes the job over', async () => {
  const { space, jobId, n: arg } = await newJob('echo');
  await heldElsewhere(jobId, false);
  await expect(deliver(jobId)).resolves.toBeUndefined();
  expect(await jobDoc(jobId)).toMatchObject({ status: 'DONE', attempts: 2 });
  expect(appMessages(space)).toMatchObject([{ text: `Result ${arg}` }]);
});

test('a holder that died with 500 ms of its lease left: one more claim just after that lease ends takes the job over, long before the wait would give up', async () => {
  const { space, jobId } = await newJob('echo');
  expect((await jobs.claim(jobId, { maxAttempts: MAX_ATTEMPTS, leaseMs: 500 })).outcome).toBe('run');
  const claims: { outcome: string; afterMs: number }[] = [];
  let started = 0;
  const counting: JobStore = {
    ...jobs,
    claim: async (id, options) => {
      const afterMs = Date.now() - started;
      const claim = await jobs.claim(id, options);
      claims.push({ outcome: claim.outcome, afterMs });
      return claim;
    },
  };
  started = Date.now();
  await expect(deliver(jobId, worker({ store: counting }))).resolves.toBeUndefined();
  expect(claims.map((c) => c.outcome)).toEqual(['busy', 'run']);
  // The second claim starts when that lease ends, plus 100 ms (about 450 ms in on a busy machine); the
  // wait would give up after two of this worker's leases (3 s).
  expect(claims[1].afterMs).toBeLessThan(LEASE);
  expect(appMessages(space)).toHaveLength(1);
});

test("the task runs outside the functions-framework's per-request domain (its hooks cost a quarter of a vote's CPU)", async () => {
  const { jobId } = await newJob('domain');
  domains.length = 0;
  const framework = createDomain();
  await framework.run(() => deliver(jobId));
  expect(runs).toEqual([jobId]);
  expect(domains).toEqual([undefined]);
});

test('a task longer than its lease keeps the job: a redelivery meanwhile does not run it again', async () => {
  const { space, jobId } = await newJob('slow');
  let renewals = 0;
  const renewing: JobStore = { ...jobs, renewLease: (job, leaseMs) => (renewals++, jobs.renewLease(job, leaseMs)) };
  const first = deliver(jobId, worker({ store: renewing }));
  await new Promise((r) => setTimeout(r, LEASE / 2));
  const second = deliver(jobId).catch(() => undefined);
  await expect(first).resolves.toBeUndefined();
  await second;
  // The redelivery was refused while the task ran (busy), or acknowledged after it (duplicate).
  expect(outcomes().filter((o) => o !== 'done')).toEqual([expect.stringMatching(/^(busy|duplicate)$/)]);
  expect(runs).toEqual([jobId]);
  expect(await jobDoc(jobId)).toMatchObject({ status: 'DONE', attempts: 1 });
  expect(appMessages(space)).toMatchObject([{ text: 'Slow result ready' }]);
  // Renewed every third of a lease while it ran for three (9 times), and while its reply is written:
  // a busy machine makes it fewer, never twice as many.
  expect(renewals).toBeGreaterThanOrEqual(1);
  expect(renewals).toBeLessThanOrEqual(12);
});

describe('an attempt that lost its lease while its task ran (its instance paused: no renewal) and finishes late', () => {
  test.each([
    ['with an answer', false],
    ['with a permanent failure', true],
  ])('%s: the reply keeps the answer of the attempt that took over, and the late one is logged as superseded, not done', async (_what, failing) => {
    staleGate = new Promise<void>((r) => (releaseStale = r));
    const space = `spaces/ATTEMPTS${n++}`;
    api.addSpace({ name: space });
    const { jobId } = await queue.enqueue({ space, thread: null, user: 'users/1111' }, `attempt-key-${n}`, { kind: 'stale', args: { failing } });
    // The paused instance cannot renew its lease.
    const paused = worker({ store: { ...jobs, renewLease: () => Promise.reject(new Error('instance paused')) } });
    const late = deliver(jobId, paused);
    while (runs.length === 0) await new Promise((r) => setTimeout(r, 20));
    // A redelivery waits out the lease, takes the job over and finishes it.
    await expect(deliver(jobId)).resolves.toBeUndefined();
    expect(appMessages(space)).toMatchObject([{ text: 'Fresh result' }]);
    releaseStale();
    await late.catch(() => undefined);
    expect(appMessages(space)).toMatchObject([{ text: 'Fresh result' }]);
    expect(await jobDoc(jobId)).toMatchObject({ status: 'DONE', attempts: 2 });
    expect(outcomes()).toEqual(['done', 'superseded']);
    // The operator is told each time the lease could not be renewed, and why.
    expect(lines.filter((l) => l.error === 'instance paused')).toContainEqual(expect.objectContaining({ severity: 'WARNING', message: expect.stringMatching(/renew the job lease/) }));
  });
});

test('the task gets the job as it was enqueued: its request, its origin, when it was asked', async () => {
  const { space, jobId, n: arg } = await newJob('echo');
  const stored = await jobDoc(jobId);
  await deliver(jobId);
  expect(seenJobs).toMatchObject([{ jobId, kind: 'echo', args: { n: arg }, space, thread: null, user: 'users/1111', status: 'RUNNING', attempts: 1 }]);
  const [job] = seenJobs;
  expect([job.createdAt.getTime(), job.expireAt.getTime()]).toEqual([stored.createdAt.toMillis(), stored.expireAt.toMillis()]);
  expect(job.updatedAt.getTime()).toBeGreaterThanOrEqual(job.createdAt.getTime());
});

test("every log line of an attempt carries the delivery's trace", async () => {
  const { jobId } = await newJob('echo');
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const event = pubsubEvent({ data: Buffer.from(JSON.stringify({ jobId })).toString('base64') });
  await chatWorker({ ...event, traceparent: `00-${traceId}-00f067aa0ba902b7-01` } as CloudEvent<unknown>);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line['logging.googleapis.com/trace']).toBe(`projects/${projectId}/traces/${traceId}`);
});
