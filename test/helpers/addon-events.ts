/**
 * The Workspace add-on format for tests (docs/chat-protocol.md §4): converts the classic events of
 * `chat-events.ts` into what an add-on receives, and classic expected answers into the add-on
 * actions that mean the same, so one interaction test runs in both formats
 * (`describe.each(FORMATS)`) instead of being copied.
 *
 * Written from the protocol notes on purpose, not from `shared/`: a mistake in the framework's
 * mapping cannot hide by being repeated here.
 */
import { LOCAL_ADDON_SERVICE_ACCOUNT } from '../../local/signing';
import type { AudienceMode } from '../../shared/config';
import type { Router } from '../../shared/routing/router';
import { startEventsServer, type EventsServer } from './events-server';

type Json = Record<string, unknown>;

export const FORMATS = ['chat', 'addon'] as const;
export type Format = (typeof FORMATS)[number];

/** The endpoint URL `events-server.ts` configures in URL modes: add-on card actions must name it. */
export const ADDON_ENDPOINT_URL = 'https://chat-app.example.com/chatEvents';
/** The parameter naming a card action's handler in add-on cards (and Google's, for older cards). */
export const FUNCTION_PARAMETER = '__fn';
export const LEGACY_FUNCTION_PARAMETER = '__action_method_name__';

const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const isPlainObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** `MEMBERSHIP_CHANGED` → `membershipChangedPayload`: how an event type this app does not handle would arrive. */
export function addonPayloadKey(classicType: string, hasCommand = false): string {
  switch (classicType) {
    case 'MESSAGE':
      return hasCommand ? 'appCommandPayload' : 'messagePayload';
    case 'APP_COMMAND':
      return 'appCommandPayload';
    case 'ADDED_TO_SPACE':
      return 'addedToSpacePayload';
    case 'REMOVED_FROM_SPACE':
      return 'removedFromSpacePayload';
    case 'CARD_CLICKED':
      return 'buttonClickedPayload';
    case 'WIDGET_UPDATED':
      return 'widgetUpdatedPayload';
    default:
      return `${classicType.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())}Payload`;
  }
}

/**
 * A classic event as an add-on receives it, by the conversion guide's field mapping (docs/chat-protocol.md §4.1):
 * `type` → the payload key, `common` → `commonEventObject`, the action's function and parameters →
 * `commonEventObject.parameters` (the function as `__fn`, as a card rendered for add-ons sends it).
 * An ADDED_TO_SPACE with the message that added the app becomes only the added event; see `toAddonEvents`.
 */
export function toAddonEvent(classic: Json): Json {
  const type = String(classic.type);
  const key = addonPayloadKey(type, classic.appCommandMetadata !== undefined);
  const { invokedFunction, parameters: commonParameters, ...common } = obj(classic.common);
  const action = obj(classic.action);
  const listed = Array.isArray(action.parameters) ? (action.parameters as { key: string; value: string }[]) : [];
  const fn = action.actionMethodName ?? invokedFunction;
  const parameters: Json = {
    ...Object.fromEntries(listed.map((p) => [p.key, p.value])),
    ...obj(commonParameters),
    ...((type === 'CARD_CLICKED' || type === 'WIDGET_UPDATED') && typeof fn === 'string' ? { [FUNCTION_PARAMETER]: fn } : {}),
  };
  const payload: Json = { space: classic.space };
  if (type === 'ADDED_TO_SPACE') payload.interactionAdd = classic.message !== undefined;
  else if (classic.message !== undefined) payload.message = classic.message;
  if (key === 'appCommandPayload') {
    payload.appCommandMetadata = classic.appCommandMetadata;
    if (classic.thread !== undefined) payload.thread = classic.thread;
  }
  for (const field of ['isDialogEvent', 'dialogEventType'] as const) if (classic[field] !== undefined) payload[field] = classic[field];
  return {
    commonEventObject: {
      hostApp: 'CHAT',
      platform: 'WEB',
      ...common,
      ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    },
    chat: { user: classic.user, eventTime: classic.eventTime, [key]: payload },
  };
}

/**
 * The requests an add-on gets for a classic event: two for an ADDED_TO_SPACE carrying the message that
 * added the app (`addedToSpacePayload` with `interactionAdd: true`, then that message or command,
 * docs/chat-protocol.md §4.1), one otherwise.
 */
export function toAddonEvents(classic: Json): Json[] {
  if (classic.type !== 'ADDED_TO_SPACE' || classic.message === undefined) return [toAddonEvent(classic)];
  const { message, appCommandMetadata, ...added } = classic;
  const sent: Json = { ...added, type: 'MESSAGE', message, ...(appCommandMetadata !== undefined ? { appCommandMetadata } : {}) };
  return [toAddonEvent(classic), toAddonEvent(sent)];
}

/** A copy of card JSON whose actions call the endpoint URL, naming the handler in `__fn`. Keeps jest matchers as they are. */
export function pointActionsAtEndpoint(value: unknown, endpointUrl = ADDON_ENDPOINT_URL): unknown {
  if (Array.isArray(value)) return value.map((v) => pointActionsAtEndpoint(v, endpointUrl));
  if (!isPlainObject(value)) return value;
  const out: Json = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pointActionsAtEndpoint(v, endpointUrl)]));
  if (typeof out.function === 'string' && !out.function.startsWith('https://')) {
    out.parameters = [...((out.parameters as unknown[] | undefined) ?? []), { key: FUNCTION_PARAMETER, value: out.function }];
    out.function = endpointUrl;
  }
  return out;
}

const dataAction = (chatDataAction: Json): Json => ({ hostAppDataAction: { chatDataAction } });

/**
 * The add-on answer (docs/chat-protocol.md §4.3) that means what a classic answer means. `inDialog`: the event was
 * a step inside an open dialog, where a next dialog card replaces the open one (`updateCard`).
 */
export function toAddonResponse(classic: Json, options: { inDialog?: boolean } = {}): Json {
  const { actionResponse, ...message } = classic;
  const response = obj(actionResponse);
  const type = (response.type as string | undefined) ?? (Object.keys(message).length > 0 ? 'NEW_MESSAGE' : 'ACK');
  const dialogAction = obj(response.dialogAction);
  switch (type) {
    case 'ACK':
      return {};
    case 'NEW_MESSAGE':
      return dataAction({ createMessageAction: { message: pointActionsAtEndpoint(message) } });
    case 'UPDATE_MESSAGE':
      return dataAction({ updateMessageAction: { message: pointActionsAtEndpoint(message) } });
    case 'UPDATE_USER_MESSAGE_CARDS':
      return dataAction({ updateInlinePreviewAction: { cardsV2: pointActionsAtEndpoint(message.cardsV2) } });
    case 'REQUEST_CONFIG':
      return { basicAuthorizationPrompt: { authorizationUrl: response.url, resource: new URL(String(response.url)).host } };
    case 'UPDATE_WIDGET':
      return {
        action: { modifyOperations: [{ updateWidget: { selectionInputWidgetSuggestions: { suggestions: obj(obj(response.updatedWidget).suggestions).items } } }] },
      };
    case 'DIALOG': {
      if (dialogAction.dialog !== undefined) {
        const card = pointActionsAtEndpoint(obj(dialogAction.dialog).body);
        return { action: { navigations: [options.inDialog ? { updateCard: card } : { pushCard: card }] } };
      }
      const status = obj(dialogAction.actionStatus);
      const notification = status.userFacingMessage !== undefined ? { notification: { text: status.userFacingMessage } } : {};
      // An error keeps the dialog open: only the notification.
      if (status.statusCode !== 'OK') return { action: notification };
      return { action: { navigations: [{ endNavigation: { action: 'CLOSE_DIALOG' } }], ...notification } };
    }
    default:
      throw new Error(`toAddonResponse: no add-on form for ${type}`);
  }
}

/** What a test needs to run the same interaction in one format. */
export interface FormatKit {
  format: Format;
  /** The audience mode a server for this format is started in. */
  mode: AudienceMode;
  /** The request for a classic event, in this format. */
  event(classic: Json): Json;
  /** Every request this format sends for a classic event (two for an add-on added by a message). */
  events(classic: Json): Json[];
  /** The message an answer posts (a classic `Message`, or an add-on `createMessageAction`), if any. */
  messageOf(answer: unknown): Json | undefined;
  /** The answer expected in this format, given the classic one. */
  response(classic: Json, options?: { inDialog?: boolean }): Json;
  /** How this format names a classic event type in logs (`wireType`). */
  wireType(classicType: string): string;
}

export function formatKit(format: Format): FormatKit {
  return format === 'chat'
    ? {
        format,
        mode: 'project-number',
        event: (e) => e,
        events: (e) => [e],
        messageOf: (answer) => (obj(answer).actionResponse === undefined && Object.keys(obj(answer)).length > 0 ? obj(answer) : undefined),
        response: (r) => r,
        wireType: (t) => t,
      }
    : {
        format,
        mode: 'addon',
        event: toAddonEvent,
        events: toAddonEvents,
        messageOf: (answer) => {
          const created = obj(obj(obj(obj(answer).hostAppDataAction).chatDataAction).createMessageAction);
          return created.message === undefined ? undefined : obj(created.message);
        },
        response: toAddonResponse,
        wireType: (t) => addonPayloadKey(t),
      };
}

/** An events server verifying the tokens of the format's usual mode (addon mode for add-on events). */
export async function startServerFor(
  format: Format,
  options: { projectId: string; router: Router; env?: Record<string, string>; seatMembers?: boolean },
): Promise<EventsServer> {
  const kit = formatKit(format);
  const env = kit.mode === 'addon' ? { CHAT_ADDON_SERVICE_ACCOUNT: LOCAL_ADDON_SERVICE_ACCOUNT, ...options.env } : options.env;
  const server = await startEventsServer({ ...options, mode: kit.mode, ...(env ? { env } : {}) });
  if (kit.mode === 'addon' && server.config.endpointUrl !== ADDON_ENDPOINT_URL) {
    await server.stop();
    throw new Error(`addon-events: the events server's endpoint URL is ${server.config.endpointUrl}, not ${ADDON_ENDPOINT_URL}`);
  }
  return server;
}
