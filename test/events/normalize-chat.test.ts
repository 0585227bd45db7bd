/**
 * What handlers see of the classic fields Chat may leave out or fill in its own way
 * (docs/chat-protocol.md §2): each absence reads as empty, never as a made-up value.
 */
import { normalizeEvent } from '../../shared/events/normalize';
import { ADA, BOT, cardClickedEvent, messageEvent, newSpace, normalized, slashCommandEvent, widgetUpdatedEvent } from '../helpers/chat-events';

type Json = Record<string, unknown>;

const space = newSpace();

test('a slash command whose argumentText keeps the command name: handlers get only the arguments', () => {
  const e = slashCommandEvent(space, 3, '/deploy', 'now please');
  (e.message as Json).argumentText = '/deploy   now please ';
  const event = normalized(e);
  expect(event.kind === 'command' && event.command).toMatchObject({ id: 3, name: '/deploy', argumentText: 'now please' });
});

test('the sender reaches handlers whole: name, display name, email and type', () => {
  expect(normalized(messageEvent(space, 'hi')).user).toEqual({ name: 'users/1111', displayName: 'Ada Lovelace', email: 'ada@example.com', type: 'HUMAN' });
});

// Chat has said "DM" three ways over the years (docs/chat-protocol.md §2.3); any one of them alone is enough.
test.each([
  ['spaceType DIRECT_MESSAGE alone', { spaceType: 'DIRECT_MESSAGE' }, 'DM'],
  ['the legacy type DM alone', { type: 'DM' }, 'DM'],
  ['singleUserBotDm alone', { singleUserBotDm: true }, 'DM'],
  ['spaceType GROUP_CHAT', { spaceType: 'GROUP_CHAT' }, 'GROUP_CHAT'],
  ['spaceType SPACE with the legacy type ROOM', { spaceType: 'SPACE', type: 'ROOM' }, 'SPACE'],
  ['no type at all', {}, 'SPACE'],
])('a space with %s is a %s', (_label, fields, kind) => {
  const event = normalized(messageEvent({ name: 'spaces/KINDS1', ...fields }, 'hi'));
  expect(event.space).toMatchObject({ name: 'spaces/KINDS1', id: 'KINDS1', kind });
});

test("a message's text reaches handlers, and stands in for an absent argumentText; no text (an attachment alone) reads as empty", () => {
  const plain = messageEvent(space, '  hello there ');
  delete (plain.message as Json).argumentText;
  expect(normalized(plain).message).toMatchObject({ text: '  hello there ', argumentText: 'hello there' });
  const attachment = messageEvent(space, 'x');
  delete (attachment.message as Json).text;
  delete (attachment.message as Json).argumentText;
  expect(normalized(attachment).message).toMatchObject({ text: '', argumentText: '' });
});

test('addedByMention: only an annotation of type ADD (the @mention or slash command that added the app) sets it', () => {
  const withAnnotations = (annotations: Json[]) => {
    const e = messageEvent(space, '@Team Assistant hi');
    (e.message as Json).annotations = annotations;
    return normalized(e).message?.addedByMention;
  };
  const mention = (type: string) => ({ type: 'USER_MENTION', startIndex: 0, length: 15, userMention: { user: BOT, type } });
  expect([withAnnotations([]), withAnnotations([mention('MENTION')]), withAnnotations([mention('MENTION'), mention('ADD')])]).toEqual([false, false, true]);
  expect(withAnnotations([{ type: 'SLASH_COMMAND', startIndex: 0, length: 5, slashCommand: { bot: BOT, type: 'ADD', commandId: '1', commandName: '/poll' } }])).toBe(true);
});

test('a card parameter listed without a value reads as the empty string', () => {
  const e = cardClickedEvent(space, 'vote', {}, { action: { actionMethodName: 'vote', parameters: [{ key: 'option' }, { key: 'poll', value: 'p1' }] } });
  const event = normalized(e);
  expect(event.kind === 'action' && event.action).toEqual({ function: 'vote', parameters: { option: '', poll: 'p1' } });
});

test('an autocomplete request without a query reads as an empty query', () => {
  const e = widgetUpdatedEvent(space, 'zones', 'Eu');
  (e.common as Json).parameters = {};
  const event = normalized(e);
  expect(event.kind === 'widget' && event.widget).toEqual({ function: 'zones', query: '' });
});

test('a form input with no value, or of a kind this model does not read, is an empty list of strings', () => {
  const e = cardClickedEvent(space, 'save');
  (e.common as Json).formInputs = { tags: { stringInputs: {} }, shape: {}, title: { stringInputs: { value: ['x'] } } };
  expect(normalized(e).common.formInputs).toEqual({
    tags: { kind: 'strings', values: [] },
    shape: { kind: 'strings', values: [] },
    title: { kind: 'strings', values: ['x'] },
  });
});

test('a classic event of a type this model does not handle, wrapped as App Home events are, is acknowledged as ignored', () => {
  const wrapped = { commonEventObject: { hostApp: 'CHAT' }, chat: { type: 'MEMBERSHIP_CHANGED', user: BOT, space } };
  expect(normalizeEvent(wrapped)).toEqual({ ignored: 'MEMBERSHIP_CHANGED' });
  expect(normalizeEvent({ ...messageEvent(space, 'x'), type: 'MEMBERSHIP_CHANGED' })).toEqual({ ignored: 'MEMBERSHIP_CHANGED' });
});

test("a slash command's name comes from its own annotation, even after a mention's", () => {
  const e = slashCommandEvent(space, 3, '/deploy', 'now');
  const message = e.message as Json;
  message.annotations = [{ type: 'USER_MENTION', startIndex: 0, length: 15, userMention: { user: BOT, type: 'MENTION' } }, ...(message.annotations as Json[])];
  const event = normalized(e);
  expect(event.kind === 'command' && event.command).toMatchObject({ id: 3, name: '/deploy', argumentText: 'now' });
});

test('a quick command (no message) and a message action (the message acted on) keep their own command type; the quick command has no argument text', () => {
  const appCommand = (appCommandType: string, extra: Json = {}) =>
    normalized({ type: 'APP_COMMAND', eventTime: new Date().toISOString(), space, user: BOT, appCommandMetadata: { appCommandId: 2, appCommandType }, ...extra });
  const quick = appCommand('QUICK_COMMAND');
  expect(quick.kind === 'command' && quick.command).toEqual({ id: 2, name: undefined, type: 'QUICK_COMMAND', argumentText: '' });
  const acted = messageEvent(space, 'ship it');
  delete (acted.message as Json).argumentText;
  const action = appCommand('MESSAGE_ACTION', { message: acted.message });
  expect(action.kind === 'command' && action.command).toEqual({ id: 2, name: undefined, type: 'MESSAGE_ACTION', argumentText: 'ship it' });
});

test('App Home events: their own time and space are kept when they carry them; a form submitted from the home tab needs neither', () => {
  const sent = '2026-01-01T00:00:00Z';
  expect(normalized({ type: 'APP_HOME', eventTime: sent, space, user: ADA })).toMatchObject({ eventTime: sent, space: { name: space.name } });
  const before = Date.now();
  const submitted = normalized({ type: 'SUBMIT_FORM', user: ADA, common: { hostApp: 'CHAT', invokedFunction: 'saveHome' } });
  expect(submitted).toMatchObject({ kind: 'action', action: { function: 'saveHome', parameters: {} }, surface: 'home', space: { name: 'spaces/-' } });
  expect(Date.parse(submitted.eventTime)).toBeGreaterThanOrEqual(before - 1000);
});

// Chat sends UTC ("Z"), but RFC 3339 allows a zone offset, and the rule accepts what the RFC does.
// JavaScript's Date also reads a signed six-digit year, which is not RFC 3339 (and would reach the day keys).
test('an eventTime with a zone offset is read as sent; an offset cut short or a six-digit year is refused', () => {
  for (const eventTime of ['2026-12-03T10:00:00+05:30', '2026-12-03T10:00:00.123-03:00']) {
    expect(normalized({ ...messageEvent(space, 'x'), eventTime }).eventTime).toBe(eventTime);
  }
  for (const eventTime of ['2026-12-03T10:00:00+05:3', '2026-12-03T10:00:00+5:30', '2026-12-03T10:00:00+ab:30', '+012026-12-03T10:00:00Z']) {
    expect(() => normalized({ ...messageEvent(space, 'x'), eventTime })).toThrow('eventTime must be an RFC 3339 timestamp');
  }
});

test("a click names its function in the legacy action alone, or in common alone; the action's name comes first", () => {
  const fnOf = (e: Json) => {
    const event = normalized(e);
    return event.kind === 'action' ? event.action.function : undefined;
  };
  expect(fnOf(cardClickedEvent(space, 'vote', {}, { common: { hostApp: 'CHAT' } }))).toBe('vote');
  const commonOnly = cardClickedEvent(space, 'vote');
  delete commonOnly.action;
  expect(fnOf(commonOnly)).toBe('vote');
  expect(fnOf(cardClickedEvent(space, 'vote', {}, { action: { actionMethodName: 'legacyVote' } }))).toBe('legacyVote');
});

test("the interaction's thread is the message's, or the event's own when the message names none", () => {
  const click = cardClickedEvent(space, 'save');
  const messageThread = (click.message as { thread: { name: string } }).thread.name;
  expect(normalized(click).threadName).toBe(messageThread);
  delete (click.message as Record<string, unknown>).thread;
  click.thread = { name: `${space.name}/threads/T9` };
  expect(normalized(click).threadName).toBe(`${space.name}/threads/T9`);
});
