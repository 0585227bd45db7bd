/** The app's built-ins: onboarding, removal cleanup, /about and the help answer. */
import { createAppRouter, FEATURES } from '../../functions/app';
import { commandsOf } from '../../shared/routing/feature';
import { ACTIVITY } from '../../shared/stores/activity';
import { SPACES } from '../../shared/stores/spaces';
import { addedEvent, messageEvent, newSpace, randomProjectId, removedEvent, slashCommandEvent, BOT } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { allDocumentPaths, testFirestore } from '../helpers/firestore';

const projectId = randomProjectId('lifecycle');
const db = testFirestore(projectId);
let server: EventsServer;
beforeAll(async () => {
  server = await startEventsServer({ projectId, router: createAppRouter() });
});
afterAll(() => server?.stop());

const idOf = (space: Record<string, unknown>) => String(space.name).slice('spaces/'.length);
/** The app's command names, from its one declaration. */
const commandNames = () => commandsOf(FEATURES).map((c) => c.name);

test('ADDED_TO_SPACE in a named space records the space and welcomes it by name', async () => {
  const space = newSpace();
  const res = await server.post(addedEvent(space));
  expect(res.status).toBe(200);
  expect((res.json as { text: string }).text).toContain('Thanks for adding me to *Release team*, Ada');
  const doc = await db.collection(SPACES).doc(idOf(space)).get();
  expect(doc.data()).toMatchObject({
    name: space.name,
    kind: 'SPACE',
    displayName: 'Release team',
    addedBy: { name: 'users/1111', displayName: 'Ada Lovelace' },
    settings: { timeZone: 'UTC' },
  });
});

test('ADDED_TO_SPACE in a DM greets the person, differently from a space', async () => {
  const space = newSpace('DM');
  const res = await server.post(addedEvent(space));
  const text = (res.json as { text: string }).text;
  expect(text).toMatch(/^Hi Ada! I'm Team Assistant/);
  expect(text).not.toContain('Thanks for adding me');
  expect((await db.collection(SPACES).doc(idOf(space)).get()).get('kind')).toBe('DM');
});

test('added by a slash command: the onboarding and the command are both answered', async () => {
  const space = newSpace();
  const command = slashCommandEvent(space, 1, '/about');
  const annotations = (command.message as { annotations: { slashCommand: { type: string } }[] }).annotations;
  annotations[0].slashCommand.type = 'ADD';
  const res = await server.post(addedEvent(space, { message: command.message, appCommandMetadata: command.appCommandMetadata }));
  const json = res.json as { text: string; cardsV2: { cardId: string }[] };
  expect(json.text).toContain('Thanks for adding me');
  expect(json.cardsV2[0].cardId).toBe('about');
  expect((await db.collection(SPACES).doc(idOf(space)).get()).exists).toBe(true);
});

test('added by an @mention: the mention is answered too', async () => {
  const space = newSpace();
  const m = messageEvent(space, '@Team Assistant what can you do?');
  Object.assign(m.message as object, {
    argumentText: ' what can you do?',
    annotations: [{ type: 'USER_MENTION', startIndex: 0, length: 15, userMention: { user: BOT, type: 'ADD' } }],
  });
  const res = await server.post(addedEvent(space, { message: m.message }));
  const text = (res.json as { text: string }).text;
  expect(text).toContain('Thanks for adding me');
  expect(text).toContain('It sounds like you want */about*');
  for (const name of commandNames()) expect(text).toContain(`*${name}*`);
});

test('/about answers a card listing the commands, and touches no database', async () => {
  const space = newSpace();
  const res = await server.post(slashCommandEvent(space, 1, '/about'));
  const json = res.json as { cardsV2: { card: { header: { title: string }; sections: { widgets: { decoratedText?: { text: string } }[] }[] } }[] };
  expect(json.cardsV2[0].card.header.title).toBe('Team Assistant');
  const listed = json.cardsV2[0].card.sections[1].widgets.map((w) => w.decoratedText?.text);
  expect(listed).toEqual(commandNames().map((name) => `<b>${name}</b>`));
  expect(await allDocumentPaths(db).then((p) => p.filter((x) => x.includes(idOf(space))))).toEqual([]);
});

test('a DM without a command gets a helpful answer', async () => {
  const res = await server.post(messageEvent(newSpace('DM'), 'hello?'));
  const text = (res.json as { text: string }).text;
  expect(text).toContain('hello?');
  for (const name of commandNames()) expect(text).toContain(`*${name}*`);
});

test('REMOVED_FROM_SPACE answers {} and leaves no document of the space', async () => {
  const space = newSpace();
  const other = newSpace();
  await server.post(addedEvent(space));
  await server.post(addedEvent(other));
  await db.collection(SPACES).doc(idOf(space)).collection('polls').doc('p1').set({ q: 'x' });
  await db.collection(SPACES).doc(idOf(space)).collection('polls').doc('p1').collection('votes').doc('v').set({ o: 1 });
  await db.collection('jobs').doc('j1').set({ space: space.name });
  const before = await allDocumentPaths(db);
  expect(before.filter((p) => p.includes(idOf(space)))).toEqual(
    expect.arrayContaining([`spaces/${idOf(space)}`, `spaces/${idOf(space)}/polls/p1/votes/v`, expect.stringContaining(`${ACTIVITY}/`)]),
  );

  const res = await server.post(removedEvent(space));
  expect(res.status).toBe(200);
  expect(res.json).toEqual({});
  const after = await allDocumentPaths(db);
  expect(after.filter((p) => p.includes(idOf(space)))).toEqual([]);
  expect((await db.collection('jobs').doc('j1').get()).exists).toBe(false);
  expect((await db.collection('deliveries').where('space', '==', space.name).get()).size).toBe(0);
  expect(after).toContain(`spaces/${idOf(other)}`);
});
