/**
 * `spaces/{id}/activity/{yyyy-mm-dd}-{k}`: daily counters of a space's interactions, by route
 * (`command:4`, `action:vote`, …) and by person, read by the activity report, which sums a day's
 * shards. They are written in the same batch that completes a delivery, so counting costs no
 * extra round trip; pure routes (which touch no database) are not counted.
 *
 * Each delivery increments one of `ACTIVITY_SHARDS` documents, picked by its delivery key, so a
 * busy space spreads its writes instead of queueing on one document (README, Capacity).
 *
 * A delivery finishing after its space was removed must not bring the space back. The first
 * write of a shard (of the day, in this instance) therefore also updates `spaces/{id}`, which must
 * exist; later writes only `update` the shard, which must exist too, and removal deletes both.
 * Either way, a removed space fails the write (NOT_FOUND), and the delivery commits without its
 * counters. So the space's document is written once per shard and day, not once per event.
 */
import type { Firestore, WriteBatch } from '@google-cloud/firestore';
import type { ChatEvent } from '../events/model';
import { BoundedMap } from '../bounded-map';
import { dayKey, fieldKey, shardOf } from './keys';
import { firestoreLibrary } from './firestore';
import { SPACES } from './spaces';

export const ACTIVITY = 'activity';
export const ACTIVITY_SHARDS = 10;

/** The id of one of a day's counter documents: a day's counters are spread over ACTIVITY_SHARDS of them. */
export const activityDocId = (day: string, shard: number) => `${day}-${shard}`;

type Write = (batch: WriteBatch) => void;

/** Shard documents this instance has written (so they existed then); bounded, as instances live long. */
const known = new BoundedMap<string, true>(10_000);

/**
 * The counters' writes for one delivery, in the order to try them: if a commit fails with
 * NOT_FOUND, the next one is tried (a known shard may have been removed with its space since).
 */
export async function activityWrites(db: Firestore, event: ChatEvent, route: string, deliveryKey: string): Promise<Write[]> {
  const { FieldValue } = await firestoreLibrary();
  // UTC days (dayKey's default): the counters are written with the delivery's record, where reading
  // the space's zone would cost a round trip.
  const day = dayKey(event);
  const space = db.collection(SPACES).doc(event.space.id);
  const ref = space.collection(ACTIVITY).doc(activityDocId(day, shardOf(deliveryKey, ACTIVITY_SHARDS)));
  const user = fieldKey(event.user.name);
  const counts = { total: FieldValue.increment(1), [`byRoute.${fieldKey(route)}`]: FieldValue.increment(1), [`byUser.${user}`]: FieldValue.increment(1) };
  const name = event.user.displayName ?? event.user.name;
  const first: Write = (batch) => {
    known.set(ref.path, true);
    batch.update(space, { lastActivityAt: new Date() }).set(
      ref,
      { day, total: counts.total, byRoute: { [fieldKey(route)]: FieldValue.increment(1) }, byUser: { [user]: FieldValue.increment(1) }, userNames: { [user]: name } },
      { merge: true },
    );
  };
  const next: Write = (batch) => batch.update(ref, { ...counts, [`userNames.${user}`]: name });
  return known.has(ref.path) ? [next, first] : [first];
}
