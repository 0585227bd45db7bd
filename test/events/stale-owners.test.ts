/**
 * An attempt that lost its lease finishing late, against the Firestore emulator: the delivery
 * record and the job keep what the attempt that took over wrote, and the late attempt is told it
 * lost (so it writes nothing of its own). The clock is the stores' injected one, so a lease runs
 * out without waiting for it.
 */
import { PubSub } from '@google-cloud/pubsub';
import { createJobQueue, lazyPubSub } from '../../shared/jobs/queue';
import { createJobStore } from '../../shared/jobs/store';
import { lazyFirestore } from '../../shared/stores/firestore';
import { createDeliveryStore, DELIVERIES, type Claim, type ClaimResult } from '../../shared/stores/deliveries';
import { randomProjectId } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';

const projectId = randomProjectId('stale');
const db = testFirestore(projectId);
const firestore = lazyFirestore(projectId);
let clock = Date.now();
const now = () => clock;
const LEASE = 10_000;
const info = { space: 'spaces/S1', eventType: 'CARD_CLICKED' };
let keys = 0;
const newKey = () => `stale-key-${keys++}`;

const claimed = (r: ClaimResult): Claim => {
  if (r.outcome !== 'claimed') throw new Error(`expected a claim, got ${r.outcome}`);
  return r.claim;
};

describe('delivery records', () => {
  const store = createDeliveryStore(firestore, { leaseMs: LEASE, waitMs: 1000, ttlMs: 3600_000, pollMs: 20, now });
  const record = (key: string) => db.collection(DELIVERIES).doc(key).get();
  const marker = (key: string) => db.collection('markers').doc(key);
  const writes = (key: string, by: string) => ({ handler: (b: FirebaseFirestore.WriteBatch) => b.set(marker(key), { by }) });

  /** Attempt 1 claims, its lease runs out, attempt 2 takes the delivery over. */
  async function takenOver() {
    const key = newKey();
    const loser = claimed(await store.claim(key, info));
    clock += LEASE + 1;
    const winner = claimed(await store.claim(key, info));
    expect([loser.attempt, winner.attempt]).toEqual([1, 2]);
    return { key, loser, winner };
  }

  test('while the lease runs, a second attempt does not take over: it waits, then reports the delivery in flight', async () => {
    // The real clock here: the wait for the other attempt is bounded by it.
    const waiting = createDeliveryStore(firestore, { leaseMs: LEASE, waitMs: 300, ttlMs: 3600_000, pollMs: 20 });
    const key = newKey();
    claimed(await waiting.claim(key, info));
    expect(await waiting.claim(key, info)).toEqual({ outcome: 'inFlight' });
    expect((await record(key)).get('attempt')).toBe(1);
  });

  test('the late owner finishing after the winner is refused; the record keeps the winner\'s answer and writes', async () => {
    const { key, loser, winner } = await takenOver();
    expect(await store.complete(winner, 'winner', writes(key, 'winner'))).toBe(true);
    expect(await store.complete(loser, 'late', writes(key, 'late'))).toBe(false);
    expect((await record(key)).data()).toMatchObject({ status: 'DONE', response: 'winner', attempt: 2 });
    expect((await marker(key).get()).get('by')).toBe('winner');
  });

  test('the late owner finishing before the winner is refused too, and writes nothing; the winner still completes', async () => {
    const { key, loser, winner } = await takenOver();
    expect(await store.complete(loser, 'late', writes(key, 'late'))).toBe(false);
    expect((await record(key)).get('status')).toBe('RUNNING');
    expect((await marker(key).get()).exists).toBe(false);
    expect(await store.complete(winner, 'winner')).toBe(true);
    expect((await store.claim(key, info))).toMatchObject({ outcome: 'done', response: 'winner' });
  });

  test("the late owner releasing its claim leaves the winner's claim alone", async () => {
    const { key, loser, winner } = await takenOver();
    await store.release(loser);
    expect((await record(key)).get('attempt')).toBe(2);
    expect(await store.complete(winner, 'winner')).toBe(true);
  });

  test('a released claim is claimed afresh by the next attempt; completing the released one is refused', async () => {
    const key = newKey();
    const first = claimed(await store.claim(key, info));
    await store.release(first);
    expect((await record(key)).exists).toBe(false);
    const next = claimed(await store.claim(key, info));
    expect(await store.complete(first, 'released', writes(key, 'released'))).toBe(false);
    expect((await marker(key).get()).exists).toBe(false);
    expect(await store.complete(next, 'next')).toBe(true);
    expect((await record(key)).get('response')).toBe('next');
  });

  test('record() loses to an existing record and writes nothing; the first answer stays', async () => {
    const key = newKey();
    expect(await store.record(key, info, 'first', writes(key, 'first'))).toBe(true);
    expect(await store.record(key, info, 'second', writes(key, 'second'))).toBe(false);
    expect((await record(key)).data()).toMatchObject({ status: 'DONE', response: 'first', space: info.space, eventType: info.eventType });
    expect((await marker(key).get()).get('by')).toBe('first');
    const running = newKey();
    claimed(await store.claim(running, info));
    expect(await store.record(running, info, 'racing', writes(running, 'racing'))).toBe(false);
    expect((await marker(running).get()).exists).toBe(false);
  });

  test('counters for a space that is gone are left out; the answer and the handler writes still commit', async () => {
    const key = newKey();
    const gone = db.collection('spaces').doc(`gone-${key}`);
    const ok = await store.record(key, info, 'answer', {
      ...writes(key, 'handler'),
      counters: [(b) => b.update(gone, { total: 1 })],
    });
    expect(ok).toBe(true);
    expect((await record(key)).get('response')).toBe('answer');
    expect((await marker(key).get()).get('by')).toBe('handler');
    expect((await gone.get()).exists).toBe(false);
  });

  test('counters are tried in order: the first whose document exists commits, once', async () => {
    const key = newKey();
    const gone = db.collection('spaces').doc(`gone-${key}`);
    const there = db.collection('spaces').doc(`there-${key}`);
    await there.set({ total: 0 });
    const ok = await store.record(key, info, 'answer', {
      ...writes(key, 'handler'),
      counters: [(b) => b.update(gone, { total: 1 }), (b) => b.update(there, { total: 1 })],
    });
    expect(ok).toBe(true);
    expect((await gone.get()).exists).toBe(false);
    expect((await there.get()).get('total')).toBe(1);
    expect((await marker(key).get()).get('by')).toBe('handler');
  });
});

describe('jobs', () => {
  const jobs = createJobStore(firestore, now);
  const TOPIC = 'stale-jobs';
  const queue = createJobQueue({ firestore, pubsub: lazyPubSub(projectId), topic: TOPIC, ttlMs: 3600_000 });
  const origin = { space: 'spaces/S1', thread: null, user: 'users/1111' };
  beforeAll(async () => {
    await new PubSub({ projectId }).createTopic(TOPIC);
  });
  const jobDoc = async (jobId: string) => (await db.collection('jobs').doc(jobId).get()).data()!;
  const newJob = async () => (await queue.enqueue(origin, newKey(), { kind: 'report' })).jobId;
  const run = async (jobId: string, maxAttempts = 3) => {
    const c = await jobs.claim(jobId, { maxAttempts, leaseMs: LEASE });
    if (c.outcome !== 'run') throw new Error(`expected to run, got ${c.outcome}`);
    return c.job;
  };

  test('an attempt that lost its lease cannot finish the job; the attempt that took over can', async () => {
    const jobId = await newJob();
    const loser = await run(jobId);
    expect(await jobs.claim(jobId, { maxAttempts: 3, leaseMs: LEASE })).toEqual({ outcome: 'busy', leaseUntil: clock + LEASE });
    // A lease runs until leaseUntil, not through it: a claim at that very millisecond takes over.
    clock += LEASE;
    const winner = await run(jobId);
    expect([loser.attempts, winner.attempts]).toEqual([1, 2]);
    expect(await jobs.finish(loser, 'DONE')).toBe(false);
    expect(await jobs.finish(loser, 'RETRY', 'late')).toBe(false);
    expect(await jobDoc(jobId)).toMatchObject({ status: 'RUNNING', attempts: 2 });
    expect(await jobs.finish(winner, 'DONE')).toBe(true);
    expect(await jobs.finish(loser, 'FAILED', 'late')).toBe(false);
    expect(await jobDoc(jobId)).toMatchObject({ status: 'DONE', attempts: 2, error: null });
    expect(await jobs.claim(jobId, { maxAttempts: 3, leaseMs: LEASE })).toEqual({ outcome: 'finished', status: 'DONE' });
  });

  test('a failed attempt marked RETRY is claimed again at once, without waiting for its lease', async () => {
    const jobId = await newJob();
    const first = await run(jobId);
    expect(await jobs.finish(first, 'RETRY', 'Chat API 503')).toBe(true);
    expect(await jobDoc(jobId)).toMatchObject({ status: 'RETRY', error: 'Chat API 503', leaseUntil: 0 });
    expect((await run(jobId)).attempts).toBe(2);
  });

  test('when the attempts are used up the job is FAILED, keeping the last error', async () => {
    const jobId = await newJob();
    const only = await run(jobId, 1);
    expect(await jobs.finish(only, 'RETRY', 'boom')).toBe(true);
    const c = await jobs.claim(jobId, { maxAttempts: 1, leaseMs: LEASE });
    expect(c).toMatchObject({ outcome: 'exhausted', job: { status: 'FAILED', error: 'boom', attempts: 1 } });
    expect(await jobDoc(jobId)).toMatchObject({ status: 'FAILED', error: 'boom' });
    expect(await jobs.claim(jobId, { maxAttempts: 1, leaseMs: LEASE })).toEqual({ outcome: 'finished', status: 'FAILED' });
  });

  test('a job that does not exist is missing', async () => {
    expect(await jobs.claim('f'.repeat(32), { maxAttempts: 3, leaseMs: LEASE })).toEqual({ outcome: 'missing' });
  });
});
