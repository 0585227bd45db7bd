/**
 * Delivery dedupe against the Firestore emulator: the same event delivered many times runs its
 * handler once and every delivery gets the same bytes; an expired claim is taken over.
 */
import { FieldValue } from '@google-cloud/firestore';
import { deliveryKey } from '../../shared/events/delivery-key';
import { normalizeEvent } from '../../shared/events/normalize';
import { reply } from '../../shared/replies/responses';
import { Router } from '../../shared/routing/router';
import { DELIVERIES } from '../../shared/stores/deliveries';
import { newSpace, randomProjectId, slashCommandEvent, cardClickedEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';

let runs = 0;
let gate: Promise<void> = Promise.resolve();
const router = new Router()
  .command({ id: 2, name: '/count', description: 'counts runs' }, async (e) => {
    runs++;
    await gate;
    return reply.text(`run ${runs} for ${e.user.name} at ${Date.now()}`);
  })
  .command({ id: 3, name: '/pure', description: 'pure' }, () => reply.text(`pure ${Date.now()}`), { pure: true })
  .command({ id: 4, name: '/slow', description: 'overruns' }, () => new Promise(() => undefined))
  .command({ id: 5, name: '/huge', description: 'too large' }, () => reply.text('x'.repeat(40_000)), { pure: true })
  .command({ id: 6, name: '/boom', description: 'throws' }, () => {
    runs++;
    throw new Error('handler bug');
  })
  // Batched: the staged writes commit with the delivery record, or not at all.
  .command({ id: 7, name: '/tally', description: 'stages a counter' }, async (e, ctx) => {
    runs++;
    await gate;
    const ref = (await ctx.firestore()).collection('tallies').doc(e.space.id);
    ctx.stage((batch) => batch.set(ref, { n: FieldValue.increment(1) }, { merge: true }));
    return reply.text(`tally by run ${runs} at ${Date.now()}`);
  }, { batched: true })
  .command({ id: 8, name: '/tallyboom', description: 'stages, then throws' }, async (e, ctx) => {
    const ref = (await ctx.firestore()).collection('tallies').doc(e.space.id);
    ctx.stage((batch) => batch.set(ref, { n: 1 }));
    throw new Error('handler bug after staging');
  }, { batched: true })
  .command({ id: 11, name: '/tallyread', description: 'reads through ctx.read, then stages' }, async (e, ctx) => {
    const ref = (await ctx.firestore()).collection('tallies').doc(e.space.id);
    const [tally] = await ctx.read(ref);
    runs++;
    ctx.stage((batch) => batch.set(ref, { n: FieldValue.increment(1) }, { merge: true }));
    return reply.text(`tally was ${tally.get('n') ?? 0} at ${Date.now()}`);
  }, { batched: true })
  .command({ id: 10, name: '/tallyjob', description: 'a batched route that tries to enqueue' }, async (_e, ctx) => {
    await ctx.enqueue({ kind: 'never', args: {} });
    return reply.text('not reached');
  }, { batched: true })
  .command({ id: 9, name: '/purestage', description: 'a pure route that tries to write' }, async (e, ctx) => {
    const ref = (await ctx.firestore()).collection('tallies').doc(e.space.id);
    ctx.stage((batch) => batch.set(ref, { n: 1 }));
    return reply.text('not reached');
  }, { pure: true });

const projectId = randomProjectId('deliveries');
const db = testFirestore(projectId);
let server: EventsServer;
beforeAll(async () => {
  server = await startEventsServer({ projectId, router, env: { CHAT_RESPONSE_BUDGET_MS: '1000', DELIVERY_WAIT_MS: '3000' } });
  // The first Firestore call of a process takes seconds (client start-up); keep it out of the timed cases.
  await server.post(slashCommandEvent(newSpace(), 2, '/count'));
});
afterAll(() => server?.stop());
beforeEach(() => {
  runs = 0;
  gate = Promise.resolve();
});

const keyOf = (event: Record<string, unknown>) => {
  const n = normalizeEvent(event);
  if (!('event' in n)) throw new Error('not an event');
  return deliveryKey(n.event);
};

test('20 concurrent identical deliveries: the handler runs once, all 20 answers are identical', async () => {
  const event = slashCommandEvent(newSpace(), 2, '/count');
  let open!: () => void;
  gate = new Promise((r) => (open = r));
  const answers = Array.from({ length: 20 }, () => server.post(event));
  setTimeout(() => open(), 300);
  const results = await Promise.all(answers);
  expect(runs).toBe(1);
  expect(results.every((r) => r.status === 200)).toBe(true);
  expect([...new Set(results.map((r) => r.text))]).toHaveLength(1);
  expect(results[0].json).toMatchObject({ text: expect.stringContaining('run 1') });
});

test('a repeat after completion gets the identical bytes, without running the handler', async () => {
  const event = slashCommandEvent(newSpace(), 2, '/count');
  const first = await server.post(event);
  await new Promise((r) => setTimeout(r, 20));
  const again = await server.post(event);
  expect(runs).toBe(1);
  expect(again.text).toBe(first.text);
  const doc = await db.collection(DELIVERIES).doc(keyOf(event)).get();
  expect(doc.get('status')).toBe('DONE');
  expect(doc.get('response')).toBe(first.text);
  expect(doc.get('expireAt').toMillis()).toBeGreaterThan(Date.now() + 5 * 3600_000);
});

test('different clicks by the same person on the same card are different deliveries', async () => {
  const space = newSpace();
  const a = cardClickedEvent(space, 'vote');
  const b = { ...a, eventTime: new Date(Date.now() + 1000).toISOString() };
  expect(keyOf(a)).not.toBe(keyOf(b));
});

test('a claim whose lease expired (its attempt died) is taken over and answered', async () => {
  const event = slashCommandEvent(newSpace(), 2, '/count');
  const key = keyOf(event);
  await db.collection(DELIVERIES).doc(key).create({ status: 'RUNNING', owner: 'dead', attempt: 1, leaseUntil: Date.now() - 1, space: 'x', eventType: 'MESSAGE' });
  const res = await server.post(event);
  expect(res.status).toBe(200);
  expect(runs).toBe(1);
  const doc = await db.collection(DELIVERIES).doc(key).get();
  expect(doc.get('status')).toBe('DONE');
  expect(doc.get('attempt')).toBe(2);
});

test('a repeat while the first is still running waits, then asks Chat to retry (503) without running twice', async () => {
  const event = slashCommandEvent(newSpace(), 2, '/count');
  const key = keyOf(event);
  await db.collection(DELIVERIES).doc(key).create({ status: 'RUNNING', owner: 'alive', attempt: 1, leaseUntil: Date.now() + 60_000, space: 'x', eventType: 'MESSAGE' });
  const started = Date.now();
  const res = await server.post(event);
  expect(res.status).toBe(503);
  expect(res.json).toEqual({ error: 'this delivery is still being handled, retry later' });
  expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
  expect(runs).toBe(0);
});

describe('batched routes: staged writes and the delivery record in one batch', () => {
  test('20 concurrent identical deliveries: the writes land once, every answer is the recorded one', async () => {
    const space = newSpace();
    const event = slashCommandEvent(space, 7, '/tally');
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const answers = Array.from({ length: 20 }, () => server.post(event));
    setTimeout(() => open(), 300);
    const results = await Promise.all(answers);
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    const spaceId = String(space.name).slice('spaces/'.length);
    const [tally, record] = await Promise.all([db.collection('tallies').doc(spaceId).get(), db.collection(DELIVERIES).doc(keyOf(event)).get()]);
    expect(tally.get('n')).toBe(1);
    expect(record.get('status')).toBe('DONE');
    expect(record.get('response')).toBe(results[0].text);
    // Written by one commit: Firestore gives every document of a batch the same update time.
    expect(record.updateTime!.isEqual(tally.updateTime!)).toBe(true);
    const again = await server.post(event);
    expect(again.text).toBe(results[0].text);
    expect((await db.collection('tallies').doc(spaceId).get()).get('n')).toBe(1);
  });

  test("a repeat of a finished delivery stops at the handler's read (which reads the record too) and replays the answer", async () => {
    const space = newSpace();
    const event = slashCommandEvent(space, 11, '/tallyread');
    const first = await server.post(event);
    expect(first.text).toContain('tally was 0');
    const again = await server.post(event);
    expect(again.text).toBe(first.text);
    // The handler did not get past its read the second time: no second handling, no losing commit.
    expect(runs).toBe(1);
    expect((await db.collection('tallies').doc(String(space.name).slice('spaces/'.length)).get()).get('n')).toBe(1);
  });

  test('a batched handler that throws after staging writes nothing, so a retry runs it again', async () => {
    const space = newSpace();
    const event = slashCommandEvent(space, 8, '/tallyboom');
    const res = await server.post(event);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).toContain('something went wrong');
    const spaceId = String(space.name).slice('spaces/'.length);
    expect((await db.collection('tallies').doc(spaceId).get()).exists).toBe(false);
    expect((await db.collection(DELIVERIES).doc(keyOf(event)).get()).exists).toBe(false);
  });

  test('a batched route cannot enqueue a job: nothing is published or recorded', async () => {
    const space = newSpace();
    const event = slashCommandEvent(space, 10, '/tallyjob');
    const res = await server.post(event);
    expect(JSON.stringify(res.json)).toContain('something went wrong');
    expect((await db.collection(DELIVERIES).doc(keyOf(event)).get()).exists).toBe(false);
    expect((await db.collection('jobs').where('space', '==', space.name).get()).size).toBe(0);
  });

  test('a pure route cannot stage writes: it has no record to commit them with', async () => {
    const space = newSpace();
    const event = slashCommandEvent(space, 9, '/purestage');
    const res = await server.post(event);
    expect(JSON.stringify(res.json)).toContain('something went wrong');
    const spaceId = String(space.name).slice('spaces/'.length);
    expect((await db.collection('tallies').doc(spaceId).get()).exists).toBe(false);
  });
});

test('pure handlers skip the delivery record entirely', async () => {
  const event = slashCommandEvent(newSpace(), 3, '/pure');
  await server.post(event);
  expect((await db.collection(DELIVERIES).doc(keyOf(event)).get()).exists).toBe(false);
});

test('a handler that overruns the budget gets a fallback answer and a warning log; the fallback is what repeats get', async () => {
  const event = slashCommandEvent(newSpace(), 4, '/slow');
  const started = Date.now();
  const res = await server.post(event);
  expect(Date.now() - started).toBeLessThan(2500);
  expect(res.json).toMatchObject({ text: expect.stringContaining('taking longer than expected') });
  expect(server.logs.some((l) => l.severity === 'WARNING' && String(l.message).includes('overran'))).toBe(true);
  expect((await server.post(event)).text).toBe(res.text);
});

test('a response over 32,000 bytes is replaced by a short error text and logged', async () => {
  const res = await server.post(slashCommandEvent(newSpace(), 5, '/huge'));
  expect(res.status).toBe(200);
  expect(res.text.length).toBeLessThan(500);
  expect(res.json).toMatchObject({ text: expect.stringContaining('too large') });
  expect(server.logs.some((l) => l.severity === 'ERROR' && String(l.violation).includes('32000'))).toBe(true);
});

test('a handler that throws gets an apology, and its claim is released so a retry runs it again', async () => {
  const event = slashCommandEvent(newSpace(), 6, '/boom');
  const res = await server.post(event);
  expect(res.status).toBe(200);
  expect(res.json).toMatchObject({ text: expect.stringContaining('something went wrong') });
  expect((await db.collection(DELIVERIES).doc(keyOf(event)).get()).exists).toBe(false);
  await server.post(event);
  expect(runs).toBe(2);
});

test('one log line per event, in Cloud Logging shape, never with the token', async () => {
  server.logs.length = 0;
  const token = server.token();
  const space = newSpace();
  const started = Date.now();
  await server.post(slashCommandEvent(space, 3, '/pure'), { token });
  const tookMs = Date.now() - started;
  const [line] = server.logs.filter((l) => l.message === 'chat event');
  expect(line).toMatchObject({ severity: 'INFO', eventType: 'MESSAGE', outcome: 'new', detail: 'answered', route: 'command:3', status: 200, space: space.name });
  // The handling time, measured inside the request: never more than the request took seen from outside.
  expect(line.latencyMs).toBeGreaterThanOrEqual(0);
  expect(line.latencyMs).toBeLessThanOrEqual(tookMs);
  expect(JSON.stringify(server.logs)).not.toContain(token.split('.')[2]);
});
