/**
 * Chat's input rules (docs/chat-protocol.md §3.7, §7.1), each answering with the 400 Chat would give.
 * The limits are restated here rather than imported from `shared/replies/limits.ts` on purpose:
 * the fake stands for Google, so a wrong belief in the app must not be mirrored by its test double.
 */
import { invalidArgument } from './errors';
import { isJsonObject, type JsonObject } from './json';
import { CONTENT_FIELDS, toCamel, type ContentField, type MessageContent } from './message-input';

export const MAX_MESSAGE_BYTES = 32_000;
export const MAX_WIDGETS_PER_CARD = 100;
export const MAX_MESSAGE_ID_LENGTH = 63;
export const CLIENT_ID_PREFIX = 'client-';
const MESSAGE_ID_PATTERN = /^client-[a-z0-9-]+$/;

export const REPLY_OPTIONS = [
  'MESSAGE_REPLY_OPTION_UNSPECIFIED',
  'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
  'REPLY_MESSAGE_OR_FAIL',
] as const;
export type ReplyOption = (typeof REPLY_OPTIONS)[number];

export const isClientId = (id: string): boolean => id.startsWith(CLIENT_ID_PREFIX);

export function checkMessageId(id: string): void {
  if (id.length > MAX_MESSAGE_ID_LENGTH || !MESSAGE_ID_PATTERN.test(id)) {
    throw invalidArgument(
      `Invalid message ID "${id}": it must start with "${CLIENT_ID_PREFIX}", be at most ` +
        `${MAX_MESSAGE_ID_LENGTH} characters and contain only lowercase letters, digits and hyphens.`,
    );
  }
}

export function parseReplyOption(value: string | undefined): ReplyOption {
  if (value === undefined) return 'MESSAGE_REPLY_OPTION_UNSPECIFIED';
  const option = REPLY_OPTIONS.find((o) => o === value);
  if (!option) throw invalidArgument(`Invalid value at 'message_reply_option' (type.googleapis.com/google.chat.v1.CreateMessageRequest.MessageReplyOption), "${value}"`);
  return option;
}

/** Query booleans as Google's transcoder reads them. */
export function parseBool(name: string, value: string | undefined): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw invalidArgument(`Invalid value at '${name}' (TYPE_BOOL), "${value}"`);
}

/** The content fields a mask names; `*` names all of them. Both path spellings are accepted [O/U]. */
export function parseUpdateMask(mask: string | undefined): ContentField[] {
  if (mask === undefined || mask.trim() === '') throw invalidArgument('updateMask is required.');
  const fields = new Set<ContentField>();
  for (const raw of mask.split(',')) {
    const path = raw.trim();
    if (path === '*') {
      CONTENT_FIELDS.forEach((f) => fields.add(f));
      continue;
    }
    const field = CONTENT_FIELDS.find((f) => f === toCamel(path));
    if (!field) {
      throw invalidArgument(
        `Invalid update mask path "${path}". Supported paths: text, cards_v2, accessory_widgets, attachment, *.`,
      );
    }
    fields.add(field);
  }
  return [...fields];
}

/** Section widgets of one card; nested widgets (columns, carousel) are not counted [U]. */
function countWidgets(card: JsonObject, index: number): number {
  const sections = card.sections ?? [];
  if (!Array.isArray(sections) || !sections.every(isJsonObject)) {
    throw invalidArgument(`Invalid value at 'message.cards_v2[${index}].card.sections': expected a list of objects.`);
  }
  return sections.reduce((n, section) => {
    const widgets = section.widgets ?? [];
    if (!Array.isArray(widgets) || !widgets.every(isJsonObject)) {
      throw invalidArgument(`Invalid value at 'message.cards_v2[${index}].card.sections.widgets': expected a list of objects.`);
    }
    return n + widgets.length;
  }, 0);
}

function checkCards(cards: JsonObject[]): void {
  cards.forEach((item, i) => {
    const card = item.card;
    if (!isJsonObject(card)) throw invalidArgument(`Invalid value at 'message.cards_v2[${i}].card': a card is required.`);
    const widgets = countWidgets(card, i);
    if (widgets > MAX_WIDGETS_PER_CARD) {
      throw invalidArgument(`Card ${i} has ${widgets} widgets; a card can have at most ${MAX_WIDGETS_PER_CARD}.`);
    }
  });
}

/** What every stored message must satisfy, after create and after each update. */
export function checkContent(content: MessageContent): void {
  const hasText = content.text !== undefined && content.text !== '';
  const hasCards = content.cardsV2 !== undefined && content.cardsV2.length > 0;
  if (!hasText && !hasCards) throw invalidArgument('Message must contain text or cardsV2.');
  if (content.cardsV2) checkCards(content.cardsV2);
  const bytes = Buffer.byteLength(JSON.stringify(content), 'utf8');
  if (bytes > MAX_MESSAGE_BYTES) {
    throw invalidArgument(`Message is ${bytes} bytes; the maximum message size is ${MAX_MESSAGE_BYTES} bytes.`);
  }
}
