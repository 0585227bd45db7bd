/**
 * The poll store against the Firestore emulator, through its own functions: what a vote, a close
 * and a read store and answer, including the edges the end-to-end tests (polls.test.ts,
 * sharded-counts.test.ts) do not reach: the last option, a repeated vote, names of people without
 * a display name, the card's message learnt once, a poll removed before its vote commits.
 */
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { closePoll, createPoll, pollMessageOf, prepareVote, readPoll, voterCounts, POLLS, type Poll, type VoteResult } from '../../functions/app/polls/store';
import { GRPC } from '../../shared/stores/firestore';
import { SPACES } from '../../shared/stores/spaces';
import type { ChatUser } from '../../shared/events/model';
import { randomProjectId } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';

const db: Firestore = testFirestore(randomProjectId('pollstore'));
afterAll(() => db.terminate());

let spaces = 0;
const newSpaceId = () => `SPS${Date.now()}${spaces++}`;
const read = (...refs: FirebaseFirestore.DocumentReference[]) => db.getAll(...refs);
const ADA: ChatUser = { name: 'users/1111', displayName: 'Ada Lovelace' };
const GRACE: ChatUser = { name: 'users/2222', displayName: 'Grace Hopper' };
const NAMELESS: ChatUser = { name: 'users/3333' };
const MESSAGE = { name: 'spaces/x/messages/m1', thread: null };

async function newPoll(spaceId: string, options = ['A', 'B', 'C'], creator = ADA): Promise<string> {
  const id = `p${spaces++}x${Date.now()}`.slice(0, 20);
  const poll: Poll = {
    id,
    space: `spaces/${spaceId}`,
    question: 'Q?',
    options,
    creator: { name: creator.name, displayName: creator.displayName ?? null },
    createdAt: new Date('2026-05-01T10:00:00Z'),
    closed: false,
    votes: {},
    voterNames: {},
  };
  await createPoll(db, spaceId, poll);
  return id;
}

/** Prepares the vote and commits its write, as the delivery's batch does. */
async function vote(spaceId: string, pollId: string, user: ChatUser, option: number, message?: Poll['message']): Promise<VoteResult> {
  const result = await prepareVote(db, read, spaceId, pollId, user, option, message);
  if (result.write) {
    const batch = db.batch();
    result.write(batch);
    await batch.commit();
  }
  return result;
}

const pollDoc = (spaceId: string, pollId: string) => db.collection(SPACES).doc(spaceId).collection(POLLS).doc(pollId);
const stored = async (spaceId: string, pollId: string) => (await readPoll(db, spaceId, pollId))!;
const showVoters = (spaceId: string, on: boolean) => db.collection(SPACES).doc(spaceId).set({ settings: { pollVotersVisible: on } }, { merge: true });

describe('pollMessageOf: only the app\'s own message in the poll\'s space is the poll\'s message', () => {
  test('a click on the app\'s card names its message and thread', () => {
    expect(pollMessageOf('S1', { name: 'spaces/S1/messages/m1', threadName: 'spaces/S1/threads/t1' }, 'BOT')).toEqual({ name: 'spaces/S1/messages/m1', thread: 'spaces/S1/threads/t1' });
    expect(pollMessageOf('S1', { name: 'spaces/S1/messages/m1' }, 'BOT')).toEqual({ name: 'spaces/S1/messages/m1', thread: null });
  });
  test('a link preview in a person\'s message, a message of another space, or no message names none', () => {
    expect(pollMessageOf('S1', { name: 'spaces/S1/messages/m1' }, 'HUMAN')).toBeUndefined();
    expect(pollMessageOf('S1', { name: 'spaces/S1/messages/m1' }, undefined)).toBeUndefined();
    expect(pollMessageOf('S1', { name: 'spaces/S10/messages/m1' }, 'BOT')).toBeUndefined();
    expect(pollMessageOf('S1', undefined, 'BOT')).toBeUndefined();
  });
});

describe('votes', () => {
  test('the last option takes a vote; one past it is refused and writes nothing', async () => {
    const space = newSpaceId();
    const poll = await newPoll(space);
    const past = await vote(space, poll, ADA, 3);
    expect(past).toMatchObject({ outcome: 'notAllowed' });
    expect(past.write).toBeUndefined();
    expect((await stored(space, poll)).poll.votes).toEqual({});
    expect(await vote(space, poll, ADA, 2)).toMatchObject({ outcome: 'changed' });
    expect((await stored(space, poll)).poll.votes).toEqual({ users_1111: 2 });
  });

  test('repeating the same vote is unchanged and stages no write; the vote stays', async () => {
    const space = newSpaceId();
    const poll = await newPoll(space);
    await vote(space, poll, GRACE, 1);
    const again = await prepareVote(db, read, space, poll, GRACE, 1);
    expect(again).toMatchObject({ outcome: 'unchanged', view: { poll: { votes: { users_2222: 1 } } } });
    expect(again.write).toBeUndefined();
  });

  test('a vote on a poll that does not exist is missing', async () => {
    expect(await prepareVote(db, read, newSpaceId(), 'nopoll', ADA, 0)).toEqual({ outcome: 'missing' });
  });

  test('with names shown, a person without a display name is named by their user name, in the answer and the store', async () => {
    const space = newSpaceId();
    await showVoters(space, true);
    const poll = await newPoll(space);
    const first = await vote(space, poll, NAMELESS, 0);
    expect(first).toMatchObject({ outcome: 'changed', view: { votersVisible: true, poll: { voterNames: { users_3333: 'users/3333' } } } });
    // Stored by the shard's first write, not only by a later vote's update.
    expect((await stored(space, poll)).poll.voterNames).toEqual({ users_3333: 'users/3333' });
    // A second vote of the same person goes to the shard that exists now.
    await vote(space, poll, NAMELESS, 1);
    await vote(space, poll, ADA, 1);
    expect((await stored(space, poll)).poll.voterNames).toEqual({ users_3333: 'users/3333', users_1111: 'Ada Lovelace' });
  });

  test('two first votes into one new shard, each prepared before the other was written (two instances at once): both are kept, with their names', async () => {
    const space = newSpaceId();
    await showVoters(space, true);
    const poll = await newPoll(space);
    // Ada's and the nameless person's keys pick the same shard (shardOf), which neither read as existing.
    const both = [await prepareVote(db, read, space, poll, ADA, 0), await prepareVote(db, read, space, poll, NAMELESS, 1)];
    for (const result of both) {
      const batch = db.batch();
      result.write!(batch);
      await batch.commit();
    }
    const view = await stored(space, poll);
    expect(view.poll.votes).toEqual({ users_1111: 0, users_3333: 1 });
    expect(view.poll.voterNames).toEqual({ users_1111: 'Ada Lovelace', users_3333: 'users/3333' });
  });

  test('with names hidden, no name is stored, in a new shard or an existing one', async () => {
    const space = newSpaceId();
    const poll = await newPoll(space);
    expect(await vote(space, poll, ADA, 0)).toMatchObject({ view: { votersVisible: false, poll: { voterNames: {} } } });
    await vote(space, poll, ADA, 1);
    const view = await stored(space, poll);
    expect(view).toMatchObject({ votersVisible: false, poll: { votes: { users_1111: 1 }, voterNames: {} } });
  });

  test("the card's message is learnt from the first click that names it and kept; the first vote of a shard marks the poll", async () => {
    const space = newSpaceId();
    const poll = await newPoll(space);
    await vote(space, poll, ADA, 0);
    expect((await pollDoc(space, poll).get()).get('message')).toBeUndefined();
    // A vote that lands in an existing shard learns it too.
    await vote(space, poll, ADA, 1, MESSAGE);
    expect((await pollDoc(space, poll).get()).get('message')).toEqual(MESSAGE);
    await vote(space, poll, GRACE, 1, { name: 'spaces/x/messages/other', thread: null });
    await vote(space, poll, NAMELESS, 2, { name: 'spaces/x/messages/other', thread: null });
    const doc = await pollDoc(space, poll).get();
    expect(doc.get('message')).toEqual(MESSAGE);
    expect(Object.values(doc.get('shards') as Record<string, boolean>).every((v) => v === true)).toBe(true);
    const shards = await pollDoc(space, poll).collection('voteShards').get();
    expect(Object.keys(doc.get('shards')).sort()).toEqual(shards.docs.map((d) => d.id).sort());
  });

  test('a first click that names the message, on a new shard, learns it', async () => {
    const space = newSpaceId();
    const poll = await newPoll(space);
    await vote(space, poll, GRACE, 0, MESSAGE);
    expect((await stored(space, poll)).poll.message).toEqual(MESSAGE);
  });

  test.each([
    ['a shard that exists', true],
    ['a shard not yet written', false],
  ])('a vote prepared before its poll was removed with its space fails to commit and recreates nothing (%s)', async (_, shardExists) => {
    const space = newSpaceId();
    const poll = await newPoll(space);
    if (shardExists) await vote(space, poll, ADA, 0);
    const late = await prepareVote(db, read, space, poll, ADA, 1);
    await db.recursiveDelete(db.collection(SPACES).doc(space));
    const batch = db.batch();
    late.write!(batch);
    await expect(batch.commit()).rejects.toMatchObject({ code: GRPC.NOT_FOUND });
    expect(await readPoll(db, space, poll)).toBeUndefined();
    expect((await pollDoc(space, poll).collection('voteShards').get()).size).toBe(0);
  });
});

describe('closing', () => {
  test('only the creator closes; the result is frozen, and a vote after it changes nothing', async () => {
    const space = newSpaceId();
    const poll = await newPoll(space);
    await vote(space, poll, ADA, 0);
    await vote(space, poll, GRACE, 1);
    expect(await closePoll(db, space, poll, { ...GRACE, displayName: ADA.displayName })).toMatchObject({ outcome: 'notAllowed', view: { poll: { closed: false } } });
    expect((await stored(space, poll)).poll.closed).toBe(false);
    const closed = await closePoll(db, space, poll, ADA, MESSAGE);
    expect(closed).toMatchObject({ outcome: 'changed', view: { poll: { closed: true, finalVotes: { users_1111: 0, users_2222: 1 }, message: MESSAGE } } });
    const doc = await pollDoc(space, poll).get();
    expect(doc.data()).toMatchObject({ closed: true, finalVotes: { users_1111: 0, users_2222: 1 }, message: MESSAGE });
    expect(doc.get('closedAt').toMillis()).toBeGreaterThan(Date.now() - 60_000);
    const late = await prepareVote(db, read, space, poll, NAMELESS, 2);
    expect(late).toMatchObject({ outcome: 'closed' });
    expect(late.write).toBeUndefined();
    expect(await closePoll(db, space, poll, ADA)).toMatchObject({ outcome: 'closed' });
  });

  test('closing keeps a message already learnt, and stores none when no click named one', async () => {
    const space = newSpaceId();
    const learnt = await newPoll(space);
    await vote(space, learnt, ADA, 0, MESSAGE);
    await closePoll(db, space, learnt, ADA, { name: 'spaces/x/messages/other', thread: null });
    expect((await pollDoc(space, learnt).get()).get('message')).toEqual(MESSAGE);
    const none = await newPoll(space);
    await closePoll(db, space, none, ADA);
    expect((await pollDoc(space, none).get()).get('message')).toBeUndefined();
  });

  test('closing a poll that does not exist is missing', async () => {
    expect(await closePoll(db, newSpaceId(), 'nopoll', ADA)).toEqual({ outcome: 'missing' });
  });
});

describe('reading', () => {
  test('a poll reads back with its creation time; a poll that does not exist reads as undefined', async () => {
    const space = newSpaceId();
    const poll = await newPoll(space);
    expect((await stored(space, poll)).poll.createdAt).toEqual(new Date('2026-05-01T10:00:00Z'));
    expect(await readPoll(db, space, 'nopoll')).toBeUndefined();
    // A poll stored without a creation time (older ones, or one edited by hand) reads as of 1970, not as an error.
    for (const createdAt of [FieldValue.delete(), '2026-05-01']) {
      await pollDoc(space, poll).update({ createdAt });
      expect((await stored(space, poll)).poll.createdAt).toEqual(new Date(0));
    }
  });

  test('voterCounts counts the people of each poll across its shards and its pre-shard map; no polls, no counts', async () => {
    const space = newSpaceId();
    const [a, b, c] = [await newPoll(space), await newPoll(space), await newPoll(space)];
    for (const [i, user] of [ADA, GRACE, NAMELESS, { name: 'users/4444' }, { name: 'users/5555' }].entries()) await vote(space, a, user, i % 3);
    await vote(space, b, GRACE, 0);
    await vote(space, b, GRACE, 1);
    await pollDoc(space, c).update({ votes: { users_old: 0 } });
    await vote(space, c, ADA, 2);
    const snaps = await db.getAll(pollDoc(space, a), pollDoc(space, b), pollDoc(space, c));
    expect(await voterCounts(db, snaps)).toEqual([5, 1, 2]);
    expect(await voterCounts(db, [])).toEqual([]);
  });
});
