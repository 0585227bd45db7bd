/**
 * What App Home shows a person, read from Firestore by who they are: their open polls across spaces,
 * the spaces they manage, the incoming webhooks they created (never a secret or its hash).
 * Collection-group queries by equality (terraform/firestore.tf indexes them for that scope).
 */
import type { Firestore } from '@google-cloud/firestore';
import type { ChatUser, SpaceKind } from '../../../shared/events/model';
import type { Logger } from '../../../shared/log';
import type { RoleChecker } from '../../../shared/permissions/roles';
import { SPACES } from '../../../shared/stores/spaces';
import { WEBHOOKS } from '../../../shared/stores/webhooks';
import { POLLS, voterCounts, type Poll } from '../polls/store';

/** How many of each list the home card shows; more would crowd the card (Chat allows 100 widgets). */
export const HOME_LIST_LIMIT = 10;

export interface HomeData {
  polls: { space: string; spaceName: string | null; id: string; question: string; votes: number; message: Poll['message'] }[];
  managed: { id: string; name: string | null }[];
  /** Spaces whose role Chat could not tell just now (shown as a note; refresh to try again). */
  rolesUnchecked: number;
  webhooks: { space: string; spaceName: string | null; hookId: string; createdAt: Date }[];
}

/**
 * The spaces a person manages, by the one rule for admin actions (`shared/permissions/roles.ts`):
 * among the spaces the app knows them in (they added it, started a poll or made a webhook there),
 * those where Chat says they are a manager. DMs are left out (their settings are in the DM itself).
 * A space whose role cannot be read is left out too, and counted.
 */
export async function managedSpaces(
  db: Firestore,
  user: ChatUser,
  seenIn: string[],
  roles: RoleChecker,
  log: Logger,
): Promise<Pick<HomeData, 'managed' | 'rolesUnchecked'>> {
  const added = await db.collection(SPACES).where('addedBy.name', '==', user.name).limit(HOME_LIST_LIMIT).get();
  const ids = [...new Set([...added.docs.map((d) => d.id), ...seenIn])].slice(0, HOME_LIST_LIMIT);
  if (ids.length === 0) return { managed: [], rolesUnchecked: 0 };
  const snaps = (await db.getAll(...ids.map((id) => db.collection(SPACES).doc(id)))).filter((d) => d.exists && d.get('kind') !== 'DM');
  const standings = await Promise.all(
    snaps.map((d) => roles.standing({ name: `spaces/${d.id}`, kind: (d.get('kind') as SpaceKind | undefined) ?? 'SPACE' }, user, log)),
  );
  return {
    managed: snaps.filter((_, i) => standings[i].verdict === 'manager').map((d) => ({ id: d.id, name: d.get('displayName') ?? null })),
    rolesUnchecked: standings.filter((s) => s.verdict === 'unknown').length,
  };
}

async function spaceNames(db: Firestore, ids: string[]): Promise<Map<string, string | null>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const snaps = await db.getAll(...unique.map((id) => db.collection(SPACES).doc(id)));
  return new Map(snaps.map((s) => [s.id, (s.get('displayName') as string | undefined) ?? null]));
}

export async function readHomeData(db: Firestore, user: ChatUser, roles: RoleChecker, log: Logger): Promise<HomeData> {
  const [polls, hooks] = await Promise.all([
    db.collectionGroup(POLLS).where('creator.name', '==', user.name).where('closed', '==', false).limit(HOME_LIST_LIMIT).get(),
    db.collectionGroup(WEBHOOKS).where('createdBy.name', '==', user.name).limit(HOME_LIST_LIMIT).get(),
  ]);
  const spaceOf = (path: string) => path.split('/')[1];
  const seenIn = [...polls.docs, ...hooks.docs].map((d) => spaceOf(d.ref.path));
  const [names, managed, voters] = await Promise.all([spaceNames(db, seenIn), managedSpaces(db, user, seenIn, roles, log), voterCounts(db, polls.docs)]);
  return {
    polls: polls.docs.map((d, i) => ({
      space: spaceOf(d.ref.path),
      spaceName: names.get(spaceOf(d.ref.path)) ?? null,
      id: d.id,
      question: String(d.get('question')),
      votes: voters[i],
      message: (d.get('message') as Poll['message']) ?? undefined,
    })),
    ...managed,
    webhooks: hooks.docs.map((d) => ({
      space: spaceOf(d.ref.path),
      spaceName: names.get(spaceOf(d.ref.path)) ?? null,
      hookId: d.id,
      createdAt: d.get('createdAt')?.toDate?.() ?? new Date(0),
    })),
  };
}
