/**
 * The one response model handlers return, and builders for each kind. The edge renders it into
 * the caller's wire format (`render-chat.ts` for classic events); handlers never build wire JSON.
 */
import type { Card, CardWithId, SelectionItem, Widget } from './cards';

/** What a message carries: text with Chat's markup and/or cards. */
export interface OutMessage {
  text?: string;
  cardsV2?: CardWithId[];
  accessoryWidgets?: Widget[];
  /** Only this user sees the message. */
  privateTo?: string;
  fallbackText?: string;
}

/** `google.rpc.Code` names Chat accepts in a dialog's `actionStatus`. */
export type StatusCode = 'OK' | 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'PERMISSION_DENIED' | 'FAILED_PRECONDITION' | 'UNKNOWN';

export type Reply =
  /** A new message in the space (NEW_MESSAGE). */
  | { kind: 'message'; message: OutMessage; /** A "no" (not allowed, broken button, bad arguments): not counted as activity. */ refused?: true }
  /** Replace the app's own message the clicked card is on (UPDATE_MESSAGE). */
  | { kind: 'updateMessage'; message: OutMessage }
  /** Attach or update cards on a person's message: link previews (UPDATE_USER_MESSAGE_CARDS). */
  | { kind: 'updateUserMessageCards'; cardsV2: CardWithId[] }
  /** Ask the user to configure or authorize, privately (REQUEST_CONFIG). */
  | { kind: 'requestConfig'; url: string }
  /** Open a dialog, or replace it with its next step (DIALOG). */
  | { kind: 'dialog'; card: Card }
  /** Close the dialog with a status (DIALOG + actionStatus). An error status keeps it open with the message. */
  | { kind: 'closeDialog'; status: StatusCode; userMessage?: string }
  /** Autocomplete suggestions for a selection input (UPDATE_WIDGET). */
  | { kind: 'suggestions'; widget: string; items: SelectionItem[] }
  /** Show this card as the App Home tab (the first card, or a refresh after a click there). */
  | { kind: 'home'; card: Card }
  /** Acknowledge, post nothing (`{}`). */
  | { kind: 'ack' };

export type ReplyKind = Reply['kind'];

export const reply = {
  text: (text: string, extra: Omit<OutMessage, 'text'> = {}): Reply => ({ kind: 'message', message: { text, ...extra } }),
  message: (message: OutMessage): Reply => ({ kind: 'message', message }),
  private: (userName: string, message: OutMessage): Reply => ({ kind: 'message', message: { ...message, privateTo: userName } }),
  /** A private "no": shown like `private`, but the activity report does not count it as something done. */
  refusal: (userName: string, text: string): Reply => ({ kind: 'message', message: { text, privateTo: userName }, refused: true }),
  cards: (cardsV2: CardWithId[], text?: string): Reply => ({ kind: 'message', message: { ...(text ? { text } : {}), cardsV2 } }),
  updateMessage: (message: OutMessage): Reply => ({ kind: 'updateMessage', message }),
  updateUserMessageCards: (cardsV2: CardWithId[]): Reply => ({ kind: 'updateUserMessageCards', cardsV2 }),
  requestConfig: (url: string): Reply => ({ kind: 'requestConfig', url }),
  dialog: (card: Card): Reply => ({ kind: 'dialog', card }),
  closeDialog: (userMessage?: string): Reply => ({ kind: 'closeDialog', status: 'OK', ...(userMessage ? { userMessage } : {}) }),
  dialogError: (status: Exclude<StatusCode, 'OK'>, userMessage: string): Reply => ({ kind: 'closeDialog', status, userMessage }),
  suggestions: (widget: string, items: SelectionItem[]): Reply => ({ kind: 'suggestions', widget, items }),
  home: (card: Card): Reply => ({ kind: 'home', card }),
  ack: (): Reply => ({ kind: 'ack' }),
};
