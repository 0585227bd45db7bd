/**
 * Legacy Chat interaction events for tests: realistic payloads (docs/chat-protocol.md §2.8) with overrides.
 * Each builder makes a new event (fresh names and time) unless told otherwise.
 */
import { randomUUID } from 'node:crypto';

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

export function widgetUpdatedEvent(space: Json, fn: string, query: string): Json {
  return {
    type: 'WIDGET_UPDATED',
    eventTime: now(),
    space,
    user: ADA,
    common: { hostApp: 'CHAT', invokedFunction: fn, parameters: { autocomplete_widget_query: query } },
  };
}

export const randomProjectId = (label: string) => `test-${label}-${randomUUID().slice(0, 8)}`.toLowerCase().slice(0, 30);
