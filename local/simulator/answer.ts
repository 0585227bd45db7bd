/**
 * What the app's synchronous answer asks Chat to do (protocol §3), read defensively: an answer
 * Chat would refuse becomes `invalid` with the reason, which the page shows the way Chat shows a
 * failing app. The add-on format's actions (§4.3) will be one more reader here.
 */
import type { JsonObject } from '../chat-api';
import type { SuggestionItem } from './protocol';
import type { EventFormat } from './wire-event';

export interface AnswerMessage {
  text?: string;
  cardsV2?: JsonObject[];
  accessoryWidgets?: JsonObject[];
  privateMessageViewer?: { name: string };
}

export type Answer =
  | { kind: 'none' }
  | { kind: 'newMessage'; message: AnswerMessage }
  | { kind: 'updateMessage'; message: AnswerMessage }
  | { kind: 'updateUserMessageCards'; cardsV2: JsonObject[] }
  | { kind: 'dialog'; card: unknown }
  | { kind: 'dialogStatus'; statusCode: string; userFacingMessage?: string }
  | { kind: 'suggestions'; widget: string; items: SuggestionItem[] }
  | { kind: 'requestConfig'; url: string }
  | { kind: 'invalid'; reason: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The body came from JSON.parse, so a checked object is a JSON object. */
const objectList = (v: unknown): JsonObject[] | undefined => (Array.isArray(v) && v.every(isObject) ? (v as JsonObject[]) : undefined);

export function readAnswer(format: EventFormat, status: number, body: unknown): Answer {
  if (status < 200 || status > 299) return { kind: 'invalid', reason: `HTTP ${status}` };
  if (!isObject(body)) return { kind: 'invalid', reason: 'the answer is not a JSON object' };
  switch (format) {
    case 'chat':
      return readClassicAnswer(body);
  }
}

function messageOf(body: Json): AnswerMessage | { invalid: string } {
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

const hasContent = (m: AnswerMessage) => m.text !== undefined || (m.cardsV2?.length ?? 0) > 0;

function readClassicAnswer(body: Json): Answer {
  const response = isObject(body.actionResponse) ? body.actionResponse : undefined;
  const type = typeof response?.type === 'string' ? response.type : 'NEW_MESSAGE';
  const message = messageOf(body);
  if ('invalid' in message) return { kind: 'invalid', reason: message.invalid };
  switch (type) {
    case 'NEW_MESSAGE':
    case 'TYPE_UNSPECIFIED':
      if (hasContent(message)) return { kind: 'newMessage', message };
      // `{}` acknowledges; an explicit NEW_MESSAGE with nothing in it is an answer Chat refuses.
      return response ? { kind: 'invalid', reason: 'NEW_MESSAGE without text or cards' } : { kind: 'none' };
    case 'UPDATE_MESSAGE':
      return hasContent(message) ? { kind: 'updateMessage', message } : { kind: 'invalid', reason: 'UPDATE_MESSAGE without text or cards' };
    case 'UPDATE_USER_MESSAGE_CARDS':
      return message.cardsV2 ? { kind: 'updateUserMessageCards', cardsV2: message.cardsV2 } : { kind: 'invalid', reason: 'UPDATE_USER_MESSAGE_CARDS without cardsV2' };
    case 'REQUEST_CONFIG':
      return typeof response?.url === 'string' ? { kind: 'requestConfig', url: response.url } : { kind: 'invalid', reason: 'REQUEST_CONFIG needs url' };
    case 'DIALOG':
      return readDialogAction(response?.dialogAction);
    case 'UPDATE_WIDGET':
      return readUpdatedWidget(response?.updatedWidget);
    default:
      return { kind: 'invalid', reason: `unknown actionResponse.type ${JSON.stringify(type)}` };
  }
}

function readDialogAction(action: unknown): Answer {
  if (!isObject(action)) return { kind: 'invalid', reason: 'DIALOG needs dialogAction' };
  if (isObject(action.dialog) && isObject(action.dialog.body)) return { kind: 'dialog', card: action.dialog.body };
  const status = action.actionStatus;
  if (isObject(status)) {
    const statusCode = typeof status.statusCode === 'string' ? status.statusCode : 'OK';
    return { kind: 'dialogStatus', statusCode, ...(typeof status.userFacingMessage === 'string' ? { userFacingMessage: status.userFacingMessage } : {}) };
  }
  return { kind: 'invalid', reason: 'dialogAction needs dialog.body or actionStatus' };
}

function readUpdatedWidget(updated: unknown): Answer {
  if (!isObject(updated) || typeof updated.widget !== 'string') return { kind: 'invalid', reason: 'UPDATE_WIDGET needs updatedWidget.widget' };
  const suggestions = isObject(updated.suggestions) && Array.isArray(updated.suggestions.items) ? updated.suggestions.items : [];
  const items = suggestions.filter(isObject).map((i) => ({
    text: String(i.text ?? i.value ?? ''),
    value: String(i.value ?? i.text ?? ''),
    ...(typeof i.bottomText === 'string' ? { bottomText: i.bottomText } : {}),
    ...(typeof i.startIconUri === 'string' ? { startIconUri: i.startIconUri } : {}),
  }));
  return { kind: 'suggestions', widget: updated.widget, items };
}
