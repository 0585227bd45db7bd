/**
 * The conversations as people see them: the world's spaces in the local Chat API, who is who,
 * each viewer's timeline, and what only the simulator shows (lines such as "Ada added Team
 * Assistant", the failure shown under a message the app could not answer). Messages themselves
 * live in the local Chat API, where the worker writes too.
 */
import type { LocalChatApi, StoredMessage } from '../chat-api';
import { randomId } from './ids';
import { senderOf } from './messages';
import type { PersonInfo, SpaceInfo, TimelineItem, TimelineNote } from './protocol';
import { UserError } from './user-error';
import type { World } from './world';

export class Conversations {
  private readonly notes = new Map<string, TimelineNote[]>();
  private readonly appErrors = new Map<string, string>();
  private readonly listeners = new Set<(space: string) => void>();
  private writing = false;

  constructor(
    private readonly world: World,
    private readonly chatApi: LocalChatApi,
  ) {}

  /** Creates the world's spaces in the local Chat API (those not there yet). */
  setup(): void {
    const existing = new Set(this.chatApi.spaces().map((s) => s.name));
    for (const s of this.world.spaces) {
      if (existing.has(s.name)) continue;
      // Memberships with roles, as Chat keeps them: the creator manages a named space (docs/chat-protocol.md §12).
      const creator = s.creator ?? s.members[0];
      const members = s.members.filter((m) => m !== creator);
      this.own(() => this.chatApi.addSpace({ name: s.name, displayName: s.displayName, spaceType: s.spaceType, appIsMember: s.appIsMember, creator, members }));
    }
  }

  /** The world's spaces as new (other spaces are left alone), without notes or failure marks. */
  reset(): void {
    for (const s of this.world.spaces) {
      if (this.chatApi.spaces().some((x) => x.name === s.name)) this.own(() => this.chatApi.removeSpace(s.name));
    }
    this.notes.clear();
    this.appErrors.clear();
    this.setup();
  }

  /** The notes and failure marks, for a data directory (snapshot.ts). */
  snapshot(): { notes: [string, TimelineNote[]][]; appErrors: [string, string][] } {
    return { notes: [...this.notes], appErrors: [...this.appErrors] };
  }

  restore(saved: { notes: [string, TimelineNote[]][]; appErrors: [string, string][] }): void {
    saved.notes.forEach(([space, notes]) => this.notes.set(space, notes));
    saved.appErrors.forEach(([message, notice]) => this.appErrors.set(message, notice));
  }

  /** True while the simulator itself writes to the local Chat API (so its changes are not shown as the app's API calls). */
  get isWriting(): boolean {
    return this.writing;
  }

  /** Runs a write of the simulator's own to the local Chat API. */
  own<T>(write: () => T): T {
    this.writing = true;
    try {
      return write();
    } finally {
      this.writing = false;
    }
  }

  onSpaceChange(listener: (space: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  spaces(): SpaceInfo[] {
    return this.chatApi.spaces().map((s) => this.space(s.name));
  }

  space(name: string): SpaceInfo {
    const live = this.chatApi.spaces().find((s) => s.name === name);
    if (!live) throw new UserError(`unknown space ${name}`);
    // Who is in it and as what: the local Chat API's memberships, where the app reads them too.
    const members = this.chatApi.members(name);
    return {
      name,
      displayName: live.displayName ?? '',
      spaceType: live.spaceType,
      members: members.map((m) => m.name),
      appIsMember: live.appIsMember,
      managers: members.filter((m) => m.role !== 'ROLE_MEMBER').map((m) => m.name),
    };
  }

  /** The "act as a plain member" control: `user` becomes a plain member of the named space, or its manager again. */
  setPlainMember(spaceName: string, user: string, plain: boolean): void {
    const space = this.space(spaceName);
    if (space.spaceType !== 'SPACE') throw new UserError('only named spaces have managers');
    if (!space.members.includes(user)) throw new UserError(`${this.person(user).displayName} is not a member of ${space.displayName}`);
    this.own(() => this.chatApi.setMemberRole(spaceName, user, plain ? 'ROLE_MEMBER' : 'ROLE_MANAGER'));
  }

  person(name: string): PersonInfo {
    const p = this.world.people.find((x) => x.name === name);
    if (!p) throw new UserError(`unknown person ${name}`);
    return p;
  }

  /** What `viewer` sees in the space, oldest first: private messages only for their viewer. */
  timeline(spaceName: string, viewer: string): TimelineItem[] {
    const messages = this.chatApi
      .messages(spaceName)
      .filter((m) => !m.privateMessageViewer || m.privateMessageViewer.name === viewer)
      .map((m): TimelineItem => ({
        kind: 'message',
        name: m.name,
        sender: { ...m.sender, displayName: senderOf(this.world, m).displayName },
        threadName: m.threadName,
        threadReply: m.threadReply,
        ...(m.text !== undefined ? { text: m.text } : {}),
        ...(m.cardsV2 ? { cardsV2: m.cardsV2 } : {}),
        ...(m.accessoryWidgets ? { accessoryWidgets: m.accessoryWidgets } : {}),
        ...(m.privateMessageViewer ? { privateMessageViewer: m.privateMessageViewer } : {}),
        createTime: m.createTime,
        // A person's message changes here only by the app's link preview, which Chat does not mark "Edited".
        ...(m.lastUpdateTime && m.sender.type === 'BOT' ? { lastUpdateTime: m.lastUpdateTime } : {}),
        updateCount: m.updateCount,
        ...(this.appErrors.has(m.name) ? { appError: this.appErrors.get(m.name) } : {}),
      }));
    const notes = this.notes.get(spaceName) ?? [];
    // Merge by time; on a tie the note ("… added the app") comes first.
    return [...notes, ...messages].sort((a, b) => a.createTime.localeCompare(b.createTime));
  }

  /** The person's message as the space shows it, and in the Chat API (so the worker's threaded replies land under it). */
  postUserMessage(space: SpaceInfo, user: PersonInfo, text: string, threadName: string | undefined): StoredMessage {
    return this.own(() => this.chatApi.postUserMessage({ space: space.name, sender: { name: user.name, displayName: user.displayName }, text, ...(threadName ? { threadName } : {}) }));
  }

  addApp(space: SpaceInfo, user: PersonInfo): void {
    this.own(() => this.chatApi.setAppMembership(space.name, true));
    this.note(space.name, `${user.displayName} added ${this.world.app.name}`);
  }

  removeApp(space: SpaceInfo, user: PersonInfo): void {
    this.own(() => this.chatApi.setAppMembership(space.name, false));
    this.note(space.name, `${user.displayName} removed ${this.world.app.name}`);
  }

  /** Shows `notice` under the person's message, as Chat does when the app fails to answer it. */
  markFailed(message: StoredMessage, notice: string): void {
    this.appErrors.set(message.name, notice);
    this.changed(message.space);
  }

  private note(space: string, text: string): void {
    const list = this.notes.get(space) ?? [];
    list.push({ kind: 'note', id: randomId(), text, createTime: new Date().toISOString() });
    this.notes.set(space, list);
    this.changed(space);
  }

  private changed(space: string): void {
    for (const listener of this.listeners) listener(space);
  }
}
