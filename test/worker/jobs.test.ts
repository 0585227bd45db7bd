/**
 * Long tasks end to end: chatEvents (in-process) enqueues, the Pub/Sub emulator pushes to
 * chatWorker (the built code under the functions-framework, in its own process), and the
 * worker replies through the local Chat API. Exactly one reply message per job, always.
 */
import type { PubSub } from '@google-cloud/pubsub';
import { createAppRouter } from '../../functions/app';
import { startLocalChatApi, type LocalChatApi, type StoredMessage } from '../../local/chat-api';
import { JOBS, replyMessageId } from '../../shared/jobs/model';
import { ACTIVITY } from '../../shared/stores/activity';
import { SPACES } from '../../shared/stores/spaces';
import { FAILURE_TEXT } from '../../shared/jobs/worker';
import { ADA, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';
import { until as waitFor } from '../helpers/until';
import { createPushSubscription, jobTestWorkerEnv, startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

jest.setTimeout(90_000);

const projectId = randomProjectId('jobs');
const TOPIC = 'chat-jobs';
const db = testFirestore(projectId);
let api: LocalChatApi;
let worker: WorkerProcess;
let events: EventsServer;
let pubsub: { pubsub: PubSub; close(): Promise<void> };

beforeAll(async () => {
  api = await startLocalChatApi();
  worker = await startWorkerProcess(jobTestWorkerEnv(projectId, api.url, TOPIC));
  pubsub = await createPushSubscription(projectId, TOPIC, worker.port);
  events = await startEventsServer({ projectId, router: createAppRouter(), env: { JOBS_TOPIC: TOPIC, CHAT_EVENTS_URL: 'https://chat-app.example.com/' } });
});
afterAll(async () => {
  await events?.stop();
  await worker?.stop();
  await pubsub?.close();
  await api?.stop();
});

const until = <T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000) =>
  waitFor(what, fn, timeoutMs, () => `worker logs: ${JSON.stringify(worker.logs().slice(-8))}`);

/** What the app posted in the space (the people's own messages left out). */
const botMessages = (space: Record<string, unknown>) => api.messages(String(space.name)).filter((m) => m.sender.type === 'BOT');
const jobDoc = (jobId: string) => db.collection(JOBS).doc(jobId).get();
const finalMessage = (m: StoredMessage[]) => m.length > 0 && m[m.length - 1].cardsV2?.length ? m : undefined;

/** A space the app is in, with `days` days of activity recorded. */
async function spaceWithActivity(days: number) {
  const space = newSpace();
  api.addSpace({ name: String(space.name), displayName: 'Release team' });
  const id = String(space.name).slice('spaces/'.length);
  const batch = db.batch();
  for (let d = 0; d < days; d++) {
    const day = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
    // Each day's counters over two of its shards, as busy days are stored.
    const activity = db.collection(SPACES).doc(id).collection(ACTIVITY);
    batch.set(activity.doc(`${day}-0`), { day, total: 1, byRoute: { command_4: 1 }, byUser: { users_1111: 1 }, userNames: { users_1111: 'Ada Lovelace' } });
    batch.set(activity.doc(`${day}-7`), {
      day,
      total: 2,
      byRoute: { action_vote: 2 },
      byUser: { users_1111: 1, users_2222: 1 },
      userNames: { users_1111: 'Ada Lovelace', users_2222: 'Grace Hopper' },
    });
  }
  await batch.commit();
  return space;
}

/** Sends /report and returns the job id and the thread the reply must go to. */
async function report(space: Record<string, unknown>) {
  const event = slashCommandEvent(space, 4, '/report');
  const thread = (event.thread as { name: string }).name;
  // The person's message is in the space (and starts the thread) before the app sees it.
  api.postUserMessage({ space: String(space.name), sender: ADA, text: '/report', threadName: thread });
  const res = await events.post(event);
  expect(res.status).toBe(200);
  const log = events.logs.find((l) => l.route === 'command:4' && l.space === space.name);
  expect(log).toBeDefined();
  const doc = await db.collection(JOBS).where('space', '==', space.name).get();
  expect(doc.size).toBe(1);
  return { res, thread, jobId: doc.docs[0].id, event };
}

test('/report end to end: an immediate answer, then exactly one reply in the thread with the final card', async () => {
  const space = await spaceWithActivity(45);
  const { res, thread, jobId } = await report(space);
  expect(res.json).toEqual({ text: expect.stringContaining('Working on the activity report') });

  const messages = await until('the final report', () => finalMessage(botMessages(space)));
  expect(messages).toHaveLength(1);
  const [m] = messages;
  expect(m.threadName).toBe(thread);
  expect(m.clientAssignedMessageId).toBe(replyMessageId(jobId));
  // 45 seeded days; the /report command itself may be counted too (today), depending on whether
  // its delivery completed before the worker read the activity.
  expect(m.text).toMatch(/^📊 Activity report: 13[56] interactions over 4[56] days\.$/);
  expect(JSON.stringify(m.cardsV2)).toContain('Ada Lovelace');
  expect(JSON.stringify(m.cardsV2)).toContain('/report');
  // Progress was shown while paging (45 days, 20 a page): the message was updated, not duplicated.
  expect(m.updateCount).toBeGreaterThanOrEqual(2);
  await until('job done', async () => ((await jobDoc(jobId)).get('status') === 'DONE' ? true : undefined));
  expect((await jobDoc(jobId)).data()).toMatchObject({ attempts: 1, replyMessage: expect.stringContaining(String(space.name)) });
});

test('a redelivered event does not enqueue a second job; the same job published 5 times leaves one message', async () => {
  const space = await spaceWithActivity(3);
  const { jobId, event } = await report(space);
  await until('job done', async () => (await jobDoc(jobId)).get('status') === 'DONE');
  expect((await events.post(event)).status).toBe(200);

  const topic = pubsub.pubsub.topic(TOPIC);
  await Promise.all(Array.from({ length: 5 }, () => topic.publishMessage({ json: { jobId, kind: 'report' }, attributes: { jobId } })));
  await until('the redeliveries to be acknowledged', () =>
    worker.logs().filter((l) => l.jobId === jobId && l.outcome === 'duplicate').length >= 5 ? true : undefined,
  );
  expect(botMessages(space)).toHaveLength(1);
  expect((await db.collection(JOBS).where('space', '==', space.name).get()).size).toBe(1);
});

test('the worker dies after its first progress update; the redelivered job finishes the same message', async () => {
  const space = await spaceWithActivity(45);
  // The second write (the first patch) hangs: the worker is killed while it waits.
  api.injectFault({ method: 'patch', count: 1, hangMs: 30_000 });
  const { jobId } = await report(space);
  // The fault is taken as the patch arrives; the call log records a call only once it ends, which for
  // this one is the worker's own timeout (15 s), after which it retries and may finish before the kill.
  await until('a hanging patch', () => (api.faults().length === 0 ? true : undefined));
  await worker.kill();
  api.clearFaults();
  expect(botMessages(space)).toHaveLength(1);
  await worker.start();

  const messages = await until('the final report after the crash', () => finalMessage(botMessages(space)));
  expect(messages).toHaveLength(1);
  expect(messages[0].text).toMatch(/13[56] interactions/);
  await until('job done', async () => ((await jobDoc(jobId)).get('status') === 'DONE' ? true : undefined));
  expect((await jobDoc(jobId)).get('attempts')).toBe(2);
});

test('three 429s then success: the job completes with one message', async () => {
  const space = await spaceWithActivity(2);
  api.injectFault({ method: 'create', count: 3, status: 429 });
  const { jobId } = await report(space);
  const messages = await until('the final report after 429s', () => finalMessage(botMessages(space)));
  expect(messages).toHaveLength(1);
  expect(api.calls().filter((c) => c.space === space.name && c.status === 429)).toHaveLength(3);
  await until('job done', async () => ((await jobDoc(jobId)).get('status') === 'DONE' ? true : undefined));
});

test('a 403 (the app is not a member): FAILED, no further attempts', async () => {
  const space = await spaceWithActivity(2);
  api.setAppMembership(String(space.name), false);
  const { jobId } = await report(space);
  await until('job failed', async () => ((await jobDoc(jobId)).get('status') === 'FAILED' ? true : undefined));
  await new Promise((r) => setTimeout(r, 2000));
  const job = (await jobDoc(jobId)).data()!;
  expect(job).toMatchObject({ status: 'FAILED', attempts: 1 });
  expect(job.error).toContain('403');
  expect(api.calls().filter((c) => c.space === space.name)).toHaveLength(1);
});

test('attempts exhausted: FAILED, and the failure message in the thread', async () => {
  const space = await spaceWithActivity(2);
  // 3 attempts × 3 in-process tries each: every create fails, then the failure notice gets through.
  api.injectFault({ method: 'create', count: 9, status: 500 });
  const { jobId, thread } = await report(space);
  await until('job failed', async () => ((await jobDoc(jobId)).get('status') === 'FAILED' ? true : undefined), 60_000);
  const messages = await until('the failure message', () => (botMessages(space).length ? botMessages(space) : undefined));
  expect(messages).toHaveLength(1);
  expect(messages[0].text).toBe(FAILURE_TEXT);
  expect(messages[0].threadName).toBe(thread);
  expect((await jobDoc(jobId)).get('attempts')).toBe(3);
});

test.each([
  { write: 'the reply', fault: { method: 'create' as const, count: 1, status: 400 }, days: 2 },
  { write: 'a progress update, after "Building…" was shown', fault: { method: 'patch' as const, count: 1, status: 400 }, days: 45 },
])('a 4xx from the Chat API on $write: FAILED, and the failure message replaces it in the same one reply', async ({ fault, days }) => {
  const space = await spaceWithActivity(days);
  api.injectFault(fault);
  const { jobId, thread } = await report(space);
  await until('job failed', async () => ((await jobDoc(jobId)).get('status') === 'FAILED' ? true : undefined));
  const messages = await until('the failure message', () => (botMessages(space).some((m) => m.text === FAILURE_TEXT) ? botMessages(space) : undefined));
  expect(messages).toHaveLength(1);
  expect(messages[0].threadName).toBe(thread);
  expect(messages[0].clientAssignedMessageId).toBe(replyMessageId(jobId));
  expect((await jobDoc(jobId)).get('attempts')).toBe(1);
});

test('a report with 150 open polls: the list ends with "and N more" and the card stays inside Chat limits', async () => {
  const space = await spaceWithActivity(2);
  const polls = db.collection(SPACES).doc(String(space.name).slice('spaces/'.length)).collection('polls');
  const batch = db.batch();
  for (let i = 0; i < 150; i++) batch.set(polls.doc(`p${String(i).padStart(19, '0')}`), { question: `Poll ${i}: ${'which option is best? '.repeat(8)}`, closed: false, votes: {} });
  await batch.commit();
  const { jobId } = await report(space);
  await until('job done', async () => ((await jobDoc(jobId)).get('status') === 'DONE' ? true : undefined));
  const [m] = botMessages(space);
  expect(m.text).not.toBe(FAILURE_TEXT);
  expect(JSON.stringify(m.cardsV2)).toMatch(/and \d+ more/);
  // The local Chat API refuses a body over Chat's limits with a 400: none was sent.
  expect(api.calls().filter((c) => c.space === space.name && c.status === 400)).toEqual([]);
});

test('a malformed Pub/Sub message is acknowledged and logged; the worker keeps running', async () => {
  const topic = pubsub.pubsub.topic(TOPIC);
  const errors = () => worker.logs().filter((l) => l.severity === 'ERROR').length;
  const errorsBefore = errors();
  await topic.publishMessage({ data: Buffer.from('not json at all') });
  await topic.publishMessage({ json: { jobId: '../../etc' } });
  await until('two malformed messages logged', () =>
    worker.logs().filter((l) => l.message === 'job attempt' && l.outcome === 'malformed').length >= 2 ? true : undefined,
  );
  expect(worker.logs().filter((l) => l.message === 'job attempt' && l.outcome === 'malformed').map((l) => l.detail)).toEqual(
    expect.arrayContaining(['message data is not base64 JSON', 'message has no valid jobId']),
  );
  expect(errors()).toBe(errorsBefore);
  // Still the same process, still serving.
  expect(() => process.kill(worker.pid()!, 0)).not.toThrow();
  await expect(fetch(`http://127.0.0.1:${worker.port}/`, { method: 'GET' })).resolves.toBeInstanceOf(Response);
});

test('an incoming webhook post reaches the space through the worker as one new message', async () => {
  const space = newSpace();
  api.addSpace({ name: String(space.name) });
  const created = await events.post(slashCommandEvent(space, 5, '/notify'));
  const text = (created.json as { text: string }).text;
  const hookPath = /URL: \S+?(\/webhooks\/\S+)/.exec(text)![1];
  const secret = /Secret: `([^`]+)`/.exec(text)![1];
  const res = await fetch(new URL(hookPath.slice(1), events.webhooksUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-secret': secret },
    body: JSON.stringify({ text: 'Deploy 42 finished', title: 'CI', url: 'https://ci.example.com/42' }),
  });
  expect(res.status).toBe(202);
  const messages = await until('the webhook message', () => (botMessages(space).length ? botMessages(space) : undefined));
  expect(messages).toHaveLength(1);
  // The text where Chat renders its markup (the title in bold), the URL as an Open button.
  expect(messages[0].text).toBe('*CI*\nDeploy 42 finished');
  expect(JSON.stringify(messages[0].cardsV2)).toContain('https://ci.example.com/42');
});
