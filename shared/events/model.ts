/**
 * The one normalized event model every handler sees, whatever wire format Chat used
 * (the classic interaction event today; the Workspace add-on format maps onto the same shape).
 */

export const WIRE_FORMATS = ['chat', 'addon'] as const;
export type WireFormat = (typeof WIRE_FORMATS)[number];

export const DIALOG_EVENT_TYPES = ['REQUEST_DIALOG', 'SUBMIT_DIALOG', 'CANCEL_DIALOG'] as const;
export type DialogEventType = (typeof DIALOG_EVENT_TYPES)[number];

export const COMMAND_TYPES = ['SLASH_COMMAND', 'QUICK_COMMAND', 'MESSAGE_ACTION'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

export type SpaceKind = 'DM' | 'SPACE' | 'GROUP_CHAT';

export interface ChatUser {
  /** `users/{id}` */
  name: string;
  displayName?: string;
  email?: string;
  type?: 'HUMAN' | 'BOT';
}

export interface ChatSpace {
  /** `spaces/{id}` */
  name: string;
  /** The `{id}` part of `name`, safe as a Firestore document id. */
  id: string;
  kind: SpaceKind;
  displayName?: string;
}

export interface ChatMessage {
  /** `spaces/{space}/messages/{message}` */
  name: string;
  text: string;
  /** Text without the app's @mention or the slash command, trimmed. */
  argumentText: string;
  sender?: ChatUser;
  threadName?: string;
  matchedUrl?: string;
  /** Whether the mention of the app in this message is what added it to the space. */
  addedByMention: boolean;
}

export type FormInput =
  | { kind: 'strings'; values: string[] }
  | { kind: 'dateTime'; msSinceEpoch: number; hasDate: boolean; hasTime: boolean }
  | { kind: 'date'; msSinceEpoch: number }
  | { kind: 'time'; hours: number; minutes: number };

export interface EventCommon {
  userLocale?: string;
  timeZone?: string;
  /** Card action parameters, as a map. */
  parameters: Record<string, string>;
  formInputs: Record<string, FormInput>;
}

interface EventBase {
  format: WireFormat;
  /** The event type as Chat named it (`MESSAGE`, `CARD_CLICKED`, …), for logs. */
  wireType: string;
  eventTime: string;
  user: ChatUser;
  space: ChatSpace;
  /** The thread the interaction happened in, where Chat gave one. */
  threadName?: string;
  message?: ChatMessage;
  common: EventCommon;
}

export interface MessageEvent extends EventBase {
  kind: 'message';
  message: ChatMessage;
}

export interface CommandEvent extends EventBase {
  kind: 'command';
  command: { id: number; name?: string; type: CommandType; argumentText: string };
  /** `REQUEST_DIALOG` when the command is configured to open a dialog. */
  dialog?: DialogEventType;
}

export interface AddedEvent extends EventBase {
  kind: 'added';
  /** Set when the app was added by a slash command: that command must be answered too. */
  command?: CommandEvent['command'];
}

export interface RemovedEvent extends EventBase {
  kind: 'removed';
}

export interface ActionEvent extends EventBase {
  kind: 'action';
  /** `home` when the click came from the App Home card or a dialog opened from it. */
  surface?: 'home';
  /** The card action's function name and its parameters. */
  action: { function: string; parameters: Record<string, string> };
  dialog?: DialogEventType;
  /** Who sent the message carrying the card: the app (`BOT`) or a person (a link preview). */
  messageSenderType?: 'HUMAN' | 'BOT';
}

/** A person opened the home tab of their DM with the app (App Home). */
export interface HomeEvent extends EventBase {
  kind: 'home';
}

export interface WidgetEvent extends EventBase {
  kind: 'widget';
  /** The `externalDataSource` function, and what the user typed so far. */
  widget: { function: string; query: string };
}

export interface LinkPreviewEvent extends EventBase {
  kind: 'linkPreview';
  message: ChatMessage;
  url: string;
}

export type ChatEvent =
  | MessageEvent
  | CommandEvent
  | AddedEvent
  | RemovedEvent
  | ActionEvent
  | WidgetEvent
  | LinkPreviewEvent
  | HomeEvent;

export type ChatEventKind = ChatEvent['kind'];

/**
 * The space of an App Home event that names none: an add-on's home event carries only
 * `commonEventObject`, `chat.user` and `chat.eventTime` [D]. Home routes are pure, so nothing is
 * ever written under it.
 */
export const NO_SPACE: ChatSpace = { name: 'spaces/-', id: '-', kind: 'DM' };

/** The parameter that marks the actions of the App Home card and its dialogs (added by `replies/render-home.ts`). */
export const HOME_PARAMETER = '__home';
