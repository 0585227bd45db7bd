/** A stored message in the JSON shape the Chat API returns (`chat_v1.Schema$Message`). */
import type { JsonObject } from './json';
import type { Member, Space, StoredMessage } from './types';

export function toWireMessage(m: StoredMessage): JsonObject {
  return {
    name: m.name,
    sender: { ...m.sender },
    createTime: m.createTime,
    ...(m.lastUpdateTime !== undefined ? { lastUpdateTime: m.lastUpdateTime } : {}),
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.cardsV2 !== undefined ? { cardsV2: m.cardsV2 } : {}),
    ...(m.accessoryWidgets !== undefined ? { accessoryWidgets: m.accessoryWidgets } : {}),
    ...(m.attachment !== undefined ? { attachment: m.attachment } : {}),
    thread: { name: m.threadName, ...(m.threadKey !== undefined ? { threadKey: m.threadKey } : {}) },
    space: { name: m.space },
    ...(m.threadReply ? { threadReply: true } : {}),
    ...(m.privateMessageViewer !== undefined ? { privateMessageViewer: { ...m.privateMessageViewer } } : {}),
    ...(m.clientAssignedMessageId !== undefined ? { clientAssignedMessageId: m.clientAssignedMessageId } : {}),
  };
}

/** A membership in the shape `spaces.members.get` returns (`chat_v1.Schema$Membership`). */
export function toWireMembership(space: string, member: Member, type: 'HUMAN' | 'BOT'): JsonObject {
  return { name: `${space}/members/${member.name}`, state: 'JOINED', role: member.role, member: { name: member.name, type } };
}

/** A space in the shape `spaces.get` returns (`chat_v1.Schema$Space`): a DM with the app is a `singleUserBotDm`. */
export function toWireSpace(s: Space): JsonObject {
  return s.spaceType === 'DIRECT_MESSAGE'
    ? { name: s.name, type: 'DM', spaceType: s.spaceType, singleUserBotDm: true, spaceThreadingState: 'UNTHREADED_MESSAGES' }
    : { name: s.name, type: 'ROOM', spaceType: s.spaceType, ...(s.displayName ? { displayName: s.displayName } : {}), spaceThreadingState: s.spaceType === 'SPACE' ? 'THREADED_MESSAGES' : 'UNTHREADED_MESSAGES' };
}
