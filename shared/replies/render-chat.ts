/** Renders a Reply as the classic Chat response: a `Message`, optionally with `actionResponse` (docs/chat-protocol.md §3). */
import type { CardWithId, SelectionItem, Widget } from './cards';
import type { OutMessage, Reply } from './responses';

export interface ChatWireMessage {
  text?: string;
  cardsV2?: CardWithId[];
  accessoryWidgets?: Widget[];
  privateMessageViewer?: { name: string };
  fallbackText?: string;
  actionResponse?: {
    type: 'NEW_MESSAGE' | 'UPDATE_MESSAGE' | 'UPDATE_USER_MESSAGE_CARDS' | 'REQUEST_CONFIG' | 'DIALOG' | 'UPDATE_WIDGET';
    url?: string;
    dialogAction?: {
      dialog?: { body: unknown };
      actionStatus?: { statusCode: string; userFacingMessage?: string };
    };
    updatedWidget?: { widget: string; suggestions: { items: SelectionItem[] } };
  };
}

export function toWireMessage(m: OutMessage): ChatWireMessage {
  return {
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.cardsV2 ? { cardsV2: m.cardsV2 } : {}),
    ...(m.accessoryWidgets ? { accessoryWidgets: m.accessoryWidgets } : {}),
    ...(m.privateTo ? { privateMessageViewer: { name: m.privateTo } } : {}),
    ...(m.fallbackText ? { fallbackText: m.fallbackText } : {}),
  };
}

export function renderChatResponse(r: Reply): ChatWireMessage {
  switch (r.kind) {
    case 'message':
      return toWireMessage(r.message);
    case 'updateMessage':
      return { actionResponse: { type: 'UPDATE_MESSAGE' }, ...toWireMessage(r.message) };
    case 'updateUserMessageCards':
      return { actionResponse: { type: 'UPDATE_USER_MESSAGE_CARDS' }, cardsV2: r.cardsV2 };
    case 'requestConfig':
      return { actionResponse: { type: 'REQUEST_CONFIG', url: r.url } };
    case 'dialog':
      return { actionResponse: { type: 'DIALOG', dialogAction: { dialog: { body: r.card } } } };
    case 'closeDialog':
      return {
        actionResponse: {
          type: 'DIALOG',
          dialogAction: { actionStatus: { statusCode: r.status, ...(r.userMessage ? { userFacingMessage: r.userMessage } : {}) } },
        },
      };
    case 'suggestions':
      return { actionResponse: { type: 'UPDATE_WIDGET', updatedWidget: { widget: r.widget, suggestions: { items: r.items } } } };
    case 'home': // only meaningful on the App Home surface (render-home.ts)
    case 'ack':
      return {};
  }
}
