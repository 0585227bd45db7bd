/** Direct access to the Firestore emulator for assertions: what a test's project holds. */
import { Firestore, type DocumentReference } from '@google-cloud/firestore';

export function testFirestore(projectId: string): Firestore {
  if (!process.env.FIRESTORE_EMULATOR_HOST) throw new Error('FIRESTORE_EMULATOR_HOST is not set: run the tests with npm test');
  return new Firestore({ projectId });
}

/** Every document path in the project, subcollections included. */
export async function allDocumentPaths(db: Firestore): Promise<string[]> {
  const paths: string[] = [];
  const walk = async (collections: FirebaseFirestore.CollectionReference[]) => {
    for (const c of collections) {
      const refs = await c.listDocuments();
      for (const ref of refs) {
        const snap = await ref.get();
        if (snap.exists) paths.push(ref.path);
        await walk(await ref.listCollections());
      }
    }
  };
  await walk(await db.listCollections());
  return paths.sort();
}

/** Grows the document with a `pad` field to the largest size Firestore accepts (1 MiB): one more field does not fit. */
export async function fillToLimit(ref: DocumentReference): Promise<void> {
  let [fits, over] = [1_048_576 - 2048, 1_048_576];
  while (over - fits > 1) {
    const mid = Math.floor((fits + over) / 2);
    if (await ref.update({ pad: 'x'.repeat(mid) }).then(() => true, () => false)) fits = mid;
    else over = mid;
  }
  await ref.update({ pad: 'x'.repeat(fits) });
}
