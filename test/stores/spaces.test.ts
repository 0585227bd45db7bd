/**
 * The space store against the Firestore emulator: what a space reads back as when its record is
 * partial, what a repeated ADDED_TO_SPACE keeps, and removal: every document of the space goes,
 * including what an event still running during the first sweep writes, and nothing of another space.
 */
import type { BulkWriter, Firestore } from '@google-cloud/firestore';
import { NO_SPACE, type ChatSpace } from '../../shared/events/model';
import { DELIVERIES } from '../../shared/stores/deliveries';
import { createSpaceStore, DEFAULT_SETTINGS, SPACES } from '../../shared/stores/spaces';
import { randomProjectId } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';

const db = testFirestore(randomProjectId('spacestore'));
// Also checks that removal closes every BulkWriter it opens: terminate() refuses while one is open.
afterAll(() => db.terminate());
const fast = { minSettleMs: 0, maxSettleMs: 10_000 };
const spaces = createSpaceStore(async () => db, fast);
let n = 0;
const newSpace = (kind: ChatSpace['kind'] = 'SPACE', displayName: string | undefined = 'Team'): ChatSpace => {
  const id = `SST${Date.now()}${n++}`;
  return { name: `spaces/${id}`, id, kind, displayName };
};
const ADA = { name: 'users/1111', displayName: 'Ada Lovelace' };
const GRACE = { name: 'users/2222' };

test('a space saved by /config before it was recorded reads back with defaults for the rest', async () => {
  const space = newSpace();
  await spaces.updateSettings(space.id, { timeZone: 'Europe/Paris' });
  expect(await spaces.get(space.id)).toEqual({
    name: space.name,
    kind: 'SPACE',
    displayName: null,
    addedBy: { name: 'unknown', displayName: null },
    addedAt: new Date(0),
    settings: { ...DEFAULT_SETTINGS, timeZone: 'Europe/Paris' },
  });
  await spaces.updateSettings(space.id, { pollVotersVisible: true });
  expect((await spaces.get(space.id))!.settings).toEqual({ ...DEFAULT_SETTINGS, timeZone: 'Europe/Paris', pollVotersVisible: true });
  expect(await spaces.get(newSpace().id)).toBeUndefined();
});

test('a record whose addedAt is not a timestamp (edited by hand in the console) reads back with the epoch, not a failure', async () => {
  const space = newSpace();
  await db.collection(SPACES).doc(space.id).set({ name: space.name, addedAt: '2026-05-01T10:00:00Z' });
  expect((await spaces.get(space.id))!.addedAt).toEqual(new Date(0));
});

test('a repeated ADDED_TO_SPACE keeps who added it, when, and the settings; the display name follows the space', async () => {
  const space = newSpace('SPACE', 'Team');
  const first = await spaces.recordAdded(space, ADA, new Date('2026-05-01T10:00:00Z'));
  expect(first).toEqual({ name: space.name, kind: 'SPACE', displayName: 'Team', addedBy: ADA, addedAt: new Date('2026-05-01T10:00:00Z'), settings: DEFAULT_SETTINGS });
  await spaces.updateSettings(space.id, { webhooksAllowed: false });
  const again = await spaces.recordAdded({ ...space, displayName: 'Renamed' }, GRACE, new Date('2026-06-01T10:00:00Z'));
  const expected = { ...first, displayName: 'Renamed', settings: { ...DEFAULT_SETTINGS, webhooksAllowed: false } };
  expect(again).toEqual(expected);
  expect(await spaces.get(space.id)).toEqual(expected);
});

test('a DM, and a person, without a display name are recorded with null names', async () => {
  const dm = { ...newSpace('DM'), displayName: undefined };
  expect(await spaces.recordAdded(dm, GRACE, new Date('2026-05-01T10:00:00Z'))).toMatchObject({ kind: 'DM', displayName: null, addedBy: { name: GRACE.name, displayName: null } });
  expect(await spaces.get(dm.id)).toMatchObject({ kind: 'DM', displayName: null, addedBy: { name: GRACE.name, displayName: null } });
});

/** A space with documents in a subcollection, a job and a delivery naming it. */
async function populated(): Promise<ChatSpace> {
  const space = newSpace();
  await spaces.recordAdded(space, ADA, new Date());
  const doc = db.collection(SPACES).doc(space.id);
  await Promise.all([
    doc.collection('polls').doc('p1').set({ q: 1 }),
    doc.collection('polls').doc('p1').collection('voteShards').doc('0').set({ votes: {} }),
    db.collection('jobs').doc(`job-${space.id}`).set({ space: space.name }),
    db.collection(DELIVERIES).doc(`del-${space.id}`).set({ space: space.name, status: 'DONE' }),
  ]);
  return space;
}

const leftOf = async (space: ChatSpace) => {
  const [own, jobs, deliveries] = await Promise.all([
    db.collection(SPACES).doc(space.id).listCollections().then(async (cs) => (await Promise.all(cs.map((c) => c.get()))).reduce((k, s) => k + s.size, 0)),
    db.collection('jobs').where('space', '==', space.name).get(),
    db.collection(DELIVERIES).where('space', '==', space.name).get(),
  ]);
  return { space: (await db.collection(SPACES).doc(space.id).get()).exists, own, jobs: jobs.size, deliveries: deliveries.size };
};

test("removal deletes the space's documents, jobs and deliveries, counts them, and leaves another space alone", async () => {
  const [gone, kept] = [await populated(), await populated()];
  // At least the 5 documents (the count may include a sweep's delete of the already deleted space).
  expect((await spaces.removeAll(gone)).deleted).toBeGreaterThanOrEqual(5);
  expect(await leftOf(gone)).toEqual({ space: false, own: 0, jobs: 0, deliveries: 0 });
  expect(await leftOf(kept)).toEqual({ space: true, own: 1, jobs: 1, deliveries: 1 });
});

/**
 * The store over `db`, where an event of `space` claims its delivery while the first sweep runs
 * (when its second bulk writer closes) and, if `finishAfterMs` is set, writes into the space and
 * finishes that long later.
 */
function withEventDuringFirstSweep(space: ChatSpace, finishAfterMs?: number) {
  const delivery = db.collection(DELIVERIES).doc(`running-${space.id}`);
  const late = db.collection(SPACES).doc(space.id).collection('polls').doc('late');
  let writers = 0;
  let finished: Promise<unknown> = Promise.resolve();
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop !== 'bulkWriter') {
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return () => {
        const writer = target.bulkWriter();
        if (++writers !== 2) return writer;
        const close = writer.close.bind(writer);
        return Object.assign(writer, {
          close: async () => {
            await close();
            await delivery.create({ space: space.name, status: 'RUNNING' });
            if (finishAfterMs !== undefined) {
              finished = new Promise((r) => setTimeout(r, finishAfterMs)).then(() =>
                db.batch().set(late, { q: 2 }).update(delivery, { status: 'DONE' }).commit(),
              );
            }
          },
        }) as BulkWriter;
      };
    },
  }) as Firestore;
  return { proxy, finished: () => finished };
}

test('removal waits for an event that was running during its first sweep, then sweeps what it wrote', async () => {
  const space = await populated();
  const { proxy, finished } = withEventDuringFirstSweep(space, 600);
  const removal = createSpaceStore(async () => proxy, fast).removeAll(space);
  const { deleted } = await removal;
  await finished();
  // The first sweep's 5, then the event's delivery and its late write.
  expect(deleted).toBeGreaterThanOrEqual(7);
  expect(await leftOf(space)).toEqual({ space: false, own: 0, jobs: 0, deliveries: 0 });
});

test('removal waits at most maxSettleMs for an event that never finishes, then sweeps', async () => {
  const space = await populated();
  const { proxy } = withEventDuringFirstSweep(space);
  const { deleted } = await createSpaceStore(async () => proxy, { minSettleMs: 0, maxSettleMs: 500 }).removeAll(space);
  expect(deleted).toBeGreaterThanOrEqual(6);
  expect(await leftOf(space)).toEqual({ space: false, own: 0, jobs: 0, deliveries: 0 });
});

test('removal with no event running sweeps again at once: it does not wait out maxSettleMs (here an hour)', async () => {
  const space = await populated();
  const { deleted } = await createSpaceStore(async () => db, { minSettleMs: 0, maxSettleMs: 3_600_000 }).removeAll(space);
  expect(deleted).toBeGreaterThanOrEqual(5);
  expect(await leftOf(space)).toEqual({ space: false, own: 0, jobs: 0, deliveries: 0 });
});

test("an App Home event that names no space (NO_SPACE) reads as a space never recorded, not a failed read", async () => {
  await expect(spaces.get(NO_SPACE.id)).resolves.toBeUndefined();
});
