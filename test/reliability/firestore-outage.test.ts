/**
 * Case 6, Firestore outage: the emulator is stopped mid-run. chatEvents answers 503 (so Chat
 * retries) and logs it; pure commands still answer; after the restart the retried deliveries
 * complete, and nothing is lost or doubled.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppRouter } from '../../functions/app';
import { startEmulator, type RunningEmulator } from '../../local/emulators';
import { addedEvent, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';
import { record } from './record';

const projectId = randomProjectId('outage');
const sharedHost = process.env.FIRESTORE_EMULATOR_HOST;
const dataDir = mkdtempSync(join(tmpdir(), 'outage-'));
let port: number;
let emulator: RunningEmulator;
let server: EventsServer;

beforeAll(async () => {
  emulator = await startEmulator('firestore', { dataDir });
  // Restarted on the same port below: the clients under test keep its address.
  port = Number(emulator.host.split(':')[1]);
  // This file's clients talk to its own emulator, which it stops and starts again.
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  server = await startEventsServer({ projectId, router: createAppRouter(), env: { STORE_TIMEOUT_MS: '2000', DELIVERY_WAIT_MS: '500' } });
});
afterAll(async () => {
  await server?.stop();
  await emulator?.stop();
  process.env.FIRESTORE_EMULATOR_HOST = sharedHost;
});

test('the emulator stopped mid-run: 503s and logs, then retried deliveries complete once', async () => {
  const space = newSpace();
  // A fresh emulator and client take seconds to answer the first call (over STORE_TIMEOUT_MS here).
  let added = 0;
  for (let i = 0; i < 15 && added !== 200; i++) added = (await server.post(addedEvent(space))).status;
  expect(added).toBe(200);
  const polls = Array.from({ length: 10 }, (_, i) => slashCommandEvent(space, 3, '/poll', `"Outage ${i}?" "A" "B"`));
  // Half are answered before the outage.
  const before = await Promise.all(polls.slice(0, 5).map((e) => server.post(e)));
  expect(before.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

  await emulator.stop();
  const started = Date.now();
  const during = await Promise.all(polls.map((e) => server.post(e)));
  const duringMs = Date.now() - started;
  const about = await server.post(slashCommandEvent(space, 1, '/about'));
  const unavailable = during.filter((r) => r.status === 503).length;
  const logged = server.logs.filter((l) => l.severity === 'ERROR' && String(l.message).includes('unavailable')).length;

  emulator = await startEmulator('firestore', { port, dataDir });
  // Chat retries what failed, a few times over a few minutes.
  const answers = new Map<number, string>();
  for (let attempt = 0; attempt < 20 && answers.size < polls.length; attempt++) {
    await Promise.all(
      polls.map(async (e, i) => {
        if (answers.has(i)) return;
        const res = await server.post(e);
        if (res.status === 200) answers.set(i, res.text);
      }),
    );
    if (answers.size < polls.length) await new Promise((r) => setTimeout(r, 1000));
  }
  // Repeats after recovery get the same answer and make nothing new.
  const repeats = await Promise.all(polls.map((e) => server.post(e)));
  const stored = await testFirestore(projectId).collection('spaces').doc(String(space.name).slice(7)).collection('polls').get();
  const questions = stored.docs.map((d) => d.get('question') as string);
  const lost = polls.length - new Set(questions).size;
  const doubled = questions.length - new Set(questions).size;
  const sameAnswers = repeats.filter((r, i) => r.text === answers.get(i)).length;
  record({
    case: 'Firestore outage',
    tried: polls.length,
    survived: answers.size,
    lost,
    doubled,
    notes: `${unavailable}/10 answered 503 during the outage (in ${duringMs} ms), ${logged} error logs; /about answered ${about.status}; the emulator restarts empty, so earlier polls re-run once`,
  });
  expect(unavailable).toBe(10);
  expect(logged).toBeGreaterThanOrEqual(10);
  expect(about.status).toBe(200);
  expect(answers.size).toBe(10);
  expect(sameAnswers).toBe(10);
  expect(doubled).toBe(0);
  expect(lost).toBe(0);
});
