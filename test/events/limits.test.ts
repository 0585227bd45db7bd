/**
 * Chat's limits at their exact boundaries, through the app's own path (chatEvents renders the
 * reply, measures it, and replaces it when it breaks a limit): a reply at the limit is sent as it
 * is, one over it is cut. Chat refuses an oversize reply silently, so both sides matter.
 */
import { MAX_MESSAGE_BYTES, MAX_WIDGETS_PER_CARD, limitFallback, limitViolation } from '../../shared/replies/limits';
import { card, section, textParagraph, withId } from '../../shared/replies/cards';
import { reply } from '../../shared/replies/responses';
import { Router } from '../../shared/routing/router';
import { ADA, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';

const cardOf = (widgets: number) => card({ title: 'Many', sections: [section(Array.from({ length: widgets }, (_, i) => textParagraph(`w${i}`)))] });
const argument = (e: { argumentText: string }) => e.argumentText.trim();

const router = new Router()
  .command({ id: 1, name: '/widgets', description: 'a card of N widgets' }, (e) => reply.cards([withId('many', cardOf(Number(argument(e.command))))]), { pure: true })
  // Two cards: the second one breaks the limit, so every card is checked, not only the first.
  .command({ id: 2, name: '/second', description: 'a small card, then one of N widgets' }, (e) =>
    reply.cards([withId('small', cardOf(1)), withId('many', cardOf(Number(argument(e.command))))]), { pure: true })
  .command({ id: 3, name: '/text', description: 'N times the character given' }, (e) => {
    const [n, ch] = argument(e.command).split(' ');
    return reply.text(ch.repeat(Number(n)));
  }, { pure: true });

let server: EventsServer;
beforeAll(async () => {
  server = await startEventsServer({ projectId: randomProjectId('limits'), router });
});
afterAll(() => server?.stop());

type Answer = { text?: string; cardsV2?: { card: { sections: { widgets: unknown[] }[] } }[]; privateMessageViewer?: { name: string } };
const send = async (command: number, name: string, args: string) => {
  const res = await server.post(slashCommandEvent(newSpace(), command, name, args));
  expect(res.status).toBe(200);
  return { bytes: Buffer.byteLength(res.text), answer: res.json as Answer };
};
const widgetCounts = (a: Answer) => (a.cardsV2 ?? []).map((c) => c.card.sections.reduce((n, s) => n + s.widgets.length, 0));
const isFallback = (a: Answer) => a.cardsV2 === undefined && /too large/.test(a.text ?? '') && a.privateMessageViewer?.name === ADA.name;

test(`a card of exactly ${MAX_WIDGETS_PER_CARD} widgets is sent; ${MAX_WIDGETS_PER_CARD + 1} are replaced by a private apology`, async () => {
  const at = await send(1, '/widgets', String(MAX_WIDGETS_PER_CARD));
  expect(widgetCounts(at.answer)).toEqual([MAX_WIDGETS_PER_CARD]);
  const over = await send(1, '/widgets', String(MAX_WIDGETS_PER_CARD + 1));
  expect(isFallback(over.answer)).toBe(true);
});

test('a second card over the widget limit is caught too', async () => {
  expect(widgetCounts((await send(2, '/second', String(MAX_WIDGETS_PER_CARD))).answer)).toEqual([1, MAX_WIDGETS_PER_CARD]);
  expect(isFallback((await send(2, '/second', String(MAX_WIDGETS_PER_CARD + 1))).answer)).toBe(true);
});

test(`an answer of exactly ${MAX_MESSAGE_BYTES} bytes is sent; one byte more is replaced`, async () => {
  // The rendered body's size without the text: measured, so the test holds whatever the renderer adds.
  const overhead = (await send(3, '/text', '1 x')).bytes - 1;
  const at = await send(3, '/text', `${MAX_MESSAGE_BYTES - overhead} x`);
  expect(at.bytes).toBe(MAX_MESSAGE_BYTES);
  expect(at.answer.text).toBe('x'.repeat(MAX_MESSAGE_BYTES - overhead));
  const over = await send(3, '/text', `${MAX_MESSAGE_BYTES - overhead + 1} x`);
  expect(isFallback(over.answer)).toBe(true);
});

test('the limit is on bytes, not characters: two-byte characters over the limit are cut', async () => {
  const over = await send(3, '/text', `${MAX_MESSAGE_BYTES / 2} é`);
  expect(isFallback(over.answer)).toBe(true);
});

describe('every kind of reply that carries cards is checked, and falls back in its own kind', () => {
  const many = cardOf(MAX_WIDGETS_PER_CARD + 1);
  const fits = cardOf(MAX_WIDGETS_PER_CARD);
  test.each([
    ['message', reply.cards([withId('c', many)]), reply.cards([withId('c', fits)])],
    ['updateMessage', reply.updateMessage({ cardsV2: [withId('c', many)] }), reply.updateMessage({ cardsV2: [withId('c', fits)] })],
    ['updateUserMessageCards', reply.updateUserMessageCards([withId('c', many)]), reply.updateUserMessageCards([withId('c', fits)])],
    ['dialog', reply.dialog(many), reply.dialog(fits)],
    ['home (the App Home card)', reply.home(many), reply.home(fits)],
  ])('%s', (_kind, over, at) => {
    expect(limitViolation(over, 1000)).toContain(`${MAX_WIDGETS_PER_CARD + 1} widgets`);
    expect(limitViolation(at, 1000)).toBeUndefined();
  });

  test('replies without cards break no widget limit', () => {
    for (const r of [reply.text('hi'), reply.closeDialog('ok'), reply.ack(), reply.updateMessage({ text: 'only text' })]) {
      expect(limitViolation(r, MAX_MESSAGE_BYTES)).toBeUndefined();
    }
    expect(limitViolation(reply.text('hi'), MAX_MESSAGE_BYTES + 1)).toContain(`${MAX_MESSAGE_BYTES + 1} bytes`);
  });

  test('a dialog falls back to closing the dialog with a message; a message to a private note only when asked', () => {
    for (const r of [reply.dialog(many), reply.closeDialog('x')]) {
      expect(limitFallback(r)).toEqual({ kind: 'closeDialog', status: 'UNKNOWN', userMessage: expect.stringContaining('too large') });
    }
    expect(limitFallback(reply.cards([withId('c', many)]))).toEqual({ kind: 'message', message: { text: expect.stringContaining('too large') } });
    expect(limitFallback(reply.cards([withId('c', many)]), ADA.name)).toEqual({
      kind: 'message',
      message: { text: expect.stringContaining('too large'), privateTo: ADA.name },
    });
  });
});
