/**
 * `spaces/{spaceId}/polls/{pollId}`: a poll; its votes live in `VOTE_SHARDS` shard documents
 * (`polls/{pollId}/voteShards/{k}`), one map entry per person, in the shard picked by the person.
 *
 * A vote is a blind field update (`votes.<person>`) of its shard, not a transaction: many people
 * voting at once write different fields, which Firestore merges without contention (a
 * read-modify-write transaction per vote made 20 simultaneous voters abort each other), and the
 * shards spread a busy poll's writes over several documents (README, Capacity). A person always
 * writes the same shard, so a changed vote replaces the old one. The update is returned, not
 * written, so the vote commits in the same batch as its delivery record. A vote `update`s its shard,
 * which fails once the poll is removed with its space; the first vote of a shard creates it and
 * updates the poll for that precondition. Polls stored before the shards keep their `votes` map,
 * read under the shards' entries.
 * Closing is a transaction that also freezes `finalVotes`; a closed poll is shown and counted
 * from `finalVotes`, so a vote that races the close never changes the result.
 */
import type { DocumentData, DocumentReference, DocumentSnapshot, Firestore, WriteBatch } from '@google-cloud/firestore';
import type { ChatUser } from '../../../shared/events/model';
import { fieldKey, shardOf } from '../../../shared/stores/keys';
import { SPACES, DEFAULT_SETTINGS } from '../../../shared/stores/spaces';

export const POLLS = 'polls';
export const VOTE_SHARDS = 8;
const SHARDS = 'voteShards';

export interface Poll {
  id: string;
  space: string;
  question: string;
  options: string[];
  creator: { name: string; displayName: string | null };
  createdAt: Date;
  closed: boolean;
  /** Person key → index of the chosen option. */
  votes: Record<string, number>;
  /** The votes when the poll was closed: the result. */
  finalVotes?: Record<string, number>;
  /** Person key → display name, for spaces that show voters. */
  voterNames: Record<string, string>;
}

export interface PollView {
  poll: Poll;
  votersVisible: boolean;
}

/** Field-path-safe key of a person (`users/123` → `users_123`). */
export const personKey = (user: ChatUser) => fieldKey(user.name);

const pollRef = (db: Firestore, spaceId: string, pollId: string) => db.collection(SPACES).doc(spaceId).collection(POLLS).doc(pollId);
const shardRefs = (poll: DocumentReference) => Array.from({ length: VOTE_SHARDS }, (_, k) => poll.collection(SHARDS).doc(String(k)));

/** The poll with its votes: the map of a poll stored before the shards, then each shard's entries. */
function fromData(d: DocumentData, shards: DocumentSnapshot[]): Poll {
  const votes = { ...d.votes };
  const voterNames = { ...d.voterNames };
  for (const shard of shards) {
    Object.assign(votes, shard.get('votes'));
    Object.assign(voterNames, shard.get('voterNames'));
  }
  return { ...(d as Poll), votes, voterNames, createdAt: d.createdAt?.toDate?.() ?? new Date(0) };
}

export async function createPoll(db: Firestore, spaceId: string, poll: Poll): Promise<void> {
  await pollRef(db, spaceId, poll.id).set(poll);
}

const votersVisibleIn = (space: DocumentSnapshot): boolean =>
  space.get('settings.pollVotersVisible') ?? DEFAULT_SETTINGS.pollVotersVisible;

/** Reads documents in one round trip: `db.getAll`, a transaction's, or a handler's `ctx.read`. */
export type Read = (...refs: DocumentReference[]) => Promise<DocumentSnapshot[]>;

/** The documents of a poll, its space and its shards, in one round trip. */
async function readAll(db: Firestore, spaceId: string, pollId: string, read: Read) {
  const [poll, space, ...shards] = await read(pollRef(db, spaceId, pollId), db.collection(SPACES).doc(spaceId), ...shardRefs(pollRef(db, spaceId, pollId)));
  return { poll, space, shards };
}

/** The poll and its space's voter setting, in one round trip. */
export async function readPoll(db: Firestore, spaceId: string, pollId: string): Promise<PollView | undefined> {
  const { poll, space, shards } = await readAll(db, spaceId, pollId, (...refs) => db.getAll(...refs));
  if (!poll.exists) return undefined;
  return { poll: fromData(poll.data()!, shards), votersVisible: votersVisibleIn(space) };
}

/** How many people voted on each poll (counted across its shards), in one round trip. */
export async function voterCounts(db: Firestore, polls: DocumentSnapshot[]): Promise<number[]> {
  if (polls.length === 0) return [];
  const shards = await db.getAll(...polls.flatMap((p) => shardRefs(p.ref)));
  return polls.map((p, i) => Object.keys(fromData(p.data() ?? {}, shards.slice(i * VOTE_SHARDS, (i + 1) * VOTE_SHARDS)).votes).length);
}

export type PollChange = { outcome: 'changed' | 'unchanged' | 'closed' | 'notAllowed'; view: PollView } | { outcome: 'missing' };

/** A vote to record: the view already includes it; `write` stages it on the delivery's batch. */
export type VoteResult = PollChange & { write?: (batch: WriteBatch) => void };

/** Reads the poll (through `read`, in one round trip) and prepares a person's vote (a new one or a changed one). */
export async function prepareVote(db: Firestore, read: Read, spaceId: string, pollId: string, user: ChatUser, option: number): Promise<VoteResult> {
  const { poll, space, shards } = await readAll(db, spaceId, pollId, read);
  if (!poll.exists) return { outcome: 'missing' };
  const view = { poll: fromData(poll.data()!, shards), votersVisible: votersVisibleIn(space) };
  const key = personKey(user);
  if (view.poll.closed) return { outcome: 'closed', view };
  if (option >= view.poll.options.length) return { outcome: 'notAllowed', view };
  if (view.poll.votes[key] === option) return { outcome: 'unchanged', view };
  const name = user.displayName ?? user.name;
  view.poll.votes[key] = option;
  view.poll.voterNames[key] = name;
  const shard = shards[shardOf(key, VOTE_SHARDS)];
  const write = shard.exists
    ? (batch: WriteBatch) => batch.update(shard.ref, { [`votes.${key}`]: option, [`voterNames.${key}`]: name })
    : (batch: WriteBatch) => batch.update(poll.ref, { [`shards.${shard.id}`]: true }).set(shard.ref, { votes: { [key]: option }, voterNames: { [key]: name } }, { merge: true });
  return { outcome: 'changed', view, write };
}

/** Closes the poll if `user` created it, freezing its result. */
export async function closePoll(db: Firestore, spaceId: string, pollId: string, user: ChatUser): Promise<PollChange> {
  return db.runTransaction(async (tx) => {
    const { poll, space, shards } = await readAll(db, spaceId, pollId, (...refs) => tx.getAll(...refs));
    if (!poll.exists) return { outcome: 'missing' as const };
    const view = { poll: fromData(poll.data()!, shards), votersVisible: votersVisibleIn(space) };
    if (view.poll.creator.name !== user.name) return { outcome: 'notAllowed' as const, view };
    if (view.poll.closed) return { outcome: 'closed' as const, view };
    view.poll.closed = true;
    view.poll.finalVotes = { ...view.poll.votes };
    tx.update(poll.ref, { closed: true, finalVotes: view.poll.finalVotes, closedAt: new Date() });
    return { outcome: 'changed' as const, view };
  });
}
