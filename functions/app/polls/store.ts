/**
 * `spaces/{spaceId}/polls/{pollId}`: a poll with its votes, one map entry per person.
 *
 * A vote is a blind field update (`votes.<person>`), not a transaction: many people voting at
 * once write different fields of one document, which Firestore merges without contention (a
 * read-modify-write transaction per vote made 20 simultaneous voters abort each other). The update
 * is returned, not written, so the vote commits in the same batch as its delivery record.
 * Closing is a transaction that also freezes `finalVotes`; a closed poll is shown and counted
 * from `finalVotes`, so a vote that races the close never changes the result.
 */
import { FieldValue, type DocumentData, type DocumentSnapshot, type Firestore, type WriteBatch } from '@google-cloud/firestore';
import type { ChatUser } from '../../../shared/events/model';
import { fieldKey } from '../../../shared/stores/keys';
import { SPACES, DEFAULT_SETTINGS } from '../../../shared/stores/spaces';

export const POLLS = 'polls';

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

function fromData(d: DocumentData): Poll {
  return { ...(d as Poll), createdAt: d.createdAt?.toDate?.() ?? new Date(0) };
}

export async function createPoll(db: Firestore, spaceId: string, poll: Poll): Promise<void> {
  await pollRef(db, spaceId, poll.id).set(poll);
}

const votersVisibleIn = (space: DocumentSnapshot): boolean =>
  space.get('settings.pollVotersVisible') ?? DEFAULT_SETTINGS.pollVotersVisible;

/** The poll and its space's voter setting, in one round trip. */
export async function readPoll(db: Firestore, spaceId: string, pollId: string): Promise<PollView | undefined> {
  const [poll, space] = await db.getAll(pollRef(db, spaceId, pollId), db.collection(SPACES).doc(spaceId));
  if (!poll.exists) return undefined;
  return { poll: fromData(poll.data()!), votersVisible: votersVisibleIn(space) };
}

export type PollChange = { outcome: 'changed' | 'unchanged' | 'closed' | 'notAllowed'; view: PollView } | { outcome: 'missing' };

/** A vote to record: the view already includes it; `write` stages it on the delivery's batch. */
export type VoteResult = PollChange & { write?: (batch: WriteBatch) => void };

/** Reads the poll and prepares a person's vote (a new one or a changed one). */
export async function prepareVote(db: Firestore, spaceId: string, pollId: string, user: ChatUser, option: number, message?: Poll['message']): Promise<VoteResult> {
  const view = await readPoll(db, spaceId, pollId);
  if (!view) return { outcome: 'missing' };
  const key = personKey(user);
  if (view.poll.closed) return { outcome: 'closed', view };
  if (option >= view.poll.options.length) return { outcome: 'notAllowed', view };
  if (view.poll.votes[key] === option) return { outcome: 'unchanged', view };
  view.poll.votes[key] = option;
  // Hidden names: record none, and forget one recorded while names were shown (this vote is anonymous).
  const name = view.votersVisible ? (user.displayName ?? user.name) : FieldValue.delete();
  if (view.votersVisible) view.poll.voterNames[key] = user.displayName ?? user.name;
  else delete view.poll.voterNames[key];
  const learnt = message && !view.poll.message ? { message } : {};
  return { outcome: 'changed', view, write: (batch) => batch.update(pollRef(db, spaceId, pollId), { [`votes.${key}`]: option, [`voterNames.${key}`]: name, ...learnt }) };
}

/** Closes the poll if `user` created it, freezing its result; `message` is the card's, when the click came from it. */
export async function closePoll(db: Firestore, spaceId: string, pollId: string, user: ChatUser, message?: Poll['message']): Promise<PollChange> {
  const ref = pollRef(db, spaceId, pollId);
  return db.runTransaction(async (tx) => {
    const [snap, space] = await Promise.all([tx.get(ref), tx.get(db.collection(SPACES).doc(spaceId))]);
    if (!snap.exists) return { outcome: 'missing' as const };
    const view = { poll: fromData(snap.data()!), votersVisible: votersVisibleIn(space) };
    if (view.poll.creator.name !== user.name) return { outcome: 'notAllowed' as const, view };
    if (view.poll.closed) return { outcome: 'closed' as const, view };
    view.poll.closed = true;
    view.poll.finalVotes = { ...view.poll.votes };
    if (message && !view.poll.message) view.poll.message = message;
    tx.update(ref, { closed: true, finalVotes: view.poll.finalVotes, closedAt: new Date(), ...(view.poll.message ? { message: view.poll.message } : {}) });
    return { outcome: 'changed' as const, view };
  });
}
