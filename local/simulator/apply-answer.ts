/**
 * Does what the app's answer asks, with Chat's rules (docs/chat-protocol.md §3.2), whichever format it came
 * in: a new message joins the interaction's thread if it was a reply, else starts one;
 * UPDATE_MESSAGE only replaces the app's own message after a card click; UPDATE_USER_MESSAGE_CARDS
 * only a person's message after a link preview or a click on its card; dialogs only in answer to a
 * dialog event. What breaks a rule is shown as Chat shows a failing app.
 */
import type { LocalChatApi, StoredMessage } from '../chat-api';
import type { Answer, AnswerMessage } from './answer';
import type { UiEffect } from './protocol';

export interface AnswerContext {
  chatApi: LocalChatApi;
  appName: string;
  space: string;
  eventType: 'MESSAGE' | 'ADDED_TO_SPACE' | 'REMOVED_FROM_SPACE' | 'CARD_CLICKED' | 'WIDGET_UPDATED';
  /** The thread the interaction happened in, when it was a reply there. */
  replyThread?: string;
  /** The message the interaction is about: the person's message, or the one whose card was clicked. */
  target?: StoredMessage;
  /** True when the event says the user is in (or opening) a dialog. */
  isDialogEvent: boolean;
  /** The open dialog this step happened in, if any. */
  dialogId?: string;
  /** Opens the dialog (or replaces the open one) with `card`; returns its id. */
  showDialog(card: unknown): string;
  closeDialog(id: string): void;
}

export interface Applied {
  effect: UiEffect;
  /** Messages the answer put into the space. */
  created: StoredMessage[];
  /** For the inspector: what happened. */
  outcome: string;
}

const fail = (ctx: AnswerContext, reason: string): Applied => ({
  effect: { kind: 'appError', notice: `${ctx.appName} is unable to process your request (${reason}).` },
  created: [],
  outcome: `refused: ${reason}`,
});

function post(ctx: AnswerContext, message: AnswerMessage): StoredMessage {
  return ctx.chatApi.postAppMessage({
    space: ctx.space,
    ...(ctx.replyThread ? { threadName: ctx.replyThread } : {}),
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.cardsV2 ? { cardsV2: message.cardsV2 } : {}),
    ...(message.accessoryWidgets ? { accessoryWidgets: message.accessoryWidgets } : {}),
    ...(message.privateMessageViewer ? { privateMessageViewer: message.privateMessageViewer } : {}),
  });
}

/** Closing the dialog, if the step happened in one: a message or an update answer closes it too. */
function closing(ctx: AnswerContext, applied: Applied, notice?: string): Applied {
  if (!ctx.dialogId) return applied;
  ctx.closeDialog(ctx.dialogId);
  return { ...applied, effect: { kind: 'closeDialog', dialog: ctx.dialogId, ...(notice ? { notice } : {}) } };
}

export function applyAnswer(answer: Answer, ctx: AnswerContext): Applied {
  if (ctx.eventType === 'REMOVED_FROM_SPACE') {
    const ignored = answer.kind === 'none' ? 'acknowledged' : `discarded (${answer.kind}): the app is no longer a member`;
    return { effect: { kind: 'none' }, created: [], outcome: ignored };
  }
  switch (answer.kind) {
    case 'none':
      return closing(ctx, { effect: { kind: 'none' }, created: [], outcome: 'acknowledged, nothing posted' });
    case 'invalid':
      return fail(ctx, answer.reason);
    case 'newMessage': {
      if (ctx.eventType === 'WIDGET_UPDATED') return fail(ctx, 'an autocomplete needs suggestions (UPDATE_WIDGET, or updateWidget for an add-on)');
      const created = post(ctx, answer.message);
      const who = answer.message.privateMessageViewer ? ` (private to ${answer.message.privateMessageViewer.name})` : '';
      return closing(ctx, { effect: { kind: 'none' }, created: [created], outcome: `new message ${created.name}${who}` });
    }
    case 'updateMessage': {
      const target = ctx.target;
      if (ctx.eventType !== 'CARD_CLICKED' || target?.sender.type !== 'BOT') return fail(ctx, "UPDATE_MESSAGE (updateMessageAction) only updates the app's own message after a card click");
      ctx.chatApi.editMessage(target.name, answer.message, ['text', 'cardsV2', 'accessoryWidgets']);
      return closing(ctx, { effect: { kind: 'none' }, created: [], outcome: `updated ${target.name}` });
    }
    case 'updateUserMessageCards': {
      const target = ctx.target;
      const allowed = target?.sender.type === 'HUMAN' && (ctx.eventType === 'MESSAGE' || ctx.eventType === 'CARD_CLICKED');
      if (!target || !allowed) return fail(ctx, "UPDATE_USER_MESSAGE_CARDS (updateInlinePreviewAction) only updates a person's message (link preview)");
      ctx.chatApi.editMessage(target.name, { cardsV2: answer.cardsV2 }, ['cardsV2']);
      return closing(ctx, { effect: { kind: 'none' }, created: [], outcome: `cards on ${target.name} updated (link preview)` });
    }
    case 'dialog': {
      if (!ctx.isDialogEvent) return fail(ctx, 'a dialog can only open in answer to a dialog event');
      const id = ctx.showDialog(answer.card);
      return { effect: { kind: 'dialog', dialog: { id, card: answer.card } }, created: [], outcome: `dialog ${id} shown` };
    }
    case 'dialogStatus': {
      if (!ctx.dialogId) return fail(ctx, 'a dialog status (actionStatus, endNavigation) outside a dialog');
      if (answer.statusCode === 'OK') return closing(ctx, { effect: { kind: 'none' }, created: [], outcome: 'dialog closed' }, answer.userFacingMessage);
      const notice = answer.userFacingMessage ?? `Error: ${answer.statusCode}`;
      return { effect: { kind: 'dialogError', dialog: ctx.dialogId, status: answer.statusCode, notice }, created: [], outcome: `dialog kept open: ${answer.statusCode}` };
    }
    case 'notification':
      if (!ctx.dialogId) return { effect: { kind: 'notice', text: answer.text }, created: [], outcome: `notification: ${answer.text}` };
      return { effect: { kind: 'dialogError', dialog: ctx.dialogId, notice: answer.text }, created: [], outcome: 'dialog kept open with a notification' };
    case 'suggestions':
      if (ctx.eventType !== 'WIDGET_UPDATED') return fail(ctx, 'suggestions only answer an autocomplete');
      return { effect: { kind: 'suggestions', widget: answer.widget ?? '', path: '', items: answer.items }, created: [], outcome: `${answer.items.length} suggestions` };
    case 'requestConfig':
      return { effect: { kind: 'requestConfig', url: answer.url }, created: [], outcome: `asks to configure at ${answer.url}` };
  }
}
