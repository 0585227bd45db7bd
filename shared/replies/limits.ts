/**
 * Chat's documented limits on what an app sends (docs/chat-protocol.md §3.7). A 2xx with an invalid body is
 * not retried and the user sees a silent failure, so oversize replies are caught before sending.
 */
import { countWidgets } from './cards';
import type { OutMessage, Reply } from './responses';

export const MAX_MESSAGE_BYTES = 32_000;
export const MAX_WIDGETS_PER_CARD = 100;

/** Why a reply breaks a limit, or `undefined` if it fits. `wireBytes` is the rendered body's size. */
export function limitViolation(r: Reply, wireBytes: number): string | undefined {
  if (wireBytes > MAX_MESSAGE_BYTES) return `response is ${wireBytes} bytes, over Chat's ${MAX_MESSAGE_BYTES}`;
  const cards =
    r.kind === 'message' || r.kind === 'updateMessage'
      ? (r.message.cardsV2 ?? []).map((c) => c.card)
      : r.kind === 'updateUserMessageCards'
        ? r.cardsV2.map((c) => c.card)
        : r.kind === 'dialog' || r.kind === 'home'
          ? [r.card]
          : [];
  for (const card of cards) {
    const n = countWidgets(card);
    if (n > MAX_WIDGETS_PER_CARD) return `a card has ${n} widgets, over Chat's ${MAX_WIDGETS_PER_CARD}`;
  }
  return undefined;
}

const TOO_LARGE_TEXT = 'Sorry, that answer was too large for Google Chat to show. Try narrowing the request.';

/** The message posted instead of one that breaks a limit (a job's reply has no dialog to fall back to). */
export const limitFallbackMessage = (privateTo?: string): OutMessage => ({ text: TOO_LARGE_TEXT, ...(privateTo ? { privateTo } : {}) });

/** What the user gets instead of a reply that breaks a limit. */
export function limitFallback(r: Reply, privateTo?: string): Reply {
  if (r.kind === 'dialog' || r.kind === 'closeDialog') return { kind: 'closeDialog', status: 'UNKNOWN', userMessage: TOO_LARGE_TEXT };
  return { kind: 'message', message: limitFallbackMessage(privateTo) };
}
