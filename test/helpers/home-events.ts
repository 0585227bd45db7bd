/** App Home events for tests, in both formats (docs/chat-protocol.md §1.1, §3.6; the add-on guide's homepage). */
import type { Format } from './addon-events';

type Json = Record<string, unknown>;

/** What Chat sends when the home tab opens, or a home card button is clicked (docs/chat-protocol.md §1.1, §3.6; add-on guide). */
export function homeEvent(format: Format, user: Json, dm: Json, click?: { fn: string; parameters: Record<string, string>; dialog?: string; formInputs?: Json }): Json {
  const eventTime = new Date().toISOString();
  if (format === 'chat') {
    const common = click ? { hostApp: 'CHAT', invokedFunction: click.fn, parameters: { ...click.parameters, __home: '1' }, ...(click.formInputs ? { formInputs: click.formInputs } : {}) } : { hostApp: 'CHAT' };
    return { chat: { type: click ? 'SUBMIT_FORM' : 'APP_HOME', user, space: dm, eventTime, ...(click?.dialog ? { isDialogEvent: true, dialogEventType: click.dialog } : {}) }, commonEventObject: common };
  }
  if (!click) return { commonEventObject: { hostApp: 'CHAT', platform: 'WEB' }, chat: { user, eventTime } };
  return {
    commonEventObject: { hostApp: 'CHAT', parameters: { ...click.parameters, __fn: click.fn, __home: '1' }, ...(click.formInputs ? { formInputs: click.formInputs } : {}) },
    chat: { user, eventTime, buttonClickedPayload: { space: dm, ...(click.dialog ? { isDialogEvent: true, dialogEventType: click.dialog } : {}) } },
  };
}

