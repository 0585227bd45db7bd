/**
 * The store being down, in `npm test` (the reliability stage also stops a running emulator
 * mid-run): with Firestore unreachable chatEvents answers 503 with a JSON body, so Chat retries,
 * runs no handler that needs the store, and still answers what needs none.
 */
import { findFreePort } from '../../local/ports';
import { reply } from '../../shared/replies/responses';
import { Router } from '../../shared/routing/router';
import { newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';

let runs = 0;
const router = new Router()
  .command({ id: 1, name: '/pure', description: 'needs no store' }, () => reply.text('pure answer'), { pure: true })
  .command({ id: 2, name: '/count', description: 'claims its delivery first' }, () => {
    runs++;
    return reply.text('counted');
  });

const sharedHost = process.env.FIRESTORE_EMULATOR_HOST;
let server: EventsServer;
beforeAll(async () => {
  // A port nothing listens on: every Firestore call is refused, as when the database is unreachable.
  process.env.FIRESTORE_EMULATOR_HOST = `127.0.0.1:${await findFreePort()}`;
  server = await startEventsServer({ projectId: randomProjectId('down'), router, env: { STORE_TIMEOUT_MS: '1000', DELIVERY_WAIT_MS: '500' } });
});
afterAll(async () => {
  await server?.stop();
  process.env.FIRESTORE_EMULATOR_HOST = sharedHost;
});

test('an event that needs the store gets 503 with a JSON body, and its handler does not run', async () => {
  const res = await server.post(slashCommandEvent(newSpace(), 2, '/count'));
  expect(res.status).toBe(503);
  expect(res.json).toEqual({ error: expect.any(String) });
  expect(res.text).not.toMatch(/\n\s+at /);
  expect(runs).toBe(0);
  const [line] = server.logs.filter((l) => l.message === 'chat event' && l.status === 503);
  expect(line).toMatchObject({ eventType: 'MESSAGE', route: 'command:2' });
});

test('a command that needs no store still answers', async () => {
  const res = await server.post(slashCommandEvent(newSpace(), 1, '/pure'));
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ text: 'pure answer' });
});
