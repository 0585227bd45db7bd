/**
 * The one place that turns an interaction into the JSON Chat would POST. Only the classic
 * interaction event (protocol §2) is built today; the Workspace add-on format (§4) is one more
 * case of `buildWireEvent`, with its answers read in `answer.ts`.
 */
import type { Annotation } from './compose';
import type { CommandInfo, FormInputs, PersonInfo, SpaceInfo } from './protocol';

export const EVENT_FORMATS = ['chat'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

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

type Json = Record<string, unknown>;

export function buildWireEvent(format: EventFormat, context: EventContext, interaction: Interaction): Json {
  switch (format) {
    case 'chat':
      return classicEvent(context, interaction);
  }
}

function classicSpace(space: SpaceInfo): Json {
  return space.spaceType === 'DIRECT_MESSAGE'
    ? { name: space.name, type: 'DM', spaceType: 'DIRECT_MESSAGE', singleUserBotDm: true, spaceThreadingState: 'UNTHREADED_MESSAGES' }
    : {
        name: space.name,
        type: 'ROOM',
        spaceType: space.spaceType,
        displayName: space.displayName,
        spaceThreadingState: 'THREADED_MESSAGES',
        membershipCount: { joinedDirectHumanUserCount: space.members.length },
      };
}

const classicUser = (p: PersonInfo): Json => ({ name: p.name, displayName: p.displayName, email: p.email, type: 'HUMAN', domainId: 'local' });

function classicMessage(m: EventMessage, space: SpaceInfo): Json {
  const slash = m.annotations?.find((a) => a.slashCommand)?.slashCommand;
  return {
    name: m.name,
    sender: m.sender,
    createTime: m.createTime,
    ...(m.text !== undefined ? { text: m.text, formattedText: m.text } : {}),
    ...(m.argumentText !== undefined ? { argumentText: m.argumentText } : {}),
    ...(m.annotations?.length ? { annotations: m.annotations } : {}),
    ...(slash ? { slashCommand: { commandId: slash.commandId } } : {}),
    ...(m.matchedUrl ? { matchedUrl: { url: m.matchedUrl } } : {}),
    ...(m.cardsV2 ? { cardsV2: m.cardsV2 } : {}),
    thread: { name: m.threadName },
    threadReply: m.threadReply,
    space: { name: space.name },
  };
}

const commandMetadata = (command: CommandInfo | undefined): Json =>
  command ? { appCommandMetadata: { appCommandId: command.id, appCommandType: 'SLASH_COMMAND' } } : {};

const dialogFields = (dialog: DialogEventType | undefined): Json => (dialog ? { isDialogEvent: true, dialogEventType: dialog } : {});

function classicEvent(c: EventContext, i: Interaction): Json {
  const common: Json = { hostApp: 'CHAT', platform: 'WEB', userLocale: c.locale, timeZone: c.timeZone };
  const base: Json = { type: i.type, eventTime: c.eventTime, space: classicSpace(c.space), user: classicUser(c.user) };
  const withMessage = (m: EventMessage | undefined): Json => (m ? { message: classicMessage(m, c.space), thread: { name: m.threadName } } : {});
  switch (i.type) {
    case 'MESSAGE':
      return {
        ...base,
        ...withMessage(i.message),
        ...commandMetadata(i.command),
        ...dialogFields(i.dialog),
        common,
        configCompleteRedirectUrl: c.configCompleteRedirectUrl,
      };
    case 'ADDED_TO_SPACE':
      return { ...base, ...withMessage(i.message), ...commandMetadata(i.command), common, configCompleteRedirectUrl: c.configCompleteRedirectUrl };
    case 'REMOVED_FROM_SPACE':
      return base;
    case 'CARD_CLICKED':
      return {
        ...base,
        ...withMessage(i.message),
        action: { actionMethodName: i.action.function, parameters: Object.entries(i.action.parameters).map(([key, value]) => ({ key, value })) },
        ...dialogFields(i.dialog),
        common: { ...common, invokedFunction: i.action.function, parameters: i.action.parameters, formInputs: i.formInputs },
      };
    case 'WIDGET_UPDATED':
      return {
        ...base,
        ...withMessage(i.message),
        common: { ...common, invokedFunction: i.function, parameters: i.parameters, formInputs: i.formInputs },
      };
  }
}
