/**
 * Delivery dedupe for add-on events, against the Firestore emulator: the same add-on event delivered
 * again runs its handler once and gets identical bytes; different interactions get different keys.
 */
import { deliveryKey } from '../../shared/events/delivery-key';
import { normalizeEvent } from '../../shared/events/normalize';
import { reply } from '../../shared/replies/responses';
import { Router } from '../../shared/routing/router';
import { DELIVERIES } from '../../shared/stores/deliveries';
import { startServerFor, toAddonEvent, toAddonEvents } from '../helpers/addon-events';
import { addedEvent, cardClickedEvent, messageEvent, newSpace, randomProjectId, slashCommandEvent, widgetUpdatedEvent } from '../helpers/chat-events';
import type { EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';

type Json = Record<string, unknown>;

let runs = 0;
const router = new Router()
  .command({ id: 2, name: '/count', description: 'counts runs' }, () => {
    runs++;
    return reply.text(`run ${runs} at ${Date.now()}`);
  })
  .action('vote', () => {
    runs++;
    return reply.updateMessage({ text: `vote ${runs} at ${Date.now()}` });
  });

const projectId = randomProjectId('addon-dedupe');
const db = testFirestore(projectId);
let server: EventsServer;
beforeAll(async () => {
  server = await startServerFor('addon', { projectId, router });
  // The first Firestore call of a process takes seconds (client start-up); keep it out of the cases.
  await server.post(toAddonEvent(slashCommandEvent(newSpace(), 2, '/count')));
});
afterAll(() => server?.stop());
beforeEach(() => {
  runs = 0;
});

const keyOf = (body: Json) => {
  const n = normalizeEvent(body);
  if (!('event' in n)) throw new Error('not an event');
  return deliveryKey(n.event);
};

test.each([
  ['a slash command (appCommandPayload)', () => toAddonEvent(slashCommandEvent(newSpace(), 2, '/count'))],
  ['a button click (buttonClickedPayload)', () => toAddonEvent(cardClickedEvent(newSpace(), 'vote', { option: '1' }))],
])('%s delivered again runs the handler once; both answers are the identical bytes', async (_label, make) => {
  const event = make();
  const first = await server.post(event);
  const again = await server.post(event);
  expect(runs).toBe(1);
  expect(first.status).toBe(200);
  expect(again.text).toBe(first.text);
  expect(first.json).toHaveProperty('hostAppDataAction');
  const doc = await db.collection(DELIVERIES).doc(keyOf(event)).get();
  expect(doc.get('status')).toBe('DONE');
  expect(doc.get('response')).toBe(first.text);
});

test('concurrent deliveries of one add-on event: one run, identical answers', async () => {
  const event = toAddonEvent(slashCommandEvent(newSpace(), 2, '/count'));
  const results = await Promise.all(Array.from({ length: 5 }, () => server.post(event)));
  expect(runs).toBe(1);
  // The repeats wait for the first attempt's answer and get the same bytes.
  expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  expect(new Set(results.map((r) => r.text)).size).toBe(1);
  expect(results[0].json).toHaveProperty('hostAppDataAction');
});

describe('keys', () => {
  const space = newSpace();

  test('two clicks by one person on one card are two deliveries; so are clicks on two buttons', () => {
    const a = cardClickedEvent(space, 'vote');
    const later = { ...a, eventTime: new Date(Date.parse(String(a.eventTime)) + 1000).toISOString() };
    expect(keyOf(toAddonEvent(a))).not.toBe(keyOf(toAddonEvent(later)));
    expect(keyOf(toAddonEvent(a))).not.toBe(keyOf(toAddonEvent({ ...a, action: { actionMethodName: 'unvote' } })));
  });

  test('a message or slash command is keyed by the message: equal for one message, different for two', () => {
    const m = messageEvent(space, 'hi');
    expect(keyOf(toAddonEvent({ ...m, eventTime: new Date(Date.now() + 5000).toISOString() }))).toBe(keyOf(toAddonEvent(m)));
    expect(keyOf(toAddonEvent(messageEvent(space, 'hi')))).not.toBe(keyOf(toAddonEvent(m)));
    const c = slashCommandEvent(space, 2, '/count');
    expect(keyOf(toAddonEvent({ ...c, eventTime: new Date(Date.now() + 5000).toISOString() }))).toBe(keyOf(toAddonEvent(c)));
  });

  test('autocomplete keys differ by query; the two requests of an add by @mention are two deliveries', () => {
    const typed = widgetUpdatedEvent(space, 'zones', 'a');
    const more = { ...typed, common: { ...(typed.common as Json), parameters: { autocomplete_widget_query: 'ab' } } };
    expect(keyOf(toAddonEvent(typed))).not.toBe(keyOf(toAddonEvent(more)));
    const [added, message] = toAddonEvents(addedEvent(space, { message: messageEvent(space, '@app hi').message }));
    expect(keyOf(added)).not.toBe(keyOf(message));
  });

  test('the classic and add-on forms of one event have different keys (a deployment gets one of them)', () => {
    const m = messageEvent(space, 'hi');
    expect(keyOf(toAddonEvent(m))).not.toBe(keyOf(m));
  });
});
