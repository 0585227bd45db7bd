/**
 * Cards inside Chat's limits whatever the data: a poll voted on by 150 people with very long
 * names (shown, as the space's setting says), and a /report over a space with 120 open polls with
 * long questions, built by the worker and sent through the local Chat API (which refuses a body
 * over the limits with a 400, as Chat does). Every answer and every body sent is measured with
 * Chat's limits (32,000 bytes a message, 100 widgets a card).
 */
import { createAppRouter } from '../../functions/app';
import { startLocalChatApi, type LocalChatApi } from '../../local/chat-api';
import { JOBS } from '../../shared/jobs/model';
import { MAX_MESSAGE_BYTES, MAX_WIDGETS_PER_CARD } from '../../shared/replies/limits';
import { addedEvent, ADA, cardClickedEvent, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';
import { until } from '../helpers/until';
import { createPushSubscription, jobTestWorkerEnv, startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { record } from './record';

const VOTERS = 150;
const POLLS = 120;
const TOPIC = 'chat-jobs';

type Card = { sections?: { widgets?: unknown[] }[] };
/** Why a body sent to Chat is over its limits (none: undefined). */
function overLimits(body: unknown): string | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(body));
  if (bytes > MAX_MESSAGE_BYTES) return `${bytes} bytes`;
  const cards = JSON.stringify(body).match(/"sections"/) ? findCards(body) : [];
  const widest = Math.max(0, ...cards.map((c) => (c.sections ?? []).reduce((n, s) => n + (s.widgets?.length ?? 0), 0)));
  return widest > MAX_WIDGETS_PER_CARD ? `${widest} widgets` : undefined;
}
function findCards(value: unknown): Card[] {
  if (Array.isArray(value)) return value.flatMap(findCards);
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  return [...(Array.isArray(o.sections) ? [o as Card] : []), ...Object.values(o).flatMap(findCards)];
}

let api: LocalChatApi;
let worker: WorkerProcess;
let events: EventsServer;
let pubsub: { close(): Promise<void> };
const projectId = randomProjectId('bounded');

beforeAll(async () => {
  api = await startLocalChatApi();
  worker = await startWorkerProcess(jobTestWorkerEnv(projectId, api.url, TOPIC));
  pubsub = await createPushSubscription(projectId, TOPIC, worker.port);
  events = await startEventsServer({ projectId, router: createAppRouter(), env: { JOBS_TOPIC: TOPIC } });
}, 120_000);
afterAll(async () => {
  await events?.stop();
  await worker?.stop();
  await pubsub?.close();
  await api?.stop();
});

test('cards over Chat limits sent: 0, for a poll with 150 long-named voters and a report of 120 open polls', async () => {
  const space = newSpace();
  api.addSpace({ name: String(space.name), displayName: 'Release team' });
  await events.post(addedEvent(space));
  await testFirestore(projectId).collection('spaces').doc(String(space.name).slice(7)).set({ settings: { pollVotersVisible: true } }, { merge: true });
  const sent: { what: string; body: unknown }[] = [];
  const poll = await events.post(slashCommandEvent(space, 3, '/poll', '"Which day?" "Monday" "Tuesday"'));
  const pollId = (poll.json as { cardsV2: { cardId: string }[] }).cardsV2[0].cardId.replace('poll-', '');
  for (let i = 0; i < VOTERS; i++) {
    const user = { name: `users/${100000 + i}`, displayName: `Voter ${i} ${'with a very long display name '.repeat(8)}`, type: 'HUMAN' };
    const res = await events.post(cardClickedEvent(space, 'pollVote', { poll: pollId, option: String(i % 2) }, { user }));
    sent.push({ what: `vote ${i}`, body: res.json });
  }
  for (let i = 0; i < POLLS; i++) {
    const res = await events.post(slashCommandEvent(space, 3, '/poll', `"Poll ${i}: ${'which option do you prefer here? '.repeat(5)}" "A" "B"`));
    sent.push({ what: `poll ${i}`, body: res.json });
  }
  const reportEvent = slashCommandEvent(space, 4, '/report');
  api.postUserMessage({ space: String(space.name), sender: ADA, text: '/report', threadName: (reportEvent.thread as { name: string }).name });
  await events.post(reportEvent);
  const db = testFirestore(projectId);
  await until('the report job to end', async () => {
    const jobs = await db.collection(JOBS).where('space', '==', space.name).get();
    return jobs.size === 1 && ['DONE', 'FAILED'].includes(jobs.docs[0].get('status'));
  }, 60_000);
  for (const m of api.messages(String(space.name)).filter((x) => x.sender.type === 'BOT')) sent.push({ what: `worker message ${m.name}`, body: { text: m.text, cardsV2: m.cardsV2 } });
  const refused = api.calls().filter((c) => c.space === space.name && c.status === 400).length;
  const over = sent.map((s) => ({ what: s.what, why: overLimits(s.body) })).filter((s) => s.why);
  const lastVote = JSON.stringify(sent[VOTERS - 1].body);
  record({
    case: `bounded output (a poll with ${VOTERS} long-named voters shown, /report of ${POLLS} open polls)`,
    tried: sent.length,
    survived: sent.length - over.length - refused,
    lost: 0,
    doubled: 0,
    notes: `cards over Chat's limits sent: ${over.length + refused}; largest answer ${Math.max(...sent.map((s) => Buffer.byteLength(JSON.stringify(s.body))))} bytes`,
  });
  expect(over).toEqual([]);
  expect(refused).toBe(0);
  expect(lastVote).toMatch(/and \d+ more/);
  expect(JSON.stringify(sent[sent.length - 1].body)).toMatch(/and \d+ more/);
}, 240_000);
