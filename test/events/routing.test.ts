/**
 * Each kind of event reaches its handler through the real HTTP stack, verification included,
 * and malformed input gets its 4xx with a JSON error.
 */
import { formatKit } from '../helpers/addon-events';
import { ADA, cardClickedEvent, messageEvent, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { routingCases, routingRouter as router, seen } from './routing-cases';

let server: EventsServer;
beforeAll(async () => {
  server = await startEventsServer({ projectId: randomProjectId('routing'), router });
});
afterAll(() => server?.stop());
beforeEach(() => {
  seen.length = 0;
});

// The cases are shared with test/addon/routing-both-formats.test.ts, which runs them in both formats.
describe('routing', () => routingCases(formatKit('chat'), () => server));

describe('malformed input', () => {
  const space = newSpace();
  const withMessage = (fields: Record<string, unknown>) => {
    const e = messageEvent(space, 'hi');
    return { ...e, message: { ...(e.message as object), ...fields } };
  };
  const withForm = (input: unknown) => {
    const e = cardClickedEvent(space, 'x');
    return { ...e, common: { ...(e.common as object), formInputs: { title: input } } };
  };
  const cases: [string, unknown, string][] = [
    ['not an object', [1, 2], 'the body must be a JSON object'],
    ['no type', { space }, 'type is required'],
    ['type not a string', { type: 5 }, 'type must be a string'],
    ['MESSAGE without message', { type: 'MESSAGE', eventTime: new Date().toISOString(), space, user: { name: 'users/1' } }, 'message is required'],
    ['bad space name', { ...messageEvent(space, 'x'), space: { name: 'rooms/1' } }, 'space.name must be spaces/{id}'],
    ['a space id that is not one', { ...messageEvent(space, 'x'), space: { name: 'spaces/a/b' } }, 'space.name must be spaces/{id}'],
    // As long as "spaces/", so a check that only cut the prefix off would find a valid id after it.
    ['another 7-character prefix', { ...messageEvent(space, 'x'), space: { name: 'xspace/AAAA' } }, 'space.name must be spaces/{id}'],
    ['missing user', { ...messageEvent(space, 'x'), user: undefined }, 'user must be an object'],
    ['a user without a name', { ...messageEvent(space, 'x'), user: { displayName: 'Ada' } }, 'user.name must be a string (users/{id})'],
    ['bad eventTime', { ...messageEvent(space, 'x'), eventTime: 'yesterday' }, 'eventTime must be an RFC 3339 timestamp'],
    // The right shape but no real time: it would reach the day key of the space's counters.
    ['eventTime in month 13', { ...messageEvent(space, 'x'), eventTime: '2026-13-01T10:00:00Z' }, 'eventTime must be an RFC 3339 timestamp'],
    ['eventTime at hour 25', { ...messageEvent(space, 'x'), eventTime: '2026-05-01T25:00:00Z' }, 'eventTime must be an RFC 3339 timestamp'],
    ['command id not a number', slashCommandEvent(space, 1, '/about', '', { appCommandMetadata: { appCommandId: 'one' } }), 'appCommandMetadata.appCommandId must be an integer'],
    ['CARD_CLICKED without a function', { ...cardClickedEvent(space, 'x'), action: {}, common: {} }, 'action.actionMethodName or common.invokedFunction is required'],
    ['parameters not strings', { ...cardClickedEvent(space, 'x'), common: { invokedFunction: 'x', parameters: { a: 1 } } }, 'common.parameters.a must be a string'],
    ['add-on event without a payload (read as App Home) and no eventTime', { commonEventObject: {}, chat: {} }, 'chat.eventTime must be a string'],
    ['APP_COMMAND without its metadata', { type: 'APP_COMMAND', eventTime: new Date().toISOString(), space, user: ADA }, 'appCommandMetadata.appCommandId is required for APP_COMMAND'],
    ['annotations not an array', withMessage({ annotations: 'x' }), 'message.annotations must be an array'],
    ['an annotation not an object', withMessage({ annotations: [{ type: 'USER_MENTION' }, 7] }), 'message.annotations[1] must be an object'],
    ['a form value not an array', withForm({ stringInputs: { value: 'Printer' } }), 'common.formInputs.title.stringInputs.value must be an array of strings'],
    ['a form value with a member not a string', withForm({ stringInputs: { value: ['Printer', 3] } }), 'common.formInputs.title.stringInputs.value must be an array of strings'],
  ];
  test.each(cases)('%s → 400 with a JSON error that says what is wrong', async (_name, body, message) => {
    const res = await server.post(body);
    expect(res.status).toBe(400);
    expect((res.json as { error: string }).error).toContain(message);
  });

  test('malformed JSON → 400; a body that is not application/json → 400 JSON error', async () => {
    const res = await server.post(undefined, { raw: '{not json', contentType: 'application/json; charset=utf-8' });
    // Ours, not the functions-framework's HTML error page: the framework never parses the body.
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'the body is not valid JSON' });
    const text = await server.post(undefined, { raw: 'type=MESSAGE', contentType: 'text/plain' });
    expect(text.status).toBe(400);
    expect(text.json).toEqual({ error: 'Content-Type must be application/json' });
  });

  test('an empty body → 400', async () => {
    const res = await server.post(undefined, { raw: '', contentType: 'application/json' });
    expect(res.status).toBe(400);
  });

  test('non-POST → 405 with Allow: POST', async () => {
    const res = await fetch(server.url, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toEqual({ error: 'only POST is accepted' });
  });

  test('a body over 1 MiB → 413', async () => {
    const res = await server.post({ type: 'MESSAGE', padding: 'x'.repeat(1024 * 1024) });
    expect(res.status).toBe(413);
    expect((res.json as { error: string }).error).toContain('1048576');
  });

  test('no handler ran for any malformed input', () => {
    expect(seen).toHaveLength(0);
  });
});
