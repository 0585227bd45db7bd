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
import { firestoreLibrary } from '../../../shared/stores/firestore';
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
  /**
   * Person key → display name, written only for a vote cast while the space shows voters: a vote
   * cast while names are hidden stays anonymous if a manager turns names on later.
   */
  voterNames: Record<string, string>;
  /**
   * The poll's own message in its space, learnt from the first click on its card (a synchronous
   * answer does not name the message it creates): App Home links to it and updates it when the
   * poll is closed from there.
   */
  message?: { name: string; thread: string | null };
}

/** The card's message, from a click on it: only the app's own message in the poll's space (not a link preview). */
export function pollMessageOf(spaceId: string, message: { name: string; threadName?: string } | undefined, senderType: string | undefined): Poll['message'] {
  if (!message || senderType !== 'BOT' || !message.name.startsWith(`spaces/${spaceId}/messages/`)) return undefined;
  return { name: message.name, thread: message.threadName ?? null };
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
export async function prepareVote(db: Firestore, read: Read, spaceId: string, pollId: string, user: ChatUser, option: number, message?: Poll['message']): Promise<VoteResult> {
  const { poll, space, shards } = await readAll(db, spaceId, pollId, read);
  if (!poll.exists) return { outcome: 'missing' };
  const view = { poll: fromData(poll.data()!, shards), votersVisible: votersVisibleIn(space) };
  const key = personKey(user);
  if (view.poll.closed) return { outcome: 'closed', view };
  if (option >= view.poll.options.length) return { outcome: 'notAllowed', view };
  if (view.poll.votes[key] === option) return { outcome: 'unchanged', view };
  view.poll.votes[key] = option;
  // Hidden names: record none, and forget one recorded while names were shown (this vote is anonymous).
  const { FieldValue } = await firestoreLibrary();
  const name = view.votersVisible ? (user.displayName ?? user.name) : FieldValue.delete();
  if (view.votersVisible) view.poll.voterNames[key] = user.displayName ?? user.name;
  else delete view.poll.voterNames[key];
  // The poll's message, learnt once from the first click (not a write per vote to the poll's document).
  const learnt = message && !view.poll.message ? { message } : undefined;
  const shard = shards[shardOf(key, VOTE_SHARDS)];
  const write = shard.exists
    ? (batch: WriteBatch) => {
        batch.update(shard.ref, { [`votes.${key}`]: option, [`voterNames.${key}`]: name });
        if (learnt) batch.update(poll.ref, learnt);
      }
    : (batch: WriteBatch) =>
        batch
          .update(poll.ref, { [`shards.${shard.id}`]: true, ...learnt })
          .set(shard.ref, { votes: { [key]: option }, ...(view.votersVisible ? { voterNames: { [key]: name } } : {}) }, { merge: true });
  return { outcome: 'changed', view, write };
}

/** Closes the poll if `user` created it, freezing its result; `message` is the card's, when the click came from it. */
export async function closePoll(db: Firestore, spaceId: string, pollId: string, user: ChatUser, message?: Poll['message']): Promise<PollChange> {
  return db.runTransaction(async (tx) => {
    const { poll, space, shards } = await readAll(db, spaceId, pollId, (...refs) => tx.getAll(...refs));
    if (!poll.exists) return { outcome: 'missing' as const };
    const view = { poll: fromData(poll.data()!, shards), votersVisible: votersVisibleIn(space) };
    if (view.poll.creator.name !== user.name) return { outcome: 'notAllowed' as const, view };
    if (view.poll.closed) return { outcome: 'closed' as const, view };
    view.poll.closed = true;
    view.poll.finalVotes = { ...view.poll.votes };
    if (message && !view.poll.message) view.poll.message = message;
    tx.update(poll.ref, { closed: true, finalVotes: view.poll.finalVotes, closedAt: new Date(), ...(view.poll.message ? { message: view.poll.message } : {}) });
    return { outcome: 'changed' as const, view };
  });
}
