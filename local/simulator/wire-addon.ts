/**
 * The Google Workspace add-on event (docs/chat-protocol.md §4.1): `commonEventObject` and `chat` with exactly
 * one payload, whose key is the event type. Where an add-on differs from a classic app:
 * - a slash command arrives as `appCommandPayload`, not as a message;
 * - being added by an @mention or a command is two requests: `addedToSpacePayload`
 *   (`interactionAdd: true`), then the message or the command;
 * - a card action's `function` is the URL Chat calls, and the action's parameters (where an app
 *   names its handler) come back in `commonEventObject.parameters`; `invokedFunction` is not set.
 */
import type { CommandInfo } from './protocol';
import { appCommandMetadata, dialogFields, wireMessage, wireSpace, wireUser, type Json } from './wire-resources';
import type { DialogEventType, EventContext, EventMessage, Interaction, WireRequest } from './wire-event';

export function addonEvents(c: EventContext, i: Interaction): WireRequest[] {
  const request = (payload: string, eventType: WireRequest['eventType'], fields: Json, extra: { common?: Json; to?: string } = {}): WireRequest => ({
    name: payload,
    eventType,
    body: {
      commonEventObject: { hostApp: 'CHAT', platform: 'WEB', userLocale: c.locale, timeZone: c.timeZone, ...extra.common },
      chat: { user: wireUser(c.user), eventTime: c.eventTime, [payload]: { space: wireSpace(c.space), ...fields } },
    },
    ...(extra.to !== undefined ? { to: extra.to } : {}),
  });
  // Note the spelling: `configCompleteRedirectUri` here, `…Url` in the classic event.
  const redirect = { configCompleteRedirectUri: c.configCompleteRedirectUrl };
  const sent = (m: EventMessage, command: CommandInfo | undefined, dialog?: DialogEventType): WireRequest => {
    const message = wireMessage(m, c.space);
    return command
      ? request('appCommandPayload', 'MESSAGE', { message, thread: { name: m.threadName }, appCommandMetadata: appCommandMetadata(command), ...dialogFields(dialog), ...redirect })
      : request('messagePayload', 'MESSAGE', { message, ...redirect });
  };
  switch (i.type) {
    case 'MESSAGE':
      return [sent(i.message, i.command, i.dialog)];
    case 'ADDED_TO_SPACE': {
      const added = request('addedToSpacePayload', 'ADDED_TO_SPACE', { interactionAdd: i.message !== undefined, ...redirect });
      return i.message ? [added, sent(i.message, i.command)] : [added];
    }
    case 'REMOVED_FROM_SPACE':
      return [request('removedFromSpacePayload', i.type, {})];
    case 'CARD_CLICKED': {
      const fields = { ...(i.message ? { message: wireMessage(i.message, c.space) } : {}), ...dialogFields(i.dialog) };
      return [request('buttonClickedPayload', i.type, fields, { common: { parameters: i.action.parameters, formInputs: i.formInputs }, to: i.action.function })];
    }
    case 'WIDGET_UPDATED':
      return [request('widgetUpdatedPayload', i.type, {}, { common: { parameters: i.parameters, formInputs: i.formInputs }, to: i.function })];
  }
}
