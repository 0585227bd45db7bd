/**
 * Add-on specifics over the real HTTP stack in addon mode: numbers printed as floats, card actions
 * that round-trip through the endpoint URL and `__fn`, dialog steps, the format recognised per
 * request in every mode, the header-only token, and malformed add-on bodies (400 naming the path).
 */
import type { ChatEvent } from '../../shared/events/model';
import { action, button, buttonList, card, section, selectionInput, textParagraph, withId, type CardAction } from '../../shared/replies/cards';
import { reply } from '../../shared/replies/responses';
import { Router } from '../../shared/routing/router';
import { chatTokenClaims } from '../../local/signing';
import { ADDON_ENDPOINT_URL, startServerFor, toAddonEvent, toAddonResponse } from '../helpers/addon-events';
import { BOT, cardClickedEvent, messageEvent, newSpace, randomProjectId, slashCommandEvent, widgetUpdatedEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';

type Json = Record<string, unknown>;

const seen: ChatEvent[] = [];
const router = new Router()
  .command({ id: 3, name: '/deploy', description: 'deploy' }, (e) => {
    seen.push(e);
    return e.kind === 'command' && e.dialog === 'REQUEST_DIALOG'
      ? reply.dialog(card({ title: 'Deploy', sections: [section([buttonList(button('Next', action('deployStep', { step: '2' })))])] }))
      : reply.text(`deploying ${e.kind === 'command' ? e.command.argumentText : ''}`);
  }, { pure: true })
  .command({ id: 5, name: '/menu', description: 'menu' }, () =>
    reply.cards([withId('menu', card({ sections: [section([
      buttonList(button('Vote', action('vote', { option: '2' }))),
      selectionInput('zone', 'Zone', 'MULTI_SELECT', [], { autocomplete: action('zones') }),
    ])] }))]), { pure: true })
  .action('vote', (e) => {
    seen.push(e);
    return reply.updateMessage({ text: 'voted' });
  }, { pure: true })
  .action('deployStep', (e) => {
    seen.push(e);
    return reply.dialog(card({ title: `Step ${e.kind === 'action' ? e.action.parameters.step : ''}`, sections: [section([textParagraph('almost')])] }));
  }, { pure: true })
  .action('broken', () => {
    throw new Error('handler bug');
  }, { pure: true })
  .widget('zones', (e) => reply.suggestions('zone', [{ text: `zones for ${e.kind === 'widget' ? e.widget.query : ''}`, value: 'eu' }]))
  .message((e) => {
    seen.push(e);
    return reply.text('hello');
  }, { pure: true });

let server: EventsServer;
beforeAll(async () => {
  server = await startServerFor('addon', { projectId: randomProjectId('addon-events'), router });
});
afterAll(() => server?.stop());
beforeEach(() => {
  seen.length = 0;
});

const space = newSpace();
const createdMessage = (json: unknown) => (json as { hostAppDataAction: { chatDataAction: { createMessageAction: { message: Json } } } }).hostAppDataAction.chatDataAction.createMessageAction.message;

describe('numbers as add-on payloads print them', () => {
  const rawCommand = (id: string) =>
    JSON.stringify(toAddonEvent(slashCommandEvent(space, 3, '/deploy', 'staging'))).replace('"appCommandId":3', `"appCommandId":${id}`);

  test.each([['3.0'], ['"3.0"'], ['"3"'], ['3']])('appCommandId %s routes to command 3', async (id) => {
    const body = rawCommand(id);
    expect(body).toContain(`"appCommandId":${id}`);
    const res = await server.post(undefined, { raw: body });
    expect(res.status).toBe(200);
    expect(createdMessage(res.json)).toEqual({ text: 'deploying staging' });
    expect(seen[0]).toMatchObject({ format: 'addon', wireType: 'appCommandPayload', kind: 'command', command: { id: 3, type: 'SLASH_COMMAND' } });
  });

  test.each([['3.5'], ['"three"']])('appCommandId %s is a 400 naming the field', async (id) => {
    const res = await server.post(undefined, { raw: rawCommand(id) });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'chat.appCommandPayload.appCommandMetadata.appCommandId must be an integer' });
  });

  test('an @mention as captured from a real add-on (floats, time zone offset) is a message', async () => {
    const raw = `{"commonEventObject":{"userLocale":"en","hostApp":"CHAT","platform":"WEB","timeZone":{"id":"America/Los_Angeles","offset":-2.88E7}},
      "chat":{"user":{"name":"users/1001","displayName":"Test User","email":"test@example.com","type":"HUMAN","domainId":"xyz"},
      "eventTime":"2025-12-23T02:54:05.755455Z","messagePayload":{"space":{"name":"${space.name}","type":"ROOM","spaceType":"SPACE","displayName":"Test"},
      "message":{"name":"${space.name}/messages/FGE.FGE${Date.now()}","sender":{"name":"users/1001","type":"HUMAN"},"createTime":"2025-12-23T02:54:05.755455Z",
      "text":"@Demo Hello","argumentText":" Hello","annotations":[{"type":"USER_MENTION","startIndex":0.0,"length":5.0,
      "userMention":{"user":{"name":"users/1002","displayName":"Demo","type":"BOT"},"type":"MENTION"}}],"thread":{"name":"${space.name}/threads/FGE"}},
      "configCompleteRedirectUri":"https://chat.google.com/api/bot_config_complete?token=REDACTED"}}}`;
    const res = await server.post(undefined, { raw });
    expect(res.status).toBe(200);
    expect(seen[0]).toMatchObject({ kind: 'message', message: { argumentText: 'Hello', threadName: `${space.name}/threads/FGE` }, common: { timeZone: 'America/Los_Angeles', userLocale: 'en' } });
  });
});

describe('card actions round-trip through the endpoint URL', () => {
  /** The actions of the /menu card as the add-on answer carries them. */
  async function menuActions(): Promise<{ vote: CardAction; zones: CardAction }> {
    const res = await server.post(toAddonEvent(slashCommandEvent(space, 5, '/menu')));
    const widgets = (createdMessage(res.json).cardsV2 as { card: { sections: { widgets: Json[] }[] } }[])[0].card.sections[0].widgets;
    const vote = (widgets[0] as { buttonList: { buttons: { onClick: { action: CardAction } }[] } }).buttonList.buttons[0].onClick.action;
    const zones = (widgets[1] as { selectionInput: { externalDataSource: CardAction } }).selectionInput.externalDataSource;
    return { vote, zones };
  }
  const parametersOf = (a: CardAction) => Object.fromEntries((a.parameters ?? []).map((p) => [p.key, p.value]));

  test('buttons and data sources name the endpoint URL, with the handler in __fn', async () => {
    const { vote, zones } = await menuActions();
    expect(vote).toEqual({ function: ADDON_ENDPOINT_URL, parameters: [{ key: 'option', value: '2' }, { key: '__fn', value: 'vote' }] });
    expect(zones).toEqual({ function: ADDON_ENDPOINT_URL, parameters: [{ key: '__fn', value: 'zones' }] });
  });

  test('a click on such a button reaches its handler with its own parameters only', async () => {
    const { vote } = await menuActions();
    // What Chat sends: the action's parameters in commonEventObject.parameters.
    const click = toAddonEvent(cardClickedEvent(space, 'ignored'));
    (click.commonEventObject as Json).parameters = parametersOf(vote);
    const res = await server.post(click);
    expect(res.json).toEqual(toAddonResponse({ actionResponse: { type: 'UPDATE_MESSAGE' }, text: 'voted' }));
    expect(seen[0]).toMatchObject({ kind: 'action', action: { function: 'vote', parameters: { option: '2' } }, common: { parameters: { option: '2' } } });
  });

  test('autocomplete of such a data source reaches its handler with the query', async () => {
    const { zones } = await menuActions();
    const update = toAddonEvent(widgetUpdatedEvent(space, 'ignored', 'Eu'));
    (update.commonEventObject as Json).parameters = { ...parametersOf(zones), autocomplete_widget_query: 'Eu' };
    const res = await server.post(update);
    expect(res.json).toEqual({ action: { modifyOperations: [{ updateWidget: { selectionInputWidgetSuggestions: { suggestions: [{ text: 'zones for Eu', value: 'eu' }] } } }] } });
  });

  test('a card sent before the conversion names its function in __action_method_name__', async () => {
    const click = toAddonEvent(cardClickedEvent(space, 'ignored'));
    (click.commonEventObject as Json).parameters = { __action_method_name__: 'vote', option: '1' };
    await server.post(click);
    expect(seen[0]).toMatchObject({ kind: 'action', action: { function: 'vote', parameters: { option: '1' } } });
  });
});

describe('dialogs', () => {
  test('a slash command opening a dialog pushes the card; a step inside it replaces the card (updateCard)', async () => {
    const open = await server.post(toAddonEvent(slashCommandEvent(space, 3, '/deploy', '', { isDialogEvent: true, dialogEventType: 'REQUEST_DIALOG' })));
    const pushed = (open.json as { action: { navigations: { pushCard: { header: { title: string } } }[] } }).action.navigations[0].pushCard;
    expect(pushed.header.title).toBe('Deploy');
    const next = await server.post(toAddonEvent(cardClickedEvent(space, 'deployStep', { step: '2' }, { isDialogEvent: true, dialogEventType: 'SUBMIT_DIALOG' })));
    expect(next.json).toEqual({ action: { navigations: [{ updateCard: { header: { title: 'Step 2' }, sections: [{ widgets: [{ textParagraph: { text: 'almost' } }] }] } }] } });
  });

  test('a handler failing inside a dialog keeps it open with a notification', async () => {
    const res = await server.post(toAddonEvent(cardClickedEvent(space, 'broken', {}, { isDialogEvent: true, dialogEventType: 'SUBMIT_DIALOG' })));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ action: { notification: { text: expect.stringContaining('something went wrong') } } });
  });

  test('closing a dialog with its ✕ needs no handler name', async () => {
    const cancel = toAddonEvent(cardClickedEvent(space, 'x', {}, { isDialogEvent: true, dialogEventType: 'CANCEL_DIALOG' }));
    delete (cancel.commonEventObject as Json).parameters;
    const res = await server.post(cancel);
    expect(res.json).toEqual({ action: { navigations: [{ endNavigation: { action: 'CLOSE_DIALOG' } }] } });
  });
});

describe('format and verification', () => {
  test('the header is required: a token only in authorizationEventObject.systemIdToken is refused', async () => {
    const event = { ...toAddonEvent(messageEvent(space, 'hi')), authorizationEventObject: { systemIdToken: server.token() } };
    const res = await server.post(event, { token: null });
    expect(res.status).toBe(401);
    expect(seen).toHaveLength(0);
  });

  test('a classic Chat token (endpoint-url, Chat’s account) is refused in addon mode', async () => {
    const classicToken = server.signer.sign(chatTokenClaims('endpoint-url', ADDON_ENDPOINT_URL));
    expect((await server.post(toAddonEvent(messageEvent(space, 'hi')), { token: classicToken })).status).toBe(401);
  });

  test('in addon mode a classic-format body is read and answered in the classic format', async () => {
    const res = await server.post(messageEvent(space, 'hi'));
    expect(res.json).toEqual({ text: 'hello' });
    expect(seen[0].format).toBe('chat');
  });

  test('in project-number mode an add-on body is answered in the add-on format (actions keep their names: no URL configured)', async () => {
    const classic = await startEventsServer({ projectId: randomProjectId('addon-in-classic'), router });
    try {
      const res = await classic.post(toAddonEvent(slashCommandEvent(space, 5, '/menu')));
      const widgets = (createdMessage(res.json).cardsV2 as { card: { sections: { widgets: Json[] }[] } }[])[0].card.sections[0].widgets;
      expect(widgets[0]).toEqual({ buttonList: { buttons: [{ text: 'Vote', onClick: { action: { function: 'vote', parameters: [{ key: 'option', value: '2' }] } } }] } });
      expect(classic.logs.some((l) => l.severity === 'WARNING' && String(l.message).includes('endpoint URL'))).toBe(true);
    } finally {
      await classic.stop();
    }
  });
});

describe('unknown and malformed add-on bodies', () => {
  const base = () => toAddonEvent(messageEvent(space, 'x'));
  const chatOf = (e: Json) => e.chat as Json;
  const payloadOf = (e: Json, key = 'messagePayload') => chatOf(e)[key] as Json;
  const edit = (change: (e: Json) => void, from: () => Json = base) => {
    const e = from();
    change(e);
    return e;
  };
  const command = () => toAddonEvent(slashCommandEvent(space, 3, '/deploy'));
  const click = () => toAddonEvent(cardClickedEvent(space, 'vote'));
  const widget = () => toAddonEvent(widgetUpdatedEvent(space, 'zones', 'a'));

  // App Home events (an add-on's without a payload, a classic app's wrapped in chat) are answered: test/app/home.test.ts.
  test('an unknown payload is acknowledged with {} and logged', async () => {
    for (const [body, type] of [
      [{ commonEventObject: { hostApp: 'CHAT' }, chat: { user: BOT, eventTime: new Date().toISOString(), appHomePayload: {} } }, 'appHomePayload'],
    ] as const) {
      const res = await server.post(body);
      expect([res.status, res.json]).toEqual([200, {}]);
      expect(server.logs.some((l) => l.outcome === 'ignored' && l.eventType === type)).toBe(true);
    }
  });

  const cases: [string, Json, string][] = [
    ['chat not an object', { commonEventObject: {}, chat: 5 }, 'chat must be an object'],
    ['no payload (App Home) without a user', { commonEventObject: {}, chat: { eventTime: new Date().toISOString() } }, 'chat.user must be an object'],
    ['a classic App Home event without a user', { commonEventObject: {}, chat: { type: 'APP_HOME' } }, 'chat.user must be an object'],
    ['two payloads', edit((e) => (chatOf(e).removedFromSpacePayload = { space })), 'chat must carry exactly one payload; got messagePayload, removedFromSpacePayload'],
    ['payload not an object', edit((e) => (chatOf(e).messagePayload = 'x')), 'chat.messagePayload must be an object'],
    ['no commonEventObject', edit((e) => delete e.commonEventObject), 'commonEventObject must be an object'],
    ['no user', edit((e) => delete chatOf(e).user), 'chat.user must be an object'],
    ['bad user name', edit((e) => (chatOf(e).user = { name: 'people/1' })), 'chat.user.name must be users/{id}'],
    ['bad eventTime', edit((e) => (chatOf(e).eventTime = 'yesterday')), 'chat.eventTime must be an RFC 3339 timestamp'],
    ['no space anywhere', edit((e) => delete payloadOf(e).space), 'chat.messagePayload.space must be an object'],
    ['bad space name', edit((e) => (payloadOf(e).space = { name: 'rooms/1' })), 'chat.messagePayload.space.name must be spaces/{id}'],
    ['messagePayload without message', edit((e) => delete payloadOf(e).message), 'chat.messagePayload.message must be an object'],
    ['bad message name', edit((e) => ((payloadOf(e).message as Json).name = 'x')), 'chat.messagePayload.message.name must be spaces/{space}/messages/{message}'],
    ['appCommandPayload without metadata', edit((e) => delete payloadOf(e, 'appCommandPayload').appCommandMetadata, () => toAddonEvent({ type: 'APP_COMMAND', eventTime: new Date().toISOString(), space, user: BOT, appCommandMetadata: {} })), 'chat.appCommandPayload.appCommandMetadata.appCommandId is required'],
    ['bad dialogEventType', edit((e) => (payloadOf(e, 'appCommandPayload').dialogEventType = 'OPEN'), command), 'chat.appCommandPayload.dialogEventType must be one of'],
    ['a click without a handler', edit((e) => delete ((e.commonEventObject as Json).parameters as Json).__fn, click), 'commonEventObject.parameters.__fn (or __action_method_name__) is required for buttonClickedPayload'],
    ['an autocomplete without a handler', edit((e) => delete ((e.commonEventObject as Json).parameters as Json).__fn, widget), 'commonEventObject.parameters.__fn (or __action_method_name__) is required for widgetUpdatedPayload'],
    ['parameters not strings', edit((e) => ((e.commonEventObject as Json).parameters = { __fn: 'vote', a: 1 }), click), 'commonEventObject.parameters.a must be a string'],
    ['interactionAdd not a boolean', { commonEventObject: {}, chat: { user: BOT, eventTime: new Date().toISOString(), addedToSpacePayload: { space, interactionAdd: 'yes' } } }, 'chat.addedToSpacePayload.interactionAdd must be a boolean'],
  ];
  test.each(cases)('%s → 400 naming the field', async (_name, body, message) => {
    const res = await server.post(body);
    expect(res.status).toBe(400);
    expect((res.json as { error: string }).error).toContain(message);
    expect(seen).toHaveLength(0);
  });
});
