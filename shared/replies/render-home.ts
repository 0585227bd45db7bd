/**
 * Renders a Reply on the App Home surface: the home tab's card, a click on it, or a dialog opened
 * from it. Both formats answer with render actions there (docs/chat-protocol.md §3.6, and the add-on guide's
 * "Build a homepage"): `pushCard` shows the home card when the tab opens and opens a dialog,
 * `updateCard` refreshes the home card after a click or moves a dialog to its next step, and
 * `endNavigation: CLOSE_DIALOG_AND_EXECUTE` closes a dialog and has Chat refresh the home card.
 * A classic app wraps what follows a click in `renderActions`; the home card itself is a bare
 * `action` [D, Google's app-home sample].
 *
 * Every action in what is rendered here carries the `__home` parameter, so a click on the home card
 * or on a dialog opened from it is known to come from App Home in both formats.
 */
import { HOME_PARAMETER } from '../events/model';
import { mapActions, type RenderAction } from './render-addon';
import type { Reply } from './responses';

export interface HomeRenderOptions {
  /** The tab is being opened (the first card is pushed) rather than clicked in. */
  opening: boolean;
  /** A step inside an open dialog: the next step replaces it. */
  inDialog: boolean;
  /** A classic app's answer to a click: wrapped in `renderActions`. */
  wrap: boolean;
}

const markHome = <T>(value: T): T =>
  mapActions(value, (a) => ({ ...a, parameters: [...a.parameters.filter((p) => p.key !== HOME_PARAMETER), { key: HOME_PARAMETER, value: '1' }] }));

function homeAction(r: Reply, options: HomeRenderOptions): RenderAction | undefined {
  switch (r.kind) {
    case 'home':
      return { navigations: [options.opening ? { pushCard: markHome(r.card) } : { updateCard: markHome(r.card) }] };
    case 'dialog':
      return { navigations: [options.inDialog ? { updateCard: markHome(r.card) } : { pushCard: markHome(r.card) }] };
    case 'closeDialog': {
      const notification = r.userMessage ? { notification: { text: r.userMessage } } : {};
      // An error keeps the dialog open with its message; success closes it and refreshes the home card.
      return r.status === 'OK' ? { navigations: [{ endNavigation: { action: 'CLOSE_DIALOG_AND_EXECUTE' } }], ...notification } : notification;
    }
    case 'suggestions':
      return { modifyOperations: [{ updateWidget: { selectionInputWidgetSuggestions: { suggestions: r.items } } }] };
    case 'message':
    case 'updateMessage':
      // The home tab has no conversation to post in: what the handler says is shown as a notification.
      return r.message.text ? { notification: { text: r.message.text } } : undefined;
    case 'updateUserMessageCards':
    case 'requestConfig':
    case 'ack':
      return undefined;
  }
}

export function renderHomeResponse(r: Reply, options: HomeRenderOptions): Record<string, unknown> {
  const action = homeAction(r, options);
  if (!action) return {};
  return options.wrap ? { renderActions: { action } } : { action };
}
