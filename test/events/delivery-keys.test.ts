/**
 * Delivery keys as Chat really sends events: the key is the same for a retry of one interaction
 * and differs between two interactions that differ in any one part, in both wire formats.
 * (A collision silently drops the second interaction: it gets the first one's stored answer.)
 */
import { deliveryKey } from '../../shared/events/delivery-key';
import { normalizeEvent } from '../../shared/events/normalize';
import { toAddonEvent } from '../helpers/addon-events';
import { ADA, GRACE, cardClickedEvent, messageEvent, newSpace, slashCommandEvent, widgetUpdatedEvent } from '../helpers/chat-events';

type Json = Record<string, unknown>;

const keyOf = (event: Json) => {
  const n = normalizeEvent(event);
  if (!('event' in n)) throw new Error(`not an event: ${n.ignored}`);
  return deliveryKey(n.event);
};

const space = newSpace();
const otherSpace = newSpace();
const SECOND = '2026-03-02T10:00:00.123456Z';
const LATER = '2026-03-02T10:00:01.123456Z';
/** The poll's one message: everyone who votes clicks a button of this message. */
const pollMessage = cardClickedEvent(space, 'pollVote').message as Json;
/** A click on the poll's message; `extra` changes one part of it. */
const click = (extra: Json = {}) => cardClickedEvent(space, 'pollVote', { poll: 'p1', option: '0' }, { eventTime: SECOND, message: pollMessage, ...extra });
const base = click();

describe.each([
  ['chat', (e: Json) => e],
  ['addon', toAddonEvent],
] as const)('%s format', (_format, wire) => {
  const key = (e: Json) => keyOf(wire(e));

  test.each<[string, Json]>([
    ['another person clicking the same message at the same instant', { user: GRACE }],
    ['another person with the same display name', { user: { ...GRACE, displayName: ADA.displayName } }],
    ['the same person clicking another message at the same instant', { message: { ...pollMessage, name: `${space.name}/messages/other` } }],
    ['the same person clicking the same button a second later', { eventTime: LATER }],
    ['the same message id in another space', { space: otherSpace }],
  ])('%s is another delivery', (_label, change) => {
    expect(key(click(change))).not.toBe(key(base));
  });

  test('another button of the same message is another delivery', () => {
    const close = cardClickedEvent(space, 'pollClose', { poll: 'p1', option: '0' }, { eventTime: SECOND, message: pollMessage });
    expect(key(close)).not.toBe(key(base));
  });

  test('a message is keyed by its name: a retry with a new eventTime is the same delivery, another message is not', () => {
    const sent = messageEvent(space, 'hello');
    expect(key({ ...sent, eventTime: LATER })).toBe(key(sent));
    const other = messageEvent(space, 'hello', { eventTime: sent.eventTime, user: sent.user });
    expect(key(other)).not.toBe(key(sent));
  });

  test('a slash command is keyed by its message: a retry with a new eventTime is the same delivery', () => {
    const command = slashCommandEvent(space, 2, '/count');
    expect(key({ ...command, eventTime: LATER })).toBe(key(command));
    expect(key(slashCommandEvent(space, 2, '/count', '', { eventTime: command.eventTime }))).not.toBe(key(command));
  });

  test('two autocomplete requests differing only in the query are two deliveries', () => {
    const typed = widgetUpdatedEvent(space, 'zones', 'a');
    const more = widgetUpdatedEvent(space, 'zones', 'ab');
    more.eventTime = typed.eventTime;
    expect(key(more)).not.toBe(key(typed));
  });

  test('the same text typed into two autocomplete fields at the same instant is two deliveries', () => {
    const zones = widgetUpdatedEvent(space, 'zones', 'Eu');
    const teams = widgetUpdatedEvent(space, 'teams', 'Eu');
    teams.eventTime = zones.eventTime;
    expect(key(teams)).not.toBe(key(zones));
  });

  test('a retry of a click, a dialog step or an autocomplete request is the same delivery', () => {
    for (const make of [() => click(), () => click({ dialogEventType: 'SUBMIT_DIALOG', isDialogEvent: true }), () => ({ ...widgetUpdatedEvent(space, 'zones', 'Eu'), eventTime: SECOND })]) {
      expect(key(make())).toBe(key(make()));
    }
  });
});

test('a dialog step is part of a click key: opening and submitting the same dialog at the same instant differ', () => {
  const open = click({ dialogEventType: 'REQUEST_DIALOG', isDialogEvent: true });
  const submit = click({ dialogEventType: 'SUBMIT_DIALOG', isDialogEvent: true });
  expect(keyOf(open)).not.toBe(keyOf(submit));
  expect(keyOf(open)).not.toBe(keyOf(base));
});

test('the same click in the two wire formats is two deliveries (an add-on gets its own)', () => {
  expect(keyOf(toAddonEvent(base))).not.toBe(keyOf(base));
});

test('a key is a fixed-length hex string: a valid Firestore document id', () => {
  for (const e of [base, messageEvent(space, 'x'.repeat(5000)), toAddonEvent(base)]) expect(keyOf(e)).toMatch(/^[0-9a-f]{64}$/);
});
