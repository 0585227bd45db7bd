/** The classic Chat interaction event (docs/chat-protocol.md §2): one flat object with a top-level `type`. */
import { appCommandMetadata, dialogFields, wireMessage, wireSpace, wireUser, type Json } from './wire-resources';
import type { EventContext, EventMessage, Interaction, WireRequest } from './wire-event';

export function classicEvent(c: EventContext, i: Interaction): WireRequest {
  const common: Json = { hostApp: 'CHAT', platform: 'WEB', userLocale: c.locale, timeZone: c.timeZone };
  const base: Json = { type: i.type, eventTime: c.eventTime, space: wireSpace(c.space), user: wireUser(c.user) };
  const withMessage = (m: EventMessage | undefined): Json => (m ? { message: wireMessage(m, c.space), thread: { name: m.threadName } } : {});
  const command = (i.type === 'MESSAGE' || i.type === 'ADDED_TO_SPACE') && i.command ? { appCommandMetadata: appCommandMetadata(i.command) } : {};
  const request = (body: Json): WireRequest => ({ name: i.type, eventType: i.type, body });
  switch (i.type) {
    case 'MESSAGE':
      return request({ ...base, ...withMessage(i.message), ...command, ...dialogFields(i.dialog), common, configCompleteRedirectUrl: c.configCompleteRedirectUrl });
    case 'ADDED_TO_SPACE':
      // Added by an @mention or a command: this one event carries the message too.
      return request({ ...base, ...withMessage(i.message), ...command, common, configCompleteRedirectUrl: c.configCompleteRedirectUrl });
    case 'REMOVED_FROM_SPACE':
      return request(base);
    case 'CARD_CLICKED':
      return request({
        ...base,
        ...withMessage(i.message),
        action: { actionMethodName: i.action.function, parameters: Object.entries(i.action.parameters).map(([key, value]) => ({ key, value })) },
        ...dialogFields(i.dialog),
        common: { ...common, invokedFunction: i.action.function, parameters: i.action.parameters, formInputs: i.formInputs },
      });
    case 'WIDGET_UPDATED':
      return request({
        ...base,
        ...withMessage(i.message),
        common: { ...common, invokedFunction: i.function, parameters: i.parameters, formInputs: i.formInputs },
      });
  }
}
