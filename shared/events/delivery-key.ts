/**
 * The key under which a delivery is claimed in `deliveries/{key}`.
 *
 * Chat retries a failed delivery by sending the same event again [D, docs/chat-protocol.md §1]; the key must
 * be equal for those retries and differ between two real interactions, in either wire format:
 * - a message someone sent (plain, @mention, slash command, link preview: classic `MESSAGE`,
 *   add-on `messagePayload`, or an `appCommandPayload` carrying the slash command's message) is
 *   identified by `message.name`, which Chat assigns once per message, so the key does not depend
 *   on `eventTime`;
 * - every other event (clicks, dialog steps, autocomplete, quick commands, add/remove) by
 *   type + eventTime + user + space, plus the clicked message, the action function and the
 *   dialog step of a click, since one person can click the same card several times.
 * The format and the wire type are part of the key, so the two events an add-on gets when it is
 * added by an @mention (added, then the message) are two deliveries. The parts are hashed
 * (SHA-256, hex) so the key is a valid, fixed-length document id.
 */
import { createHash } from 'node:crypto';
import type { ChatEvent } from './model';

/** Wire types whose `message` is the one the user just sent, in both formats. */
const SENT_MESSAGE_TYPES: ReadonlySet<string> = new Set(['MESSAGE', 'messagePayload', 'appCommandPayload']);

export function deliveryKey(event: ChatEvent): string {
  // A part an event does not have is `undefined` (JSON `null`), not a stand-in value.
  const parts: (string | undefined)[] =
    SENT_MESSAGE_TYPES.has(event.wireType) && event.message
      ? [event.format, event.wireType, event.message.name]
      : [
          event.format,
          event.wireType,
          event.eventTime,
          event.user.name,
          event.space.name,
          event.message?.name,
          event.kind === 'action' ? event.action.function : event.kind === 'widget' ? event.widget.function : undefined,
          // A click's dialog step, not a command's: a command opens a dialog or not as it is configured.
          event.kind === 'action' ? event.dialog : undefined,
          event.kind === 'widget' ? event.widget.query : undefined,
        ];
  // JSON keeps the parts apart whatever they contain (no separator two parts could imitate).
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
