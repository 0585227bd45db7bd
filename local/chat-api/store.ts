/**
 * The in-memory model of spaces, messages and threads, with a change feed. It enforces no API
 * rule (that is `methods.ts`), so a later simulator can reuse it as is.
 */
import { randomInt } from 'node:crypto';
import { ControlError } from './errors';
import { copy } from './json';
import type { SpaceSnapshot } from './snapshot';
import {
  SPACE_TYPES,
  type AppMessageSpec,
  type ChangeEvent,
  type ChangeListener,
  type EditableField,
  type Member,
  type MembershipRole,
  type MessageEdit,
  type Space,
  type SpaceSpec,
  type StoredMessage,
  type UserMessageSpec,
} from './types';

const SPACE_NAME_PATTERN = /^spaces\/[A-Za-z0-9_-]+$/;
const USER_NAME_PATTERN = /^users\/[A-Za-z0-9_-]+$/;
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BOT_SENDER = { name: 'users/app', type: 'BOT' } as const;

/** What a method decides about a new message; the store adds name, sender and times. */
export type NewMessage = Omit<StoredMessage, 'name' | 'space' | 'sender' | 'createTime' | 'lastUpdateTime' | 'updateCount'>;

interface SpaceState {
  info: Space;
  /** By server id; Map order is creation order, which is what the space shows. */
  messages: Map<string, StoredMessage>;
  clientIds: Map<string, string>;
  requestIds: Map<string, string>;
  threads: Set<string>;
  threadKeys: Map<string, string>;
  /** Person → role, in the order they joined. */
  members: Map<string, MembershipRole>;
}

/** Server ids look like Chat's (11 letters/digits); never `client-…`, so the two can't collide. */
function randomId(): string {
  let id = '';
  for (let i = 0; i < 11; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export class ChatStore {
  private readonly state = new Map<string, SpaceState>();
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly now: () => number) {}

  addSpace(spec: SpaceSpec): Space {
    if (typeof spec.name !== 'string' || !SPACE_NAME_PATTERN.test(spec.name)) {
      throw new ControlError(`space name must match ${SPACE_NAME_PATTERN}, got ${JSON.stringify(spec.name)}`, 'INVALID');
    }
    if (spec.spaceType !== undefined && !SPACE_TYPES.includes(spec.spaceType)) {
      throw new ControlError(`spaceType must be one of ${SPACE_TYPES.join(', ')}`, 'INVALID');
    }
    if (this.state.has(spec.name)) throw new ControlError(`${spec.name} already exists`, 'CONFLICT');
    const people = [...(spec.creator !== undefined ? [spec.creator] : []), ...(spec.members ?? [])];
    const bad = people.find((p) => typeof p !== 'string' || !USER_NAME_PATTERN.test(p));
    if (bad !== undefined) throw new ControlError(`members must be user names like users/123, got ${JSON.stringify(bad)}`, 'INVALID');
    const info: Space = {
      name: spec.name,
      ...(spec.displayName !== undefined ? { displayName: spec.displayName } : {}),
      spaceType: spec.spaceType ?? 'SPACE',
      appIsMember: spec.appIsMember ?? true,
    };
    this.state.set(spec.name, {
      info,
      messages: new Map(),
      clientIds: new Map(),
      requestIds: new Map(),
      threads: new Set(),
      threadKeys: new Map(),
      // Whoever creates a named space is its manager; in DMs and group chats everyone is a member (docs/chat-protocol.md §12).
      members: new Map(people.map((p) => [p, p === spec.creator && info.spaceType === 'SPACE' ? 'ROLE_MANAGER' : 'ROLE_MEMBER'])),
    });
    this.emit({ type: 'space', name: info.name, space: copy(info) });
    return copy(info);
  }

  removeSpace(name: string): void {
    this.mustGet(name);
    this.state.delete(name);
    this.emit({ type: 'space', name, space: null });
  }

  setAppMembership(name: string, isMember: boolean): void {
    const s = this.mustGet(name);
    s.info.appIsMember = isMember;
    this.emit({ type: 'space', name, space: copy(s.info) });
  }

  members(space: string): Member[] {
    return [...this.mustGet(space).members].map(([name, role]) => ({ name, role }));
  }

  /** The person's role in the space; undefined when they are not in it (or the space is unknown). */
  roleOf(space: string, user: string): MembershipRole | undefined {
    return this.state.get(space)?.members.get(user);
  }

  setMemberRole(space: string, user: string, role: MembershipRole | null): void {
    const s = this.mustGet(space);
    if (typeof user !== 'string' || !USER_NAME_PATTERN.test(user)) throw new ControlError(`user must be a name like users/123, got ${JSON.stringify(user)}`, 'INVALID');
    if (role !== null && role !== 'ROLE_MEMBER' && s.info.spaceType !== 'SPACE') {
      throw new ControlError(`only named spaces have managers; ${space} is a ${s.info.spaceType}`, 'INVALID');
    }
    if (role === null) s.members.delete(user);
    else s.members.set(user, role);
    this.emit({ type: 'space', name: space, space: copy(s.info) });
  }

  space(name: string): Space | undefined {
    const s = this.state.get(name);
    return s ? copy(s.info) : undefined;
  }

  spaces(): Space[] {
    return [...this.state.values()].map((s) => copy(s.info));
  }

  messages(space: string): StoredMessage[] {
    return [...this.mustGet(space).messages.values()].map(copy);
  }

  /** By server id or by `client-…` id. */
  findMessage(space: string, id: string): StoredMessage | undefined {
    const s = this.state.get(space);
    if (!s) return undefined;
    const serverId = s.clientIds.get(id) ?? id;
    const m = s.messages.get(serverId);
    return m ? copy(m) : undefined;
  }

  findByRequestId(space: string, requestId: string): StoredMessage | undefined {
    const serverId = this.state.get(space)?.requestIds.get(requestId);
    return serverId === undefined ? undefined : this.findMessage(space, serverId);
  }

  threadExists(space: string, threadName: string): boolean {
    return this.state.get(space)?.threads.has(threadName) ?? false;
  }

  threadForKey(space: string, key: string): string | undefined {
    return this.state.get(space)?.threadKeys.get(key);
  }

  /** A fresh thread name, registered under `key` when given. */
  newThread(space: string, key?: string): string {
    const s = this.mustGet(space);
    let name: string;
    do name = `${space}/threads/${randomId()}`;
    while (s.threads.has(name));
    s.threads.add(name);
    if (key !== undefined) s.threadKeys.set(key, name);
    return name;
  }

  /** A person's message: it joins `threadName`, registering it if new, or starts a new thread. */
  insertUserMessage(spec: UserMessageSpec): StoredMessage {
    const placement = this.joinOrStartThread(spec.space, spec.threadName);
    return this.insertMessage(spec.space, { ...placement, text: spec.text }, { name: spec.sender.name, type: 'HUMAN' });
  }

  /** The app's answer to an interaction: like a person's message, but sent by the app. */
  insertAppMessage(spec: AppMessageSpec): StoredMessage {
    const placement = this.joinOrStartThread(spec.space, spec.threadName);
    const { text, cardsV2, accessoryWidgets, privateMessageViewer } = spec;
    return this.insertMessage(spec.space, {
      ...placement,
      ...(text !== undefined ? { text } : {}),
      ...(cardsV2 !== undefined ? { cardsV2 } : {}),
      ...(accessoryWidgets !== undefined ? { accessoryWidgets } : {}),
      ...(privateMessageViewer !== undefined ? { privateMessageViewer } : {}),
    });
  }

  /** Replaces `fields` of the message named `name`; a field missing from `edit` is cleared. */
  editMessage(name: string, edit: MessageEdit, fields: readonly EditableField[]): StoredMessage {
    const space = name.slice(0, name.indexOf('/messages/'));
    const current = this.findMessage(space, serverIdOf(name));
    if (!current) throw new ControlError(`${name} does not exist`, 'NOT_FOUND');
    const next: StoredMessage = { ...current };
    for (const field of fields) {
      if (edit[field] === undefined) delete next[field];
      else Object.assign(next, { [field]: edit[field] });
    }
    return this.replaceMessage(next);
  }

  private joinOrStartThread(space: string, threadName: string | undefined): { threadName: string; threadReply: boolean } {
    const s = this.mustGet(space);
    if (threadName !== undefined && !threadName.startsWith(`${space}/threads/`)) {
      throw new ControlError(`threadName must be a thread of ${space}`, 'INVALID');
    }
    const existing = threadName !== undefined && s.threads.has(threadName);
    const name = threadName ?? this.newThread(space);
    s.threads.add(name);
    return { threadName: name, threadReply: existing };
  }

  insertMessage(space: string, draft: NewMessage, sender: StoredMessage['sender'] = BOT_SENDER): StoredMessage {
    const s = this.mustGet(space);
    let id: string;
    do id = randomId();
    while (s.messages.has(id));
    const message: StoredMessage = {
      name: `${space}/messages/${id}`,
      space,
      sender: { ...sender },
      ...copy(draft),
      createTime: new Date(this.now()).toISOString(),
      updateCount: 0,
    };
    s.messages.set(id, message);
    if (draft.clientAssignedMessageId !== undefined) s.clientIds.set(draft.clientAssignedMessageId, id);
    if (draft.requestId !== undefined) s.requestIds.set(draft.requestId, id);
    this.emit({ type: 'create', message: copy(message) });
    return copy(message);
  }

  /** Stores `next` in place of the message of the same name, stamping the update. */
  replaceMessage(next: StoredMessage): StoredMessage {
    const s = this.mustGet(next.space);
    const id = serverIdOf(next.name);
    const prev = s.messages.get(id);
    if (!prev) throw new ControlError(`${next.name} does not exist`, 'NOT_FOUND');
    const message: StoredMessage = {
      ...copy(next),
      lastUpdateTime: new Date(this.now()).toISOString(),
      updateCount: prev.updateCount + 1,
    };
    s.messages.set(id, message);
    this.emit({ type: 'update', message: copy(message) });
    return copy(message);
  }

  /** Deleting frees the message's client id and request id (a guess: Chat does not document reuse). */
  deleteMessage(space: string, name: string): void {
    const s = this.mustGet(space);
    const id = serverIdOf(name);
    const message = s.messages.get(id);
    if (!message) throw new ControlError(`${name} does not exist`, 'NOT_FOUND');
    s.messages.delete(id);
    if (message.clientAssignedMessageId !== undefined) s.clientIds.delete(message.clientAssignedMessageId);
    if (message.requestId !== undefined) s.requestIds.delete(message.requestId);
    this.emit({ type: 'delete', message: copy(message) });
  }

  reset(): void {
    this.state.clear();
    this.emit({ type: 'reset' });
  }

  /** Every space as JSON (snapshot.ts), for a data directory. */
  snapshot(): SpaceSnapshot[] {
    return [...this.state.values()].map((s) => copy({ info: s.info, messages: [...s.messages.values()], threads: [...s.threads], threadKeys: [...s.threadKeys], members: [...s.members] }));
  }

  /** Replaces every space with a snapshot's (checked by readSnapshot); ids given by clients are found again. */
  restore(spaces: SpaceSnapshot[]): void {
    this.state.clear();
    for (const s of copy(spaces)) {
      const messages = new Map(s.messages.map((m) => [serverIdOf(m.name), m]));
      const idsOf = (field: 'clientAssignedMessageId' | 'requestId') => new Map(s.messages.flatMap((m) => (m[field] !== undefined ? [[m[field]!, serverIdOf(m.name)] as [string, string]] : [])));
      this.state.set(s.info.name, { info: s.info, messages, clientIds: idsOf('clientAssignedMessageId'), requestIds: idsOf('requestId'), threads: new Set(s.threads), threadKeys: new Map(s.threadKeys), members: new Map(s.members) });
    }
    this.emit({ type: 'reset' });
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private mustGet(name: string): SpaceState {
    const s = this.state.get(name);
    if (!s) throw new ControlError(`unknown space ${JSON.stringify(name)}`, 'NOT_FOUND');
    return s;
  }

  private emit(event: ChangeEvent): void {
    for (const listener of this.listeners) {
      // A broken observer must not fail the API call that triggered it.
      try {
        listener(event);
      } catch (err) {
        process.emitWarning(`local Chat API change listener threw: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

const serverIdOf = (messageName: string): string => messageName.slice(messageName.lastIndexOf('/') + 1);
