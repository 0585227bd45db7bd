/** The page's requests are untrusted JSON: each intent is checked field by field before it runs. */
import type { FormInputs, Intent } from './protocol';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class IntentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntentError';
  }
}

function str(o: Json, key: string, pattern?: RegExp): string {
  const v = o[key];
  if (typeof v !== 'string' || (pattern && !pattern.test(v))) throw new IntentError(`${key} must be a string${pattern ? ` like ${pattern}` : ''}`);
  return v;
}

const optional = (o: Json, key: string, pattern?: RegExp): string | undefined => (o[key] === undefined ? undefined : str(o, key, pattern));

const SPACE = /^spaces\/[A-Za-z0-9_-]+$/;
const USER = /^users\/[^/\s]+$/;
const MESSAGE = /^spaces\/[A-Za-z0-9_-]+\/messages\/[^/\s]+$/;
const THREAD = /^spaces\/[A-Za-z0-9_-]+\/threads\/[^/\s]+$/;
const PATH = /^[a-z]+\d*(\.[a-z]+\d*)*$/;
/** Chat's own limit is 32,000 bytes a message; a person's text stays well under it. */
const MAX_TEXT = 4096;

/** Keeps only inputs in the documented shapes (docs/chat-protocol.md §2.7). */
function formInputs(v: unknown): FormInputs {
  if (v === undefined) return {};
  if (!isObject(v)) throw new IntentError('formInputs must be an object');
  const out: FormInputs = {};
  for (const [name, input] of Object.entries(v)) {
    if (!isObject(input)) throw new IntentError(`formInputs.${name} must be an object`);
    const strings = isObject(input.stringInputs) ? input.stringInputs.value : undefined;
    if (Array.isArray(strings) && strings.every((s) => typeof s === 'string')) out[name] = { stringInputs: { value: strings as string[] } };
    else if (isObject(input.dateTimeInput)) out[name] = { dateTimeInput: { msSinceEpoch: String(input.dateTimeInput.msSinceEpoch), hasDate: input.dateTimeInput.hasDate === true, hasTime: input.dateTimeInput.hasTime === true } };
    else if (isObject(input.dateInput)) out[name] = { dateInput: { msSinceEpoch: String(input.dateInput.msSinceEpoch) } };
    else if (isObject(input.timeInput)) out[name] = { timeInput: { hours: Number(input.timeInput.hours), minutes: Number(input.timeInput.minutes) } };
    else throw new IntentError(`formInputs.${name} has no known input`);
  }
  return out;
}

export function readIntent(value: unknown): Intent {
  if (!isObject(value)) throw new IntentError('the body must be a JSON object');
  const space = str(value, 'space', SPACE);
  const user = str(value, 'user', USER);
  const kind = value.kind;
  switch (kind) {
    case 'message': {
      const text = str(value, 'text');
      if (text.length > MAX_TEXT) throw new IntentError(`text is over ${MAX_TEXT} characters`);
      const threadName = optional(value, 'threadName', THREAD);
      return { kind, space, user, text, ...(threadName ? { threadName } : {}) };
    }
    case 'add':
    case 'remove':
      return { kind, space, user };
    case 'click':
      return { kind, space, user, message: str(value, 'message', MESSAGE), path: str(value, 'path', PATH), formInputs: formInputs(value.formInputs) };
    case 'dialogClick':
      return { kind, space, user, dialog: str(value, 'dialog'), path: str(value, 'path', PATH), formInputs: formInputs(value.formInputs) };
    case 'dialogClose':
      return { kind, space, user, dialog: str(value, 'dialog') };
    case 'autocomplete': {
      const message = optional(value, 'message', MESSAGE);
      const dialog = optional(value, 'dialog');
      return { kind, space, user, ...(message ? { message } : {}), ...(dialog ? { dialog } : {}), path: str(value, 'path', PATH), query: str(value, 'query'), formInputs: formInputs(value.formInputs) };
    }
    default:
      throw new IntentError('kind must be message, add, remove, click, dialogClick, dialogClose or autocomplete');
  }
}
