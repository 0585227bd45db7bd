/**
 * What the app's synchronous answer asks Chat to do, read defensively in the format of the kind
 * of app the simulator plays: a classic app's message with `actionResponse` (docs/chat-protocol.md §3,
 * `answer-classic.ts`) or an add-on's actions (§4.3, `answer-addon.ts`). An answer Chat would
 * refuse (Google's schema first) becomes `invalid` with the reason, which the page shows the way Chat shows a failing app.
 */
import type { JsonObject } from '../chat-api';
import { describeViolations } from '../schema/answers';
import { checkAnswer } from '../schema/conformance';
import { readAddonAnswer } from './answer-addon';
import { readClassicAnswer } from './answer-classic';
import { isObject } from './answer-parts';
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
  /** An add-on's notification without a navigation: in a dialog it keeps the dialog open with the text. */
  | { kind: 'notification'; text: string }
  /** `widget` is named by classic answers only: an add-on's suggestions go to the widget being typed in. */
  | { kind: 'suggestions'; widget?: string; items: SuggestionItem[] }
  | { kind: 'requestConfig'; url: string }
  | { kind: 'invalid'; reason: string };

export function readAnswer(format: EventFormat, status: number, body: unknown): Answer {
  if (status < 200 || status > 299) return { kind: 'invalid', reason: `HTTP ${status}` };
  if (!isObject(body)) return { kind: 'invalid', reason: 'the answer is not a JSON object' };
  const answer = format === 'chat' ? readClassicAnswer(body) : readAddonAnswer(body);
  if (answer.kind === 'invalid') return answer;
  // Chat also refuses what its schema does not accept (a misspelt field, a widget of two kinds, …).
  const violations = checkAnswer(format, body, 'answer in the simulator');
  return violations.length > 0 ? { kind: 'invalid', reason: `Google's schema refuses it: ${describeViolations(violations)}` } : answer;
}
