/**
 * Legacy Chat interaction events for tests: realistic payloads (docs/chat-protocol.md §2.8) with overrides.
 * Each builder makes a new event (fresh names and time) unless told otherwise.
 */
import { randomUUID } from 'node:crypto';
import type { ChatEvent } from '../../shared/events/model';
import { normalizeEvent } from '../../shared/events/normalize';
import { noteProject } from './at-rest';

type Json = Record<string, unknown>;

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const ADA = { name: 'users/1111', displayName: 'Ada Lovelace', email: 'ada@example.com', type: 'HUMAN' };
export const GRACE = { name: 'users/2222', displayName: 'Grace Hopper', email: 'grace@example.com', type: 'HUMAN' };
export const BOT = { name: 'users/9999', displayName: 'Team Assistant', type: 'BOT' };

export function newSpace(kind: 'SPACE' | 'DM' = 'SPACE'): Json {
  const id = `S${unique()}`;
  return kind === 'DM'
    ? { name: `spaces/${id}`, type: 'DM', spaceType: 'DIRECT_MESSAGE', singleUserBotDm: true }
    : { name: `spaces/${id}`, type: 'ROOM', spaceType: 'SPACE', displayName: 'Release team' };
}

const now = () => new Date().toISOString();

export function messageEvent(space: Json, text: string, extra: Json = {}): Json {
  const id = unique();
  const thread = { name: `${space.name}/threads/T${id}` };
  return {
    type: 'MESSAGE',
    eventTime: now(),
    space,
    user: ADA,
    message: {
      name: `${space.name}/messages/M${id}`,
      sender: ADA,
      createTime: now(),
      text,
      argumentText: text,
      thread,
      space: { name: space.name },
    },
    thread,
    ...extra,
  };
}

export function slashCommandEvent(space: Json, commandId: number, commandName: string, args = '', extra: Json = {}): Json {
  const e = messageEvent(space, `${commandName}${args ? ` ${args}` : ''}`);
  const message = e.message as Json;
  Object.assign(message, {
    argumentText: args ? ` ${args}` : '',
    slashCommand: { commandId: String(commandId) },
    annotations: [
      {
        type: 'SLASH_COMMAND',
        startIndex: 0,
        length: commandName.length,
        slashCommand: { bot: BOT, type: 'INVOKE', commandName, commandId: String(commandId), triggersDialog: false },
      },
    ],
  });
  return { ...e, appCommandMetadata: { appCommandId: commandId, appCommandType: 'SLASH_COMMAND' }, ...extra };
}

export function addedEvent(space: Json, extra: Json = {}): Json {
  return { type: 'ADDED_TO_SPACE', eventTime: now(), space, user: ADA, ...extra };
}

export function removedEvent(space: Json, extra: Json = {}): Json {
  return { type: 'REMOVED_FROM_SPACE', eventTime: now(), space, user: ADA, ...extra };
}

export function cardClickedEvent(space: Json, fn: string, parameters: Record<string, string> = {}, extra: Json = {}): Json {
  return {
    type: 'CARD_CLICKED',
    eventTime: now(),
    space,
    user: ADA,
    message: { name: `${space.name}/messages/M${unique()}`, sender: BOT, thread: { name: `${space.name}/threads/T1` } },
    action: { actionMethodName: fn, parameters: Object.entries(parameters).map(([key, value]) => ({ key, value })) },
    common: { hostApp: 'CHAT', invokedFunction: fn, parameters },
    ...extra,
  };
}

// Every event kind has a builder below; `formatKit(format).event(...)` (addon-events.ts) turns any
// of them into the add-on format, so one test covers both.

/** A value of a dialog's form as a test states it; `formInputs` writes it the way Chat sends it. */
export type FormValue =
  | string // a text input
  | string[] // selection inputs (one value per chosen item) and switches (`['on']` when on, `[]` when off)
  | { date: Date }
  | { dateTime: Date }
  | { time: { hours: number; minutes: number } };

/** `common.formInputs` (docs/chat-protocol.md §2.7): widget name → `Inputs`. */
export function formInputs(values: Record<string, FormValue>): Json {
  const input = (v: FormValue): Json => {
    if (typeof v === 'string') return { stringInputs: { value: [v] } };
    if (Array.isArray(v)) return { stringInputs: { value: v } };
    if ('date' in v) return { dateInput: { msSinceEpoch: String(v.date.getTime()) } };
    if ('dateTime' in v) return { dateTimeInput: { msSinceEpoch: String(v.dateTime.getTime()), hasDate: true, hasTime: true } };
    return { timeInput: v.time };
  };
  return Object.fromEntries(Object.entries(values).map(([name, v]) => [name, input(v)]));
}

const dialogStep = (dialogEventType: 'REQUEST_DIALOG' | 'SUBMIT_DIALOG' | 'CANCEL_DIALOG') => ({ isDialogEvent: true, dialogEventType });

/** A slash command configured to open a dialog ("Open a dialog" in the Chat API configuration). */
export function dialogCommandEvent(space: Json, commandId: number, commandName: string): Json {
  const e = slashCommandEvent(space, commandId, commandName, '', dialogStep('REQUEST_DIALOG'));
  const annotations = (e.message as { annotations: { slashCommand: Json }[] }).annotations;
  annotations[0].slashCommand.triggersDialog = true;
  return e;
}

/** A button whose action opens a dialog (`interaction: OPEN_DIALOG`). */
export function dialogRequestEvent(space: Json, fn: string, parameters: Record<string, string> = {}): Json {
  return cardClickedEvent(space, fn, parameters, dialogStep('REQUEST_DIALOG'));
}

/**
 * A click on a button of an open dialog, with the dialog's form: Save, and also a Cancel *button*,
 * which is an ordinary button whose handler answers `reply.closeDialog()`.
 */
export function dialogSubmitEvent(space: Json, fn: string, values: Record<string, FormValue> = {}, parameters: Record<string, string> = {}): Json {
  const e = cardClickedEvent(space, fn, parameters, dialogStep('SUBMIT_DIALOG'));
  (e.common as Json).formInputs = formInputs(values);
  return e;
}

/**
 * The dialog's close icon (`CANCEL_DIALOG`, docs/chat-protocol.md §2.1): Chat sends no form; which function the
 * event names is not documented [U], so the test says (the router closes the dialog whatever it is).
 */
export function dialogCancelEvent(space: Json, fn: string): Json {
  return cardClickedEvent(space, fn, {}, dialogStep('CANCEL_DIALOG'));
}

/**
 * The person opens the app's home tab in their DM with it (only `type`, `user`, `space`: docs/chat-protocol.md §2.8).
 * The add-on form (`appHomePayload`) follows the conversion guide's naming; Google documents no example [U].
 */
export function appHomeEvent(space: Json): Json {
  return { type: 'APP_HOME', eventTime: now(), space, user: ADA };
}

export function widgetUpdatedEvent(space: Json, fn: string, query: string): Json {
  return {
    type: 'WIDGET_UPDATED',
    eventTime: now(),
    space,
    user: ADA,
    common: { hostApp: 'CHAT', invokedFunction: fn, parameters: { autocomplete_widget_query: query } },
  };
}

/** The event handlers get for `body` (normalizeEvent); throws if the body is one the app ignores. */
export function normalized(body: Json): ChatEvent {
  const n = normalizeEvent(body);
  if (!('event' in n)) throw new Error(`ignored: ${n.ignored}`);
  return n.event;
}

/** A project of its own for a test file; noted for the run's at-rest scan (at-rest.ts). */
export function randomProjectId(label: string): string {
  const id = `test-${label}-${randomUUID().slice(0, 8)}`.toLowerCase().slice(0, 30);
  noteProject(id);
  return id;
}
