/**
 * The one place that turns an interaction into the requests Chat would POST, in the format of the
 * kind of app the simulator plays: a classic Chat app (interaction events, docs/chat-protocol.md §2, built in
 * `wire-classic.ts`) or a Google Workspace add-on (§4, `wire-addon.ts`). Answers are read in the
 * same format in `answer.ts`.
 */
import type { Annotation } from './compose';
import type { CommandInfo, FormInputs, PersonInfo, SpaceInfo } from './protocol';
import { addonEvents } from './wire-addon';
import { classicEvent } from './wire-classic';

/** `chat`: a classic Chat app; `addon`: a Chat app built as a Google Workspace add-on. */
export const EVENT_FORMATS = ['chat', 'addon'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];
export const isEventFormat = (v: unknown): v is EventFormat => typeof v === 'string' && (EVENT_FORMATS as readonly string[]).includes(v);

export type DialogEventType = 'REQUEST_DIALOG' | 'SUBMIT_DIALOG' | 'CANCEL_DIALOG';

/** Who, where and when: what every event carries. */
export interface EventContext {
  /** RFC 3339. */
  eventTime: string;
  space: SpaceInfo;
  user: PersonInfo;
  timeZone: { id: string; offset: number };
  locale: string;
  configCompleteRedirectUrl: string;
}

/** A message as an event shows it. */
export interface EventMessage {
  name: string;
  sender: { name: string; displayName: string; type: 'HUMAN' | 'BOT'; email?: string };
  createTime: string;
  threadName: string;
  threadReply: boolean;
  text?: string;
  cardsV2?: unknown[];
  argumentText?: string;
  annotations?: Annotation[];
  matchedUrl?: string;
}

export type Interaction =
  | { type: 'MESSAGE'; message: EventMessage; command?: CommandInfo; dialog?: 'REQUEST_DIALOG' }
  | { type: 'ADDED_TO_SPACE'; message?: EventMessage; command?: CommandInfo }
  | { type: 'REMOVED_FROM_SPACE' }
  | {
      type: 'CARD_CLICKED';
      message?: EventMessage;
      action: { function: string; parameters: Record<string, string> };
      dialog?: DialogEventType;
      formInputs: FormInputs;
    }
  | { type: 'WIDGET_UPDATED'; message?: EventMessage; function: string; parameters: Record<string, string>; formInputs: FormInputs };

/** One POST Chat makes for an interaction. */
export interface WireRequest {
  /** The event's name in its format (`MESSAGE`, `appCommandPayload`, …), for the inspector. */
  name: string;
  /** What the request is, in the classic terms the rules for answers are written in. */
  eventType: Interaction['type'];
  body: Record<string, unknown>;
  /** The URL the request goes to when the card names it (add-on card actions); else the app's endpoint. */
  to?: string;
}

/** One request for a classic app; two for an add-on added by a message (the add, then the message). */
export function buildWireEvents(format: EventFormat, context: EventContext, interaction: Interaction): WireRequest[] {
  switch (format) {
    case 'chat':
      return [classicEvent(context, interaction)];
    case 'addon':
      return addonEvents(context, interaction);
  }
}
