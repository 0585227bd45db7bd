/**
 * Case 1, hostile input: thousands of generated requests (fast-check) to chatEvents, to the
 * webhook endpoint and, as Pub/Sub pushes, to chatWorker. Every one gets a 2xx or a 4xx with a
 * JSON error, never a 5xx; the process never dies; a rejected request writes nothing.
 */
import fc from 'fast-check';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { AddressInfo } from 'node:net';
import { createAppRouter, createAppTasks } from '../../functions/app';
import { createChatWorkerFunction } from '../../shared/chat-worker';
import { loadWorkerConfig } from '../../shared/config';
import { createLogger } from '../../shared/log';
import { addedEvent, cardClickedEvent, messageEvent, newSpace, randomProjectId, slashCommandEvent, widgetUpdatedEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { allDocumentPaths, testFirestore } from '../helpers/firestore';
import { captureLogLine } from '../helpers/log-capture';
import { record } from './record';

const projectId = randomProjectId('hostile');
const db = testFirestore(projectId);
let server: EventsServer;

beforeAll(async () => {
  server = await startEventsServer({ projectId, router: createAppRouter(), env: { CHAT_EVENTS_URL: 'https://chat-app.example.com/' } });
});
afterAll(() => server?.stop());

type Json = Record<string, unknown>;
type Outcome = { status: number; contentType: string; body: string };

const validEvents: ((space: Json) => Json)[] = [
  (s) => messageEvent(s, 'hello'),
  (s) => slashCommandEvent(s, 3, '/poll', '"Q?" "A" "B"'),
  (s) => slashCommandEvent(s, 1, '/about'),
  (s) => addedEvent(s),
  (s) => cardClickedEvent(s, 'pollVote', { poll: 'a'.repeat(20), option: '1' }),
  (s) => cardClickedEvent(s, 'configSave', {}, { isDialogEvent: true, dialogEventType: 'SUBMIT_DIALOG' }),
  (s) => widgetUpdatedEvent(s, 'configTimeZones', 'eu'),
];

/** All paths to the leaves and objects of a JSON value, so one field can be broken at a time. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function breakAt(event: Json, path: string[], replacement: unknown, remove: boolean): Json {
  if (path.length === 0) return remove ? {} : (replacement as Json);
  const copy = structuredClone(event);
  let node = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path[path.length - 1];
  if (remove) delete node[last];
  else node[last] = replacement;
  return copy;
}

/** A generated request: its body text, content type, and the space it names (if any). */
const requestArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ index: fc.nat(validEvents.length - 1), which: fc.nat(), replacement: fc.jsonValue({ maxDepth: 3 }), remove: fc.boolean() }).map(({ index, which, replacement, remove }) => {
    const space = newSpace();
    const event = validEvents[index](space);
    const all = paths(event);
    return { body: JSON.stringify(breakAt(event, all[which % all.length], replacement, remove)), contentType: 'application/json', space: String(space.name) };
  }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 6 }).map((v) => ({ body: JSON.stringify(v), contentType: 'application/json', space: '' })) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }).map((s) => ({ body: s, contentType: 'application/json', space: '' })) },
  { weight: 1, arbitrary: fc.record({ s: fc.string({ unit: 'binary', maxLength: 200 }), type: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data', '') }).map(({ s, type }) => ({ body: s, contentType: type, space: '' })) },
  { weight: 1, arbitrary: fc.record({ n: fc.integer({ min: 1, max: 3 }), kind: fc.constantFrom('huge', 'deep', 'unicode') }).map(({ n, kind }) => {
    const space = newSpace();
    const event = messageEvent(space, 'x');
    if (kind === 'huge') (event.message as Json).text = 'é'.repeat(n * 400_000);
    if (kind === 'unicode') (event.message as Json).text = '\u202e\u0000\ud83d\ude00\ufffe'.repeat(n * 1000);
    const body = JSON.stringify(event);
    // Nesting too deep for JSON.stringify is spliced in as text.
    const deep = kind === 'deep' ? `${body.slice(0, -1)},"extra":${'{"n":'.repeat(n * 5000)}0${'}'.repeat(n * 5000)}}` : body;
    return { body: deep, contentType: 'application/json', space: String(space.name) };
  }) },
);

async function send(url: string, body: string, contentType: string, headers: Record<string, string>): Promise<Outcome> {
  const res = await fetch(url, { method: 'POST', headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers }, body });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** A 4xx must explain itself in JSON: the framework never parses a body (shared/http/body-limit.ts). */
function isAcceptable(o: Outcome): boolean {
  if (o.status >= 200 && o.status < 300) return true;
  if (o.status < 400 || o.status >= 500 || !o.contentType.startsWith('application/json')) return false;
  return typeof (JSON.parse(o.body) as { error?: unknown }).error === 'string';
}

test('5,000 generated requests to chatEvents: never a 5xx, always a JSON error, rejected ones write nothing', async () => {
  const samples = fc.sample(requestArb, { numRuns: 5000, seed: 20261125 });
  const token = server.token();
  const accepted = new Set<string>();
  let bad = 0;
  let malformedJson = 0;
  const failures: string[] = [];
  for (let i = 0; i < samples.length; i += 10) {
    await Promise.all(
      samples.slice(i, i + 10).map(async (r) => {
        const o = await send(server.url, r.body, r.contentType, { authorization: `Bearer ${token}` });
        if (!isAcceptable(o)) {
          bad++;
          if (failures.length < 5) failures.push(`${o.status} ${o.body.slice(0, 200)} for ${r.body.slice(0, 200)}`);
        }
        if (o.status < 300 && r.space) accepted.add(r.space);
        if (o.status === 400 && o.body.includes('not valid JSON')) malformedJson++;
      }),
    );
  }
  // Every document that names a generated space belongs to a request that was accepted.
  const docs = await allDocumentPaths(db);
  const spacesWritten = new Set(docs.filter((p) => p.startsWith('spaces/')).map((p) => `spaces/${p.split('/')[1]}`));
  const writtenByRejected = [...spacesWritten].filter((s) => !accepted.has(s));
  const alive = await fetch(server.url, { method: 'GET' });
  record({
    case: 'hostile input → chatEvents',
    tried: samples.length,
    survived: samples.length - bad,
    lost: 0,
    doubled: 0,
    notes: `${accepted.size} valid-looking accepted; ${malformedJson} malformed JSON refused with the app's JSON 400; ${writtenByRejected.length} rejected wrote data`,
  });
  expect(failures).toEqual([]);
  expect(bad).toBe(0);
  expect(writtenByRejected).toEqual([]);
  expect(alive.status).toBe(405);
});

test('1,000 generated posts to the webhook endpoint: never a 5xx, rejected ones write nothing', async () => {
  const bodies = fc.sample(
    fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.record({ text: fc.oneof(fc.string({ unit: 'grapheme' }), fc.integer(), fc.constant('x'.repeat(5000))), title: fc.option(fc.string()), url: fc.option(fc.oneof(fc.webUrl(), fc.string())) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 100 }),
    ),
    { numRuns: 1000, seed: 7 },
  );
  const paths = fc.sample(fc.oneof(fc.constant('webhooks/Sx/aaaaaaaaaaaaaaaaaaaa'), fc.string({ maxLength: 40 }).map((s) => `webhooks/${encodeURIComponent(s)}/${'b'.repeat(20)}`), fc.constant('webhooks/../../x/y')), { numRuns: 1000, seed: 8 });
  let bad = 0;
  for (let i = 0; i < bodies.length; i++) {
    const o = await send(new URL(paths[i], server.webhooksUrl).toString(), bodies[i], 'application/json', { 'x-webhook-secret': 'guess' });
    if (!isAcceptable(o) || o.status === 202) bad++;
  }
  const jobs = await db.collection('jobs').where('kind', '==', 'webhook-post').get();
  record({ case: 'hostile input → webhooks', tried: bodies.length, survived: bodies.length - bad, lost: 0, doubled: 0, notes: `${jobs.size} jobs created by rejected posts` });
  expect(bad).toBe(0);
  expect(jobs.size).toBe(0);
});

test('1,000 generated Pub/Sub pushes to chatWorker: acknowledged or refused, never a crash', async () => {
  const config = loadWorkerConfig({ GOOGLE_CLOUD_PROJECT: projectId, CHAT_API_ROOT_URL: 'http://127.0.0.1:9/' });
  ff.cloudEvent('hostileWorker', createChatWorkerFunction(config, createAppTasks(), createLogger({}, (line) => captureLogLine('chatWorker', line))));
  const worker = getTestServer('hostileWorker');
  await new Promise<void>((r) => worker.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(worker.address() as AddressInfo).port}/projects/${projectId}/topics/chat-jobs`;
  const pushes = fc.sample(
    fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({ message: fc.record({ data: fc.oneof(fc.base64String(), fc.string(), fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64')), fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('hex')).map((id: string) => Buffer.from(JSON.stringify({ jobId: id })).toString('base64'))), attributes: fc.option(fc.dictionary(fc.string(), fc.string())), messageId: fc.string() }, { requiredKeys: [] }), subscription: fc.string() }, { requiredKeys: [] }),
    ),
    { numRuns: 1000, seed: 9 },
  );
  let fiveHundreds = 0;
  for (const p of pushes) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(p) });
    if (res.status >= 500) fiveHundreds++;
  }
  const alive = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  await new Promise<void>((r) => worker.close(() => r()));
  record({ case: 'hostile input → chatWorker', tried: pushes.length, survived: pushes.length - fiveHundreds, lost: 0, doubled: 0, notes: 'malformed pushes acknowledged (2xx) and logged' });
  expect(fiveHundreds).toBe(0);
  expect(alive.status).toBeLessThan(500);
});
