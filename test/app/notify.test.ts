/**
 * `/notify` and the incoming webhook's whole lifecycle through chatEvents: creation (private),
 * every error status, the rate limit, revocation, and deletion when the app is removed.
 * (That an accepted post reaches the space through the worker is in test/worker/jobs.test.ts.)
 */
import { createHash } from 'node:crypto';
import { createAppRouter } from '../../functions/app';
import { JOBS } from '../../shared/jobs/model';
import { addedEvent, ADA, newSpace, randomProjectId, removedEvent, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { allDocumentPaths, testFirestore } from '../helpers/firestore';

const projectId = randomProjectId('notify');
const db = testFirestore(projectId);
const PUBLIC = 'https://chat-app.example.com/chatWebhooks/';
let server: EventsServer;
beforeAll(async () => {
  server = await startEventsServer({ projectId, router: createAppRouter(), env: { CHAT_WEBHOOKS_URL: PUBLIC, WEBHOOK_POSTS_PER_MINUTE: '3', WEBHOOKS_PER_SPACE: '2' } });
  // The topic must exist for accepted posts to be published.
  const { PubSub } = await import('@google-cloud/pubsub');
  const pubsub = new PubSub({ projectId });
  await pubsub.createTopic('chat-jobs');
  await pubsub.close();
});
afterAll(() => server?.stop());

async function createHook(space: Record<string, unknown>) {
  const res = await server.post(slashCommandEvent(space, 5, '/notify'));
  const answer = res.json as { text: string; privateMessageViewer: { name: string } };
  const url = /URL: (\S+)/.exec(answer.text)![1];
  const secret = /Secret: `([^`]+)`/.exec(answer.text)![1];
  return { answer, url, secret, local: new URL(url.slice(PUBLIC.length), server.webhooksUrl).toString() };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function jobsOf(space: Record<string, unknown>) {
  return (await db.collection(JOBS).where('space', '==', space.name).get()).docs.map((d) => d.data());
}

test('/notify shows the URL and secret only to the person who asked, and stores only a hash', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const { answer, url, secret } = await createHook(space);
  expect(answer.privateMessageViewer).toEqual({ name: ADA.name });
  expect(url).toMatch(new RegExp(`^${PUBLIC}webhooks/${String(space.name).slice(7)}/[a-f0-9]{20}$`));
  expect(secret.length).toBeGreaterThanOrEqual(32);
  const hooks = await db.collection('spaces').doc(String(space.name).slice(7)).collection('webhooks').get();
  expect(hooks.size).toBe(1);
  const stored = JSON.stringify(hooks.docs[0].data());
  expect(stored).not.toContain(secret);
  expect(hooks.docs[0].get('secretHash')).toBe(createHash('sha256').update(secret).digest('hex'));
  // The answer (which holds the secret) is not stored as a delivery either.
  expect((await db.collection('deliveries').where('space', '==', space.name).get()).docs.map((d) => d.get('response')).join()).not.toContain(secret);
});

test('/notify as the command that adds the app: the secret is shown once, and a retry replays a redacted answer', async () => {
  const space = newSpace();
  const command = slashCommandEvent(space, 5, '/notify');
  const event = addedEvent(space, { message: command.message, appCommandMetadata: command.appCommandMetadata });
  const first = await server.post(event);
  const text = (first.json as { text: string }).text;
  expect(text).toContain('Thanks for adding me');
  const secret = /Secret: `([^`]+)`/.exec(text)![1];
  // The delivery is recorded (the app was added, once), but without the secret.
  const deliveries = (await db.collection('deliveries').where('space', '==', space.name).get()).docs;
  expect(deliveries.map((d) => d.get('status'))).toEqual(['DONE']);
  expect(JSON.stringify(deliveries[0].data())).not.toContain(secret);
  // Chat's retry of the same event gets the redacted answer, privately: not the secret, not a new one.
  const retry = await server.post(event);
  const replayed = retry.json as { text: string; privateMessageViewer?: { name: string } };
  expect(replayed.text).toContain('shown only once');
  expect(replayed.text).not.toMatch(/Secret: /);
  expect(replayed.privateMessageViewer).toEqual({ name: ADA.name });
  // The webhook made by the first delivery still takes the secret that was shown.
  const url = /URL: (\S+)/.exec(text)![1];
  const res = await post(new URL(url.slice(PUBLIC.length), server.webhooksUrl).toString(), { text: 'hello' }, { 'x-webhook-secret': secret });
  expect(res.status).toBe(202);
});

test('a space has at most WEBHOOKS_PER_SPACE webhooks: another /notify is refused until they are revoked', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  await createHook(space);
  await createHook(space);
  const third = (await server.post(slashCommandEvent(space, 5, '/notify'))).json as { text: string; privateMessageViewer: { name: string } };
  expect(third.text).toContain('already has 2 incoming webhooks');
  expect(third.privateMessageViewer).toEqual({ name: ADA.name });
  const hooks = db.collection('spaces').doc(String(space.name).slice(7)).collection('webhooks');
  expect((await hooks.get()).size).toBe(2);
  await server.post(slashCommandEvent(space, 5, '/notify', 'off'));
  await createHook(space);
  expect((await hooks.get()).size).toBe(1);
});

test("a webhook's whole lifecycle: accepted posts, every error status, the rate limit, revocation", async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const { local, secret } = await createHook(space);
  const ok = { 'x-webhook-secret': secret };

  const accepted = await post(local, { text: 'Build 42 passed', title: 'CI', url: 'https://ci.example.com/42' }, ok);
  expect(accepted.status).toBe(202);
  const { jobId } = (await accepted.json()) as { jobId: string };
  expect(await jobsOf(space)).toEqual([expect.objectContaining({ jobId, kind: 'webhook-post', status: 'QUEUED', thread: null, args: { text: 'Build 42 passed', title: 'CI', url: 'https://ci.example.com/42' } })]);

  const cases: [string, Promise<Response>, number, string][] = [
    ['wrong secret', post(local, { text: 'x' }, { 'x-webhook-secret': 'nope' }), 401, 'X-Webhook-Secret'],
    ['no secret', post(local, { text: 'x' }), 401, 'X-Webhook-Secret'],
    ['unknown hook', post(local.replace(/[a-f0-9]{20}$/, 'f'.repeat(20)), { text: 'x' }, ok), 404, 'no such webhook'],
    ['malformed hook id', post(local.replace(/[a-f0-9]{20}$/, '..%2F..'), { text: 'x' }, ok), 404, 'no such webhook'],
    ['bad JSON', fetch(local, { method: 'POST', headers: { 'content-type': 'application/json; x=1', ...ok }, body: '{"text":' }), 400, ''],
    ['no text', post(local, { title: 'x' }, ok), 400, 'text must be a string'],
    ['bad url', post(local, { text: 'x', url: 'javascript:alert(1)' }, ok), 400, 'url must be'],
    ['not JSON content', fetch(local, { method: 'POST', headers: { 'content-type': 'text/plain', ...ok }, body: 'hi' }), 400, 'Content-Type'],
    ['too large', post(local, { text: 'x'.repeat(20_000) }, ok), 413, 'over'],
    ['GET', fetch(local), 405, 'only POST'],
  ];
  for (const [name, response, status, message] of cases) {
    const res = await response;
    expect([name, res.status]).toEqual([name, status]);
    // Malformed application/json is refused by the functions-framework's parser (400, its own body).
    if (message) expect(((await res.json()) as { error: string }).error).toContain(message);
  }
  expect(await jobsOf(space)).toHaveLength(1);

  // 3 posts a minute: the first was accepted above, two more pass, the fourth is 429.
  expect((await post(local, { text: 'two' }, ok)).status).toBe(202);
  expect((await post(local, { text: 'three' }, ok)).status).toBe(202);
  const limited = await post(local, { text: 'four' }, ok);
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await jobsOf(space)).toHaveLength(3);

  const off = await server.post(slashCommandEvent(space, 5, '/notify', 'off'));
  expect((off.json as { text: string }).text).toContain('Revoked 1 incoming webhook');
  expect((await post(local, { text: 'after revoke' }, ok)).status).toBe(404);
});

test('a retried post with the same X-Request-Id makes one job', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const { local, secret } = await createHook(space);
  const headers = { 'x-webhook-secret': secret, 'x-request-id': 'deploy-7' };
  const [a, b] = await Promise.all([post(local, { text: 'deployed' }, headers), post(local, { text: 'deployed' }, headers)]);
  expect([a.status, b.status]).toEqual([202, 202]);
  expect(await jobsOf(space)).toHaveLength(1);
});

test('webhook posts turned off in /config are refused with 403', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const { local, secret } = await createHook(space);
  await db.collection('spaces').doc(String(space.name).slice(7)).set({ settings: { webhooksAllowed: false } }, { merge: true });
  const res = await post(local, { text: 'x' }, { 'x-webhook-secret': secret });
  expect(res.status).toBe(403);
  const again = await server.post(slashCommandEvent(space, 5, '/notify'));
  expect((again.json as { text: string }).text).toContain('turned off');
});

test('removing the app deletes its webhooks: a later post gets 404 and nothing is queued', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const { local, secret } = await createHook(space);
  await server.post(removedEvent(space));
  expect((await allDocumentPaths(db)).filter((p) => p.includes(String(space.name).slice(7)))).toEqual([]);
  const res = await post(local, { text: 'anyone there?' }, { 'x-webhook-secret': secret });
  expect(res.status).toBe(404);
  expect(await jobsOf(space)).toHaveLength(0);
});
