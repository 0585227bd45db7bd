/**
 * A space's messages as Chat shows them: avatar, name (with an "App" tag for the app), time,
 * text with Chat's markup, cards, "Only visible to you" on private messages, the app's failures
 * under the message. Named spaces group replies under their thread; DMs are one flat list.
 * Elements are kept per message version, so a live update redraws only what changed.
 */
import type { PersonInfo, TimelineItem, TimelineMessage } from '../protocol';
import { avatar, h, icon, ICONS, timeOf } from './dom.mjs';
import { renderAccessoryWidgets, renderCards, type CardHost } from './cards.mjs';
import { formatChatText } from './text-format.mjs';

export interface TimelineHost {
  people: PersonInfo[];
  appName: string;
  /** A card host for the message named `name`. */
  cardHost(message: TimelineMessage): CardHost;
  reply(threadName: string): void;
}

const cache = new Map<string, HTMLElement>();
const versionOf = (m: TimelineMessage) => `${m.name}#${m.updateCount}#${m.appError ?? ''}`;

function messageElement(m: TimelineMessage, host: TimelineHost): HTMLElement {
  const key = versionOf(m);
  const hit = cache.get(key);
  if (hit) return hit;
  const isApp = m.sender.type === 'BOT';
  const person = host.people.find((p) => p.name === m.sender.name);
  const names = (user: string) => host.people.find((p) => p.name === user)?.displayName ?? (user === 'users/app' ? host.appName : user);
  const cardHost = host.cardHost(m);
  const el = h('div', { class: `message${isApp ? ' from-app' : ''}${m.privateMessageViewer ? ' private' : ''}`, 'data-message-name': m.name, 'data-update-count': m.updateCount, 'data-sender': m.sender.displayName },
    isApp ? avatar(host.appName, '#0b57d0', 'app') : avatar(m.sender.displayName, person?.color ?? '#5f6368'),
    h('div', { class: 'message-body' },
      h('div', { class: 'message-meta' },
        h('span', { class: 'sender' }, m.sender.displayName),
        isApp ? h('span', { class: 'app-tag' }, 'App') : null,
        h('span', { class: 'time', title: m.createTime }, timeOf(m.createTime)),
        m.lastUpdateTime ? h('span', { class: 'edited', title: m.lastUpdateTime }, 'Edited') : null),
      m.privateMessageViewer ? h('div', { class: 'private-label' }, icon(ICONS.eyeOff), 'Only visible to you') : null,
      m.text ? h('div', { class: 'message-text' }, formatChatText(m.text, names)) : null,
      ...(m.cardsV2?.length ? renderCards(m.cardsV2, cardHost) : []),
      m.accessoryWidgets?.length ? renderAccessoryWidgets(m.accessoryWidgets, cardHost) : null,
      m.appError ? h('div', { class: 'app-error', role: 'alert' }, m.appError) : null));
  for (const old of cache.keys()) if (old.startsWith(`${m.name}#`)) cache.delete(old);
  cache.set(key, el);
  return el;
}

function note(text: string): HTMLElement {
  return h('div', { class: 'note' }, h('span', {}, text));
}

/** Draws `items` into `container`, reusing unchanged message elements. */
export function renderTimeline(container: HTMLElement, items: TimelineItem[], threaded: boolean, host: TimelineHost): void {
  const nodes: HTMLElement[] = [];
  if (!threaded) {
    for (const item of items) nodes.push(item.kind === 'note' ? note(item.text) : messageElement(item, host));
  } else {
    const threads = new Map<string, HTMLElement>();
    for (const item of items) {
      if (item.kind === 'note') {
        nodes.push(note(item.text));
        continue;
      }
      const existing = threads.get(item.threadName);
      if (existing) {
        existing.querySelector('.replies')!.appendChild(messageElement(item, host));
        continue;
      }
      const thread = h('div', { class: 'thread', 'data-thread': item.threadName },
        messageElement(item, host),
        h('div', { class: 'replies' }),
        h('button', { type: 'button', class: 'reply-button', onclick: () => host.reply(item.threadName) }, icon(ICONS.reply), 'Reply'));
      threads.set(item.threadName, thread);
      nodes.push(thread);
    }
    for (const t of threads.values()) t.classList.toggle('has-replies', t.querySelector('.replies')!.childElementCount > 0);
  }
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 80;
  container.replaceChildren(...nodes);
  if (atBottom) container.scrollTop = container.scrollHeight;
}
