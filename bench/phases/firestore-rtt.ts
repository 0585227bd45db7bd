/**
 * The emulator's own round trips, measured from this process with a warm client, one at a time:
 * a single-document write (`set`) and a single-document read (`get`). The side-effect target is
 * stated against the write.
 */
import type { Stack } from '../stack';
import { msSince, summarize, type Summary } from '../stats';

export interface EmulatorRoundTrips {
  write: Summary;
  read: Summary;
}

export async function measureFirestoreRoundTrips(stack: Stack, samples: number): Promise<EmulatorRoundTrips> {
  const db = await stack.firestoreClient('bench-rtt');
  const docs = db.collection('rtt');
  for (let i = 0; i < 50; i++) await docs.doc(`warm-${i}`).set({ i, at: new Date() });
  const writes: number[] = [];
  const reads: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = process.hrtime.bigint();
    await docs.doc(`doc-${i}`).set({ i, at: new Date() });
    writes.push(msSince(started));
  }
  for (let i = 0; i < samples; i++) {
    const started = process.hrtime.bigint();
    await docs.doc(`doc-${i}`).get();
    reads.push(msSince(started));
  }
  return { write: summarize(writes), read: summarize(reads) };
}
