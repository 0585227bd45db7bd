/**
 * The Google Workspace add-on event (`commonEventObject` + `chat.<one payload>`, docs/chat-protocol.md §4.1) → the
 * same normalized model as the classic format, with the same field readers, so handlers cannot
 * tell the formats apart. Anything missing or mistyped is a 400 naming its path.
 *
 * Differences the mapping absorbs:
 * - the payload key is the event type (it becomes `wireType`); slash and quick commands arrive as
 *   `appCommandPayload`;
 * - a card action's `function` is the endpoint URL, so the handler travels in a parameter:
 *   `__fn` (written by `replies/render-addon.ts`), or Google's `__action_method_name__` for cards
 *   sent before the app became an add-on; both are removed from the parameters handlers see;
 * - being added by an @mention or a slash command sends two events: `addedToSpacePayload`
 *   (`interactionAdd: true`), then the message or command. The added event never carries the
 *   message, so only the second event answers it and it is answered once.
 */
import { BadRequestError } from '../errors';
import { DIALOG_EVENT_TYPES, HOME_PARAMETER, NO_SPACE, type ChatEvent, type ChatMessage, type EventCommon } from './model';
import { RFC3339, THREAD_NAME, readCommand, readCommon, readMessage, readSpace, readUser } from './normalize-chat';
import type { Reader } from './read';

/** The payloads this model handles (docs/chat-protocol.md §4.1); any other `chat.*Payload` is acknowledged with `{}`. */
export const ADDON_PAYLOADS = [
  'messagePayload',
  'appCommandPayload',
  'addedToSpacePayload',
  'removedFromSpacePayload',
  'buttonClickedPayload',
  'widgetUpdatedPayload',
] as const;
export type AddonPayload = (typeof ADDON_PAYLOADS)[number];

/** The parameter naming a card action's handler in cards rendered for add-ons. */
export const FUNCTION_PARAMETER = '__fn';
/** Google's parameter for the function of cards sent before the conversion to an add-on [D, docs/chat-protocol.md §4.1]. */
export const LEGACY_FUNCTION_PARAMETER = '__action_method_name__';

const PAYLOAD_KEY = /Payload$/;
const isKnownPayload = (key: string): key is AddonPayload => (ADDON_PAYLOADS as readonly string[]).includes(key);

/** `commonEventObject`, with the handler-naming parameters taken out of `parameters`. */
function readAddonCommon(r: Reader): { common: EventCommon; handler?: string; fromHome: boolean } {
  const common = readCommon(r);
  const { [FUNCTION_PARAMETER]: fn, [LEGACY_FUNCTION_PARAMETER]: legacy, [HOME_PARAMETER]: home, ...parameters } = common.parameters;
  return { common: { ...common, parameters }, handler: fn || legacy || undefined, fromHome: Boolean(home) };
}

/**
 * The single payload of `chat`, the name of one this model does not handle, or none: opening the
 * App Home tab is the one event without a payload [D: its event object has only commonEventObject,
 * chat.user and chat.eventTime].
 */
function payloadKey(chat: Reader): { known: AddonPayload } | { unknown: string } | { home: true } {
  const present = chat.keys().filter((k) => PAYLOAD_KEY.test(k) && chat.has(k));
  if (present.length === 0) return { home: true };
  if (present.length > 1) throw new BadRequestError(`chat must carry exactly one payload; got ${present.join(', ')}`);
  const key = present[0];
  return isKnownPayload(key) ? { known: key } : { unknown: key };
}

function dialogOf(payload: Reader) {
  const dialog = payload.oneOf('dialogEventType', [...DIALOG_EVENT_TYPES, 'TYPE_UNSPECIFIED'] as const);
  return dialog && dialog !== 'TYPE_UNSPECIFIED' ? { dialog } : {};
}

/** Returns the normalized event, or the name of an event type (payload) this app does not handle. */
export function normalizeAddonEvent(body: Reader): { event: ChatEvent } | { ignored: string } {
  const chat = body.object('chat');
  const key = payloadKey(chat);
  if ('unknown' in key) return { ignored: key.unknown };
  if ('home' in key) {
    const { common } = readAddonCommon(body.object('commonEventObject'));
    const space = chat.has('space') ? readSpace(chat.object('space')) : NO_SPACE;
    const eventTime = chat.string('eventTime', RFC3339);
    return { event: { format: 'addon', wireType: 'appHome', eventTime, user: readUser(chat.object('user')), space, common, kind: 'home' } };
  }
  const wireType = key.known;
  const payload = chat.object(wireType);
  const { common, handler, fromHome } = readAddonCommon(body.object('commonEventObject'));
  // The added event is not about the message that added the app: the next event answers that one.
  const message: ChatMessage | undefined =
    wireType !== 'addedToSpacePayload' && payload.has('message') ? readMessage(payload.object('message')) : undefined;
  const base = {
    format: 'addon' as const,
    wireType,
    eventTime: chat.string('eventTime', RFC3339),
    user: readUser(chat.object('user')),
    // Each payload carries the space; `chat.space` is documented too, so it is the fallback.
    space: readSpace(!payload.has('space') && chat.has('space') ? chat.object('space') : payload.object('space')),
    threadName: payload.optionalObject('thread')?.optionalString('name', THREAD_NAME) ?? message?.threadName,
    message,
    common,
  };
  const handlerPath = `commonEventObject.parameters.${FUNCTION_PARAMETER} (or ${LEGACY_FUNCTION_PARAMETER})`;

  switch (wireType) {
    case 'addedToSpacePayload':
      payload.boolean('interactionAdd'); // checked for its type; both kinds of add are answered alike
      return { event: { ...base, kind: 'added' } };
    case 'removedFromSpacePayload':
      return { event: { ...base, kind: 'removed' } };
    case 'appCommandPayload': {
      const command = readCommand(payload, message);
      if (!command) throw new BadRequestError('chat.appCommandPayload.appCommandMetadata.appCommandId is required for appCommandPayload');
      return { event: { ...base, kind: 'command', command, ...dialogOf(payload) } };
    }
    case 'buttonClickedPayload': {
      const dialog = dialogOf(payload);
      // Closing a dialog with its ✕ names no button, so it has no handler to name.
      if (!handler && dialog.dialog !== 'CANCEL_DIALOG') throw new BadRequestError(`${handlerPath} is required for buttonClickedPayload`);
      const senderType = message?.sender?.type;
      return {
        event: {
          ...base,
          kind: 'action',
          action: { function: handler ?? '', parameters: common.parameters },
          ...dialog,
          ...(fromHome ? { surface: 'home' as const } : {}),
          ...(senderType ? { messageSenderType: senderType } : {}),
        },
      };
    }
    case 'widgetUpdatedPayload': {
      if (!handler) throw new BadRequestError(`${handlerPath} is required for widgetUpdatedPayload`);
      return { event: { ...base, kind: 'widget', widget: { function: handler, query: common.parameters.autocomplete_widget_query ?? '' } } };
    }
    case 'messagePayload': {
      const sent = message ?? readMessage(payload.object('message')); // a 400 naming the path if absent
      // Slash commands arrive as appCommandPayload; a message carrying one is still read as a command.
      const command = readCommand(payload, sent);
      if (command) return { event: { ...base, message: sent, kind: 'command', command, ...dialogOf(payload) } };
      if (sent.matchedUrl) return { event: { ...base, message: sent, kind: 'linkPreview', url: sent.matchedUrl } };
      return { event: { ...base, message: sent, kind: 'message' } };
    }
  }
}
