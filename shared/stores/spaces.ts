/**
 * `spaces/{spaceId}`: per-space configuration, and the root of every per-space subcollection.
 * Removing the app deletes the document with all its subcollections, and the top-level jobs and
 * deliveries that name the space, so nothing of the space is left.
 */
import type { DocumentData } from '@google-cloud/firestore';
import type { ChatSpace, ChatUser, SpaceKind } from '../events/model';
import { JOBS } from '../jobs/model';
import { DELIVERIES } from './deliveries';
import type { FirestoreProvider } from './firestore';

export interface SpaceSettings {
  /** IANA time zone for reports. */
  timeZone: string;
  webhooksAllowed: boolean;
  pollVotersVisible: boolean;
}

export const DEFAULT_SETTINGS: SpaceSettings = { timeZone: 'UTC', webhooksAllowed: true, pollVotersVisible: false };

export interface SpaceRecord {
  name: string;
  kind: SpaceKind;
  displayName: string | null;
  addedBy: { name: string; displayName: string | null };
  addedAt: Date;
  settings: SpaceSettings;
}

export interface SpaceStore {
  get(spaceId: string): Promise<SpaceRecord | undefined>;
  /** Records that the app was added; a repeat keeps the first `addedAt` and the settings. */
  recordAdded(space: ChatSpace, by: ChatUser, at: Date): Promise<SpaceRecord>;
  updateSettings(spaceId: string, settings: Partial<SpaceSettings>): Promise<void>;
  /**
   * Deletes every document of the space: its subcollections, and the jobs and deliveries that
   * name it; then, once the space's events in flight have finished, sweeps again.
   */
  removeAll(space: ChatSpace): Promise<{ deleted: number }>;
}

export const SPACES = 'spaces';

export interface RemovalOptions {
  /** Wait at least this long before the second sweep (handlers without a delivery record, too). */
  minSettleMs: number;
  /** Wait at most this long for the space's running deliveries to finish. */
  maxSettleMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createSpaceStore(firestore: FirestoreProvider, options: RemovalOptions = { minSettleMs: 2000, maxSettleMs: 10_000 }): SpaceStore {
  const ref = async (id: string) => (await firestore()).collection(SPACES).doc(id);
  const fromData = (d: DocumentData): SpaceRecord => ({
    name: d.name,
    kind: d.kind ?? 'SPACE',
    displayName: d.displayName ?? null,
    addedBy: d.addedBy ?? { name: 'unknown', displayName: null },
    addedAt: d.addedAt?.toDate?.() ?? new Date(0),
    settings: { ...DEFAULT_SETTINGS, ...d.settings },
  });
  return {
    async get(id) {
      const snap = await (await ref(id)).get();
      return snap.exists ? fromData(snap.data()!) : undefined;
    },
    async recordAdded(space, by, at) {
      const db = await firestore();
      const doc = await ref(space.id);
      return db.runTransaction(async (tx) => {
        const snap = await tx.get(doc);
        const record: SpaceRecord = snap.exists
          ? { ...fromData(snap.data()!), displayName: space.displayName ?? null }
          : {
              name: space.name,
              kind: space.kind,
              displayName: space.displayName ?? null,
              addedBy: { name: by.name, displayName: by.displayName ?? null },
              addedAt: at,
              settings: DEFAULT_SETTINGS,
            };
        tx.set(doc, record);
        return record;
      });
    },
    async updateSettings(id, settings) {
      // A merge, so a space added before this record existed gets one on its first save.
      await (await ref(id)).set({ name: `spaces/${id}`, settings }, { merge: true });
    },
    async removeAll(space) {
      const db = await firestore();
      const sweep = async () => {
        let deleted = 0;
        const writer = db.bulkWriter();
        writer.onWriteResult(() => void deleted++);
        await db.recursiveDelete(await ref(space.id), writer);
        // recursiveDelete only flushes a writer it is given; an open one keeps the client from terminating.
        await writer.close();
        const others = db.bulkWriter();
        others.onWriteResult(() => void deleted++);
        for (const collection of [JOBS, DELIVERIES]) {
          const snaps = await db.collection(collection).where('space', '==', space.name).get();
          for (const d of snaps.docs) void others.delete(d.ref);
        }
        await others.close();
        return deleted;
      };
      const first = await sweep();
      // Events of this space still being handled may write after the first sweep: let them
      // finish (their deliveries leave RUNNING), then sweep again.
      const settleUntil = Date.now() + options.maxSettleMs;
      await sleep(options.minSettleMs);
      while (Date.now() < settleUntil) {
        const running = await db.collection(DELIVERIES).where('space', '==', space.name).where('status', '==', 'RUNNING').limit(1).get();
        if (running.empty) break;
        await sleep(200);
      }
      return { deleted: first + (await sweep()) };
    },
  };
}
