/**
 * App Home in both formats, through chatEvents and the Firestore emulator: the home card lists the
 * person's open polls, the spaces they manage and their webhooks (no secrets); closing a poll there
 * refreshes the card; the settings dialog opened from it saves the managed space's settings and
 * closes with CLOSE_DIALOG_AND_EXECUTE (Chat then refreshes the home card); someone else's space is
 * refused. Every answer is also checked against Google's schema (test/schema/setup.ts).
 */
import { createAppRouter } from '../../functions/app';
import { createWebhookStore } from '../../shared/stores/webhooks';
import { lazyFirestore } from '../../shared/stores/firestore';
import { ADDON_ENDPOINT_URL, FORMATS, formatKit, startServerFor } from '../helpers/addon-events';
import { addedEvent, cardClickedEvent, newSpace, randomProjectId, slashCommandEvent, GRACE } from '../helpers/chat-events';
import type { JsonObject } from '../../local/chat-api';
import type { EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';
import { homeEvent } from '../helpers/home-events';

type Json = Record<string, unknown>;
type Widget = { decoratedText?: { text: string; topLabel?: string; button?: { text: string; onClick: { action?: { function: string; parameters?: { key: string; value: string }[] } } } }; textParagraph?: { text: string } };
type CardJson = { header: { title: string }; sections: { header?: string; widgets: Widget[] }[] };

let people = 0;
const person = () => ({ name: `users/home${Date.now().toString(36)}${people++}`, displayName: 'Ada Lovelace', type: 'HUMAN' as const });

/** The render action of an App Home answer: bare `action` for the tab, `renderActions.action` after a classic click. */
const actionOf = (answer: unknown): Json => {
  const a = answer as Json;
  return ((a.renderActions as Json | undefined)?.action ?? a.action) as Json;
};
const navigation = (answer: unknown) => (actionOf(answer).navigations as Json[])[0];

describe.each(FORMATS)('App Home, %s format', (format) => {
  const kit = formatKit(format);
  const projectId = randomProjectId(`home-${format}`);
  const db = testFirestore(projectId);
  let server: EventsServer;
  beforeAll(async () => {
    server = await startServerFor(format, { projectId, router: createAppRouter() });
  });
  afterAll(() => server?.stop());

  async function setUp() {
    const ada = person();
    const space = newSpace();
    const dm = newSpace('DM');
    expect((await server.post(kit.event(addedEvent(space, { user: ada })))).status).toBe(200);
    const poll = await server.post(kit.event(slashCommandEvent(space, 3, '/poll', '"Lunch where?" "Pizza" "Sushi"', { user: ada })));
    const pollCard = (kit.messageOf(poll.json)!.cardsV2 as Json[])[0];
    const pollId = String((pollCard as { cardId: string }).cardId).replace('poll-', '');
    const spaceId = String(space.name).slice('spaces/'.length);
    const { secret } = await createWebhookStore(lazyFirestore(projectId)).create(spaceId, 'abcdef0123456789abcd', ada);
    return { ada, space, spaceId, dm, pollId, pollCard, secret };
  }

  test('the home card lists open polls, managed spaces and webhooks, with no secret', async () => {
    const { ada, dm, secret } = await setUp();
    const res = await server.post(homeEvent(format, ada, dm));
    expect(res.status).toBe(200);
    const card = navigation(res.json).pushCard as CardJson;
    const section = (header: string) => card.sections.find((s) => s.header === header)!.widgets;
    expect(section('Your open polls').map((w) => [w.decoratedText?.text, w.decoratedText?.topLabel, w.decoratedText?.button?.text])).toEqual([['Lunch where?', 'Release team', 'Close']]);
    expect(section('Spaces you manage').map((w) => [w.decoratedText?.text, w.decoratedText?.button?.text])).toEqual([['Release team', 'Settings']]);
    expect(section('Your incoming webhooks').map((w) => w.decoratedText?.text)).toEqual(['Webhook …89abcd']);
    expect(res.text).not.toContain(secret);
    expect(res.text).not.toContain('secretHash');
    // Every action on the home card is marked as App Home's; an add-on's names the endpoint URL.
    const close = section('Your open polls')[0].decoratedText!.button!.onClick.action!;
    expect(close.parameters).toEqual(expect.arrayContaining([{ key: '__home', value: '1' }]));
    if (format === 'addon') expect(close.function).toBe(ADDON_ENDPOINT_URL);
  });

  test('the flat classic form of APP_HOME (docs/chat-protocol.md §2.8: only type, user and space) gets the home card too', async () => {
    const { ada, dm } = await setUp();
    const res = await server.post(format === 'chat' ? { type: 'APP_HOME', user: ada, space: dm } : homeEvent(format, ada, dm));
    expect((navigation(res.json).pushCard as CardJson).sections[0].widgets[0].decoratedText?.text).toBe('Lunch where?');
  });

  test('closing a poll from App Home closes it and refreshes the home card', async () => {
    const { ada, dm, spaceId, pollId } = await setUp();
    const res = await server.post(homeEvent(format, ada, dm, { fn: 'homeClosePoll', parameters: { space: spaceId, poll: pollId } }));
    expect(res.status).toBe(200);
    const card = navigation(res.json).updateCard as CardJson;
    expect(card.sections[0].widgets.map((w) => w.textParagraph?.text)).toEqual([expect.stringContaining('no open polls')]);
    if (format === 'chat') expect(res.json).toHaveProperty('renderActions');
    expect((await db.collection('spaces').doc(spaceId).collection('polls').doc(pollId).get()).get('closed')).toBe(true);
  });

  /** The poll's card as its space shows it in the local Chat API, and a vote clicked on it (which tells the app the message). */
  async function pollMessage(space: Json, ada: Json, pollId: string, card: unknown) {
    const posted = server.chatApi.postAppMessage({ space: String(space.name), cardsV2: [card as JsonObject] });
    const click = cardClickedEvent(space, 'pollVote', { poll: pollId, option: '0' }, { user: ada });
    click.message = { name: posted.name, sender: { name: 'users/app', type: 'BOT' }, thread: { name: posted.threadName } };
    expect((await server.post(kit.event(click))).status).toBe(200);
    return posted;
  }

  test('each open poll links to its message once a click on its card has named it', async () => {
    const { ada, dm, space, spaceId, pollId, pollCard } = await setUp();
    const before = navigation((await server.post(homeEvent(format, ada, dm))).json).pushCard as CardJson;
    expect(before.sections[0].widgets[0].decoratedText?.text).toBe('Lunch where?');
    const posted = await pollMessage(space, ada, pollId, pollCard);
    const after = navigation((await server.post(homeEvent(format, ada, dm))).json).pushCard as CardJson;
    const [, , , messageId] = posted.name.split('/');
    const threadId = posted.threadName.split('/')[3];
    expect(after.sections[0].widgets[0].decoratedText?.text).toBe(`<a href="https://chat.google.com/room/${spaceId}/${threadId}/${messageId}">Lunch where?</a>`);
  });

  test('closing a poll from App Home also shows it closed on its card in the space (one patch, no new message)', async () => {
    const { ada, dm, space, spaceId, pollId, pollCard } = await setUp();
    const posted = await pollMessage(space, ada, pollId, pollCard);
    const close = homeEvent(format, ada, dm, { fn: 'homeClosePoll', parameters: { space: spaceId, poll: pollId } });
    expect((await server.post(close)).status).toBe(200);
    const shown = () => server.chatApi.messages(String(space.name));
    expect(shown()).toHaveLength(1);
    expect(JSON.stringify(shown()[0].cardsV2)).toContain('Closed poll');
    expect(JSON.stringify(shown()[0].cardsV2)).not.toContain('pollVote');
    // Chat's retry of the same delivery: the same card, still one message.
    expect((await server.post(close)).status).toBe(200);
    expect(shown().map((m) => m.name)).toEqual([posted.name]);
    expect(server.chatApi.calls().filter((c) => c.method === 'create')).toEqual([]);
    expect(server.chatApi.calls().filter((c) => c.method === 'patch' && c.path.endsWith(posted.name.split('/')[3])).map((c) => c.status)).toEqual([200, 200]);
  });

  test('the settings dialog from App Home saves the managed space and closes with a refresh', async () => {
    const { ada, dm, spaceId } = await setUp();
    const opened = await server.post(homeEvent(format, ada, dm, { fn: 'homeSettings', parameters: { space: spaceId }, dialog: 'REQUEST_DIALOG' }));
    const dialog = navigation(opened.json).pushCard as CardJson;
    expect(dialog.header.title).toBe('Space settings');
    const formInputs = { timeZone: { stringInputs: { value: ['Europe/Paris'] } } };
    const saved = await server.post(homeEvent(format, ada, dm, { fn: 'homeSettingsSave', parameters: { space: spaceId }, dialog: 'SUBMIT_DIALOG', formInputs }));
    expect(navigation(saved.json)).toEqual({ endNavigation: { action: 'CLOSE_DIALOG_AND_EXECUTE' } });
    expect(actionOf(saved.json).notification).toEqual({ text: expect.stringContaining('Europe/Paris') });
    expect((await db.collection('spaces').doc(spaceId).get()).get('settings.timeZone')).toBe('Europe/Paris');
  });

  test('someone who does not manage the space cannot open or save its settings from App Home', async () => {
    const { dm, spaceId } = await setUp();
    const opened = await server.post(homeEvent(format, GRACE, dm, { fn: 'homeSettings', parameters: { space: spaceId }, dialog: 'REQUEST_DIALOG' }));
    expect(actionOf(opened.json)).toEqual({ notification: { text: expect.stringContaining('Only managers of this space') } });
    const formInputs = { timeZone: { stringInputs: { value: ['Asia/Tokyo'] } } };
    const saved = await server.post(homeEvent(format, GRACE, dm, { fn: 'homeSettingsSave', parameters: { space: spaceId }, dialog: 'SUBMIT_DIALOG', formInputs }));
    expect(actionOf(saved.json)).toEqual({ notification: { text: expect.stringContaining('Only managers of this space') } });
    expect((await db.collection('spaces').doc(spaceId).get()).get('settings.timeZone')).toBe('UTC');
  });
});
