/** How a stored message appears in events: the sender as a person or the app, with names. */
import type { StoredMessage } from '../chat-api';
import type { PersonInfo } from './protocol';
import type { EventMessage } from './wire-event';
import type { World } from './world';

export function humanSender(p: PersonInfo): EventMessage['sender'] {
  return { name: p.name, displayName: p.displayName, type: 'HUMAN', ...(p.email ? { email: p.email } : {}) };
}

export function senderOf(world: World, m: StoredMessage): EventMessage['sender'] {
  if (m.sender.type === 'BOT') return { name: world.app.userName, displayName: world.app.name, type: 'BOT' };
  const p = world.people.find((x) => x.name === m.sender.name);
  return p ? humanSender(p) : { name: m.sender.name, displayName: m.sender.name, type: 'HUMAN' };
}

export function eventMessage(world: World, m: StoredMessage): EventMessage {
  return {
    name: m.name,
    sender: senderOf(world, m),
    createTime: m.createTime,
    threadName: m.threadName,
    threadReply: m.threadReply,
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.cardsV2 ? { cardsV2: m.cardsV2 } : {}),
  };
}
