/**
 * "Seed activity": daily activity counters for a space, as the app writes them
 * (shared/stores/activity.ts; all of a seeded day in its first shard), for the days before today. `/report` needs weeks of activity
 * before it builds a report; seeded, its progress and card can be watched locally.
 */
import type { Firestore } from '@google-cloud/firestore';
import { fieldKey } from '../../shared/stores/keys';
import { ACTIVITY, activityDocId } from '../../shared/stores/activity';
import { SPACES } from '../../shared/stores/spaces';
import type { PersonInfo } from './protocol';
import { UserError } from './user-error';

export const SEED_DAYS = 45;

/** Writes `days` days of counters (UTC days ending yesterday) under the space's record, which the app made when it was added. */
export async function seedActivity(db: Firestore, spaceId: string, people: PersonInfo[], routes: string[], days = SEED_DAYS): Promise<number> {
  const space = db.collection(SPACES).doc(spaceId);
  if (!(await space.get()).exists) throw new UserError(`the app has no record of spaces/${spaceId}: add it to the space first`);
  const batch = db.batch();
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  for (let d = 1; d <= days; d++) {
    const day = new Date(today - d * 86_400_000).toISOString().slice(0, 10);
    const byRoute: Record<string, number> = {};
    const byUser: Record<string, number> = {};
    const userNames: Record<string, string> = {};
    routes.forEach((route, i) => (byRoute[fieldKey(route)] = 1 + ((d + i) % 3)));
    people.forEach((p, i) => {
      byUser[fieldKey(p.name)] = 1 + ((d * (i + 1)) % 4);
      userNames[fieldKey(p.name)] = p.displayName;
    });
    const total = Object.values(byRoute).reduce((a, b) => a + b, 0);
    batch.set(space.collection(ACTIVITY).doc(activityDocId(day, 0)), { day, total, byRoute, byUser, userNames });
  }
  await batch.commit();
  return days;
}
