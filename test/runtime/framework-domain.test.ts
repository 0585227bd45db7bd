/**
 * The functions-framework runs each request inside a `node:domain`; `chatEvents` leaves it on entry
 * (shared/http/leave-domain.ts: its async hooks cost about a quarter of a vote's CPU). The request
 * goes through the framework's own HTTP stack here, so the domain is the one it makes in production.
 * (The worker's twin of this test is in test/worker/job-attempts.test.ts.)
 */
import { reply } from '../../shared/replies/responses';
import { Router } from '../../shared/routing/router';
import { newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';

const seen: unknown[] = [];
const router = new Router().command({ id: 3, name: '/where', description: 'records its domain' }, () => {
  seen.push((process as { domain?: unknown }).domain);
  return reply.text('here');
});
let server: EventsServer;
beforeAll(async () => {
  server = await startEventsServer({ projectId: randomProjectId('domain'), router });
});
afterAll(() => server?.stop());

test("a handler runs outside the functions-framework's per-request domain", async () => {
  const { status } = await server.post(slashCommandEvent(newSpace(), 3, '/where'));
  expect(status).toBe(200);
  expect(seen).toEqual([undefined]);
});
