/**
 * Case: hostile ids. Every id that becomes part of a Firestore path (space, poll, webhook) is
 * sent in every form Firestore refuses or misreads (reserved `__x__`, `/`, `.`, `..`, too long,
 * other characters, empty) through every door that takes one. Each gets a 4xx or a private
 * answer: never a 5xx, an ERROR log or a stack trace, and nothing is written.
 */
import { createAppRouter } from '../../functions/app';
import { cardClickedEvent, messageEvent, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { allDocumentPaths, testFirestore } from '../helpers/firestore';
import { record } from './record';

const projectId = randomProjectId('hostileids');
const db = testFirestore(projectId);
const PUBLIC = 'https://chat-app.example.com/chatEvents/';
let server: EventsServer;
beforeAll(async () => {
  // A permissive preview pattern, as an operator could configure: the id rule must still hold.
  server = await startEventsServer({ projectId, router: createAppRouter(), env: { CHAT_EVENTS_URL: PUBLIC, LINK_PREVIEW_PATTERN: '/polls/(?<space>[^/]+)/(?<poll>.*)$' } });
});
afterAll(() => server?.stop());

const HOSTILE = ['__x__', '__name__', 'a/b', '.', '..', 'x'.repeat(129), 'ü', 'a b', '', '%2F', 'a.b'];

/** A message whose link matched the preview pattern (the pattern is configurable: it may let anything through). */
function permalink(space: Record<string, unknown>, url: string) {
  const event = messageEvent(space, url);
  (event.message as Record<string, unknown>).matchedUrl = { url };
  return event;
}

type Attempt = { door: string; id: string; status: number; body: string };

test('hostile ids in every door that names a document: 4xx or a private answer, no 5xx, no ERROR, nothing written', async () => {
  const before = new Set(await allDocumentPaths(db));
  const attempts: Attempt[] = [];
  const space = newSpace();
  const spaceId = String(space.name).slice('spaces/'.length);
  for (const id of HOSTILE) {
    const hostileSpace = { ...space, name: `spaces/${id}` };
    const events: [string, unknown][] = [
      ['event space', slashCommandEvent(hostileSpace, 3, '/poll', '"Q?" "A" "B"')],
      ['vote poll', cardClickedEvent(space, 'pollVote', { poll: id, option: '0' })],
      ['close poll', cardClickedEvent(space, 'pollClose', { poll: id })],
      ['permalink poll', permalink(space, `${PUBLIC}polls/${spaceId}/${id}`)],
    ];
    for (const [door, event] of events) {
      const res = await server.post(event);
      attempts.push({ door, id, status: res.status, body: res.text });
    }
    for (const [door, path] of [
      ['webhook space', `webhooks/${encodeURIComponent(id)}/0123456789abcdef0123`],
      ['webhook hook', `webhooks/${spaceId}/${encodeURIComponent(id)}`],
    ]) {
      const res = await fetch(new URL(path, server.url), { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-secret': 's' }, body: '{"text":"hi"}' });
      attempts.push({ door, id, status: res.status, body: await res.text() });
    }
  }
  const fivexx = attempts.filter((a) => a.status >= 500);
  const unexpected = attempts.filter((a) => a.status >= 500 || (a.status >= 200 && a.status < 300 && !a.body.includes('privateMessageViewer') && a.body !== '{}' && !a.door.startsWith('permalink')));
  const errors = server.logs.filter((l) => l.severity === 'ERROR' || JSON.stringify(l).includes('    at '));
  const written = (await allDocumentPaths(db)).filter((p) => !before.has(p) && !p.startsWith('deliveries/'));
  record({
    case: 'hostile ids (space, poll, webhook; __x__, /, ., .., long, non-ASCII, empty)',
    tried: attempts.length,
    survived: attempts.length - fivexx.length,
    lost: 0,
    doubled: 0,
    notes: `answered 5xx: ${fivexx.length}; ERROR logs: ${errors.length}; documents written: ${written.length}`,
  });
  expect(unexpected.map((a) => `${a.door} ${JSON.stringify(a.id)} → ${a.status} ${a.body.slice(0, 100)}`)).toEqual([]);
  expect(errors).toEqual([]);
  expect(written).toEqual([]);
});
