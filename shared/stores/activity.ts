/**
 * `spaces/{id}/activity/{yyyy-mm-dd}`: daily counters of a space's interactions, by route
 * (`command:4`, `action:vote`, …) and by person, read by the activity report. They are written
 * in the same batch that completes a delivery, so counting costs no extra round trip; pure
 * routes (which touch no database) are not counted. The batch also touches `spaces/{id}`, which
 * must exist: a delivery finishing after its space was removed cannot bring the space back.
 */
import type { Firestore, WriteBatch } from '@google-cloud/firestore';
import type { ChatEvent } from '../events/model';
import { SPACES } from './spaces';

export const ACTIVITY = 'activity';

/** Field-path-safe form of a key (`users/123` → `users_123`), for maps keyed by route or person. */
export const fieldKey = (key: string) => key.replace(/[^A-Za-z0-9_-]/g, '_');

// Loaded lazily like the client itself (already loaded by the time a delivery completes), and
// once: each dynamic import() of a CommonJS module builds a fresh namespace object.
let firestoreModule: Promise<typeof import('@google-cloud/firestore')> | undefined;

export async function activityWrite(db: Firestore, event: ChatEvent, route: string): Promise<(batch: WriteBatch) => void> {
  const { FieldValue } = await (firestoreModule ??= import('@google-cloud/firestore'));
  const day = event.eventTime.slice(0, 10);
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
