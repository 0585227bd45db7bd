/**
 * What is validated, per kind of payload: a classic answer and a Chat API body are a
 * `google.chat.v1.Message`; an add-on answer is add-on actions around a `Message` or `Card`
 * (docs/chat-protocol.md §4.3); a classic App Home answer is render actions around a `Card` (docs/chat-protocol.md §3.6).
 * The action envelopes are not in the Chat protos, so they are described here, as strictly as the
 * protos: unknown names and wrong types are violations, the `Message` and `Card` inside are read
 * with Google's protos and Chat's rules.
 */
import { CHAT_RULES } from './chat-rules';
import { ProtoJsonChecker, type Violation } from './proto-json';
import { jsonName, messageType } from './schema';

export type { Violation } from './proto-json';

/** `chat`: a classic answer; `addon`: add-on actions; `home`: a classic app's App Home answer. */
export type AnswerFormat = 'chat' | 'addon' | 'home';

type Shape =
  | { proto: string }
  | { string: true }
  | { enum: readonly string[] }
  | { array: Shape }
  /** `exactlyOne`: the object must set one and only one of its fields (a union). */
  | { fields: Record<string, Shape>; exactlyOne?: boolean };

const CARD: Shape = { proto: 'google.apps.card.v1.Card' };
const MESSAGE: Shape = { proto: 'google.chat.v1.Message' };

const NAVIGATION: Shape = {
  exactlyOne: true,
  fields: {
    pushCard: CARD,
    updateCard: CARD,
    popCard: { fields: {} },
    popToRoot: { fields: {} },
    endNavigation: { fields: { action: { enum: ['ACTION_UNSPECIFIED', 'CLOSE_DIALOG', 'CLOSE_DIALOG_AND_EXECUTE'] } } },
  },
};

const RENDER_ACTION: Shape = {
  fields: {
    navigations: { array: NAVIGATION },
    notification: { fields: { text: { string: true } } },
    modifyOperations: {
      array: {
        exactlyOne: true,
        fields: {
          updateWidget: {
            fields: {
              selectionInputWidgetSuggestions: {
                fields: { suggestions: { array: { proto: 'google.apps.card.v1.SelectionInput.SelectionItem' } } },
              },
            },
          },
        },
      },
    },
  },
};

const ADDON_ANSWER: Shape = {
  exactlyOne: true,
  fields: {
    hostAppDataAction: {
      fields: {
        chatDataAction: {
          exactlyOne: true,
          fields: {
            createMessageAction: { fields: { message: MESSAGE } },
            updateMessageAction: { fields: { message: MESSAGE } },
            updateInlinePreviewAction: { fields: { cardsV2: { array: { proto: 'google.chat.v1.CardWithId' } } } },
          },
        },
      },
    },
    action: RENDER_ACTION,
    basicAuthorizationPrompt: { fields: { authorizationUrl: { string: true }, resource: { string: true } } },
  },
};

/** Classic App Home: `action` for the home card itself, `renderActions` for what follows a click. */
const HOME_ANSWER: Shape = { exactlyOne: true, fields: { action: RENDER_ACTION, renderActions: { fields: { action: RENDER_ACTION } } } };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (path: string, key: string) => (path ? `${path}.${key}` : key);

function checkShape(shape: Shape, value: unknown, path: string, checker: ProtoJsonChecker, out: Violation[]): void {
  if ('proto' in shape) return checker.message(messageType(shape.proto), value, path);
  if ('string' in shape) {
    if (typeof value !== 'string') out.push({ path, problem: 'expected a string' });
    return;
  }
  if ('enum' in shape) {
    if (typeof value !== 'string' || !shape.enum.includes(value)) out.push({ path, problem: `expected one of ${shape.enum.join(', ')}` });
    return;
  }
  if ('array' in shape) {
    if (!Array.isArray(value)) return void out.push({ path, problem: 'expected an array' });
    value.forEach((item, i) => checkShape(shape.array, item, `${path}[${i}]`, checker, out));
    return;
  }
  if (!isObject(value)) return void out.push({ path: path || '(root)', problem: 'expected an object' });
  const present: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    // The proto3 JSON mapping reads both spellings of a name.
    const field = shape.fields[jsonName(key)];
    if (!field) {
      out.push({ path: at(path, key), problem: `unknown field "${key}" (expected ${Object.keys(shape.fields).join(', ') || 'none'})` });
      continue;
    }
    if (item === null) continue;
    present.push(key);
    checkShape(field, item, at(path, key), checker, out);
  }
  if (shape.exactlyOne && present.length > 1) out.push({ path: path || '(root)', problem: `more than one of ${present.join(', ')}` });
  if (shape.exactlyOne && present.length === 0 && path !== '') out.push({ path, problem: `needs one of ${Object.keys(shape.fields).join(', ')}` });
}

function run(shape: Shape, value: unknown): Violation[] {
  const checker = new ProtoJsonChecker(CHAT_RULES);
  const out: Violation[] = [];
  checkShape(shape, value, '', checker, out);
  return [...out, ...checker.violations];
}

/** Violations of a synchronous answer (an empty `{}` acknowledges, in every format). */
export function validateAnswer(format: AnswerFormat, answer: unknown): Violation[] {
  if (isObject(answer) && Object.keys(answer).length === 0) return [];
  return run(format === 'chat' ? MESSAGE : format === 'addon' ? ADDON_ANSWER : HOME_ANSWER, answer);
}

/** Violations of a `Message` body sent to the Chat API (`spaces.messages.create/patch/update`). */
export const validateMessageBody = (body: unknown): Violation[] => run(MESSAGE, body);

/** Violations of a card on its own (a dialog body, an App Home card). */
export const validateCard = (card: unknown): Violation[] => run(CARD, card);

const HOME_TYPES = ['APP_HOME', 'SUBMIT_FORM'];

/**
 * The format of the answer an event expects, from the event's shape (docs/chat-protocol.md §1.1): a top-level
 * `type` is classic, App Home's (its types, or a click marked `__home` by the app's home card)
 * answered with render actions; `chat.type` is a classic app's App Home event; `chat` alone is an
 * add-on's.
 */
export function answerFormatOf(event: unknown): AnswerFormat | undefined {
  if (!isObject(event)) return undefined;
  if (typeof event.type === 'string') {
    const parameters = isObject(event.common) && isObject(event.common.parameters) ? event.common.parameters : {};
    return HOME_TYPES.includes(event.type) || parameters.__home !== undefined ? 'home' : 'chat';
  }
  if (isObject(event.chat)) return typeof event.chat.type === 'string' ? 'home' : 'addon';
  return undefined;
}

export const describeViolations = (violations: Violation[]) => violations.map((v) => `${v.path}: ${v.problem}`).join('; ');
