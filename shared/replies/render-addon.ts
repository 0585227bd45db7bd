/**
 * Renders a Reply as a Google Workspace add-on response: add-on *actions*, never a bare message
 * (docs/chat-protocol.md §4.3). The message itself is the same Chat `Message` the classic format sends.
 *
 * Card actions: an add-on's `action.function` must be the endpoint's full URL (docs/chat-protocol.md §4.1), so
 * every action of the reply (buttons, accessory widgets, dialog footers, `externalDataSource`) is
 * pointed at the configured endpoint and names its handler in the `__fn` parameter, which
 * `events/normalize-addon.ts` reads back. Handlers keep writing function names.
 *
 * The response types are simplified: only what this framework emits.
 */
import { FUNCTION_PARAMETER } from '../events/normalize-addon';
import type { ActionParameter, Card, CardWithId, SelectionItem } from './cards';
import { toWireMessage, type ChatWireMessage } from './render-chat';
import type { Reply, StatusCode } from './responses';

type ChatDataAction =
  | { createMessageAction: { message: ChatWireMessage } }
  | { updateMessageAction: { message: ChatWireMessage } }
  | { updateInlinePreviewAction: { cardsV2: CardWithId[] } };

export type Navigation = { pushCard: Card } | { updateCard: Card } | { endNavigation: { action: 'CLOSE_DIALOG' | 'CLOSE_DIALOG_AND_EXECUTE' } };

export interface RenderAction {
  navigations?: Navigation[];
  notification?: { text: string };
  modifyOperations?: { updateWidget: { selectionInputWidgetSuggestions: { suggestions: SelectionItem[] } } }[];
}

export type AddonResponse =
  | { hostAppDataAction: { chatDataAction: ChatDataAction } }
  | { action: RenderAction }
  | { basicAuthorizationPrompt: { authorizationUrl: string; resource: string } }
  | Record<string, never>;

export interface AddonRenderOptions {
  /**
   * The URL Chat calls (the add-on audience), which card actions must name. Without one (project-number
   * mode, which add-ons cannot use) actions keep their function names.
   */
  endpointUrl?: string;
  /**
   * Whether the event is a step inside an open dialog (`SUBMIT_DIALOG`): a dialog reply then replaces
   * the open card (`updateCard`) instead of pushing a new one (`pushCard`, which opens the dialog).
   */
  inDialog: boolean;
}

const ABSOLUTE_URL = /^https?:\/\//i;

/** A copy of `value` (card JSON) with `change` applied to every action in it: in card JSON only actions have a string `function`. */
export function mapActions<T>(value: T, change: (action: { function: string; parameters: ActionParameter[] }) => { function: string; parameters: ActionParameter[] }): T {
  if (Array.isArray(value)) return value.map((item) => mapActions(item, change)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = mapActions(item, change);
  if (typeof copy.function === 'string') {
    const changed = change({ function: copy.function, parameters: (copy.parameters as ActionParameter[] | undefined) ?? [] });
    copy.function = changed.function;
    if (changed.parameters.length > 0 || copy.parameters !== undefined) copy.parameters = changed.parameters;
  }
  return copy as T;
}

/** A copy of `value` whose card actions call `endpointUrl`, each naming its handler in `__fn`. */
export function pointActionsAt<T>(value: T, endpointUrl: string): T {
  // An action whose function is already a URL was meant as written.
  return mapActions(value, (a) =>
    ABSOLUTE_URL.test(a.function)
      ? a
      : { function: endpointUrl, parameters: [...a.parameters.filter((p) => p.key !== FUNCTION_PARAMETER), { key: FUNCTION_PARAMETER, value: a.function }] },
  );
}

const dataAction = (chatDataAction: ChatDataAction): AddonResponse => ({ hostAppDataAction: { chatDataAction } });

/** What the user reads when a dialog step fails and the handler gave no text. */
const statusText = (status: StatusCode) => `That did not work (${status}). Please check the form and try again.`;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function renderAddonResponse(r: Reply, options: AddonRenderOptions): AddonResponse {
  const point = <T>(value: T): T => (options.endpointUrl ? pointActionsAt(value, options.endpointUrl) : value);
  switch (r.kind) {
    case 'message':
      return dataAction({ createMessageAction: { message: point(toWireMessage(r.message)) } });
    case 'updateMessage':
      return dataAction({ updateMessageAction: { message: point(toWireMessage(r.message)) } });
    case 'updateUserMessageCards':
      return dataAction({ updateInlinePreviewAction: { cardsV2: point(r.cardsV2) } });
    case 'dialog':
      return { action: { navigations: [options.inDialog ? { updateCard: point(r.card) } : { pushCard: point(r.card) }] } };
    case 'closeDialog':
      // An error status keeps the dialog open: no navigation, only the message as a notification.
      if (r.status !== 'OK') return { action: { notification: { text: r.userMessage ?? statusText(r.status) } } };
      return {
        action: {
          navigations: [{ endNavigation: { action: 'CLOSE_DIALOG' } }],
          ...(r.userMessage ? { notification: { text: r.userMessage } } : {}),
        },
      };
    case 'suggestions':
      // The event names the widget being completed; the response carries only the suggestions.
      return { action: { modifyOperations: [{ updateWidget: { selectionInputWidgetSuggestions: { suggestions: r.items } } }] } };
    case 'requestConfig':
      // [U] The add-on form of REQUEST_CONFIG is the authorization prompt (docs/chat-protocol.md §4.3), in its
      // documented camelCase JSON names. It wants a `resource` name the Reply does not carry: the
      // configuration URL's host names it instead.
      return { basicAuthorizationPrompt: { authorizationUrl: r.url, resource: hostOf(r.url) } };
    case 'home': // only meaningful on the App Home surface (render-home.ts)
    case 'ack':
      return {};
  }
}
