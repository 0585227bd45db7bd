/**
 * Untrusted text lands in Chat output escaped for its kind of field (shared/replies/escape.ts):
 * poll options and voter names in card fields, webhook titles and texts, echoes, report names.
 */
import { createAppRouter } from '../../functions/app';
import { postWebhookMessage } from '../../functions/app/notify';
import type { JobRecord } from '../../shared/jobs/model';
import { cardText, messageText } from '../../shared/replies/escape';
import { addedEvent, cardClickedEvent, messageEvent, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';

const projectId = randomProjectId('untrusted');
const db = testFirestore(projectId);
let server: EventsServer;
beforeAll(async () => {
  server = await startEventsServer({ projectId, router: createAppRouter(), env: { CHAT_EVENTS_URL: 'https://chat-app.example.com/chatEvents' } });
});
afterAll(() => server?.stop());

/** Markup that must never survive: formatting, an @all mention, a link. */
const HOSTILE = ['<i>x</i>', '<users/all>', '<https://evil.example|click>', '<a href="https://evil.example">y</a>'];
/** A message text or card field is safe when no tag, mention or link markup is left in it. */
const hasMarkup = (s: string) => /<[a-z/!]|<https?:|<users\//i.test(s);

describe('the escapers', () => {
  test.each(HOSTILE)('%s', (text) => {
    expect(hasMarkup(cardText(text))).toBe(false);
    expect(hasMarkup(messageText(text))).toBe(false);
  });
  test('card text keeps what was typed, as entities', () => {
    expect(cardText('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
  });
});

test('poll options and voter names show as typed, never as markup', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  await db.collection('spaces').doc(String(space.name).slice(7)).set({ settings: { pollVotersVisible: true } }, { merge: true });
  const args = `"Q?" ${HOSTILE.map((h) => `"${h.replace(/"/g, "'")}"`).join(' ')}`;
  const created = await server.post(slashCommandEvent(space, 3, '/poll', args));
  const answer = created.json as { cardsV2: { cardId: string; card: unknown }[] };
  const pollId = answer.cardsV2[0].cardId.replace('poll-', '');
  const voter = { name: 'users/3333', displayName: '<b>Mallory</b> <users/all>', type: 'HUMAN' };
  const voted = await server.post(cardClickedEvent(space, 'pollVote', { poll: pollId, option: '0' }, { user: voter }));
  const card = JSON.stringify((voted.json as { cardsV2: { card: { sections: { widgets: { decoratedText?: { text: string; bottomLabel?: string } }[] }[] } }[] }).cardsV2[0].card.sections[0].widgets);
  const texts = JSON.parse(card) as { decoratedText: { text: string; bottomLabel: string } }[];
  for (const w of texts) expect(hasMarkup(w.decoratedText.text) || hasMarkup(w.decoratedText.bottomLabel)).toBe(false);
  expect(texts[0].decoratedText.text).toBe('&lt;i&gt;x&lt;/i&gt;');
  expect(texts[0].decoratedText.bottomLabel).toContain('&lt;b&gt;Mallory&lt;/b&gt;');
});

test('a webhook post mentions nobody and links nothing, with or without a title', async () => {
  for (const post of [{ text: '<users/all> deploy <https://evil.example|done>' }, { text: '<users/all> <i>x</i>', title: '<users/all>', url: 'https://ok.example' }]) {
    const message = await postWebhookMessage({ args: post } as unknown as JobRecord);
    expect(hasMarkup(message.text ?? '')).toBe(false);
    // The card header is a plain-text field (shown as typed); the body renders markup.
    const sections = (message.cardsV2 ?? []).map((c) => (c.card as { sections?: unknown }).sections);
    expect(hasMarkup(JSON.stringify(sections))).toBe(false);
  }
});

test('an echo of what someone said, and a greeting with their name, carry no markup', async () => {
  const space = { ...newSpace(), displayName: '<users/all>' };
  const echo = await server.post(messageEvent(space, 'hi <users/all> <https://evil.example|x>'));
  expect(hasMarkup((echo.json as { text: string }).text)).toBe(false);
  const added = await server.post(addedEvent(space, { user: { name: 'users/4444', displayName: '<users/all> Eve', type: 'HUMAN' } }));
  expect(hasMarkup((added.json as { text: string }).text)).toBe(false);
});
