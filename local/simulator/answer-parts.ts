/** What both answer formats carry alike: a Chat `Message` (docs/chat-protocol.md §3.1) and suggestion items. */
import type { JsonObject } from '../chat-api';
import type { AnswerMessage } from './answer';
import type { SuggestionItem } from './protocol';

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The body came from JSON.parse, so a checked object is a JSON object. */
export const objectList = (v: unknown): JsonObject[] | undefined => (Array.isArray(v) && v.every(isObject) ? (v as JsonObject[]) : undefined);

export function messageOf(body: Json): AnswerMessage | { invalid: string } {
  const out: AnswerMessage = {};
  if (body.text !== undefined) {
    if (typeof body.text !== 'string') return { invalid: 'text must be a string' };
    out.text = body.text;
  }
  for (const key of ['cardsV2', 'accessoryWidgets'] as const) {
    if (body[key] === undefined) continue;
    const list = objectList(body[key]);
    if (!list) return { invalid: `${key} must be a list of objects` };
    out[key] = list;
  }
  const viewer = body.privateMessageViewer;
  if (viewer !== undefined) {
    if (!isObject(viewer) || typeof viewer.name !== 'string') return { invalid: 'privateMessageViewer must be { name: "users/…" }' };
    out.privateMessageViewer = { name: viewer.name };
  }
  return out;
}

export const hasContent = (m: AnswerMessage): boolean => m.text !== undefined || (m.cardsV2?.length ?? 0) > 0;

/** Autocomplete suggestions (`SelectionItem`s), leniently: a missing text or value falls back to the other. */
export function suggestionItems(list: unknown): SuggestionItem[] {
  return (Array.isArray(list) ? list : []).filter(isObject).map((i) => ({
    text: String(i.text ?? i.value ?? ''),
    value: String(i.value ?? i.text ?? ''),
    ...(typeof i.bottomText === 'string' ? { bottomText: i.bottomText } : {}),
    ...(typeof i.startIconUri === 'string' ? { startIconUri: i.startIconUri } : {}),
  }));
}
