/**
 * Picks the wire format of a request body and maps it onto the normalized model (docs/chat-protocol.md §1.1):
 * a top-level `type` is the classic Chat event, `chat` the Workspace add-on event. The format is
 * recognised per request whatever the audience mode: verification (configured) decides who may
 * call, the body's shape only how to read it, and the reply is rendered in the same format.
 */
import { BadRequestError } from '../errors';
import type { ChatEvent } from './model';
import { normalizeAddonEvent } from './normalize-addon';
import { normalizeChatEvent } from './normalize-chat';
import { Reader } from './read';

export type Normalized = { event: ChatEvent } | { ignored: string };

export function normalizeEvent(body: unknown): Normalized {
  const r = Reader.root(body);
  if (r.has('type')) {
    const event = normalizeChatEvent(r);
    return event ? { event } : { ignored: r.string('type') };
  }
  if (r.has('chat')) {
    // A classic app's App Home events wrap a classic event in `chat`, with `commonEventObject` beside
    // it (docs/chat-protocol.md §1.1, Google's app-home sample): read them as the classic event they are.
    const chat = r.object('chat');
    if (chat.has('type')) {
      const event = normalizeChatEvent(chat.with('common', r.optionalObject('commonEventObject')));
      return event ? { event } : { ignored: chat.string('type') };
    }
    return normalizeAddonEvent(r);
  }
  throw new BadRequestError('type is required (the Chat event type), or commonEventObject and chat for a Workspace add-on event');
}
