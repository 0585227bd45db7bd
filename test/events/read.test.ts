/**
 * How the body reader takes what Chat's JSON may hold (shared/events/read.ts), seen through the
 * normalizer: a null field reads as absent, an integer as a number or an int64 string and nothing
 * else, and each 400 names the field and what it must be, word for word.
 */
import { normalizeEvent } from '../../shared/events/normalize';
import { cardClickedEvent, messageEvent, newSpace, normalized, slashCommandEvent } from '../helpers/chat-events';

type Json = Record<string, unknown>;

const space = newSpace();

/** The 400's words for a body, or 'accepted'. */
function refusal(body: Json): string {
  try {
    normalizeEvent(body);
    return 'accepted';
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

/** A slash command that names its id only in `message.slashCommand`, as `commandId` = `id`. */
function commandWithId(id: unknown): Json {
  const e = slashCommandEvent(space, 4, '/ping');
  delete e.appCommandMetadata;
  (e.message as Json).slashCommand = { commandId: id };
  return e;
}

test('a field sent as null reads as absent: an object, a string, a boolean, a list of objects and a list of strings', () => {
  const e = messageEvent({ ...space, singleUserBotDm: null, displayName: null }, 'hi', { thread: null });
  (e.message as Json).annotations = null;
  const event = normalized(e);
  expect(event.space).toMatchObject({ name: space.name, kind: 'SPACE', displayName: undefined });
  expect(event.threadName).toBe((e.message as { thread: { name: string } }).thread.name);
  const click = cardClickedEvent(space, 'save');
  (click.common as Json).formInputs = { tags: { stringInputs: { value: null } } };
  expect(normalized(click).common.formInputs).toEqual({ tags: { kind: 'strings', values: [] } });
});

test('an integer arrives as a number or an int64 string; an empty or blank string, a boolean or a float is a 400', () => {
  const idOf = (id: unknown) => {
    const event = normalized(commandWithId(id));
    return event.kind === 'command' ? event.command.id : undefined;
  };
  expect([idOf(4), idOf('4'), idOf(' 4 ')]).toEqual([4, 4, 4]);
  for (const id of ['', '   ', true, 4.5, '4.5']) {
    expect(refusal(commandWithId(id))).toBe('BadRequestError: message.slashCommand.commandId must be an integer');
  }
});

test("each 400 says what the field must be, in the reader's words", () => {
  expect(refusal(messageEvent({ ...space, displayName: 5 }, 'hi'))).toBe('BadRequestError: space.displayName must be a string');
  expect(refusal(messageEvent({ ...space, singleUserBotDm: 'yes' }, 'hi'))).toBe('BadRequestError: space.singleUserBotDm must be a boolean');
  // A name is the whole value: one with more path before or after it is not a message's, a thread's or a person's name.
  for (const name of [`${space.name}/messages/M1/reactions`, `projects/p/${space.name}/messages/M1`]) {
    const e = messageEvent(space, 'hi');
    (e.message as Json).name = name;
    expect(refusal(e)).toMatch(/^BadRequestError: message\.name must be spaces\/\{space\}\/messages\/\{message\}/);
  }
  for (const name of [`${space.name}/threads/T1/messages`, `projects/p/${space.name}/threads/T1`]) {
    expect(refusal(messageEvent(space, 'hi', { thread: { name } }))).toMatch(/^BadRequestError: thread\.name must be spaces\/\{space\}\/threads\/\{thread\}/);
  }
  for (const name of ['users/1234/profile', 'people/users/1234']) {
    const e = messageEvent(space, 'hi');
    expect(refusal({ ...e, user: { ...(e.user as Json), name } })).toMatch(/^BadRequestError: user\.name must be users\/\{id\}/);
  }
  const typed = slashCommandEvent(space, 4, '/ping', '', { appCommandMetadata: { appCommandId: 4, appCommandType: 'BOGUS' } });
  expect(refusal(typed)).toBe(
    'BadRequestError: appCommandMetadata.appCommandType must be one of SLASH_COMMAND, QUICK_COMMAND, MESSAGE_ACTION, APP_COMMAND_TYPE_UNSPECIFIED',
  );
});

test("a list's item that is not an object (null, a string, a list), or has a bad field, is a 400 naming the item, not a crash", () => {
  for (const item of [null, 'key=value', [{ key: 'k', value: 'v' }]]) {
    const click = cardClickedEvent(space, 'save');
    (click.action as Json).parameters = [{ key: 'id', value: '7' }, item];
    expect(refusal(click)).toBe('BadRequestError: action.parameters[1] must be an object');
  }
  // A bad field inside an item: the path names the item too.
  const click = cardClickedEvent(space, 'save');
  (click.action as Json).parameters = [{ key: 'id', value: '7' }, { key: 5, value: 'x' }];
  expect(refusal(click)).toBe('BadRequestError: action.parameters[1].key must be a string');
});
