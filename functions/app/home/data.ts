/**
 * What App Home shows a person, read from Firestore by who they are: their open polls across spaces,
 * the spaces they manage, the incoming webhooks they created (never a secret or its hash).
 * Collection-group queries by equality (terraform/firestore.tf indexes them for that scope).
 */
import type { Firestore } from '@google-cloud/firestore';
import type { ChatUser } from '../../../shared/events/model';
import { SPACES } from '../../../shared/stores/spaces';
import { WEBHOOKS } from '../../../shared/stores/webhooks';
import { POLLS, voterCounts } from '../polls/store';

/** How many of each list the home card shows; more would crowd the card (Chat allows 100 widgets). */
export const HOME_LIST_LIMIT = 10;

export interface HomeData {
  polls: { space: string; spaceName: string | null; id: string; question: string; votes: number }[];
  managed: { id: string; name: string | null }[];
  webhooks: { space: string; spaceName: string | null; hookId: string; createdAt: Date }[];
}

/**
 * The spaces a person may configure. The seam for roles: today the person who added the app to a
 * space is recorded as its manager (`addedBy`); Chat API role checks (`spaces.members.get`,
 * ROLE_MANAGER / ROLE_ASSISTANT_MANAGER, docs/chat-protocol.md §12) belong here when they exist.
 */
export async function managedSpaces(db: Firestore, user: ChatUser): Promise<HomeData['managed']> {
  const snaps = await db.collection(SPACES).where('addedBy.name', '==', user.name).limit(HOME_LIST_LIMIT).get();
  return snaps.docs.filter((d) => d.get('kind') !== 'DM').map((d) => ({ id: d.id, name: d.get('displayName') ?? null }));
}

/** Whether the person may change the settings of `spaceId` from App Home (the same seam as `managedSpaces`). */
export async function mayManage(db: Firestore, user: ChatUser, spaceId: string): Promise<boolean> {
  const snap = await db.collection(SPACES).doc(spaceId).get();
  return snap.exists && snap.get('addedBy.name') === user.name;
}

async function spaceNames(db: Firestore, ids: string[]): Promise<Map<string, string | null>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const snaps = await db.getAll(...unique.map((id) => db.collection(SPACES).doc(id)));
  return new Map(snaps.map((s) => [s.id, (s.get('displayName') as string | undefined) ?? null]));
}

export async function readHomeData(db: Firestore, user: ChatUser): Promise<HomeData> {
  const [polls, hooks, managed] = await Promise.all([
    db.collectionGroup(POLLS).where('creator.name', '==', user.name).where('closed', '==', false).limit(HOME_LIST_LIMIT).get(),
    db.collectionGroup(WEBHOOKS).where('createdBy.name', '==', user.name).limit(HOME_LIST_LIMIT).get(),
    managedSpaces(db, user),
  ]);
  const spaceOf = (path: string) => path.split('/')[1];
  const [names, voters] = await Promise.all([spaceNames(db, [...polls.docs, ...hooks.docs].map((d) => spaceOf(d.ref.path))), voterCounts(db, polls.docs)]);
  return {
    polls: polls.docs.map((d, i) => ({
      space: spaceOf(d.ref.path),
      spaceName: names.get(spaceOf(d.ref.path)) ?? null,
      id: d.id,
      question: String(d.get('question')),
      votes: voters[i],
    })),
    managed,
    webhooks: hooks.docs.map((d) => ({
      space: spaceOf(d.ref.path),
      spaceName: names.get(spaceOf(d.ref.path)) ?? null,
      hookId: d.id,
      createdAt: d.get('createdAt')?.toDate?.() ?? new Date(0),
    })),
  };
}
