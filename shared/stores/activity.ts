/**
 * `spaces/{id}/activity/{yyyy-mm-dd}`: daily counters of a space's interactions, by route
 * (`command:4`, `action:vote`, …) and by person, read by the activity report. They are written
 * in the same batch that completes a delivery, so counting costs no extra round trip; pure
 * routes (which touch no database) are not counted. The batch also touches `spaces/{id}`, which
 * must exist: a delivery finishing after its space was removed cannot bring the space back.
 */
import type { Firestore, WriteBatch } from '@google-cloud/firestore';
import type { ChatEvent } from '../events/model';
import { dayKey, fieldKey } from './keys';
import { SPACES } from './spaces';

export const ACTIVITY = 'activity';

// Loaded lazily like the client itself (already loaded by the time a delivery completes), and
// once: each dynamic import() of a CommonJS module builds a fresh namespace object.
let firestoreModule: Promise<typeof import('@google-cloud/firestore')> | undefined;

export async function activityWrite(db: Firestore, event: ChatEvent, route: string): Promise<(batch: WriteBatch) => void> {
  const { FieldValue } = await (firestoreModule ??= import('@google-cloud/firestore'));
  // UTC days: the counters are written with the delivery's record, where reading the space's zone would cost a round trip.
  const day = dayKey(event, 'UTC');
  const space = db.collection(SPACES).doc(event.space.id);
  const ref = space.collection(ACTIVITY).doc(day);
  return (batch) =>
    batch.update(space, { lastActivityAt: new Date() }).set(
      ref,
      {
        day,
        total: FieldValue.increment(1),
        byRoute: { [fieldKey(route)]: FieldValue.increment(1) },
        byUser: { [fieldKey(event.user.name)]: FieldValue.increment(1) },
        userNames: { [fieldKey(event.user.name)]: event.user.displayName ?? event.user.name },
      },
      { merge: true },
    );
}
