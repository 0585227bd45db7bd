/**
 * What the app keeps about a space in Firestore (`spaces/{id}` and its subcollections), for the
 * page's "Data" tab: adding the app creates the record, removing it must leave nothing.
 */
import type { Firestore } from '@google-cloud/firestore';

export interface StoredDocument {
  path: string;
  data: unknown;
}

/** At most this many documents are listed; a report's daily counters can be many. */
export const MAX_DOCUMENTS = 200;

const noop = () => undefined;

export function createFirestoreView(projectId: string) {
  let db: Firestore | undefined;
  const firestore = async () => {
    if (!db) {
      const { Firestore: Client } = await import('@google-cloud/firestore');
      db = new Client({ projectId });
    }
    return db;
  };
  // Firestore's terminate() leaves a read in flight unsettled, its rejection unhandled (seen: `npm run dev`
  // exiting 1 on Ctrl-C while the page refreshed its Data tab), so close() waits for the work in flight.
  const inFlight = new Set<Promise<unknown>>();
  const use = <T>(work: (client: Firestore) => Promise<T>): Promise<T> => {
    const done = firestore().then(work);
    // Settles either way (the caller gets the failure; close() only waits), so it is never an unhandled rejection.
    const tracked: Promise<void> = done.then(noop, noop).finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    return done;
  };
  return {
    /** Runs work with the client (the page's tools that write: seeded activity); close() waits for it. */
    use,
    /** Every document under `spaces/{spaceId}`, the space's own record first. */
    async spaceDocuments(spaceId: string): Promise<StoredDocument[]> {
      if (!process.env.FIRESTORE_EMULATOR_HOST) return [];
      return use(async (client) => {
        const out: StoredDocument[] = [];
        const visit = async (ref: FirebaseFirestore.DocumentReference): Promise<void> => {
          if (out.length >= MAX_DOCUMENTS) return;
          const snap = await ref.get();
          if (snap.exists) out.push({ path: ref.path, data: snap.data() });
          for (const collection of await ref.listCollections()) {
            for (const doc of await collection.listDocuments()) await visit(doc);
          }
        };
        await visit(client.collection('spaces').doc(spaceId));
        return out;
      });
    },
    async close(): Promise<void> {
      await Promise.all(inFlight);
      await db?.terminate();
    },
  };
}

export type FirestoreView = ReturnType<typeof createFirestoreView>;
