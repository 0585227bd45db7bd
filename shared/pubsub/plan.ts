/**
 * What the Pub/Sub door posts for a reply: the Chat API writes that stand in for the synchronous
 * answer, which this connection does not have (docs/chat-protocol.md §13). The plan is what the
 * delivery record stores, so every repeat of a delivery makes the same writes, and each write is
 * safe to repeat: a create carries a `requestId` and a `messageId` derived from the delivery key
 * (docs/chat-protocol.md §7.1), as a job's reply derives its own from the job.
 */
import type { ChatEvent } from '../events/model';
import { toWireMessage, type ChatWireMessage } from '../replies/render-chat';
import type { OutMessage, Reply } from '../replies/responses';

export type PlannedWrite =
  | { create: { parent: string; message: ChatWireMessage; requestId: string; messageId: string; threadName?: string } }
  | { patch: { name: string; message: ChatWireMessage; updateMask: string } };

export interface AnswerPlan {
  writes: PlannedWrite[];
  /** The reply's kind, when this connection cannot show it (autocomplete, App Home): for the log. */
  unavailable?: Reply['kind'];
}

/** Said, privately, where a reply would have opened a dialog, which Chat cannot show to a Pub/Sub app. */
export const NO_DIALOG_TEXT = 'This opens a dialog, which Chat cannot show to this app (it is connected through Cloud Pub/Sub).';

/** The `requestId` of the answer's create: a repeated create returns the message instead of a second one. */
export const answerRequestId = (deliveryKey: string): string => `event-${deliveryKey}`;

/** `client-` + at most 56 of `[a-z0-9-]` (docs/chat-protocol.md §7.1): the delivery key is lowercase hex. */
export const answerMessageId = (deliveryKey: string): string => `client-${deliveryKey.slice(0, 56)}`;

/** A patch replaces the whole message: Chat has no per-card update over the API (docs/chat-protocol.md §13). */
export const WHOLE_MESSAGE = 'text,cardsV2,accessoryWidgets';

export function planAnswer(event: ChatEvent, key: string, r: Reply): AnswerPlan {
  const threadName = event.threadName ?? event.message?.threadName;
  const create = (m: OutMessage): AnswerPlan => ({
    writes: [{ create: { parent: event.space.name, message: toWireMessage(m), requestId: answerRequestId(key), messageId: answerMessageId(key), ...(threadName ? { threadName } : {}) } }],
  });
  const privately = (text: string) => create({ text, privateTo: event.user.name });
  switch (r.kind) {
    case 'message':
      return create(r.message);
    case 'updateMessage':
      // The clicked message; without one (a command), there is nothing to update: post it instead.
      if (!event.message) return create(r.message);
      return { writes: [{ patch: { name: event.message.name, message: toWireMessage({ ...r.message, cardsV2: r.message.cardsV2 ?? [], accessoryWidgets: r.message.accessoryWidgets ?? [] }), updateMask: WHOLE_MESSAGE } }] };
    case 'updateUserMessageCards':
      // An app cannot attach cards to a person's message through the API [U]: the preview is a reply under it.
      return create({ cardsV2: r.cardsV2 });
    case 'dialog':
      return privately(NO_DIALOG_TEXT);
    case 'closeDialog':
      return r.userMessage ? privately(r.userMessage) : { writes: [] };
    case 'requestConfig':
      return privately(`Please authorize first: ${r.url}`);
    case 'suggestions':
    case 'home':
      return { writes: [], unavailable: r.kind };
    case 'ack':
      return { writes: [] };
  }
}
