/**
 * The webhook store against the Firestore emulator, on an injected clock: the shared per-minute
 * window (two instances posting to one hook), re-keying, the per-space cap, and every refusal.
 * test/app/notify.test.ts covers the HTTP path.
 */
import { createHash } from 'node:crypto';
import { SPACES } from '../../shared/stores/spaces';
import { createWebhookStore, isWebhookPath, SECRET_PATTERN, TooManyWebhooksError, WEBHOOKS } from '../../shared/stores/webhooks';
import { randomProjectId } from '../helpers/chat-events';
import { fillToLimit, testFirestore } from '../helpers/firestore';

const projectId = randomProjectId('hookstore');
const db = testFirestore(projectId);
afterAll(() => db.terminate());
let clock = Date.UTC(2026, 4, 1, 12);
const now = () => clock;
const instance = () => createWebhookStore(async () => db, now);
const ADA = { name: 'users/1111', displayName: 'Ada Lovelace' };
let n = 0;
const HOOK = 'a'.repeat(20);

async function newSpace(settings?: Record<string, unknown>): Promise<string> {
  const id = `SHK${Date.now()}${n++}`;
  await db.collection(SPACES).doc(id).set({ name: `spaces/${id}`, ...(settings ? { settings } : {}) });
  return id;
}
const hookDoc = (space: string, hook = HOOK) => db.collection(SPACES).doc(space).collection(WEBHOOKS).doc(hook);

test('a webhook stores only the hash of its secret, who made it and when', async () => {
  const space = await newSpace();
  const { secret } = await instance().create(space, HOOK, { name: 'users/3333' });
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
  const doc = (await hookDoc(space).get()).data()!;
  expect(doc).toMatchObject({ hookId: HOOK, secretHash: createHash('sha256').update(secret).digest('hex'), createdBy: { name: 'users/3333', displayName: null } });
  expect(doc.createdAt.toMillis()).toBe(clock);
  expect(JSON.stringify(doc)).not.toContain(secret);
});

test('SECRET_PATTERN finds a whole secret anywhere in a text (the at-rest scan), and nothing shorter', async () => {
  const { secret } = await instance().create(await newSpace(), HOOK, { name: 'users/3333' });
  expect(`{"text":"your secret: ${secret}."}`.match(SECRET_PATTERN)).toEqual([secret]);
  expect('whsec_tooShort and whsec_ alone'.match(SECRET_PATTERN)).toBeNull();
});

test('two instances share the minute: the post over the limit is refused until the window ends, then a new one starts', async () => {
  const space = await newSpace();
  const { secret } = await instance().create(space, HOOK, ADA);
  const [a, b] = [instance(), instance()];
  const started = clock;
  expect(await a.authorize(space, HOOK, secret, 2)).toEqual({ outcome: 'ok' });
  clock += 500;
  expect(await a.authorize(space, HOOK, secret, 2)).toEqual({ outcome: 'ok' });
  clock = started + 20_500;
  // b's own bucket is full; the shared window is not.
  expect(await b.authorize(space, HOOK, secret, 2)).toEqual({ outcome: 'rateLimited', retryAfterSeconds: 40 });
  clock = started + 59_999;
  expect(await b.authorize(space, HOOK, secret, 2)).toEqual({ outcome: 'rateLimited', retryAfterSeconds: 1 });
  clock = started + 60_000;
  expect(await b.authorize(space, HOOK, secret, 2)).toEqual({ outcome: 'ok' });
  expect((await hookDoc(space).get()).data()).toMatchObject({ windowStart: started + 60_000, windowCount: 1 });
  expect((await hookDoc(space).get()).get('lastPostAt').toMillis()).toBe(clock);
});

test('one instance answers a burst over the limit from its own bucket, without a transaction', async () => {
  const space = await newSpace();
  const { secret } = await instance().create(space, HOOK, ADA);
  const a = instance();
  expect(await a.authorize(space, HOOK, secret, 1)).toEqual({ outcome: 'ok' });
  expect(await a.authorize(space, HOOK, secret, 1)).toEqual({ outcome: 'rateLimited', retryAfterSeconds: 60 });
  expect((await hookDoc(space).get()).get('windowCount')).toBe(1);
});

test('re-keying a webhook keeps one webhook, even at the cap; only the newest secret works', async () => {
  const space = await newSpace();
  const store = instance();
  const first = await store.create(space, HOOK, ADA, 1);
  const second = await store.create(space, HOOK, ADA, 1);
  const refused = store.create(space, 'b'.repeat(20), ADA, 1);
  await expect(refused).rejects.toBeInstanceOf(TooManyWebhooksError);
  // Should it ever reach a log, it says which limit.
  await expect(refused).rejects.toMatchObject({ max: 1, message: 'the space has 1 incoming webhooks, the most allowed' });
  expect((await db.collection(SPACES).doc(space).collection(WEBHOOKS).get()).size).toBe(1);
  expect(await store.authorize(space, HOOK, first.secret, 10)).toEqual({ outcome: 'badSecret' });
  expect(await store.authorize(space, HOOK, second.secret, 10)).toEqual({ outcome: 'ok' });
});

test('refusals: an unknown hook, a hook whose space is gone, a wrong or malformed secret, posts turned off', async () => {
  const store = instance();
  const space = await newSpace();
  const { secret } = await store.create(space, HOOK, ADA);
  expect(await store.authorize(space, 'c'.repeat(20), secret, 10)).toEqual({ outcome: 'notFound' });
  expect(await store.authorize(space, HOOK, 'whsec_wrong', 10)).toEqual({ outcome: 'badSecret' });
  expect(await store.authorize(space, HOOK, '', 10)).toEqual({ outcome: 'badSecret' });
  // A stored hash that is not one (hand-edited, truncated) refuses every secret rather than failing.
  await hookDoc(space).update({ secretHash: 'abcd' });
  expect(await store.authorize(space, HOOK, secret, 10)).toEqual({ outcome: 'badSecret' });

  const orphan = await newSpace();
  const kept = await store.create(orphan, HOOK, ADA);
  await db.collection(SPACES).doc(orphan).delete();
  expect(await store.authorize(orphan, HOOK, kept.secret, 10)).toEqual({ outcome: 'notFound' });

  const off = await newSpace({ webhooksAllowed: false });
  const offHook = await store.create(off, HOOK, ADA);
  expect(await store.authorize(off, HOOK, offHook.secret, 10)).toEqual({ outcome: 'disabled' });
  expect((await hookDoc(off).get()).get('windowCount')).toBe(0);
});

test('a post whose hook is revoked between its checks and its count answers not found, and the hook stays gone', async () => {
  const space = await newSpace();
  const { secret } = await instance().create(space, HOOK, ADA);
  const original = db.runTransaction.bind(db);
  const racing = jest.spyOn(db, 'runTransaction').mockImplementationOnce(async (...args) => {
    await instance().revokeAll(space);
    return original(...args);
  });
  const answer = await instance().authorize(space, HOOK, secret, 10).finally(() => racing.mockRestore());
  expect(answer).toEqual({ outcome: 'notFound' });
  expect((await hookDoc(space).get()).exists).toBe(false);
});

test("a post meeting another instance's count of the same hook (the store aborts it) is answered as a burst, not counted", async () => {
  const space = await newSpace();
  // A client of its own, on one transaction attempt: the Firestore client retries an ABORTED
  // transaction 5 times with backoff (seconds each here); the store's answer to the last one is what is tested.
  const client = testFirestore(projectId);
  const original = client.runTransaction.bind(client);
  jest.spyOn(client, 'runTransaction').mockImplementation((fn) => original(fn, { maxAttempts: 1 }));
  const store = createWebhookStore(async () => client, now);
  const { secret } = await store.create(space, HOOK, ADA);
  // The other instance's transaction has read the hook's window and not committed yet.
  const other = testFirestore(projectId);
  let holding!: () => void;
  let finish!: () => void;
  const held = new Promise<void>((r) => (holding = r));
  const counting = other.runTransaction(async (tx) => {
    await tx.get(other.doc(hookDoc(space).path));
    holding();
    await new Promise<void>((r) => (finish = r));
  });
  await held;
  try {
    expect(await store.authorize(space, HOOK, secret, 10)).toEqual({ outcome: 'rateLimited', retryAfterSeconds: 1 });
  } finally {
    finish();
    await counting;
    await Promise.all([client.terminate(), other.terminate()]);
  }
  expect((await hookDoc(space).get()).get('windowCount')).toBe(0);
});

test('a count the store refuses for another reason than contention reaches the caller: not answered as a rate limit', async () => {
  const space = await newSpace();
  const store = instance();
  const { secret } = await store.create(space, HOOK, ADA);
  // Counting the first post adds its time to the hook's document, which is at Firestore's size limit.
  await fillToLimit(hookDoc(space));
  await expect(store.authorize(space, HOOK, secret, 10)).rejects.toMatchObject({ code: 3 });
  expect((await hookDoc(space).get()).get('windowCount')).toBe(0);
});

test('revoking deletes every webhook of the space and says how many', async () => {
  const store = instance();
  const space = await newSpace();
  const { secret } = await store.create(space, HOOK, ADA);
  await store.create(space, 'b'.repeat(20), ADA);
  expect(await store.revokeAll(space)).toBe(2);
  expect(await store.authorize(space, HOOK, secret, 10)).toEqual({ outcome: 'notFound' });
  expect(await store.revokeAll(space)).toBe(0);
});

test('a webhook path is a document id and 20 lowercase hex digits', () => {
  expect(isWebhookPath('AAAA1234', 'abcdef0123456789abcd')).toBe(true);
  expect(isWebhookPath('AAAA1234', 'abcdef0123456789abc')).toBe(false);
  expect(isWebhookPath('AAAA1234', 'abcdef0123456789abcdE')).toBe(false);
  expect(isWebhookPath('AAAA1234', 'Abcdef0123456789abcd')).toBe(false);
  expect(isWebhookPath('AAAA1234', 'xabcdef0123456789abcd')).toBe(false);
  expect(isWebhookPath('a/b', 'abcdef0123456789abcd')).toBe(false);
});
