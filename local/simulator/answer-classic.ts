/** A classic Chat app's answer (docs/chat-protocol.md §3): a `Message`, its `actionResponse.type` saying what to do with it. */
import type { Answer } from './answer';
import { hasContent, isObject, messageOf, suggestionItems, type Json } from './answer-parts';

export function readClassicAnswer(body: Json): Answer {
  const response = isObject(body.actionResponse) ? body.actionResponse : undefined;
  const type = typeof response?.type === 'string' ? response.type : 'NEW_MESSAGE';
  const message = messageOf(body);
  if ('invalid' in message) return { kind: 'invalid', reason: message.invalid };
  switch (type) {
    case 'NEW_MESSAGE':
    case 'TYPE_UNSPECIFIED':
      if (hasContent(message)) return { kind: 'newMessage', message };
      // `{}` acknowledges; an explicit NEW_MESSAGE with nothing in it is an answer Chat refuses.
      return response ? { kind: 'invalid', reason: 'NEW_MESSAGE without text or cards' } : { kind: 'none' };
    case 'UPDATE_MESSAGE':
      return hasContent(message) ? { kind: 'updateMessage', message } : { kind: 'invalid', reason: 'UPDATE_MESSAGE without text or cards' };
    case 'UPDATE_USER_MESSAGE_CARDS':
      return message.cardsV2 ? { kind: 'updateUserMessageCards', cardsV2: message.cardsV2 } : { kind: 'invalid', reason: 'UPDATE_USER_MESSAGE_CARDS without cardsV2' };
    case 'REQUEST_CONFIG':
      return typeof response?.url === 'string' ? { kind: 'requestConfig', url: response.url } : { kind: 'invalid', reason: 'REQUEST_CONFIG needs url' };
    case 'DIALOG':
      return readDialogAction(response?.dialogAction);
    case 'UPDATE_WIDGET':
      return readUpdatedWidget(response?.updatedWidget);
    default:
      return { kind: 'invalid', reason: `unknown actionResponse.type ${JSON.stringify(type)}` };
  }
}

function readDialogAction(action: unknown): Answer {
  if (!isObject(action)) return { kind: 'invalid', reason: 'DIALOG needs dialogAction' };
  if (isObject(action.dialog) && isObject(action.dialog.body)) return { kind: 'dialog', card: action.dialog.body };
  const status = action.actionStatus;
  if (isObject(status)) {
    const statusCode = typeof status.statusCode === 'string' ? status.statusCode : 'OK';
    return { kind: 'dialogStatus', statusCode, ...(typeof status.userFacingMessage === 'string' ? { userFacingMessage: status.userFacingMessage } : {}) };
  }
  return { kind: 'invalid', reason: 'dialogAction needs dialog.body or actionStatus' };
}

function readUpdatedWidget(updated: unknown): Answer {
  if (!isObject(updated) || typeof updated.widget !== 'string') return { kind: 'invalid', reason: 'UPDATE_WIDGET needs updatedWidget.widget' };
  const items = suggestionItems(isObject(updated.suggestions) ? updated.suggestions.items : undefined);
  return { kind: 'suggestions', widget: updated.widget, items };
}
