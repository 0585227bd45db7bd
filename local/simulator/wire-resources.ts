/**
 * The Chat API resources events carry (Space, User, Message), the same in both event formats: an
 * add-on receives the very resources a classic app does, only placed elsewhere (docs/chat-protocol.md §4.1).
 */
import type { EventMessage } from './wire-event';
import type { CommandInfo, PersonInfo, SpaceInfo } from './protocol';

export type Json = Record<string, unknown>;

export function wireSpace(space: SpaceInfo): Json {
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

export const wireUser = (p: PersonInfo): Json => ({ name: p.name, displayName: p.displayName, ...(p.email ? { email: p.email } : {}), type: 'HUMAN', domainId: 'local' });

export function wireMessage(m: EventMessage, space: SpaceInfo): Json {
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

/** `appCommandMetadata` (docs/chat-protocol.md §2.6): top level in the classic event, in `appCommandPayload` for an add-on. */
export const appCommandMetadata = (command: CommandInfo): Json => ({ appCommandId: command.id, appCommandType: 'SLASH_COMMAND' });

/** What a form or dialog event says about the dialog, in either format. */
export const dialogFields = (dialog: string | undefined): Json => (dialog ? { isDialogEvent: true, dialogEventType: dialog } : {});
