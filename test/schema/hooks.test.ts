/**
 * The seams that check every payload: an answer a test receives through the events server helper,
 * and a body the local Chat API receives, are checked against Google's schema; a violation is kept
 * in the conformance log (which fails the test that produced it, test/schema/setup.ts) naming its
 * path, and the local Chat API refuses the body with a 400 as Chat does. Each test takes the
 * violations it provokes on purpose out of the log.
 */
import { startLocalChatApi, type LocalChatApi } from '../../local/chat-api';
import { takeViolations } from '../../local/schema/conformance';
import type { Card } from '../../shared/replies/cards';
import { reply } from '../../shared/replies/responses';
import { Router } from '../../shared/routing/router';
import { messageEvent, newSpace, randomProjectId } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';

const paths = () => takeViolations().flatMap((r) => r.violations.map((v) => `${r.source} → ${v.path}: ${v.problem}`));

describe('schema checks at the seams', () => {
  let server: EventsServer;
  let api: LocalChatApi;
  beforeAll(async () => {
    // A handler with a misspelt widget field: the framework passes card JSON through as given.
    const misspelt = { sections: [{ widgets: [{ textParagraph: { txt: 'hello' } }] }] } as unknown as Card;
    const router = new Router().message(() => reply.cards([{ cardId: 'bad', card: misspelt }]), { pure: true });
    server = await startEventsServer({ projectId: randomProjectId('schema'), router });
    api = await startLocalChatApi();
    api.addSpace({ name: 'spaces/SCHEMA' });
  });
  afterAll(async () => {
    await server.stop();
    await api.stop();
  });

  it('records an answer that breaks the schema, naming the JSON path', async () => {
    const res = await server.post(messageEvent(newSpace('DM'), 'hi'));
    expect(res.status).toBe(200);
    expect(paths()).toEqual(['answer to MESSAGE → cardsV2[0].card.sections[0].widgets[0].textParagraph.txt: unknown field "txt" in google.apps.card.v1.TextParagraph']);
  });

  it('refuses a Chat API write that breaks the schema with a 400 naming the path, and records it', async () => {
    const body = { cardsV2: [{ cardId: 'c', card: { sections: [{ widgets: [{ buttonList: { buttons: [{ text: 'x', onClick: {} }] } }] }] } }] };
    const res = await fetch(`${api.url}v1/spaces/SCHEMA/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('cardsV2[0].card.sections[0].widgets[0].buttonList.buttons[0].onClick: an onClick with no kind');
    expect(paths()).toEqual([expect.stringMatching(/^spaces\.messages\.create → cardsV2\[0\]\.card\.sections\[0\]\.widgets\[0\]\.buttonList\.buttons\[0\]\.onClick: an onClick with no kind/)]);
  });

  it('lets a conforming write through', async () => {
    const res = await fetch(`${api.url}v1/spaces/SCHEMA/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'fine' }) });
    expect(res.status).toBe(200);
    expect(paths()).toEqual([]);
  });
});
