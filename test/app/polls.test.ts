/** `/poll` end to end through chatEvents and the Firestore emulator. */
import { createAppRouter } from '../../functions/app';
import { parsePollArgs } from '../../functions/app/polls/parse';
import { readPoll } from '../../functions/app/polls/store';
import { ADA, GRACE, addedEvent, cardClickedEvent, dialogSubmitEvent, messageEvent, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';

const projectId = randomProjectId('polls');
const db = testFirestore(projectId);
let server: EventsServer;
beforeAll(async () => {
  server = await startEventsServer({ projectId, router: createAppRouter(), env: { CHAT_EVENTS_URL: 'https://chat-app.example.com/chatEvents' } });
});
afterAll(() => server?.stop());

type CardJson = {
  header: { title: string; subtitle: string };
  sections: { widgets: { decoratedText?: { text: string; bottomLabel: string; button?: { onClick: { action: { function: string; parameters: { key: string; value: string }[] } } } }; buttonList?: unknown; textParagraph?: { text: string } }[] }[];
};
type Answer = { actionResponse?: { type: string }; privateMessageViewer?: { name: string }; text?: string; cardsV2?: { cardId: string; card: CardJson }[] };

const rows = (a: Answer) => a.cardsV2![0].card.sections[0].widgets.map((w) => `${w.decoratedText!.text}: ${w.decoratedText!.bottomLabel}`);
const DINNER = '"Where do we eat?" "Pizza" "Sushi" "Tacos"';

async function startPoll(space: Record<string, unknown>) {
  const res = await server.post(slashCommandEvent(space, 3, '/poll', DINNER));
  expect(res.status).toBe(200);
  const answer = res.json as Answer;
  const pollId = answer.cardsV2![0].cardId.replace('poll-', '');
  return { answer, pollId };
}

const vote = (space: Record<string, unknown>, pollId: string, option: number, user: Record<string, unknown> = ADA) =>
  cardClickedEvent(space, 'pollVote', { poll: pollId, option: String(option) }, { user });

describe('parsing', () => {
  test.each([
    ['"Q?" "A" "B"', { question: 'Q?', options: ['A', 'B'] }],
    ['“Lunch?” “Yes” “No”', { question: 'Lunch?', options: ['Yes', 'No'] }],
    ['  "Q"   "A  b"   "C" ', { question: 'Q', options: ['A b', 'C'] }],
  ])('%s', (text, expected) => expect(parsePollArgs(text)).toEqual(expected));
  test.each([
    ['', 'needs a question'],
    ['"Q?" "A"', 'at least 2 options'],
    [`"Q?" ${Array.from({ length: 11 }, (_, i) => `"o${i}"`).join(' ')}`, 'at most 10 options'],
    ['Q? A B', 'double quotes'],
    ['"Q?" "A" "a"', 'twice'],
    [`"${'q'.repeat(201)}" "A" "B"`, 'question is over 200'],
    [`"Q" "${'o'.repeat(81)}" "B"`, 'over 80'],
    ['"Q" "A" ""', 'empty'],
    ['"Q" "A" "B', 'double quotes'],
  ])('rejects %s', (text, message) => {
    const result = parsePollArgs(text);
    expect('error' in result && result.error).toContain(message);
  });
});

test('wrong usage gets a private usage message and creates nothing', async () => {
  const space = newSpace();
  const res = await server.post(slashCommandEvent(space, 3, '/poll', 'lunch?'));
  const answer = res.json as Answer;
  expect(answer.privateMessageViewer).toEqual({ name: ADA.name });
  expect(answer.text).toContain('Usage: /poll "Question?"');
  expect((await db.collection('spaces').doc(String(space.name).slice(7)).collection('polls').get()).size).toBe(0);
});

test("a poll's lifecycle: votes by several people, a changed vote, duplicate clicks counted once, closed by its creator", async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const { answer, pollId } = await startPoll(space);
  expect(answer.cardsV2![0].card.header.title).toBe('Where do we eat?');
  expect(rows(answer)).toEqual(['Pizza: 0 votes (0%)', 'Sushi: 0 votes (0%)', 'Tacos: 0 votes (0%)']);

  const adaVotes = await server.post(vote(space, pollId, 0, ADA));
  expect((adaVotes.json as Answer).actionResponse).toEqual({ type: 'UPDATE_MESSAGE' });
  expect(rows(adaVotes.json as Answer)).toEqual(['Pizza: 1 vote (100%)', 'Sushi: 0 votes (0%)', 'Tacos: 0 votes (0%)']);

  // Grace's click is delivered three times (Chat retries): one vote.
  const graceClick = vote(space, pollId, 1, GRACE);
  const graceAnswers = await Promise.all([server.post(graceClick), server.post(graceClick), server.post(graceClick)]);
  expect(new Set(graceAnswers.map((a) => a.text)).size).toBe(1);
  expect(rows(graceAnswers[0].json as Answer)).toEqual(['Pizza: 1 vote (50%)', 'Sushi: 1 vote (50%)', 'Tacos: 0 votes (0%)']);

  // Ada changes her mind.
  const changed = await server.post(vote(space, pollId, 1, ADA));
  expect(rows(changed.json as Answer)).toEqual(['Pizza: 0 votes (0%)', 'Sushi: 2 votes (100%)', 'Tacos: 0 votes (0%)']);

  // Only the creator can close it.
  const graceCloses = await server.post(cardClickedEvent(space, 'pollClose', { poll: pollId }, { user: GRACE }));
  expect((graceCloses.json as Answer).privateMessageViewer).toEqual({ name: GRACE.name });
  expect((graceCloses.json as Answer).text).toBe('Only Ada Lovelace can close this poll.');

  const closed = await server.post(cardClickedEvent(space, 'pollClose', { poll: pollId }, { user: ADA }));
  const closedCard = closed.json as Answer;
  expect(closedCard.cardsV2![0].card.header.subtitle).toContain('Closed poll');
  expect(rows(closedCard)).toEqual(['Pizza: 0 votes (0%)', '🏆 Sushi: 2 votes (100%)', 'Tacos: 0 votes (0%)']);
  expect(JSON.stringify(closedCard)).not.toContain('pollVote');

  // A closed poll takes no more votes.
  const late = await server.post(vote(space, pollId, 2, GRACE));
  expect(rows(late.json as Answer)).toEqual(['Pizza: 0 votes (0%)', '🏆 Sushi: 2 votes (100%)', 'Tacos: 0 votes (0%)']);
  const stored = (await readPoll(db, String(space.name).slice(7), pollId))!.poll;
  expect(stored.votes).toEqual({ users_1111: 1, users_2222: 1 });
  expect(stored.closed).toBe(true);
});

test('20 people voting at once on the poll\'s one message, in the same second: every vote counted', async () => {
  const space = newSpace();
  const { pollId } = await startPoll(space);
  // As Chat sends them: every click is on the same message, at the same eventTime; only the person differs.
  const first = vote(space, pollId, 0);
  const people = Array.from({ length: 20 }, (_, i) => ({ name: `users/p${i}`, displayName: `Person ${i}`, type: 'HUMAN' }));
  const clicks = people.map((p, i) => ({ ...vote(space, pollId, i % 3, p), message: first.message, eventTime: first.eventTime }));
  const answers = await Promise.all(clicks.map((c) => server.post(c)));
  expect(answers.every((a) => a.status === 200)).toBe(true);
  const stored = (await readPoll(db, String(space.name).slice(7), pollId))!.poll;
  expect(stored.votes).toEqual(Object.fromEntries(people.map((p, i) => [p.name.replace('/', '_'), i % 3])));
});

test('two people with the same display name are two people: two votes, and only the creator closes', async () => {
  const space = newSpace();
  const { pollId } = await startPoll(space);
  const namesake = { ...GRACE, displayName: ADA.displayName };
  await server.post(vote(space, pollId, 0, ADA));
  const second = await server.post(vote(space, pollId, 1, namesake));
  expect(rows(second.json as Answer)).toEqual(['Pizza: 1 vote (50%)', 'Sushi: 1 vote (50%)', 'Tacos: 0 votes (0%)']);
  const refused = await server.post(cardClickedEvent(space, 'pollClose', { poll: pollId }, { user: namesake }));
  expect((refused.json as Answer).privateMessageViewer).toEqual({ name: GRACE.name });
  const stored = (await readPoll(db, String(space.name).slice(7), pollId))!.poll;
  expect(stored.closed).toBe(false);
  expect(stored.votes).toEqual({ users_1111: 0, users_2222: 1 });
});

test("voters' names are shown when the space's setting says so", async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  await db.collection('spaces').doc(String(space.name).slice(7)).set({ settings: { pollVotersVisible: true } }, { merge: true });
  const { pollId } = await startPoll(space);
  const res = await server.post(vote(space, pollId, 2, GRACE));
  expect(rows(res.json as Answer)[2]).toBe('Tacos: 1 vote (100%) · Grace Hopper');
});

test('a vote cast while names were hidden stays anonymous when a manager shows names', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const { pollId } = await startPoll(space);
  await server.post(vote(space, pollId, 2, GRACE));
  // Ada created the space (its manager): she turns voters' names on through /config's Save.
  const save = dialogSubmitEvent(space, 'configSave', { timeZone: ['UTC'], pollVotersVisible: ['on'] });
  expect(JSON.stringify((await server.post(save)).json)).toContain('Settings saved');
  const res = await server.post(vote(space, pollId, 2, ADA));
  expect(rows(res.json as Answer)[2]).toBe('Tacos: 2 votes (100%) · Ada Lovelace, 1 anonymous');
  expect(JSON.stringify(res.json)).not.toContain('Grace');
  // Stored: only Ada's name, across the poll's vote shards.
  const stored = (await readPoll(db, String(space.name).slice(7), pollId))!.poll;
  expect(Object.keys(stored.voterNames)).toEqual(['users_1111']);
});

test('a vote changed while names are hidden forgets the name recorded while they were shown', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const spaceDoc = db.collection('spaces').doc(String(space.name).slice(7));
  await spaceDoc.set({ settings: { pollVotersVisible: true } }, { merge: true });
  const { pollId } = await startPoll(space);
  await server.post(vote(space, pollId, 0, GRACE));
  await spaceDoc.set({ settings: { pollVotersVisible: false } }, { merge: true });
  await server.post(vote(space, pollId, 1, GRACE));
  await spaceDoc.set({ settings: { pollVotersVisible: true } }, { merge: true });
  const res = await server.post(vote(space, pollId, 2, ADA));
  expect(rows(res.json as Answer)[1]).toBe('Sushi: 1 vote (50%)');
  expect(JSON.stringify(res.json)).not.toContain('Grace');
});

test('a vote on a poll that does not exist, or with a broken option, gets a private note', async () => {
  const space = newSpace();
  const missing = await server.post(vote(space, 'a'.repeat(20), 0));
  expect((missing.json as Answer).text).toBe('This poll no longer exists.');
  const { pollId } = await startPoll(space);
  const broken = await server.post(vote(space, pollId, 7));
  expect((broken.json as Answer).text).toBe('That option is not on this poll.');
});

test("a poll's permalink is previewed with the live card in its own space only", async () => {
  const space = newSpace();
  const { pollId } = await startPoll(space);
  await server.post(vote(space, pollId, 0));
  const id = String(space.name).slice(7);
  const link = `https://chat-app.example.com/chatEvents/polls/${id}/${pollId}`;
  const here = messageEvent(space, `vote here: ${link}`);
  (here.message as Record<string, unknown>).matchedUrl = { url: link };
  const preview = (await server.post(here)).json as Answer;
  expect(preview.actionResponse).toEqual({ type: 'UPDATE_USER_MESSAGE_CARDS' });
  expect(rows(preview)[0]).toBe('Pizza: 1 vote (100%)');

  const elsewhere = messageEvent(newSpace(), link);
  (elsewhere.message as Record<string, unknown>).matchedUrl = { url: link };
  const other = (await server.post(elsewhere)).json as Answer;
  expect(other.actionResponse).toEqual({ type: 'UPDATE_USER_MESSAGE_CARDS' });
  expect(JSON.stringify(other)).not.toContain('Pizza');

  // A vote clicked on the preview (a person's message) updates the preview, not an app message.
  const onPreview = await server.post(vote(space, pollId, 1, GRACE));
  expect((onPreview.json as Answer).actionResponse?.type).toBe('UPDATE_MESSAGE');
  const humanCard = cardClickedEvent(space, 'pollVote', { poll: pollId, option: '2' }, { user: GRACE });
  (humanCard.message as Record<string, unknown>).sender = ADA;
  expect(((await server.post(humanCard)).json as Answer).actionResponse?.type).toBe('UPDATE_USER_MESSAGE_CARDS');
});
