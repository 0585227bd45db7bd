/**
 * `spaces/{spaceId}/polls/{pollId}`: a poll with its votes. Votes live in the poll document (one
 * entry per person) so that a vote is one transaction on one document and the card is rendered
 * from what that transaction read. The cost: one poll takes about one vote per second sustained,
 * which is far above what people clicking in one space produce.
 */
import type { DocumentData, Firestore } from '@google-cloud/firestore';
import type { ChatUser } from '../../../shared/events/model';
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
  /** Person key → display name, for spaces that show voters. */
  voterNames: Record<string, string>;
}

export interface PollView {
  poll: Poll;
  votersVisible: boolean;
}

/** Field-path-safe key of a person (`users/123` → `users_123`). */
export const personKey = (user: ChatUser) => user.name.replace(/[^A-Za-z0-9_-]/g, '_');

const pollRef = (db: Firestore, spaceId: string, pollId: string) => db.collection(SPACES).doc(spaceId).collection(POLLS).doc(pollId);

function fromData(d: DocumentData): Poll {
  return { ...(d as Poll), createdAt: d.createdAt?.toDate?.() ?? new Date(0) };
}

export async function createPoll(db: Firestore, spaceId: string, poll: Poll): Promise<void> {
  await pollRef(db, spaceId, poll.id).set(poll);
}

export async function readPoll(db: Firestore, spaceId: string, pollId: string): Promise<PollView | undefined> {
  const [poll, space] = await Promise.all([pollRef(db, spaceId, pollId).get(), db.collection(SPACES).doc(spaceId).get()]);
  if (!poll.exists) return undefined;
  return { poll: fromData(poll.data()!), votersVisible: space.get('settings.pollVotersVisible') ?? DEFAULT_SETTINGS.pollVotersVisible };
}

export type PollChange = { outcome: 'changed' | 'unchanged' | 'closed' | 'notAllowed'; view: PollView } | { outcome: 'missing' };

/**
 * Reads the poll and the space's settings, applies `change` to the poll (or not), and writes it,
 * all in one transaction, so concurrent votes never lose each other.
 */
export async function changePoll(
  db: Firestore,
  spaceId: string,
  pollId: string,
  change: (poll: Poll) => 'changed' | 'unchanged' | 'closed' | 'notAllowed',
): Promise<PollChange> {
  const ref = pollRef(db, spaceId, pollId);
  return db.runTransaction(async (tx) => {
    const [snap, space] = await Promise.all([tx.get(ref), tx.get(db.collection(SPACES).doc(spaceId))]);
    if (!snap.exists) return { outcome: 'missing' as const };
    const poll = fromData(snap.data()!);
    const outcome = change(poll);
    if (outcome === 'changed') tx.set(ref, poll);
    const votersVisible = space.get('settings.pollVotersVisible') ?? DEFAULT_SETTINGS.pollVotersVisible;
    return { outcome, view: { poll, votersVisible } };
  });
}
