/**
 * Handing a job to the worker (`enqueue`), against the Firestore and Pub/Sub emulators: the job
 * document and the message the worker receives, what a repeat of the same request does, and a
 * publish that fails. Observed as the worker would: through a subscription on the jobs topic.
 */
import { PubSub, type Message, type Subscription } from '@google-cloud/pubsub';
import { JOBS, isJobId, jobIdFor } from '../../shared/jobs/model';
import { createJobQueue, lazyPubSub, originOf } from '../../shared/jobs/queue';
import { lazyFirestore } from '../../shared/stores/firestore';
import { addedEvent, cardClickedEvent, messageEvent, newSpace, normalized, randomProjectId } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';
import { until } from '../helpers/until';

const projectId = randomProjectId('enqueue');
const db = testFirestore(projectId);
const firestore = lazyFirestore(projectId);
const pubsub = new PubSub({ projectId });
const TOPIC = 'enqueue-jobs';
const TTL = 3600_000;
const queue = createJobQueue({ firestore, pubsub: lazyPubSub(projectId), topic: TOPIC, ttlMs: TTL });
const origin = { space: 'spaces/ENQ', thread: 'spaces/ENQ/threads/T1', user: 'users/1111' };
let subscription: Subscription;
const received: Message[] = [];

beforeAll(async () => {
  const [topic] = await pubsub.createTopic(TOPIC);
  [subscription] = await topic.createSubscription(`${TOPIC}-sub`);
  subscription.on('message', (m: Message) => {
    received.push(m);
    m.ack();
  });
});
afterAll(async () => {
  await subscription?.close();
  await pubsub.close();
});

const jobDoc = async (jobId: string) => (await db.collection(JOBS).doc(jobId).get()).data()!;
const messagesOf = (jobId: string) => received.filter((m) => m.attributes.jobId === jobId);
let keys = 0;
const newKey = () => `enqueue-key-${keys++}`;

test('a job is stored QUEUED with its request and origin, and its message reaches the topic', async () => {
  const before = Date.now();
  const { jobId, published } = await queue.enqueue(origin, newKey(), { kind: 'report', args: { days: 30 } });
  expect(published).toBe(true);
  expect(isJobId(jobId)).toBe(true);
  const doc = await jobDoc(jobId);
  expect(doc).toMatchObject({ jobId, kind: 'report', args: { days: 30 }, ...origin, status: 'QUEUED', attempts: 0, leaseUntil: 0, replyMessage: null, error: null });
  const created = doc.createdAt.toMillis();
  expect(created).toBeGreaterThanOrEqual(before);
  // The document is deleted by Firestore's TTL policy one TTL after it was created.
  expect(doc.expireAt.toMillis() - created).toBe(TTL);
  const [m] = await until('the job message', () => (messagesOf(jobId).length ? messagesOf(jobId) : undefined));
  expect(JSON.parse(m.data.toString('utf8'))).toEqual({ jobId, kind: 'report' });
  expect(m.attributes).toEqual({ jobId, kind: 'report' });
});

test('a job without args gets empty args', async () => {
  const { jobId } = await queue.enqueue(origin, newKey(), { kind: 'report' });
  expect((await jobDoc(jobId)).args).toEqual({});
});

test('the same request and kind give the same job; another kind or another request, another job', async () => {
  const key = newKey();
  const first = await queue.enqueue(origin, key, { kind: 'report' });
  expect((await queue.enqueue(origin, key, { kind: 'report' })).jobId).toBe(first.jobId);
  expect((await queue.enqueue(origin, key, { kind: 'notify' })).jobId).not.toBe(first.jobId);
  expect((await queue.enqueue(origin, newKey(), { kind: 'report' })).jobId).not.toBe(first.jobId);
  expect(first.jobId).toBe(jobIdFor(key, 'report'));
});

test('a repeat of a request whose job is still QUEUED publishes it again (the first publish may have been lost)', async () => {
  const key = newKey();
  const { jobId } = await queue.enqueue(origin, key, { kind: 'report' });
  expect(await queue.enqueue(origin, key, { kind: 'report' })).toEqual({ jobId, published: true });
  await until('two messages of the job', () => messagesOf(jobId).length >= 2 || undefined);
  expect((await db.collection(JOBS).where('jobId', '==', jobId).get()).size).toBe(1);
});

test.each(['RUNNING', 'RETRY', 'DONE', 'FAILED'])('a repeat of a request whose job is %s is not published again', async (status) => {
  const key = newKey();
  const { jobId } = await queue.enqueue(origin, key, { kind: 'report' });
  await until('the first message', () => messagesOf(jobId).length === 1 || undefined);
  await db.collection(JOBS).doc(jobId).update({ status });
  expect(await queue.enqueue(origin, key, { kind: 'report', args: { changed: true } })).toEqual({ jobId, published: false });
  expect(await jobDoc(jobId)).toMatchObject({ status, args: {} });
  // Another job's message, published after: once it arrives, a second message of this job would have too.
  const { jobId: later } = await queue.enqueue(origin, newKey(), { kind: 'report' });
  await until('a later job message', () => messagesOf(later).length === 1 || undefined);
  expect(messagesOf(jobId)).toHaveLength(1);
});

test('a publish that fails is an error that asks for a retry (STORE_UNAVAILABLE); the retry completes the hand-off', async () => {
  const topicName = `enqueue-later-${Date.now()}`;
  const later = createJobQueue({ firestore, pubsub: lazyPubSub(projectId), topic: topicName, ttlMs: TTL });
  const key = newKey();
  const jobId = jobIdFor(key, 'report');
  // What the operator's log line shows: which job, and Pub/Sub's own error (the topic is missing).
  await expect(later.enqueue(origin, key, { kind: 'report' })).rejects.toMatchObject({
    name: 'AppError',
    code: 'STORE_UNAVAILABLE',
    message: expect.stringMatching(new RegExp(`^could not publish job ${jobId}: 5 NOT_FOUND`)),
    cause: expect.objectContaining({ code: 5 }),
  });
  expect(await jobDoc(jobId)).toMatchObject({ status: 'QUEUED' });
  await pubsub.createTopic(topicName);
  expect(await later.enqueue(origin, key, { kind: 'report' })).toEqual({ jobId, published: true });
});

test('a job the store refuses (over its 1 MiB document limit) is an error, and nothing is published', async () => {
  const key = newKey();
  await expect(queue.enqueue(origin, key, { kind: 'report', args: { text: 'x'.repeat(1_100_000) } })).rejects.toThrow();
  const jobId = jobIdFor(key, 'report');
  expect((await db.collection(JOBS).doc(jobId).get()).exists).toBe(false);
  const { jobId: later } = await queue.enqueue(origin, newKey(), { kind: 'report' });
  await until('a later job message', () => messagesOf(later).length === 1 || undefined);
  expect(messagesOf(jobId)).toEqual([]);
});

test("a job's reply goes to the thread of the interaction: the event's, else its message's; none for an event without one", () => {
  const space = newSpace();
  const origin = (body: Record<string, unknown>) => originOf(normalized(body));
  const message = messageEvent(space, 'hello there');
  expect(origin(message)).toEqual({ space: space.name, thread: (message.thread as { name: string }).name, user: 'users/1111' });
  // A click on a card carries its message's thread only.
  expect(origin(cardClickedEvent(space, 'vote')).thread).toBe(`${String(space.name)}/threads/T1`);
  expect(origin(addedEvent(space)).thread).toBeNull();
});
