/**
 * Each kind of event reaches its handler through the real HTTP stack, verification included,
 * and malformed input gets its 4xx with a JSON error.
 */
import type { ChatEvent } from '../../shared/events/model';
import { reply } from '../../shared/replies/responses';
import { Router } from '../../shared/routing/router';
import { button, buttonList, card, section, textParagraph, withId, action } from '../../shared/replies/cards';
import {
  addedEvent,
  cardClickedEvent,
  messageEvent,
  newSpace,
  randomProjectId,
  removedEvent,
  slashCommandEvent,
  widgetUpdatedEvent,
} from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';

const seen: { route: string; event: ChatEvent }[] = [];
const record = (route: string) => (event: ChatEvent) => {
  seen.push({ route, event });
  return reply.text(`handled by ${route}`);
};

const router = new Router()
  .command({ id: 1, name: '/about', description: 'about' }, record('command1'), { pure: true })
  .command({ id: 7, name: '/seven', description: 'seven' }, record('command7'), { pure: true })
  .action('vote', record('action:vote'), { pure: true })
  .action('openForm', () => reply.dialog(card({ title: 'Form', sections: [section([textParagraph('hi')])] })), { pure: true })
  .action('submitForm', (e) => (e.kind === 'action' && e.common.formInputs.title ? reply.closeDialog('Saved') : reply.dialogError('INVALID_ARGUMENT', 'Title is required')), { pure: true })
  .widget('zones', (e) => reply.suggestions('zone', [{ text: `match ${e.kind === 'widget' ? e.widget.query : ''}`, value: 'x' }]))
  .added(record('added'), { pure: true })
  .removed(record('removed'), { pure: true })
  .message(record('message'), { pure: true })
  .linkPreview(
    (e) => reply.updateUserMessageCards([withId('preview', card({ title: e.kind === 'linkPreview' ? e.url : '', sections: [section([buttonList(button('Open', action('vote')))])] }))]),
    { pure: true },
  );

let server: EventsServer;
beforeAll(async () => {
  server = await startEventsServer({ projectId: randomProjectId('routing'), router });
});
afterAll(() => server.stop());
beforeEach(() => {
  seen.length = 0;
});

const last = () => seen[seen.length - 1];

describe('routing', () => {
  const space = newSpace();

  test('a slash command is routed by its id (appCommandMetadata first)', async () => {
    const res = await server.post(slashCommandEvent(space, 7, '/seven', 'now please'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ text: 'handled by command7' });
    const e = last().event;
    expect(e.kind === 'command' && e.command).toMatchObject({ id: 7, name: '/seven', argumentText: 'now please', type: 'SLASH_COMMAND' });
  });

  test('a slash command without appCommandMetadata falls back to message.slashCommand.commandId (a string)', async () => {
    const e = slashCommandEvent(space, 7, '/seven');
    delete e.appCommandMetadata;
    await server.post(e);
    expect(last().route).toBe('command7');
  });

  test('a quick command (APP_COMMAND) is routed by appCommandMetadata', async () => {
    await server.post({ type: 'APP_COMMAND', eventTime: new Date().toISOString(), space, user: { name: 'users/1' }, appCommandMetadata: { appCommandId: 1, appCommandType: 'QUICK_COMMAND' } });
    expect(last().route).toBe('command1');
    const e = last().event;
    expect(e.kind === 'command' && e.command.type).toBe('QUICK_COMMAND');
  });

  test('an unknown command gets a private answer listing the commands', async () => {
    const res = await server.post(slashCommandEvent(space, 99, '/nope'));
    expect(res.json).toMatchObject({ privateMessageViewer: { name: 'users/1111' } });
    expect((res.json as { text: string }).text).toContain('/about');
  });

  test('a card click is routed by function name with its parameters', async () => {
    await server.post(cardClickedEvent(space, 'vote', { option: '2' }));
    const e = last().event;
    expect(e.kind === 'action' && e.action).toEqual({ function: 'vote', parameters: { option: '2' } });
    expect(e.kind === 'action' && e.messageSenderType).toBe('BOT');
  });

  test('dialog request, submit with invalid and valid input, and cancel', async () => {
    const open = await server.post(cardClickedEvent(space, 'openForm', {}, { isDialogEvent: true, dialogEventType: 'REQUEST_DIALOG' }));
    expect(open.json).toMatchObject({ actionResponse: { type: 'DIALOG', dialogAction: { dialog: { body: { header: { title: 'Form' } } } } } });
    const invalid = await server.post(cardClickedEvent(space, 'submitForm', {}, { isDialogEvent: true, dialogEventType: 'SUBMIT_DIALOG' }));
    expect(invalid.json).toEqual({
      actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: { statusCode: 'INVALID_ARGUMENT', userFacingMessage: 'Title is required' } } },
    });
    const valid = cardClickedEvent(space, 'submitForm', {}, { isDialogEvent: true, dialogEventType: 'SUBMIT_DIALOG' });
    (valid.common as Record<string, unknown>).formInputs = { title: { stringInputs: { value: ['Printer on fire'] } } };
    expect((await server.post(valid)).json).toEqual({
      actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: { statusCode: 'OK', userFacingMessage: 'Saved' } } },
    });
    const cancel = await server.post(cardClickedEvent(space, 'closeIcon', {}, { isDialogEvent: true, dialogEventType: 'CANCEL_DIALOG' }));
    expect(cancel.json).toEqual({ actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: { statusCode: 'OK' } } } });
  });

  test('autocomplete (WIDGET_UPDATED) answers UPDATE_WIDGET with suggestions', async () => {
    const res = await server.post(widgetUpdatedEvent(space, 'zones', 'Eur'));
    expect(res.json).toEqual({
      actionResponse: { type: 'UPDATE_WIDGET', updatedWidget: { widget: 'zone', suggestions: { items: [{ text: 'match Eur', value: 'x' }] } } },
    });
  });

  test('a link preview answers UPDATE_USER_MESSAGE_CARDS', async () => {
    const e = messageEvent(space, 'see https://example.com/polls/1');
    (e.message as Record<string, unknown>).matchedUrl = { url: 'https://example.com/polls/1' };
    const res = await server.post(e);
    expect(res.json).toMatchObject({ actionResponse: { type: 'UPDATE_USER_MESSAGE_CARDS' }, cardsV2: [{ cardId: 'preview' }] });
  });

  test('added, removed and plain messages reach their handlers; @mention text is trimmed', async () => {
    await server.post(addedEvent(space));
    expect(last().route).toBe('added');
    await server.post(removedEvent(space));
    expect(last().route).toBe('removed');
    const m = messageEvent(space, '@Bot  hello there');
    (m.message as Record<string, unknown>).argumentText = '  hello there ';
    await server.post(m);
    const e = last().event;
    expect(e.kind === 'message' && e.message.argumentText).toBe('hello there');
  });

  test('an unknown event type is acknowledged with {} and logged', async () => {
    const res = await server.post({ type: 'APP_HOME', space, user: { name: 'users/1' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
    expect(server.logs.some((l) => l.outcome === 'ignored' && l.eventType === 'APP_HOME')).toBe(true);
  });
});

describe('malformed input', () => {
  const space = newSpace();
  const cases: [string, unknown, string][] = [
    ['not an object', [1, 2], 'the body must be a JSON object'],
    ['no type', { space }, 'type is required'],
    ['type not a string', { type: 5 }, 'type must be a string'],
    ['MESSAGE without message', { type: 'MESSAGE', eventTime: new Date().toISOString(), space, user: { name: 'users/1' } }, 'message is required'],
    ['bad space name', { ...messageEvent(space, 'x'), space: { name: 'rooms/1' } }, 'space.name must be spaces/{id}'],
    ['missing user', { ...messageEvent(space, 'x'), user: undefined }, 'user must be an object'],
    ['bad eventTime', { ...messageEvent(space, 'x'), eventTime: 'yesterday' }, 'eventTime must be an RFC 3339 timestamp'],
    ['command id not a number', slashCommandEvent(space, 1, '/about', '', { appCommandMetadata: { appCommandId: 'one' } }), 'appCommandMetadata.appCommandId must be an integer'],
    ['CARD_CLICKED without a function', { ...cardClickedEvent(space, 'x'), action: {}, common: {} }, 'action.actionMethodName or common.invokedFunction is required'],
    ['parameters not strings', { ...cardClickedEvent(space, 'x'), common: { invokedFunction: 'x', parameters: { a: 1 } } }, 'common.parameters.a must be a string'],
    ['add-on format (not yet supported)', { commonEventObject: {}, chat: {} }, 'Workspace add-on events are not supported'],
  ];
  test.each(cases)('%s → 400 with a JSON error that says what is wrong', async (_name, body, message) => {
    const res = await server.post(body);
    expect(res.status).toBe(400);
    expect((res.json as { error: string }).error).toContain(message);
  });

  test('malformed JSON → 400; a body that is not application/json → 400 JSON error', async () => {
    const res = await server.post(undefined, { raw: '{not json', contentType: 'application/json; charset=utf-8' });
    // The functions-framework's JSON parser answers malformed application/json itself, with 400.
    expect(res.status).toBe(400);
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
