/** Picks the wire format of a request body and maps it onto the normalized model. */
import { BadRequestError } from '../errors';
import type { ChatEvent } from './model';
import { normalizeChatEvent } from './normalize-chat';
import { Reader } from './read';

export type Normalized = { event: ChatEvent } | { ignored: string };

export function normalizeEvent(body: unknown): Normalized {
  const r = Reader.root(body);
  if (!r.has('type')) {
    throw new BadRequestError(
      r.has('chat') ? 'Workspace add-on events are not supported by this deployment' : 'type is required (the Chat event type)',
    );
  }
  const event = normalizeChatEvent(r);
  return event ? { event } : { ignored: r.string('type') };
}
