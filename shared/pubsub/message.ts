/**
 * Reads one message of Chat's Cloud Pub/Sub connection (docs/chat-protocol.md §13) out of the
 * CloudEvent that Eventarc delivers (docs/chat-protocol.md §9.2). No token comes with it: what can
 * be checked is where it came from, the app's own events topic in the app's own project, which only
 * Chat's push account (and the project's own admins) may publish to.
 */
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { PubSubMessageData } from '../jobs/worker';

export type ChatMessageRead =
  /** The event JSON, as Chat would have POSTed it. */
  | { body: unknown; messageId?: string }
  /** Not from this project's events topic: never run. */
  | { foreign: string }
  /** A Google Workspace Events API notification sharing the topic: a CloudEvent in attributes [U]. */
  | { notification: string }
  /** Cannot be a Chat event: set aside on the dead-letter topic. */
  | { poison: string; data: string; attributes: Record<string, string>; messageId?: string };

/** `//pubsub.googleapis.com/projects/P/topics/T`, the CloudEvent `source` of a Pub/Sub message. */
const SOURCE = /^\/\/pubsub\.googleapis\.com\/projects\/([^/]+)\/topics\/([^/]+)$/;
const SUBSCRIPTION = /^projects\/([^/]+)\/subscriptions\/[^/]+$/;

function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function readChatMessage(event: CloudEvent<unknown>, projectId: string, topic: string): ChatMessageRead {
  const source = SOURCE.exec(String(event.source ?? ''));
  if (!source || source[1] !== projectId || source[2] !== topic) return { foreign: 'the message is not from the events topic of this project' };
  const data = event.data as PubSubMessageData | undefined;
  const subscription = typeof data?.subscription === 'string' ? SUBSCRIPTION.exec(data.subscription) : null;
  if (data?.subscription !== undefined && subscription?.[1] !== projectId) return { foreign: 'the subscription is not in this project' };
  const message = data?.message;
  if (typeof message !== 'object' || message === null) return { poison: 'no Pub/Sub message in the event', data: '', attributes: {} };
  const attributes = stringMap(message.attributes);
  const messageId = message.messageId ?? message.message_id;
  // Workspace Events API notifications carry their CloudEvent type as the `ce-type` attribute [U].
  if (attributes['ce-type']) return { notification: attributes['ce-type'] };
  const raw = typeof message.data === 'string' ? message.data : '';
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    return { poison: 'the message data is not base64 JSON', data: raw, attributes, messageId };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { poison: 'the message data is not a JSON object', data: raw, attributes, messageId };
  return { body, messageId };
}
