/**
 * The delivery store's times and waits against the Firestore emulator, on the store's injected
 * clock (so a lease or a wait ends exactly when the test says): what a record holds and until when,
 * when a lease is over, what a repeat that waits gets, and attempts racing for one delivery.
 * test/events/stale-owners.test.ts covers late owners; test/events/deliveries.test.ts the HTTP path.
 */
import { createDeliveryStore, DELIVERIES, type Claim, type ClaimResult } from '../../shared/stores/deliveries';
import { lazyFirestore } from '../../shared/stores/firestore';
import { randomProjectId } from '../helpers/chat-events';
import { fillToLimit, testFirestore } from '../helpers/firestore';

const projectId = randomProjectId('dstore');
const db = testFirestore(projectId);
afterAll(() => db.terminate());
const firestore = lazyFirestore(projectId);
let clock = Date.UTC(2026, 4, 1, 12);
const now = () => clock;
const LEASE = 10_000;
const TTL = 3600_000;
const info = { space: 'spaces/SD1', eventType: 'CARD_CLICKED' };
let keys = 0;
const newKey = () => `dstore-${Date.now()}-${keys++}`;
const record = async (key: string) => (await db.collection(DELIVERIES).doc(key).get()).data();
const millis = (t: unknown) => (t as FirebaseFirestore.Timestamp).toMillis();

/** waitMs 0: a repeat that finds the delivery running answers at once (the clock does not move by itself). */
const store = (waitMs = 0) => createDeliveryStore(firestore, { leaseMs: LEASE, waitMs, ttlMs: TTL, pollMs: 10, now });

/**
 * Starts `claiming` and resolves (with its promise) once it has read the record as running: the
 * repeat arrived while the first attempt runs, whatever the machine's speed.
 */
async function whileRunning(claiming: () => Promise<ClaimResult>): Promise<{ result: Promise<ClaimResult> }> {
  const proto = Object.getPrototypeOf(db.collection(DELIVERIES).doc('x')) as { get: (this: unknown) => Promise<FirebaseFirestore.DocumentSnapshot> };
  let sawRunning!: () => void;
  const seen = new Promise<void>((r) => (sawRunning = r));
  const original = proto.get;
  const spy = jest.spyOn(proto, 'get').mockImplementation(async function (this: unknown) {
    const snap = await original.call(this);
    if (snap.get('status') === 'RUNNING') sawRunning();
    return snap;
  });
  const result = claiming();
  await seen;
  spy.mockRestore();
  return { result };
}

const claimed = (r: ClaimResult): Claim => {
  if (r.outcome !== 'claimed') throw new Error(`expected a claim, got ${r.outcome}`);
  return r.claim;
};

test('a claim records the delivery as running, with its space, event type, lease and expiry from the clock', async () => {
  const key = newKey();
  const claim = claimed(await store().claim(key, info));
  expect(claim.attempt).toBe(1);
  const doc = await record(key);
  expect(doc).toMatchObject({ status: 'RUNNING', attempt: 1, leaseUntil: clock + LEASE, ...info });
  expect(millis(doc!.createdAt)).toBe(clock);
  expect(millis(doc!.expireAt)).toBe(clock + TTL);
});

test('completing stores the answer and when; a repeat gets it without having waited', async () => {
  const key = newKey();
  const claim = claimed(await store().claim(key, info));
  clock += 1234;
  expect(await store().complete(claim, 'the answer')).toBe(true);
  const doc = await record(key);
  expect(doc).toMatchObject({ status: 'DONE', response: 'the answer' });
  expect(millis(doc!.completedAt)).toBe(clock);
  expect(await store().claim(key, info)).toEqual({ outcome: 'done', response: 'the answer', waited: false });
  expect(await store().claim(key, info, { exists: true })).toEqual({ outcome: 'done', response: 'the answer', waited: false });
});

test('record() stores a finished delivery with its times from the clock', async () => {
  const key = newKey();
  expect(await store().record(key, info, 'recorded')).toBe(true);
  const doc = await record(key);
  expect(doc).toMatchObject({ status: 'DONE', attempt: 1, response: 'recorded', ...info });
  expect([millis(doc!.createdAt), millis(doc!.completedAt), millis(doc!.expireAt)]).toEqual([clock, clock, clock + TTL]);
  expect(await store().claim(key, info)).toEqual({ outcome: 'done', response: 'recorded', waited: false });
});

test('a lease lasts exactly leaseMs: one millisecond before its end a repeat is in flight, at its end it takes over', async () => {
  const key = newKey();
  claimed(await store().claim(key, info));
  clock += LEASE - 1;
  expect(await store().claim(key, info)).toEqual({ outcome: 'inFlight' });
  clock += 1;
  const taken = claimed(await store().claim(key, info));
  expect(taken.attempt).toBe(2);
  expect(await record(key)).toMatchObject({ status: 'RUNNING', attempt: 2, leaseUntil: clock + LEASE });
});

test('a running record from before attempts were counted is taken over as attempt 2', async () => {
  const key = newKey();
  await db.collection(DELIVERIES).doc(key).create({ status: 'RUNNING', owner: 'old', leaseUntil: clock - 1, ...info });
  expect(claimed(await store().claim(key, info)).attempt).toBe(2);
  expect((await record(key))!.attempt).toBe(2);
});

test('a repeat that waits for the running attempt gets its answer, marked as waited', async () => {
  const key = newKey();
  const first = claimed(await store().claim(key, info));
  const waiting = await whileRunning(() => store(60_000).claim(key, info));
  expect(await store().complete(first, 'worth the wait')).toBe(true);
  expect(await waiting.result).toEqual({ outcome: 'done', response: 'worth the wait', waited: true });
});

test('a repeat that waits for a claim that is released takes the delivery itself, as attempt 1', async () => {
  const key = newKey();
  const first = claimed(await store().claim(key, info));
  const waiting = await whileRunning(() => store(60_000).claim(key, info));
  await store().release(first);
  const second = claimed(await waiting.result);
  expect(second.attempt).toBe(1);
  expect(await store().complete(second, 'second')).toBe(true);
  expect(await record(key)).toMatchObject({ status: 'DONE', response: 'second' });
});

test('several attempts finding the lease over at once: exactly one takes over, the others report it in flight', async () => {
  const key = newKey();
  claimed(await store().claim(key, info));
  clock += LEASE;
  const results = await Promise.all(Array.from({ length: 5 }, () => store().claim(key, info)));
  const winners = results.filter((r) => r.outcome === 'claimed');
  expect(winners).toHaveLength(1);
  expect(results.filter((r) => r.outcome === 'inFlight')).toHaveLength(4);
  expect((await record(key))!.attempt).toBe(2);
});

test('releasing twice, or a claim whose record is gone, is harmless', async () => {
  const key = newKey();
  const claim = claimed(await store().claim(key, info));
  await store().release(claim);
  await expect(store().release(claim)).resolves.toBeUndefined();
  expect(await record(key)).toBeUndefined();
});

test('completing a released claim with counters is refused and writes nothing, counters included', async () => {
  const key = newKey();
  const claim = claimed(await store().claim(key, info));
  const counter = db.collection('counters').doc(key);
  await counter.set({ n: 0 });
  await store().release(claim);
  const ok = await store().complete(claim, 'late', { counters: [(b) => b.update(counter, { n: 1 })] });
  expect(ok).toBe(false);
  expect(await record(key)).toBeUndefined();
  expect((await counter.get()).get('n')).toBe(0);
});

test('a handler write to a document that is gone fails the whole batch, and its error reaches the caller', async () => {
  const key = newKey();
  const missing = db.collection('polls').doc(`${key}-gone`);
  const writes = { handler: (b: FirebaseFirestore.WriteBatch) => b.update(missing, { n: 1 }), counters: [] };
  await expect(store().record(key, info, 'answer', writes)).rejects.toMatchObject({ code: 5 });
  expect(await record(key)).toBeUndefined();
});

test('a commit that fails for another reason than a missing counter document is not retried without the counters', async () => {
  const key = newKey();
  const counter = db.collection('counters').doc(key);
  await counter.set({ n: 0 });
  const proto = Object.getPrototypeOf(db.batch()) as { commit: (this: unknown) => Promise<unknown> };
  // The first commit meets a store that is briefly unavailable (gRPC 14); a retry would succeed.
  const spy = jest.spyOn(proto, 'commit').mockRejectedValueOnce(Object.assign(new Error('unavailable'), { code: 14 }));
  try {
    await expect(store().record(key, info, 'answer', { counters: [(b) => b.update(counter, { n: 1 })] })).rejects.toMatchObject({ code: 14 });
    expect(spy).toHaveBeenCalledTimes(1);
  } finally {
    spy.mockRestore();
  }
  expect(await record(key)).toBeUndefined();
  expect((await counter.get()).get('n')).toBe(0);
});

test('an error other than losing the record reaches the caller: a record Firestore refuses is not taken for a lost race', async () => {
  const key = newKey();
  // Over Firestore's 1 MiB document limit: the create fails with INVALID_ARGUMENT, not ALREADY_EXISTS.
  const huge = { ...info, eventType: 'x'.repeat(1_100_000) };
  await expect(store().claim(key, huge)).rejects.toMatchObject({ code: 3 });
  await expect(store().record(key, huge, 'answer')).rejects.toMatchObject({ code: 3 });
  const claim = claimed(await store().claim(key, info));
  await expect(store().complete(claim, 'y'.repeat(1_100_000))).rejects.toMatchObject({ code: 3 });
  expect(await record(key)).toMatchObject({ status: 'RUNNING' });
});

test('an attempt that finds the lease over but loses the takeover to another reports the delivery in flight; the winner keeps it', async () => {
  const key = newKey();
  claimed(await store().claim(key, info));
  clock += LEASE;
  // Between this attempt's read of the expired record and its takeover, another attempt takes it over.
  const proto = Object.getPrototypeOf(db.collection(DELIVERIES).doc('x')) as { get: (this: unknown) => Promise<FirebaseFirestore.DocumentSnapshot> };
  const original = proto.get;
  let winner: Promise<ClaimResult> | undefined;
  const spy = jest.spyOn(proto, 'get').mockImplementation(async function (this: unknown) {
    const snap = await original.call(this);
    if (!winner) {
      winner = store().claim(key, info);
      await winner;
    }
    return snap;
  });
  const late = await store().claim(key, info).finally(() => spy.mockRestore());
  expect(late).toEqual({ outcome: 'inFlight' });
  const taken = claimed(await winner!);
  expect(taken.attempt).toBe(2);
  expect(await store().complete(taken, 'the winner')).toBe(true);
  expect(await record(key)).toMatchObject({ status: 'DONE', attempt: 2, response: 'the winner' });
});

test("releasing a claim another attempt took over is harmless and leaves the new owner's record", async () => {
  const key = newKey();
  const stale = claimed(await store().claim(key, info));
  clock += LEASE;
  const taken = claimed(await store().claim(key, info));
  await expect(store().release(stale)).resolves.toBeUndefined();
  expect(await record(key)).toMatchObject({ status: 'RUNNING', attempt: 2 });
  expect(await store().complete(taken, 'kept')).toBe(true);
});

test('a release that fails for another reason than a lost claim reaches the caller, and the record stays', async () => {
  const key = newKey();
  const own = lazyFirestore(projectId);
  const claim = claimed(await createDeliveryStore(own, { leaseMs: LEASE, waitMs: 0, ttlMs: TTL, now }).claim(key, info));
  await (await own()).terminate();
  await expect(store().release(claim)).rejects.toThrow(/terminated/);
  expect(await record(key)).toMatchObject({ status: 'RUNNING', attempt: 1 });
});

test('a takeover Firestore refuses for another reason than a lost race reaches the caller', async () => {
  const key = newKey();
  // A record from before attempts were counted, at Firestore's size limit: the takeover's owner and attempt do not fit.
  const ref = db.collection(DELIVERIES).doc(key);
  await ref.create({ status: 'RUNNING', owner: 'old', leaseUntil: clock - 1, ...info });
  await fillToLimit(ref);
  await expect(store().claim(key, info)).rejects.toMatchObject({ code: 3 });
  expect(await record(key)).toMatchObject({ owner: 'old' });
});
