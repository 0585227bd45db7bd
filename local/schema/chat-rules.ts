/**
 * What Chat requires of a message beyond the proto's types (docs/chat-protocol.md §3.7, §5; card.proto and
 * message.proto comments): a widget, a click, an icon each of exactly one kind; the documented
 * limits (100 widgets per card, 32 KB per card, 32,000 bytes per message, 100 selection items,
 * 2 columns, 4,000-character thread keys); a card id on each card of a message with several.
 */
import type { TypeRule } from './proto-json';
import { chatSchema, jsonName } from './schema';

export const MAX_WIDGETS_PER_CARD = 100;
export const MAX_CARD_BYTES = 32 * 1024;
export const MAX_MESSAGE_BYTES = 32_000;
export const MAX_SELECTION_ITEMS = 100;
export const MAX_COLUMNS = 2;
export const MAX_THREAD_KEY = 4000;

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A field's value under either spelling of its name. */
const get = (value: Record<string, unknown>, protoName: string) => value[jsonName(protoName)] ?? value[protoName];

/** A message whose one oneof is its content: without a member it is "a widget with no kind". */
function needsKind(typeName: string, oneofName: string, what: string): TypeRule {
  return (value, path, report) => {
    const oneof = chatSchema().lookupType(typeName).oneofs[oneofName];
    const set = oneof.fieldsArray.some((f) => get(value, f.name) !== undefined && get(value, f.name) !== null);
    if (!set) report(path, `${what} with no kind: set one of ${oneof.fieldsArray.map((f) => jsonName(f.name)).join(', ')}`);
  };
}

export const CHAT_RULES: Record<string, TypeRule> = {
  'google.apps.card.v1.Widget': needsKind('google.apps.card.v1.Widget', 'data', 'a widget'),
  'google.apps.card.v1.Card.NestedWidget': needsKind('google.apps.card.v1.Card.NestedWidget', 'data', 'a carousel widget'),
  'google.apps.card.v1.Columns.Column.Widgets': needsKind('google.apps.card.v1.Columns.Column.Widgets', 'data', 'a column widget'),
  'google.apps.card.v1.OnClick': needsKind('google.apps.card.v1.OnClick', 'data', 'an onClick'),
  'google.apps.card.v1.Icon': needsKind('google.apps.card.v1.Icon', 'icons', 'an icon'),
  'google.chat.v1.AccessoryWidget': needsKind('google.chat.v1.AccessoryWidget', 'action', 'an accessory widget'),
  'google.apps.card.v1.Card': (card, path, report) => {
    const widgets = list(get(card, 'sections')).reduce<number>((n, s) => n + list(typeof s === 'object' && s ? get(s as Record<string, unknown>, 'widgets') : []).length, 0);
    if (widgets > MAX_WIDGETS_PER_CARD) report(path, `${widgets} widgets in one card, over Chat's ${MAX_WIDGETS_PER_CARD}`);
    const size = bytes(card);
    if (size > MAX_CARD_BYTES) report(path, `card is ${size} bytes, over Chat's 32 KB`);
  },
  'google.apps.card.v1.TextInput': (input, path, report) => {
    if (!get(input, 'label') && !get(input, 'hint_text')) report(path, 'a text input needs a label or a hintText');
  },
  'google.apps.card.v1.SelectionInput': (input, path, report) => {
    const n = list(get(input, 'items')).length;
    if (n > MAX_SELECTION_ITEMS) report(`${path}.items`, `${n} items, over Chat's ${MAX_SELECTION_ITEMS}`);
    const max = get(input, 'multi_select_max_selected_items');
    if (typeof max === 'number' && max < 1) report(`${path}.multiSelectMaxSelectedItems`, 'must be at least 1');
  },
  'google.apps.card.v1.Columns': (columns, path, report) => {
    const n = list(get(columns, 'column_items')).length;
    if (n > MAX_COLUMNS) report(`${path}.columnItems`, `${n} columns, over Chat's ${MAX_COLUMNS}`);
  },
  'google.chat.v1.Thread': (thread, path, report) => {
    const key = get(thread, 'thread_key');
    if (typeof key === 'string' && key.length > MAX_THREAD_KEY) report(`${path}.threadKey`, `over Chat's ${MAX_THREAD_KEY} characters`);
  },
  'google.chat.v1.Message': (message, path, report) => {
    const cards = list(get(message, 'cards_v2')).filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null);
    const ids = cards.map((c) => get(c, 'card_id'));
    if (cards.length > 1 && ids.some((id) => !id)) report(`${path ? `${path}.` : ''}cardsV2`, 'several cards: each needs a cardId');
    if (new Set(ids.filter(Boolean)).size < ids.filter(Boolean).length) report(`${path ? `${path}.` : ''}cardsV2`, 'card ids must be unique in a message');
    const size = bytes(message);
    if (size > MAX_MESSAGE_BYTES) report(path, `message is ${size} bytes, over Chat's ${MAX_MESSAGE_BYTES}`);
  },
};
