/**
 * The simulator's Data tab reads Firestore; stopping the simulator (Ctrl-C) while a read is in flight
 * must let it finish: Firestore's terminate() would leave it unsettled and its rejection unhandled,
 * which crashed `npm run dev` on the way out.
 */
import { createFirestoreView } from '../../local/simulator/firestore-view';
import { testFirestore } from '../helpers/firestore';

const PROJECT = 'firestore-view-test';

beforeAll(async () => {
  const db = testFirestore(PROJECT);
  const space = db.collection('spaces').doc('VIEW');
  await space.set({ name: 'spaces/VIEW' });
  await space.collection('polls').doc('P1').set({ question: 'Lunch?' });
  await db.terminate();
});

test('closing the view while it reads a space lets the read finish, with every document', async () => {
  const view = createFirestoreView(PROJECT);
  // The page reads the tab again and again: the client is up when Ctrl-C comes.
  await view.spaceDocuments('VIEW');
  const reading = view.spaceDocuments('VIEW');
  await view.close();
  await expect(reading).resolves.toEqual([
    { path: 'spaces/VIEW', data: { name: 'spaces/VIEW' } },
    { path: 'spaces/VIEW/polls/P1', data: { question: 'Lunch?' } },
  ]);
});

test('work given to the view is waited for too: its writes land before the client is closed', async () => {
  const view = createFirestoreView(PROJECT);
  await view.spaceDocuments('VIEW');
  const writing = view.use((db) => db.collection('spaces').doc('VIEW').collection('polls').doc('P2').set({ question: 'Tea?' }));
  await view.close();
  await writing;
  const db = testFirestore(PROJECT);
  expect((await db.doc('spaces/VIEW/polls/P2').get()).data()).toEqual({ question: 'Tea?' });
  await db.terminate();
});

test('work that fails rejects to its caller only: no unhandled rejection is left behind', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const view = createFirestoreView(PROJECT);
    await expect(view.use(() => Promise.reject(new Error('the store said no')))).rejects.toThrow('the store said no');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await view.close();
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  expect(unhandled).toEqual([]);
});
