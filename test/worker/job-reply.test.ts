/**
 * What a job's one reply shows, and how a job ends when its attempts are used up: `chatWorker`
 * in-process (the real job store on the Firestore emulator, the Chat API client on the local Chat
 * API), as in job-attempts.test.ts. What is observable: the message in the space, the job document,
 * whether the delivery is acknowledged, and what the operator's log says when something is replaced
 * or cannot be posted.
 */
import type { CloudEvent } from '@google-cloud/functions-framework';
import { PubSub } from '@google-cloud/pubsub';
import { startLocalChatApi, type LocalChatApi } from '../../local/chat-api';
import { createChatApi } from '../../shared/chat-api/client';
import { JOBS } from '../../shared/jobs/model';
import { JobReply } from '../../shared/jobs/reply';
import { createJobWorker, FAILURE_TEXT, type Task } from '../../shared/jobs/worker';
import { card, section, textParagraph, withId } from '../../shared/replies/cards';
import { loopbackFetch } from '../chat-api/loopback-fetch';
import { jobsTestbed } from '../helpers/jobs-testbed';

jest.setTimeout(30_000);

const TOPIC = 'reply-jobs';
const { projectId, db, firestore, lines, log, jobs, queue } = jobsTestbed('jobreply', TOPIC);
const MAX_ATTEMPTS = 2;
let api: LocalChatApi;

const cardOf = (widgets: number) => withId('result', card({ title: 'Result', sections: [section(Array.from({ length: widgets }, (_, i) => textParagraph(`row ${i}`)))] }));
/** `widgets: N` answers a card of N widgets under the text. */
const tasks: Record<string, Task> = {
  card: async (job) => ({ text: 'Here is the result', cardsV2: [cardOf(Number(job.args.widgets))] }),
};

const chat = () => createChatApi({ rootUrl: api.url, timeoutMs: 5000, fetchImplementation: loopbackFetch });
let chatWorker: ReturnType<typeof createJobWorker>;

beforeAll(async () => {
  api = await startLocalChatApi();
  chatWorker = createJobWorker({
    projectId, firestore, jobs, chat: chat(), tasks, log, maxAttempts: MAX_ATTEMPTS, leaseMs: 1500, progressIntervalMs: 0, retry: { attempts: 2, sleep: async () => undefined },
  });
  await new PubSub({ projectId }).createTopic(TOPIC);
});
afterAll(() => api?.stop());
beforeEach(() => {
  lines.length = 0;
});

let n = 0;
let keys = 0;
async function newJob(kind: string, args: Record<string, number> = {}, inSpace?: string) {
  const space = inSpace ?? `spaces/JOBREPLY${n++}`;
  if (!inSpace) api.addSpace({ name: space });
  const { jobId } = await queue.enqueue({ space, thread: null, user: 'users/1111' }, `reply-key-${keys++}`, { kind, args });
  return { space, jobId };
}
const deliver = (jobId: string) =>
  chatWorker({ id: 'e1', specversion: '1.0', type: 'google.cloud.pubsub.topic.v1.messagePublished', source: 'test', data: { message: { data: Buffer.from(JSON.stringify({ jobId })).toString('base64') } } } as CloudEvent<unknown>);
const appMessages = (space: string) => api.messages(space).filter((m) => m.sender.type === 'BOT');
const jobDoc = async (jobId: string) => (await db.collection(JOBS).doc(jobId).get()).data()!;
type Shown = { text?: string; cardsV2?: { card: { sections: { widgets: unknown[] }[] } }[] };
const widgetCounts = (m: Shown) => (m.cardsV2 ?? []).map((c) => c.card.sections.reduce((k, s) => k + s.widgets.length, 0));

test('two jobs in one space: each its own reply, with its own result (the create of one is never taken for the other)', async () => {
  const first = await newJob('card', { widgets: 1 });
  const second = await newJob('card', { widgets: 2 }, first.space);
  await expect(deliver(first.jobId)).resolves.toBeUndefined();
  await expect(deliver(second.jobId)).resolves.toBeUndefined();
  expect((appMessages(first.space) as Shown[]).map(widgetCounts)).toEqual([[1], [2]]);
  expect((await jobDoc(first.jobId)).replyMessage).not.toBe((await jobDoc(second.jobId)).replyMessage);
});

describe("a job's result at Chat's card limit", () => {
  test('a result with a card of exactly 100 widgets: the reply shows the text and the card', async () => {
    const { space, jobId } = await newJob('card', { widgets: 100 });
    await expect(deliver(jobId)).resolves.toBeUndefined();
    const [m, ...more] = appMessages(space) as Shown[];
    expect(more).toEqual([]);
    expect(m.text).toBe('Here is the result');
    expect(widgetCounts(m)).toEqual([100]);
    expect(await jobDoc(jobId)).toMatchObject({ status: 'DONE' });
  });

  test('one widget over: the reply is the "too large" notice instead (no card), the job is DONE, and the operator is told why', async () => {
    const { space, jobId } = await newJob('card', { widgets: 101 });
    await expect(deliver(jobId)).resolves.toBeUndefined();
    const [m, ...more] = appMessages(space) as Shown[];
    expect(more).toEqual([]);
    expect(m.text).toMatch(/too large for Google Chat/);
    expect(m.cardsV2 ?? []).toEqual([]);
    expect(await jobDoc(jobId)).toMatchObject({ status: 'DONE' });
    expect(lines.filter((l) => l.severity === 'ERROR')).toMatchObject([{ message: expect.stringMatching(/limits/), violation: expect.stringContaining('101 widgets') }]);
  });
});

test('progress exactly one interval after the last write is shown; progress inside it is not', async () => {
  const { space, jobId } = await newJob('card');
  const claim = await jobs.claim(jobId, { maxAttempts: MAX_ATTEMPTS, leaseMs: 1500 });
  if (claim.outcome !== 'run') throw new Error(`expected a claim, got ${claim.outcome}`);
  let clock = 10_000;
  const reply = new JobReply(chat(), jobs, claim.job, { progressIntervalMs: 1000, now: () => clock });
  await reply.progress('Step one');
  clock += 1000;
  await reply.progress('Step two');
  expect(appMessages(space)).toMatchObject([{ text: 'Step two' }]);
  clock += 999;
  await reply.progress('Step three');
  expect(appMessages(space)).toMatchObject([{ text: 'Step two', updateCount: 1 }]);
});

describe('attempts used up by attempts that died (no error recorded: each lost its lease)', () => {
  const diedOnLastAttempt = (jobId: string) => db.collection(JOBS).doc(jobId).update({ status: 'RUNNING', attempts: MAX_ATTEMPTS, leaseUntil: 1 });

  test('the job is FAILED with "attempts exhausted" as its error, and the thread is told', async () => {
    const { space, jobId } = await newJob('card', { widgets: 1 });
    await diedOnLastAttempt(jobId);
    await expect(deliver(jobId)).resolves.toBeUndefined();
    expect(await jobDoc(jobId)).toMatchObject({ status: 'FAILED', attempts: MAX_ATTEMPTS, error: 'attempts exhausted' });
    expect(appMessages(space)).toMatchObject([{ text: FAILURE_TEXT }]);
  });

  test('the failure notice cannot be posted either (5xx on every try): still FAILED, acknowledged, and the operator is told why', async () => {
    const { space, jobId } = await newJob('card', { widgets: 1 });
    await diedOnLastAttempt(jobId);
    api.injectFault({ method: 'create', count: 2, status: 503 });
    await expect(deliver(jobId)).resolves.toBeUndefined();
    expect(await jobDoc(jobId)).toMatchObject({ status: 'FAILED', error: 'attempts exhausted' });
    expect(appMessages(space)).toEqual([]);
    // Besides the failed calls themselves (logged by the Chat API client), one line says what it cost.
    expect(lines.filter((l) => l.severity === 'WARNING' && l.message !== 'chat api error')).toMatchObject([
      { message: expect.stringMatching(/failure message/), error: expect.stringContaining('503') },
    ]);
  });
});
