/**
 * No hot document in a busy space: votes and activity counters are sharded, counted exactly once,
 * and `spaces/{id}` is not written by every event (README, Capacity).
 */
import { createAppRouter } from '../../functions/app';
import { readPoll, VOTE_SHARDS } from '../../functions/app/polls/store';
import { ACTIVITY, ACTIVITY_SHARDS, activityDocId } from '../../shared/stores/activity';
import { dayKey } from '../../shared/stores/keys';
import { SPACES } from '../../shared/stores/spaces';
import { ADA, GRACE, addedEvent, cardClickedEvent, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';

const projectId = randomProjectId('shards');
const db = testFirestore(projectId);
let server: EventsServer;
beforeAll(async () => {
  server = await startEventsServer({ projectId, router: createAppRouter() });
});
afterAll(() => server?.stop());

type Space = Record<string, unknown>;
const idOf = (space: Space) => String(space.name).slice('spaces/'.length);
const person = (i: number) => ({ name: `users/v${i}`, displayName: `Voter ${i}`, type: 'HUMAN' });

async function startPoll(space: Space): Promise<string> {
  const res = await server.post(slashCommandEvent(space, 3, '/poll', '"Which?" "A" "B" "C"'));
  return (res.json as { cardsV2: { cardId: string }[] }).cardsV2[0].cardId.replace('poll-', '');
}
const vote = (space: Space, pollId: string, option: number, user: Record<string, unknown>) => cardClickedEvent(space, 'pollVote', { poll: pollId, option: String(option) }, { user });
const activityTotal = async (space: Space) => (await db.collection(SPACES).doc(idOf(space)).collection(ACTIVITY).get()).docs.reduce((n, d) => n + (d.get('total') as number), 0);

test('64 people voting at once on one poll: every vote counted once, over several shards, in the poll and in the activity', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const pollId = await startPoll(space);
  const answers = await Promise.all(Array.from({ length: 64 }, (_, i) => server.post(vote(space, pollId, i % 3, person(i)))));
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
  const poll = (await readPoll(db, idOf(space), pollId))!.poll;
  expect(poll.votes).toEqual(Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`users_v${i}`, i % 3])));
  const shards = await db.collection(SPACES).doc(idOf(space)).collection('polls').doc(pollId).collection('voteShards').get();
  expect(shards.size).toBeGreaterThan(1);
  expect(shards.size).toBeLessThanOrEqual(VOTE_SHARDS);
  // Each person is in exactly one shard.
  expect(shards.docs.flatMap((d) => Object.keys(d.get('votes'))).sort()).toEqual(Object.keys(poll.votes).sort());
  // ADDED_TO_SPACE, /poll and 64 votes.
  expect(await activityTotal(space)).toBe(66);
  const days = await db.collection(SPACES).doc(idOf(space)).collection(ACTIVITY).get();
  expect(days.size).toBeGreaterThan(1);
  expect(days.size).toBeLessThanOrEqual(ACTIVITY_SHARDS);
});

test('a changed vote replaces the old one, a repeated one changes nothing; the card counts each person once', async () => {
  const space = newSpace();
  const pollId = await startPoll(space);
  await server.post(vote(space, pollId, 0, ADA));
  await server.post(vote(space, pollId, 1, GRACE));
  const changed = await server.post(vote(space, pollId, 2, ADA));
  const same = await server.post(vote(space, pollId, 2, ADA));
  const subtitle = (a: unknown) => (a as { actionResponse: unknown; cardsV2: { card: { header: { subtitle: string } } }[] }).cardsV2[0].card.header.subtitle;
  expect(subtitle(changed.json)).toContain('2 votes');
  expect(subtitle(same.json)).toContain('2 votes');
  expect((await readPoll(db, idOf(space), pollId))!.poll.votes).toEqual({ users_1111: 2, users_2222: 1 });
});

test("a poll stored before the shards keeps its votes; a person's new vote replaces the stored one", async () => {
  const space = newSpace();
  const pollId = await startPoll(space);
  await db.collection(SPACES).doc(idOf(space)).collection('polls').doc(pollId).update({ votes: { users_1111: 0, users_2222: 1 }, voterNames: { users_1111: 'Ada', users_2222: 'Grace' } });
  const res = await server.post(vote(space, pollId, 1, ADA));
  expect(JSON.stringify(res.json)).toContain('2 votes (100%)');
  const { poll } = (await readPoll(db, idOf(space), pollId))!;
  expect(poll.votes).toEqual({ users_1111: 1, users_2222: 1 });
  // The names stored with the old map stay too (shown when a manager shows names).
  expect(poll.voterNames).toMatchObject({ users_2222: 'Grace' });
});

test("once a space's counter shards exist, its events no longer write the space's document", async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const pollId = await startPoll(space);
  const activity = db.collection(SPACES).doc(idOf(space)).collection(ACTIVITY);
  // Until every shard of the day was written once by this instance (each first write also touches the space).
  for (let i = 0; (await activity.get()).size < ACTIVITY_SHARDS; i++) {
    expect(i).toBeLessThan(300);
    await server.post(vote(space, pollId, i % 2, person(i)));
  }
  const before = (await db.collection(SPACES).doc(idOf(space)).get()).updateTime!;
  for (let i = 0; i < 20; i++) expect((await server.post(vote(space, pollId, 2, person(i)))).status).toBe(200);
  expect((await db.collection(SPACES).doc(idOf(space)).get()).updateTime!.isEqual(before)).toBe(true);
  expect(await activityTotal(space)).toBeGreaterThanOrEqual(22);
});

test('the counters name each person for the report: by display name, or by resource name when Chat sends none', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const pollId = await startPoll(space);
  const anonymous = { name: 'users/v-anon', type: 'HUMAN' };
  for (const user of [person(1), anonymous]) expect((await server.post(vote(space, pollId, 0, user))).status).toBe(200);
  const names = Object.assign({}, ...(await db.collection(SPACES).doc(idOf(space)).collection(ACTIVITY).get()).docs.map((d) => d.get('userNames')));
  expect(names).toEqual({ users_1111: 'Ada Lovelace', users_v1: 'Voter 1', 'users_v-anon': 'users/v-anon' });
});

test("a shard another instance wrote first keeps its counts when this instance first writes it", async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const pollId = await startPoll(space);
  const votes = Array.from({ length: 12 }, (_, i) => vote(space, pollId, i % 3, person(i)));
  const day = dayKey(votes[0] as { eventTime: string });
  const activity = db.collection(SPACES).doc(idOf(space)).collection(ACTIVITY);
  const known = new Set((await activity.get()).docs.map((d) => d.id));
  // The shards this instance has not written yet, as another instance left them.
  const others = Array.from({ length: ACTIVITY_SHARDS }, (_, k) => activityDocId(day, k)).filter((id) => !known.has(id));
  for (const id of others) await activity.doc(id).set({ day, total: 100, byRoute: { other: 100 }, byUser: { users_other: 100 }, userNames: { users_other: 'Other' } });
  for (const v of votes) expect((await server.post(v)).status).toBe(200);
  // ADDED_TO_SPACE, /poll, the other instance's counts and 12 votes: none lost to a first write.
  const total = await activityTotal(space);
  expect(total).toBe(2 + 100 * others.length + 12);
  const docs = (await activity.get()).docs;
  expect(docs.reduce((n, d) => n + ((d.get('byUser.users_other') as number | undefined) ?? 0), 0)).toBe(100 * others.length);
  // Every count is also counted by route and by person, first writes of a shard included.
  const sum = (field: string) => docs.reduce((n, d) => n + Object.values(d.get(field) as Record<string, number>).reduce((a, b) => a + b, 0), 0);
  expect(sum('byRoute')).toBe(total);
  expect(sum('byUser')).toBe(total);
});
