/**
 * A Google Workspace add-on's answer (docs/chat-protocol.md §4.3): actions, never a bare message. Data actions
 * post or change messages (`hostAppDataAction.chatDataAction`); render actions open, change and
 * close dialogs and answer autocompletes (`action`); `basicAuthorizationPrompt` asks the user to
 * configure. A classic answer here is one Chat refuses from an add-on.
 */
import type { Answer } from './answer';
import { hasContent, isObject, messageOf, objectList, suggestionItems, type Json } from './answer-parts';

const invalid = (reason: string): Answer => ({ kind: 'invalid', reason });
const ANSWERS = ['hostAppDataAction', 'action', 'basicAuthorizationPrompt', 'basic_authorization_prompt'];

export function readAddonAnswer(body: Json): Answer {
  const keys = Object.keys(body);
  if (keys.length === 0) return { kind: 'none' };
  if (['text', 'cardsV2', 'actionResponse'].some((k) => k in body)) {
    return invalid('a bare Chat message: an add-on answers with actions (hostAppDataAction, action, …)');
  }
  if (keys.length > 1 || !ANSWERS.includes(keys[0])) return invalid(`an add-on answers with one of ${ANSWERS.join(', ')}; got ${keys.join(', ')}`);
  if (isObject(body.hostAppDataAction)) return readDataAction(body.hostAppDataAction.chatDataAction);
  if (isObject(body.action)) return readRenderAction(body.action);
  // The proto3 JSON mapping reads either spelling; the documented one is camelCase.
  const prompt = body.basicAuthorizationPrompt ?? body.basic_authorization_prompt;
  const url = isObject(prompt) ? (prompt.authorizationUrl ?? prompt.authorization_url) : undefined;
  if (typeof url === 'string') return { kind: 'requestConfig', url };
  return invalid(`${keys[0]} is not in the documented shape`);
}

function readDataAction(action: unknown): Answer {
  if (!isObject(action)) return invalid('hostAppDataAction needs chatDataAction');
  const [kind, ...more] = Object.keys(action);
  if (kind === undefined || more.length > 0) return invalid('chatDataAction needs exactly one action');
  const value = action[kind];
  if (kind === 'updateInlinePreviewAction') {
    const cardsV2 = isObject(value) ? objectList(value.cardsV2) : undefined;
    return cardsV2 ? { kind: 'updateUserMessageCards', cardsV2 } : invalid('updateInlinePreviewAction needs cardsV2');
  }
  if (kind !== 'createMessageAction' && kind !== 'updateMessageAction') return invalid(`unknown chatDataAction ${kind}`);
  if (!isObject(value) || !isObject(value.message)) return invalid(`${kind} needs message`);
  const message = messageOf(value.message);
  if ('invalid' in message) return invalid(message.invalid);
  if (!hasContent(message)) return invalid(`${kind} without text or cards`);
  return { kind: kind === 'createMessageAction' ? 'newMessage' : 'updateMessage', message };
}

function readRenderAction(action: Json): Answer {
  const notification = isObject(action.notification) && typeof action.notification.text === 'string' ? action.notification.text : undefined;
  const update = objectList(action.modifyOperations)?.find((o) => isObject(o.updateWidget))?.updateWidget;
  if (isObject(update)) {
    const suggestions = update.selectionInputWidgetSuggestions;
    if (!isObject(suggestions)) return invalid('updateWidget needs selectionInputWidgetSuggestions');
    return { kind: 'suggestions', items: suggestionItems(suggestions.suggestions) };
  }
  if (action.navigations === undefined) return notification !== undefined ? { kind: 'notification', text: notification } : invalid('action needs navigations, notification or modifyOperations');
  const navigations = objectList(action.navigations);
  if (!navigations || navigations.length !== 1) return invalid('action.navigations needs exactly one navigation');
  const [navigation] = navigations;
  const card = navigation.pushCard ?? navigation.updateCard;
  if (isObject(card)) return { kind: 'dialog', card };
  const end = navigation.endNavigation;
  if (isObject(end) && end.action === 'CLOSE_DIALOG') return { kind: 'dialogStatus', statusCode: 'OK', ...(notification !== undefined ? { userFacingMessage: notification } : {}) };
  return invalid('a navigation needs pushCard, updateCard or endNavigation { action: "CLOSE_DIALOG" }');
}
