/**
 * The add-on form of each classic event normalizes to the same event (docs/chat-protocol.md §4.1 mapping): only
 * `format` and `wireType` tell them apart, so handlers cannot.
 */
import { NO_SPACE, type ChatEvent } from '../../shared/events/model';
import { toAddonEvent } from '../helpers/addon-events';
import { BOT, addedEvent, cardClickedEvent, messageEvent, newSpace, normalized, removedEvent, slashCommandEvent, widgetUpdatedEvent } from '../helpers/chat-events';

type Json = Record<string, unknown>;

const space = newSpace();
const mention = () => {
  const m = messageEvent(space, '@Team Assistant  hello ');
  Object.assign(m.message as Json, {
    argumentText: '  hello ',
    annotations: [{ type: 'USER_MENTION', startIndex: 0, length: 15, userMention: { user: BOT, type: 'MENTION' } }],
  });
  return m;
};
const preview = () => {
  const m = messageEvent(space, 'see https://example.com/polls/1');
  (m.message as Json).matchedUrl = { url: 'https://example.com/polls/1' };
  return m;
};
const submit = () => {
  const e = cardClickedEvent(space, 'submitForm', { step: '2' }, { isDialogEvent: true, dialogEventType: 'SUBMIT_DIALOG' });
  Object.assign(e.common as Json, {
    userLocale: 'de',
    timeZone: { id: 'Europe/Berlin', offset: 3600000 },
    formInputs: {
      title: { stringInputs: { value: ['Printer on fire'] } },
      when: { dateTimeInput: { msSinceEpoch: '1767225600000', hasDate: true, hasTime: true } },
    },
  });
  return e;
};

const cancel = () => {
  const { action: _none, ...e } = cardClickedEvent(space, 'unused', {}, { isDialogEvent: true, dialogEventType: 'CANCEL_DIALOG', common: {} });
  return e;
};

const cases: [string, () => Json, ChatEvent['kind'], string][] = [
  ['a plain message', () => messageEvent(space, 'hello'), 'message', 'messagePayload'],
  ['an @mention', mention, 'message', 'messagePayload'],
  ['a link preview', preview, 'linkPreview', 'messagePayload'],
  ['a slash command', () => slashCommandEvent(space, 7, '/seven', 'now please'), 'command', 'appCommandPayload'],
  ['a slash command opening a dialog', () => slashCommandEvent(space, 7, '/seven', '', { isDialogEvent: true, dialogEventType: 'REQUEST_DIALOG' }), 'command', 'appCommandPayload'],
  ['a quick command', () => ({ type: 'APP_COMMAND', eventTime: new Date().toISOString(), space, user: BOT, appCommandMetadata: { appCommandId: 1, appCommandType: 'QUICK_COMMAND' } }), 'command', 'appCommandPayload'],
  ['being added', () => addedEvent(space), 'added', 'addedToSpacePayload'],
  ['being removed', () => removedEvent(space), 'removed', 'removedFromSpacePayload'],
  ['a card click', () => cardClickedEvent(space, 'vote', { option: '2' }), 'action', 'buttonClickedPayload'],
  ['a dialog submission with form inputs', submit, 'action', 'buttonClickedPayload'],
  ['a dialog closed with its ✕ (no function named)', cancel, 'action', 'buttonClickedPayload'],
  ['an autocomplete request', () => widgetUpdatedEvent(space, 'zones', 'Eu'), 'widget', 'widgetUpdatedPayload'],
];

test.each(cases)('%s: the add-on form normalizes to the same event', (_label, make, kind, payload) => {
  const classic = make();
  const fromClassic = normalized(classic);
  const fromAddon = normalized(toAddonEvent(classic));
  expect(fromClassic.kind).toBe(kind);
  expect(fromAddon).toMatchObject({ format: 'addon', wireType: payload });
  expect({ ...fromAddon, format: 'chat', wireType: fromClassic.wireType }).toEqual(fromClassic);
});

test('an added event never carries a message, even if a payload had one: the next request answers it', () => {
  const body = toAddonEvent(addedEvent(space));
  const payload = (body.chat as Json).addedToSpacePayload as Json;
  Object.assign(payload, { interactionAdd: true, message: messageEvent(space, '@app hi').message });
  const event = normalized(body);
  expect(event.kind).toBe('added');
  expect(event.message).toBeUndefined();
});

test('chat.space stands in for a payload without a space', () => {
  const body = toAddonEvent(removedEvent(space));
  const chat = body.chat as Json;
  delete (chat.removedFromSpacePayload as Json).space;
  chat.space = space;
  expect(normalized(body).space.name).toBe(space.name);
});

test("the payload's own space and thread come first; chat.space and the message's thread are fallbacks", () => {
  const other = newSpace();
  const body = toAddonEvent(cardClickedEvent(space, 'vote', { option: '2' }));
  const chat = body.chat as Json;
  const payload = chat.buttonClickedPayload as Json;
  chat.space = other;
  const thread = `${String(space.name)}/threads/from-payload`;
  payload.thread = { name: thread };
  const event = normalized(body);
  expect(event.space.name).toBe(space.name);
  expect(event.threadName).toBe(thread);
  expect(event.message?.threadName).not.toBe(thread);
});

test('an autocomplete request without a query reads as an empty query', () => {
  const body = toAddonEvent(widgetUpdatedEvent(space, 'zones', 'Eu'));
  delete ((body.commonEventObject as Json).parameters as Json).autocomplete_widget_query;
  const event = normalized(body);
  expect(event.kind === 'widget' && event.widget).toEqual({ function: 'zones', query: '' });
});

test('the App Home tab (no payload) reads chat.space when it is there, and no space when it is not', () => {
  const dm = newSpace('DM');
  const tab = (chat: Json) => normalized({ commonEventObject: { hostApp: 'CHAT' }, chat: { user: BOT, eventTime: new Date().toISOString(), ...chat } });
  expect(tab({ space: dm }).space).toEqual({ name: dm.name, id: String(dm.name).slice('spaces/'.length), kind: 'DM', displayName: undefined });
  expect(tab({}).space).toEqual(NO_SPACE);
  // The name its log lines carry as eventType, like Chat's APP_HOME in the classic format.
  expect(tab({})).toMatchObject({ format: 'addon', wireType: 'appHome', kind: 'home' });
});

// A payload is a field of `chat` whose name ends in "Payload": one that only contains the word is some
// other field (Google adds fields), not a second payload that would make the event a 400.
test('a field of chat with "Payload" inside its name, not at its end, is not a payload', () => {
  const body = toAddonEvent(messageEvent(space, 'hello'));
  (body.chat as Json).messagePayloadVersion = 2;
  expect(normalized(body)).toMatchObject({ kind: 'message', wireType: 'messagePayload' });
});
