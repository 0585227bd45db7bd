/**
 * One delivery through `dispatch` (dedupe, the handler, the response budget), in-process against
 * the Firestore emulator: the status and exact bytes answered, and what the delivery record keeps.
 * What the answer looks like when the handler cannot give one, in each interaction's shape; a
 * backing service down asks Chat to retry (503, JSON); a repeat gets the first answer's bytes.
 * Over HTTP, with the real edge: test/events/deliveries.test.ts and store-outage.test.ts.
 */
import { FieldValue } from '@google-cloud/firestore';
import { AppError } from '../../shared/errors';
import { deliveryKey } from '../../shared/events/delivery-key';
import { createLogger } from '../../shared/log';
import { action, button, buttonList, card, section } from '../../shared/replies/cards';
import { reply } from '../../shared/replies/responses';
import { dispatch, type DispatchDeps } from '../../shared/routing/dispatch';
import { Router } from '../../shared/routing/router';
import { ACTIVITY } from '../../shared/stores/activity';
import { createDeliveryStore, DELIVERIES } from '../../shared/stores/deliveries';
import { lazyFirestore } from '../../shared/stores/firestore';
import { SPACES } from '../../shared/stores/spaces';
import { ADA, appHomeEvent, cardClickedEvent, dialogCommandEvent, dialogSubmitEvent, newSpace, normalized, randomProjectId, removedEvent, slashCommandEvent, widgetUpdatedEvent } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';
import { homeEvent } from '../helpers/home-events';
import { captureLogLine } from '../helpers/log-capture';
import { until } from '../helpers/until';
import { formatKit } from '../helpers/addon-events';

type Json = Record<string, unknown>;
const projectId = randomProjectId('dispatch');
const db = testFirestore(projectId);
const firestore = lazyFirestore(projectId);
const lines: Json[] = [];
const log = createLogger({}, (line) => {
  captureLogLine('chatEvents', line);
  lines.push(JSON.parse(line));
});
/**
 * The response budget: roomy for every test but the budget's own, which set the tight one. At 300 ms
 * for all, a test that was the first of a mutant's run to reach the emulator paid the client's start-up
 * and answered "try again" before the mutated line ran: 10 mutants were counted killed that way.
 */
const BUDGET = 10_000;
const TIGHT_BUDGET = 300;

const ERROR = 'Sorry, something went wrong while handling that. Please try again.';
const OVERRUN = 'This is taking longer than expected. Please try again in a moment.';
const boom = () => {
  throw new Error('handler bug');
};
let runs = 0;
let readsDone = 0;
let signals: AbortSignal[] = [];
const tallies = db.collection('tallies');

const router = new Router()
  .command({ id: 1, name: '/boom', description: 'throws' }, boom)
  .command({ id: 2, name: '/down', description: 'store down' }, () => {
    throw new AppError('could not publish', 'STORE_UNAVAILABLE');
  })
  .command({ id: 3, name: '/unreachable', description: 'Firestore down' }, () => {
    throw Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
  })
  .command({ id: 4, name: '/slow', description: 'overruns' }, (_e, ctx) => {
    signals.push(ctx.signal);
    return new Promise(() => undefined);
  })
  .command({ id: 5, name: '/count', description: 'counts' }, () => reply.text(`run ${++runs}`))
  .command({ id: 6, name: '/purewrite', description: 'a pure route that stages' }, (_e, ctx) => {
    ctx.stage((b) => b.set(tallies.doc('never'), { n: 1 }));
    return reply.text('not reached');
  }, { pure: true })
  .command({ id: 7, name: '/tally', description: 'stages' }, (e, ctx) => {
    ctx.stage((b) => b.set(tallies.doc(e.space.id), { n: FieldValue.increment(1) }, { merge: true }));
    return reply.text(`tally ${++runs}`);
  }, { batched: true })
  .command({ id: 8, name: '/tallyjob', description: 'a batched route that enqueues' }, async (_e, ctx) => {
    await ctx.enqueue({ kind: 'never' });
    return reply.text('not reached');
  }, { batched: true })
  .command({ id: 9, name: '/slowtally', description: 'a batched route that overruns' }, (e, ctx) => {
    ctx.stage((b) => b.set(tallies.doc(e.space.id), { n: 1 }));
    return new Promise(() => undefined);
  }, { batched: true })
  .command({ id: 11, name: '/slowstage', description: 'a claimed route that stages, then overruns' }, (e, ctx) => {
    ctx.stage((b) => b.set(tallies.doc(e.space.id), { n: 1 }));
    return new Promise(() => undefined);
  })
  .command({ id: 10, name: '/nothing', description: 'answers nothing' }, () => undefined, { pure: true })
  // Another attempt takes the delivery over (its lease ran out) while this handler runs.
  .command({ id: 12, name: '/overtaken', description: 'taken over while running' }, async (_e, ctx) => {
    await db.collection(DELIVERIES).doc(ctx.deliveryKey).update({ owner: 'another attempt', attempt: 2 });
    return reply.text('late answer');
  })
  .command({ id: 13, name: '/badjob', description: 'fails with an error of its own kind' }, () => {
    throw new AppError('the job is not valid', 'JOB_INVALID');
  })
  .command({ id: 14, name: '/huge', description: 'answers over Chat limits' }, () => reply.text('x'.repeat(40_000)), { pure: true })
  .command({ id: 15, name: '/refuse', description: 'says no' }, (e) => reply.refusal(e.user.name, 'not allowed'))
  .command({ id: 16, name: '/readclaimed', description: 'a claimed route that reads' }, async (e, ctx) => {
    const [doc] = await ctx.read(tallies.doc(e.space.id));
    return reply.text(`claimed read: ${doc.get('n') ?? 'none'}`);
  })
  // Counts its runs, and its runs past the first read (a repeat stops at that read).
  .command({ id: 17, name: '/readtally', description: 'a batched route that reads' }, async (e, ctx) => {
    runs++;
    const [doc] = await ctx.read(tallies.doc(e.space.id));
    readsDone++;
    ctx.stage((b) => b.set(tallies.doc(e.space.id), { n: FieldValue.increment(1) }, { merge: true }));
    return reply.text(`was ${doc.get('n') ?? 0}`);
  }, { batched: true })
  .command({ id: 18, name: '/pureboom', description: 'a pure route that fails' }, () => {
    runs++;
    throw new Error('pure bug');
  }, { pure: true })
  .command({ id: 19, name: '/batchboom', description: 'a batched route that fails' }, () => {
    runs++;
    throw new Error('batched bug');
  }, { batched: true })
  .action('saveok', () => reply.closeDialog())
  .action('saveerr', () => reply.dialogError('INVALID_ARGUMENT', 'the name is taken'))
  .action('boom', boom)
  .action('slow', () => new Promise(() => undefined))
  .widget('boom', boom)
  .removed(boom)
  .home(boom);

const deps = (overrides: Partial<DispatchDeps> = {}): DispatchDeps => ({
  router,
  deliveries: createDeliveryStore(firestore, { leaseMs: 5000, waitMs: 300, ttlMs: 3600_000, pollMs: 20 }),
  responseBudgetMs: BUDGET,
  storeTimeoutMs: 5000,
  deliveryWaitMs: 300,
  firestore,
  context: (_event, key, eventLog, signal) =>
    ({ deliveryKey: key, log: eventLog, signal, firestore, enqueue: async () => ({ jobId: 'j', published: true }) }) as unknown as ReturnType<DispatchDeps['context']>,
  ...overrides,
});
const event = normalized;
const send = async (body: Json, d = deps()) => {
  const r = await dispatch(event(body), d, log);
  return { ...r, json: JSON.parse(r.body) as Json };
};
/** A new space with its record (the activity counters are written only for one: activity.ts), and its counters. */
const recordedSpace = async () => {
  const s = newSpace();
  const space = db.collection(SPACES).doc(String(s.name).slice('spaces/'.length));
  await space.set({ name: s.name });
  return { s, activity: space.collection(ACTIVITY) };
};
const record = async (body: Json) => (await db.collection(DELIVERIES).doc(deliveryKey(event(body))).get()).data();

beforeEach(() => {
  runs = 0;
  readsDone = 0;
  signals = [];
  lines.length = 0;
});

describe('when the handler fails, the answer keeps the shape the interaction expects', () => {
  const space = newSpace();
  test('a command: a private message to the person, and nothing stored, so that Chat retrying runs it again', async () => {
    const body = slashCommandEvent(space, 1, '/boom');
    expect(await send(body)).toMatchObject({ status: 200, outcome: 'handler-error', route: 'command:1', json: { text: ERROR, privateMessageViewer: { name: 'users/1111' } } });
    expect(await record(body)).toBeUndefined();
  });
  test('a dialog step: the dialog stays open with an error', async () => {
    expect((await send(dialogSubmitEvent(space, 'boom'))).json).toEqual({
      actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: { statusCode: 'UNKNOWN', userFacingMessage: ERROR } } },
    });
  });
  test("a slash command's request for its dialog: the dialog's error, not a message", async () => {
    expect((await send(dialogCommandEvent(space, 1, '/boom'))).json).toEqual({
      actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: { statusCode: 'UNKNOWN', userFacingMessage: ERROR } } },
    });
  });
  test('autocomplete: no suggestions', async () => {
    expect((await send(widgetUpdatedEvent(space, 'boom', 'q'))).json).toEqual({ actionResponse: { type: 'UPDATE_WIDGET', updatedWidget: { widget: 'boom', suggestions: { items: [] } } } });
  });
  test('removal: an empty acknowledgement', async () => {
    expect((await send(removedEvent(space))).json).toEqual({});
  });
  test('a click on a card in a space: a private message to the person who clicked, not a message to everyone', async () => {
    expect((await send(cardClickedEvent(space, 'boom'))).json).toMatchObject({ text: ERROR, privateMessageViewer: { name: 'users/1111' } });
  });
  test('a click on the App Home card: the text as a notification on the home card', async () => {
    expect((await send(homeEvent('chat', ADA, newSpace('DM'), { fn: 'boom', parameters: {} }))).json).toEqual({ renderActions: { action: { notification: { text: ERROR } } } });
  });
  test('App Home: the text on the home card, not a private message', async () => {
    const r = await send(appHomeEvent(newSpace('DM')));
    expect(r.body).toContain(ERROR);
    expect(r.body).not.toContain('privateMessageViewer');
  });
});

describe('a backing service down asks Chat to retry: 503 with a JSON body, nothing stored', () => {
  const space = newSpace();
  test.each([
    ['a publish that failed', 2],
    ['Firestore unreachable', 3],
  ])('%s', async (_what, id) => {
    const body = slashCommandEvent(space, id, '/x');
    expect(await send(body)).toMatchObject({ status: 503, outcome: 'unavailable', json: { error: 'temporarily unavailable, retry later' } });
    expect(await record(body)).toBeUndefined();
  });

  test.each([
    ['a batched route', 'record', 7, '/tally', 'recording the delivery'],
    ['a claimed route', 'complete', 5, '/count', 'completing the delivery'],
  ] as const)('%s whose record takes too long to write: 503, and the operator is told which step and which route', async (_what, step, id, name, words) => {
    // Only the hanging step is tight: the real claim's deadline is deliveryWaitMs + storeTimeoutMs, and
    // as a file's first call to the emulator (a mutant's run) it once took over 350 ms.
    const d = deps({ storeTimeoutMs: 50, deliveryWaitMs: BUDGET, deliveries: { ...deps().deliveries, [step]: () => new Promise(() => undefined) } });
    expect(await send(slashCommandEvent(newSpace(), id, name), d)).toMatchObject({ status: 503, outcome: 'unavailable' });
    expect(lines.find((l) => l.message === 'a backing service is unavailable; asking Chat to retry')).toMatchObject({
      severity: 'ERROR',
      error: `${words} took over 50 ms`,
      route: `command:${id}`,
    });
  });

  test('a claim that lands after the answer gave up (503, naming the step) is released at once, so that Chat\'s retry runs the handler', async () => {
    const real = deps().deliveries;
    let landed!: ReturnType<typeof real.claim>;
    const slow = deps({
      storeTimeoutMs: 50,
      deliveryWaitMs: 0,
      deliveries: { ...real, claim: (...args: Parameters<typeof real.claim>) => (landed = new Promise((r) => setTimeout(r, 300)).then(() => real.claim(...args))) },
    });
    const body = slashCommandEvent(newSpace(), 5, '/count');
    expect(await send(body, slow)).toMatchObject({ status: 503, outcome: 'unavailable' });
    expect(lines.find((l) => l.message === 'a backing service is unavailable; asking Chat to retry')).toMatchObject({ error: 'claiming the delivery took over 50 ms' });
    await landed;
    // Released: the retry (within the claim's 5 s lease) runs the handler instead of waiting for it.
    await until('the late claim to be released', async () => ((await record(body)) === undefined ? true : undefined), 20_000, () => 'the record is still there');
    expect(await send(body)).toMatchObject({ status: 200, outcome: 'answered', json: { text: 'run 1' } });
  });
});

test('a failed handler runs once, pure or batched: its failure is answered, not handed to the claimed path', async () => {
  expect(await send(slashCommandEvent(newSpace(), 18, '/pureboom'))).toMatchObject({ status: 200, outcome: 'handler-error', json: { text: ERROR } });
  expect(runs).toBe(1);
  expect(await send(slashCommandEvent(newSpace(), 19, '/batchboom'))).toMatchObject({ status: 200, outcome: 'handler-error', json: { text: ERROR } });
  expect(runs).toBe(2);
});

test('removing the app is not counted as activity', async () => {
  const { s, activity } = await recordedSpace();
  const leaving = new Router().removed(() => reply.ack());
  expect(await send(removedEvent(s), deps({ router: leaving }))).toMatchObject({ status: 200, outcome: 'answered' });
  expect((await activity.get()).size).toBe(0);
});

test("only a backing service down asks for a retry: the app's other errors are answered, 200", async () => {
  const body = slashCommandEvent(newSpace(), 13, '/badjob');
  expect(await send(body)).toMatchObject({ status: 200, outcome: 'handler-error', json: { text: ERROR } });
});

test('the warning that card actions keep their function names: only for an add-on event with no endpoint URL to route them through', async () => {
  const warned = () => lines.filter((l) => String(l.message).startsWith('add-on event without a configured endpoint URL')).length;
  const before = warned();
  await send(slashCommandEvent(newSpace(), 5, '/count'));
  expect(warned()).toBe(before);
  await send(formatKit('addon').event(slashCommandEvent(newSpace(), 5, '/count')));
  expect(warned()).toBe(before + 1);
});

test("a classic app that verifies by endpoint URL has one, yet its App Home buttons keep their function names (only an add-on's point at it)", async () => {
  const endpointUrl = 'https://chat-events.example.test/';
  const homeRouter = new Router().home(() =>
    reply.home(card({ sections: [section([buttonList(button('Settings', action('configOpen')))])] })),
  );
  const r = await send(appHomeEvent(newSpace('DM')), deps({ router: homeRouter, endpointUrl }));
  expect(r.json).toHaveProperty('action.navigations');
  expect(r.body).toContain('"function":"configOpen"');
  expect(r.body).not.toContain(endpointUrl);
});

test('an answer over Chat limits is replaced, reported as too large, and the operator told why', async () => {
  const r = await send(slashCommandEvent(newSpace(), 14, '/huge'));
  expect(r).toMatchObject({ status: 200, outcome: 'too-large' });
  expect(r.body.length).toBeLessThan(32_000);
  expect(lines).toContainEqual(expect.objectContaining({ severity: 'ERROR', message: 'response over Chat limits, replaced', violation: expect.stringMatching(/bytes, over Chat's 32000/) }));
});

describe('the response budget', () => {
  const space = newSpace();
  const sendTight = (body: Json) => send(body, deps({ responseBudgetMs: TIGHT_BUDGET }));
  test('a handler past the budget: the person is told to try again and the handler is aborted; a repeat gets the same answer', async () => {
    const body = slashCommandEvent(space, 4, '/slow');
    const r = await sendTight(body);
    expect(r).toMatchObject({ status: 200, outcome: 'overran', json: { text: OVERRUN, privateMessageViewer: { name: 'users/1111' } } });
    expect(signals.map((s) => s.aborted)).toEqual([true]);
    expect(await record(body)).toMatchObject({ status: 'DONE', response: r.body });
    expect(lines.find((l) => l.message === 'handler overran the response budget; sent a fallback')).toMatchObject({ route: 'command:4', budgetMs: TIGHT_BUDGET });
  });
  test("a click past the budget in a dialog: the dialog's error", async () => {
    expect((await sendTight(dialogSubmitEvent(space, 'slow'))).json).toMatchObject({ actionResponse: { dialogAction: { actionStatus: { statusCode: 'UNKNOWN', userFacingMessage: OVERRUN } } } });
  });
  test('a claimed handler past the budget: the "try again" answer is kept, the writes it staged are not', async () => {
    const s = newSpace();
    const body = slashCommandEvent(s, 11, '/slowstage');
    const r = await sendTight(body);
    expect(r).toMatchObject({ status: 200, outcome: 'overran', json: { text: OVERRUN } });
    expect(await record(body)).toMatchObject({ status: 'DONE', response: r.body });
    // The person was told to try again: a write of the aborted handler would apply that try twice.
    expect((await tallies.doc(String(s.name).slice(7)).get()).exists).toBe(false);
  });
  test('a batched handler past the budget: its staged writes are dropped with it and no record is kept', async () => {
    const s = newSpace();
    const body = slashCommandEvent(s, 9, '/slowtally');
    expect(await sendTight(body)).toMatchObject({ status: 200, outcome: 'overran' });
    expect(await record(body)).toBeUndefined();
    expect((await tallies.doc(String(s.name).slice(7)).get()).exists).toBe(false);
  });
});

describe('dedupe', () => {
  test('a claimed route runs once; a repeat gets the same bytes, replayed', async () => {
    const body = slashCommandEvent(newSpace(), 5, '/count');
    const first = await send(body);
    expect(first).toMatchObject({ status: 200, outcome: 'answered', json: { text: 'run 1' } });
    // In time: no warning that it overran.
    expect(lines.filter((l) => l.severity === 'WARNING')).toEqual([]);
    const again = await send(body);
    expect(again).toMatchObject({ status: 200, outcome: 'replayed', body: first.body });
    expect(runs).toBe(1);
    expect(await record(body)).toMatchObject({ status: 'DONE', response: first.body });
  });

  test('a batched route commits its staged writes with the record; a repeat writes nothing and gets the same bytes', async () => {
    const s = newSpace();
    const body = slashCommandEvent(s, 7, '/tally');
    const first = await send(body);
    expect(first).toMatchObject({ outcome: 'answered', json: { text: 'tally 1' } });
    expect(await send(body)).toMatchObject({ outcome: 'replayed', body: first.body });
    expect((await tallies.doc(String(s.name).slice(7)).get()).get('n')).toBe(1);
    expect(await record(body)).toMatchObject({ status: 'DONE', response: first.body });
  });

  test('a pure route keeps no record and runs again for a repeat', async () => {
    const body = slashCommandEvent(newSpace(), 10, '/nothing');
    expect(await send(body)).toMatchObject({ status: 200, outcome: 'answered', json: {} });
    expect(await record(body)).toBeUndefined();
  });

  test('a delivery another attempt is still running: after the wait, 503 so that Chat retries', async () => {
    const body = slashCommandEvent(newSpace(), 5, '/count');
    const d = deps();
    const held = await d.deliveries.claim(deliveryKey(event(body)), { space: 'x', eventType: 'MESSAGE' });
    expect(held.outcome).toBe('claimed');
    expect(await send(body, d)).toMatchObject({ status: 503, outcome: 'in-flight', json: { error: 'this delivery is still being handled, retry later' } });
    expect(runs).toBe(0);
  });
});

describe('ctx.read', () => {
  test('a batched route reads its documents with its record: the handler runs once; a repeat stops at the read and gets the same bytes', async () => {
    const s = newSpace();
    const body = slashCommandEvent(s, 17, '/readtally');
    const first = await send(body);
    expect(first).toMatchObject({ status: 200, outcome: 'answered', json: { text: 'was 0' } });
    expect([runs, readsDone]).toEqual([1, 1]);
    expect(await send(body)).toMatchObject({ status: 200, outcome: 'replayed', body: first.body });
    expect([runs, readsDone]).toEqual([2, 1]);
    expect((await tallies.doc(String(s.name).slice(7)).get()).get('n')).toBe(1);
    // Another delivery reads what the first one wrote.
    expect((await send(slashCommandEvent(s, 17, '/readtally'))).json).toMatchObject({ text: 'was 1' });
  });

  test('a claimed route reads its documents too (its record, held while it runs, is not in the way)', async () => {
    const s = newSpace();
    await tallies.doc(String(s.name).slice(7)).set({ n: 41 });
    expect(await send(slashCommandEvent(s, 16, '/readclaimed'))).toMatchObject({ status: 200, outcome: 'answered', json: { text: 'claimed read: 41' } });
  });
});

test('the activity counters count what succeeded: an answer and a dialog closed OK, not a refusal or a dialog error', async () => {
  const { s, activity } = await recordedSpace();
  const counted = async () => {
    const shards = await activity.get();
    return Object.assign({}, ...shards.docs.map((d) => d.get('byRoute') as Json)) as Json;
  };
  await send(slashCommandEvent(s, 15, '/refuse'));
  await send(dialogSubmitEvent(s, 'saveerr'));
  expect(await counted()).toEqual({});
  await send(dialogSubmitEvent(s, 'saveok'));
  await send(slashCommandEvent(s, 5, '/count'));
  expect(await counted()).toEqual({ action_saveok: 1, command_5: 1 });
});

test('the response budget leaves no timer behind once the handler answered (an instance would keep one per request)', async () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  await send(slashCommandEvent(newSpace(), 10, '/nothing'));
  expect(timers()).toBe(before);
});

describe('a claim lost or kept', () => {
  test('taken over while its handler ran: the answer still goes out, the record stays the other attempt\'s, the operator is told', async () => {
    const body = slashCommandEvent(newSpace(), 12, '/overtaken');
    expect(await send(body)).toMatchObject({ status: 200, outcome: 'answered', json: { text: 'late answer' } });
    const kept = await record(body);
    expect(kept).toMatchObject({ owner: 'another attempt', attempt: 2 });
    expect(kept).not.toHaveProperty('response');
    expect(lines.find((l) => l.message === 'delivery was taken over by another attempt while running')).toMatchObject({ severity: 'WARNING', deliveryKey: deliveryKey(event(body)) });
  });

  test('a failed handler whose claim cannot be released: the error answer, and the operator is told why', async () => {
    const deliveries = deps().deliveries;
    const d = deps({ deliveries: { ...deliveries, release: () => Promise.reject(new Error('release refused')) } });
    expect(await send(slashCommandEvent(newSpace(), 1, '/boom'), d)).toMatchObject({ status: 200, outcome: 'handler-error', json: { text: ERROR } });
    expect(lines.find((l) => l.message === 'could not release a delivery claim')).toMatchObject({ severity: 'WARNING', error: 'release refused' });
  });
});

describe('routes that break their rules', () => {
  test('a pure route that stages a write fails, writing nothing', async () => {
    const body = slashCommandEvent(newSpace(), 6, '/purewrite');
    expect(await send(body)).toMatchObject({ status: 200, outcome: 'handler-error', json: { text: ERROR } });
    expect((await tallies.doc('never').get()).exists).toBe(false);
    expect(lines.find((l) => l.message === 'handler failed')).toMatchObject({ error: 'route command:6 is pure: it has no delivery record to commit writes with' });
  });
  test('a batched route cannot enqueue a job (it could not be taken back if the batch lost)', async () => {
    const body = slashCommandEvent(newSpace(), 8, '/tallyjob');
    expect(await send(body)).toMatchObject({ status: 200, outcome: 'handler-error', json: { text: ERROR } });
    expect(await record(body)).toBeUndefined();
    expect(lines.find((l) => l.message === 'handler failed')).toMatchObject({ error: 'route command:8 is batched: it cannot enqueue jobs' });
  });
});

test('a click on an unknown button is answered without a record', async () => {
  const body = cardClickedEvent(newSpace(), 'retired');
  expect(await send(body)).toMatchObject({ status: 200, outcome: 'answered', route: 'action:unknown' });
  expect(await record(body)).toBeUndefined();
});
