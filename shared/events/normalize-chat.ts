/**
 * The classic Chat interaction event (top-level `type`, docs/chat-protocol.md §2) → the normalized model.
 * Every field a handler relies on is checked here; anything missing or mistyped is a 400.
 */
import { BadRequestError } from '../errors';
import {
  COMMAND_TYPES,
  DIALOG_EVENT_TYPES,
  type ChatEvent,
  type ChatMessage,
  type ChatSpace,
  type ChatUser,
  type EventCommon,
  type FormInput,
  type SpaceKind,
  HOME_PARAMETER,
  NO_SPACE,
} from './model';
import { isDocumentId } from '../ids';
import { Reader, stringFormat, type StringFormat } from './read';

/** `spaces/{id}`, the id passing the one id rule (it becomes the document spaces/{id}). */
const SPACE_NAME: StringFormat = {
  test: (name) => name.startsWith('spaces/') && isDocumentId(name.slice('spaces/'.length)),
  expects: 'spaces/{id}',
};
const USER_NAME = stringFormat(/^users\/[^/\s]{1,256}$/, 'users/{id}');
const MESSAGE_NAME = stringFormat(/^spaces\/[A-Za-z0-9_-]{1,128}\/messages\/[^/\s]{1,256}$/, 'spaces/{space}/messages/{message}');
export const THREAD_NAME = stringFormat(/^spaces\/[A-Za-z0-9_-]{1,128}\/threads\/[^/\s]{1,256}$/, 'spaces/{space}/threads/{thread}');
const RFC3339_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** The shape, and a real time (month 13 or hour 25 has the shape; it would reach the counters' day keys). */
export const RFC3339: StringFormat = {
  test: (value) => RFC3339_SHAPE.test(value) && !Number.isNaN(Date.parse(value)),
  expects: 'an RFC 3339 timestamp',
};

/** Event types this model handles; any other `type` is acknowledged with `{}` and logged. */
export const KNOWN_CHAT_TYPES = [
  'MESSAGE',
  'APP_COMMAND',
  'ADDED_TO_SPACE',
  'REMOVED_FROM_SPACE',
  'CARD_CLICKED',
  'WIDGET_UPDATED',
  'APP_HOME',
  'SUBMIT_FORM',
] as const;

export function readUser(r: Reader): ChatUser {
  // `TYPE_UNSPECIFIED` (the enum's default, seen in Google's fixtures) says no more than an absent type.
  const given = r.oneOf('type', ['HUMAN', 'BOT', 'TYPE_UNSPECIFIED'] as const);
  const type = given === 'TYPE_UNSPECIFIED' ? undefined : given;
  return {
    name: r.string('name', USER_NAME),
    displayName: r.optionalString('displayName'),
    email: r.optionalString('email'),
    ...(type ? { type } : {}),
  };
}

export function readSpace(r: Reader): ChatSpace {
  const name = r.string('name', SPACE_NAME);
  const spaceType = r.optionalString('spaceType');
  const legacyType = r.optionalString('type');
  const kind: SpaceKind =
    spaceType === 'DIRECT_MESSAGE' || legacyType === 'DM' || r.boolean('singleUserBotDm')
      ? 'DM'
      : spaceType === 'GROUP_CHAT'
        ? 'GROUP_CHAT'
        : 'SPACE';
  return { name, id: name.slice('spaces/'.length), kind, displayName: r.optionalString('displayName') };
}

export function readMessage(r: Reader): ChatMessage {
  const text = r.optionalString('text') ?? '';
  const addedByMention = r
    .array('annotations')
    .some((a) => a.optionalObject('userMention')?.optionalString('type') === 'ADD' || a.optionalObject('slashCommand')?.optionalString('type') === 'ADD');
  return {
    name: r.string('name', MESSAGE_NAME),
    text,
    argumentText: (r.optionalString('argumentText') ?? text).trim(),
    sender: r.has('sender') ? readUser(r.object('sender')) : undefined,
    threadName: r.optionalObject('thread')?.optionalString('name', THREAD_NAME),
    matchedUrl: r.optionalObject('matchedUrl')?.optionalString('url'),
    addedByMention,
  };
}

function readFormInput(r: Reader): FormInput {
  if (r.has('stringInputs')) return { kind: 'strings', values: r.object('stringInputs').stringArray('value') };
  if (r.has('dateTimeInput')) {
    const d = r.object('dateTimeInput');
    return { kind: 'dateTime', msSinceEpoch: d.integer('msSinceEpoch'), hasDate: d.boolean('hasDate'), hasTime: d.boolean('hasTime') };
  }
  if (r.has('dateInput')) return { kind: 'date', msSinceEpoch: r.object('dateInput').integer('msSinceEpoch') };
  if (r.has('timeInput')) {
    const t = r.object('timeInput');
    return { kind: 'time', hours: t.integer('hours'), minutes: t.integer('minutes') };
  }
  return { kind: 'strings', values: [] };
}

/** `common` (legacy) and `commonEventObject` (add-on) share this shape. */
export function readCommon(r: Reader | undefined): EventCommon {
  if (!r) return { parameters: {}, formInputs: {} };
  const formInputs: Record<string, FormInput> = {};
  const inputs = r.optionalObject('formInputs');
  for (const key of inputs?.keys() ?? []) formInputs[key] = readFormInput(inputs!.object(key));
  return {
    userLocale: r.optionalString('userLocale'),
    timeZone: r.optionalObject('timeZone')?.optionalString('id'),
    parameters: r.stringMap('parameters'),
    formInputs,
  };
}

function slashCommandName(r: Reader): string | undefined {
  for (const a of r.optionalObject('message')?.array('annotations') ?? []) {
    const name = a.optionalObject('slashCommand')?.optionalString('commandName');
    if (name) return name;
  }
  return undefined;
}

/**
 * The command of an event, if any: `appCommandMetadata.appCommandId` first, then
 * `message.slashCommand.commandId` (docs/chat-protocol.md §2.6; ids compared as numbers).
 */
export function readCommand(r: Reader, message: ChatMessage | undefined) {
  const meta = r.optionalObject('appCommandMetadata');
  const slash = r.optionalObject('message')?.optionalObject('slashCommand');
  if (!meta?.has('appCommandId') && !slash?.has('commandId')) return undefined;
  const id = meta?.has('appCommandId') ? meta.integer('appCommandId') : slash!.integer('commandId');
  const type = meta?.oneOf('appCommandType', [...COMMAND_TYPES, 'APP_COMMAND_TYPE_UNSPECIFIED'] as const);
  const name = slashCommandName(r);
  // [U] Whether argumentText keeps the command name is unconfirmed: strip it if it is there.
  let argumentText = message?.argumentText ?? '';
  if (name && argumentText.startsWith(name)) argumentText = argumentText.slice(name.length).trim();
  return {
    id,
    name,
    type: type && type !== 'APP_COMMAND_TYPE_UNSPECIFIED' ? type : slash ? ('SLASH_COMMAND' as const) : ('QUICK_COMMAND' as const),
    argumentText,
  };
}

/** Returns the normalized event, or `undefined` for an event type this app does not handle. */
export function normalizeChatEvent(body: Reader): ChatEvent | undefined {
  const wireType = body.string('type');
  if (!(KNOWN_CHAT_TYPES as readonly string[]).includes(wireType)) return undefined;
  const message = body.has('message') ? readMessage(body.object('message')) : undefined;
  // App Home events are documented with only `type`, `user` and `space` [D, docs/chat-protocol.md §2.2]: their
  // time and space may be absent. Home routes are pure, so neither keys anything stored.
  const home = wireType === 'APP_HOME' || wireType === 'SUBMIT_FORM';
  const base = {
    format: 'chat' as const,
    wireType,
    eventTime: home && !body.has('eventTime') ? new Date().toISOString() : body.string('eventTime', RFC3339),
    user: readUser(body.object('user')),
    space: home && !body.has('space') ? NO_SPACE : readSpace(body.object('space')),
    threadName: body.optionalObject('thread')?.optionalString('name', THREAD_NAME) ?? message?.threadName,
    message,
    common: readCommon(body.optionalObject('common')),
  };
  const dialog = body.has('dialogEventType')
    ? body.oneOf('dialogEventType', [...DIALOG_EVENT_TYPES, 'TYPE_UNSPECIFIED'] as const)
    : undefined;
  const dialogEvent = dialog && dialog !== 'TYPE_UNSPECIFIED' ? { dialog } : {};

  switch (wireType) {
    case 'APP_HOME':
      return { ...base, kind: 'home' };
    case 'ADDED_TO_SPACE': {
      const command = readCommand(body, message);
      return { ...base, kind: 'added', ...(command ? { command } : {}) };
    }
    case 'REMOVED_FROM_SPACE':
      return { ...base, kind: 'removed' };
    case 'SUBMIT_FORM':
    case 'CARD_CLICKED': {
      const fn = body.optionalObject('action')?.optionalString('actionMethodName') ?? body.optionalObject('common')?.optionalString('invokedFunction');
      // Closing a dialog with its ✕ names no button (Google's fixtures send `common: {}`): nothing to name.
      if (!fn && dialogEvent.dialog !== 'CANCEL_DIALOG') throw new BadRequestError('action.actionMethodName or common.invokedFunction is required for CARD_CLICKED');
      const listed = Object.fromEntries(
        (body.optionalObject('action')?.array('parameters') ?? []).map((p) => [p.string('key'), p.optionalString('value') ?? '']),
      );
      const senderType = message?.sender?.type;
      const { [HOME_PARAMETER]: fromHome, ...parameters } = { ...listed, ...base.common.parameters };
      return {
        ...base,
        kind: 'action',
        action: { function: fn ?? '', parameters },
        ...(home || fromHome ? { surface: 'home' as const } : {}),
        ...dialogEvent,
        ...(senderType ? { messageSenderType: senderType } : {}),
      };
    }
    case 'WIDGET_UPDATED': {
      const fn = body.object('common').string('invokedFunction');
      return { ...base, kind: 'widget', widget: { function: fn, query: base.common.parameters.autocomplete_widget_query ?? '' } };
    }
    case 'APP_COMMAND': {
      const command = readCommand(body, message);
      if (!command) throw new BadRequestError('appCommandMetadata.appCommandId is required for APP_COMMAND');
      return { ...base, kind: 'command', command, ...dialogEvent };
    }
    default: {
      // MESSAGE: a command, a link preview, or a plain message / @mention.
      if (!message) throw new BadRequestError('message is required for MESSAGE');
      const command = readCommand(body, message);
      if (command) return { ...base, message, kind: 'command', command, ...dialogEvent };
      if (message.matchedUrl) return { ...base, message, kind: 'linkPreview', url: message.matchedUrl };
      return { ...base, message, kind: 'message' };
    }
  }
}
