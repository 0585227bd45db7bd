/**
 * Turns a request body into the message fields the fake acts on. Like Google's proto3 JSON parser,
 * it accepts both `cardsV2` and `cards_v2`, ignores output-only fields, and rejects names that are
 * not Message fields (a typo such as `txt` is a 400 in Chat, not a silent drop).
 */
import { invalidArgument } from './errors';
import { isJsonObject, type JsonObject, type JsonValue } from './json';

/** The fields of `Message` that patch/update can change (docs/chat-protocol.md §7.1). */
export const CONTENT_FIELDS = ['text', 'cardsV2', 'accessoryWidgets', 'attachment'] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

export interface MessageContent {
  text?: string;
  cardsV2?: JsonObject[];
  accessoryWidgets?: JsonObject[];
  attachment?: JsonObject[];
}

export interface MessageInput extends MessageContent {
  privateMessageViewer?: { name: string };
  thread?: { name?: string; threadKey?: string };
}

/** Every field of `chat_v1.Schema$Message` (@googleapis/chat 45); the rest are accepted and ignored. */
const KNOWN_FIELDS = new Set([
  'accessoryWidgets', 'actionResponse', 'annotations', 'argumentText', 'attachedGifs', 'attachment', 'cards',
  'cardsV2', 'clientAssignedMessageId', 'createTime', 'deleteTime', 'deletionMetadata', 'emojiReactionSummaries',
  'fallbackText', 'formattedText', 'lastUpdateTime', 'matchedUrl', 'name', 'privateMessageViewer',
  'quotedMessageMetadata', 'sender', 'silent', 'slashCommand', 'space', 'text', 'thread', 'threadReply',
]);

const SNAKE_PART = /_([a-z0-9])/g;
export const toCamel = (name: string): string => name.replace(SNAKE_PART, (_, c: string) => c.toUpperCase());

const bad = (field: string, expected: string) =>
  invalidArgument(`Invalid value at 'message.${field}': expected ${expected}.`);

function objectArray(field: string, v: JsonValue): JsonObject[] {
  if (!Array.isArray(v) || !v.every(isJsonObject)) throw bad(field, 'a list of objects');
  return v.filter(isJsonObject);
}

function readThread(v: JsonValue): { name?: string; threadKey?: string } {
  if (!isJsonObject(v)) throw bad('thread', 'an object');
  const thread: { name?: string; threadKey?: string } = {};
  for (const [key, value] of Object.entries(v)) {
    const field = toCamel(key);
    if (value === null) continue;
    if (field !== 'name' && field !== 'threadKey' && field !== 'retentionSettings') {
      throw invalidArgument(`Invalid JSON payload received. Unknown name "${key}" at 'message.thread': Cannot find field.`);
    }
    if (field === 'retentionSettings') continue;
    if (typeof value !== 'string') throw bad(`thread.${field}`, 'a string');
    thread[field] = value;
  }
  return thread;
}

export function readMessageInput(body: JsonValue): MessageInput {
  if (!isJsonObject(body)) throw invalidArgument('Invalid JSON payload received. Expected a Message object.');
  const input: MessageInput = {};
  for (const [key, value] of Object.entries(body)) {
    const field = toCamel(key);
    if (!KNOWN_FIELDS.has(field)) {
      throw invalidArgument(`Invalid JSON payload received. Unknown name "${key}" at 'message': Cannot find field.`);
    }
    // proto3 JSON: null means "default", i.e. the field is absent.
    if (value === null) continue;
    switch (field) {
      case 'text':
        if (typeof value !== 'string') throw bad(field, 'a string');
        input.text = value;
        break;
      case 'cardsV2':
      case 'accessoryWidgets':
      case 'attachment':
        input[field] = objectArray(field, value);
        break;
      case 'privateMessageViewer':
        if (!isJsonObject(value) || typeof value.name !== 'string' || !value.name.startsWith('users/')) {
          throw bad(field, "an object with name 'users/…'");
        }
        input.privateMessageViewer = { name: value.name };
        break;
      case 'thread':
        input.thread = readThread(value);
        break;
      default:
        break; // output-only, or not modelled by the fake (e.g. the deprecated v1 `cards`)
    }
  }
  return input;
}

/** Only the content fields of `input`, in a fresh object. */
export function contentOf(input: MessageContent): MessageContent {
  const { text, cardsV2, accessoryWidgets, attachment } = input;
  return {
    ...(text !== undefined ? { text } : {}),
    ...(cardsV2 !== undefined ? { cardsV2 } : {}),
    ...(accessoryWidgets !== undefined ? { accessoryWidgets } : {}),
    ...(attachment !== undefined ? { attachment } : {}),
  };
}
