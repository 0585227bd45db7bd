/**
 * Case 9, Chat's Cloud Pub/Sub connection: 15 /poll events, each published three times (two at
 * once, one later, as Chat may publish twice and Pub/Sub redelivers), while chatPubsub is killed
 * while posting an answer and restarted; then malformed messages. Every event gets exactly
 * one answer message and one poll; every malformed message ends on the dead-letter topic.
 */
import { newSpace, ADA, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';
import { startPubsubDoor, type PubsubDoor } from '../helpers/pubsub-door';
import { until } from '../helpers/until';
import { record } from './record';

jest.setTimeout(240_000);

const projectId = randomProjectId('door-chaos');
const db = testFirestore(projectId);
let door: PubsubDoor;

beforeAll(async () => {
  // Enough backoff that a message pushed while the door restarts is not dead-lettered (5 attempts ≈ 30 s).
  door = await startPubsubDoor(projectId, { backoffSeconds: [2, 15] });
});
afterAll(async () => {
  await door?.stop();
  await db.terminate();
});

const EVENTS = 15;
const KILLS = 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('duplicate publications and crashes: one answer per event; malformed messages dead-lettered', async () => {
  const spaces = Array.from({ length: 3 }, () => newSpace());
  for (const s of spaces) door.api.addSpace({ name: String(s.name) });
  const events = Array.from({ length: EVENTS }, (_, i) => {
    const s = spaces[i % spaces.length];
    const e = slashCommandEvent(s, 3, '/poll', `"Q${i}?" "A" "B"`);
    const m = e.message as { text: string; thread: { name: string } };
    const stored = door.api.postUserMessage({ space: String(s.name), sender: ADA, text: m.text, threadName: m.thread.name });
    return { ...e, message: { ...(e.message as object), name: stored.name } };
  });

  // Kills, each while the door is in the middle of posting an answer (its create hangs).
  const crashes = (async () => {
    for (let k = 0; k < KILLS; k++) {
      door.api.injectFault({ method: 'create', count: 1, hangMs: 20_000 });
      await until('a create to hang', () => door.api.faults().length === 0, 60_000);
      await door.door.kill();
      await door.door.start();
    }
  })();
  for (const e of events) {
    await Promise.all([door.publish(e), door.publish(e)]);
    await sleep(Math.random() * 200);
  }
  await crashes;
  for (const e of events) await door.publish(e);

  const messages = () => spaces.flatMap((s) => door.appMessages(String(s.name)));
  await until('an answer per event', () => messages().length >= EVENTS, 150_000).catch(() => undefined);
  await sleep(3000); // room for a late redelivery to post a second copy
  const perEvent = events.map((_, i) => messages().filter((m) => JSON.stringify(m.cardsV2).includes(`"Q${i}?"`)).length);
  const polls = (await Promise.all(spaces.map((s) => db.collection('spaces').doc(String(s.name).slice(7)).collection('polls').get()))).reduce((n, q) => n + q.size, 0);

  const before = door.deadLetters().length;
  const malformed = ['not json', '[1,2]', '{"type":"MESSAGE"}', '{}'];
  for (const m of malformed) await door.publishRaw(Buffer.from(m));
  await until('the malformed messages dead-lettered', () => door.deadLetters().length >= before + malformed.length, 30_000).catch(() => undefined);
  const dead = door.deadLetters().slice(before).map((m) => m.data.toString());

  record({
    case: 'Pub/Sub door: 15 events × 3 publications, 1 kill mid-post; 4 malformed',
    tried: EVENTS + malformed.length,
    survived: perEvent.filter((n) => n === 1).length + malformed.filter((m) => dead.includes(m)).length,
    lost: perEvent.filter((n) => n === 0).length + malformed.filter((m) => !dead.includes(m)).length,
    doubled: perEvent.reduce((d, n) => d + Math.max(0, n - 1), 0) + Math.max(0, polls - EVENTS),
    notes: `${door.door.logs().filter((l) => l.message === 'chat event').length} deliveries handled`,
  });
  expect(perEvent).toEqual(events.map(() => 1));
  expect(polls).toBe(EVENTS);
  expect(dead.sort()).toEqual([...malformed].sort());
});
