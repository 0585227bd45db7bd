/**
 * The simulator's state and what each thing a person does turns into: the person's message in
 * the space, the Chat event (built, signed, delivered), the app's answer applied to the space,
 * and what the page shows next. Lines such as "Ada added Team Assistant", failed answers and open
 * dialogs live here; messages live in the local Chat API, where the worker writes too.
 */
import { randomBytes } from 'node:crypto';
import type { LocalChatApi, StoredMessage } from '../chat-api';
import { readAnswer, type Answer } from './answer';
import { applyAnswer, type AnswerContext, type Applied } from './apply-answer';
import { autocompleteActionOf, clickActionOf, findByPath, type CardAction, type PathRoot } from './card-path';
import { composeMessage } from './compose';
import { decodeToken, type Deliver } from './deliver';
import type { InspectorLog } from './inspector';
import type { FormInputs, Intent, InteractionResult, PersonInfo, SpaceInfo, StateSnapshot, TimelineItem, TimelineNote, TranscriptStep, UiEffect } from './protocol';
import { buildWireEvent, type EventFormat, type EventMessage, type Interaction } from './wire-event';
import type { World } from './world';
import { eventMessage, humanSender, senderOf } from './messages';

export interface SessionOptions {
  world: World;
  chatApi: LocalChatApi;
  deliver: Deliver;
  format: EventFormat;
  /** Shown in the page's header, e.g. `project-number`. */
  audienceMode: string;
  inspector: InspectorLog;
  configCompleteRedirectUrl: string;
  timeZone?: { id: string; offset: number };
}

interface DialogState {
  id: string;
  card: unknown;
  space: string;
  user: string;
  /** The message the dialog was opened from (sent with each dialog event). */
  origin: EventMessage;
  /** The stored message an UPDATE_MESSAGE answer would change. */
  target?: StoredMessage;
  openedBy: CardAction | undefined;
}

export interface StepOutcome extends InteractionResult {
  step: TranscriptStep;
}

/** What an exchange adds to the step being recorded. */
interface StepDraft {
  created: StoredMessage[];
  events: TranscriptStep['events'];
  entries: number[];
  openedDialog?: string;
}

const randomId = () => randomBytes(8).toString('hex');

export class SimulatorSession {
  private readonly dialogs = new Map<string, DialogState>();
  private readonly notes = new Map<string, TimelineNote[]>();
  private readonly appErrors = new Map<string, string>();
  private readonly listeners = new Set<(space: string) => void>();
  private steps: TranscriptStep[] = [];
  private writing = false;

  constructor(private readonly o: SessionOptions) {}

  /** Creates the world's spaces in the local Chat API (those not there yet). */
  setup(): void {
    const existing = new Set(this.o.chatApi.spaces().map((s) => s.name));
    for (const s of this.o.world.spaces) {
      if (!existing.has(s.name)) this.own(() => this.o.chatApi.addSpace({ name: s.name, displayName: s.displayName, spaceType: s.spaceType, appIsMember: s.appIsMember }));
    }
  }

  /** The world's spaces as new (other spaces are left alone), no dialogs, notes or recorded steps. */
  reset(): void {
    for (const s of this.o.world.spaces) {
      if (this.o.chatApi.spaces().some((x) => x.name === s.name)) this.own(() => this.o.chatApi.removeSpace(s.name));
    }
    this.dialogs.clear();
    this.notes.clear();
    this.appErrors.clear();
    this.steps = [];
    this.setup();
  }

  /** True while the session itself writes to the local Chat API (so its changes are not shown as the app's API calls). */
  get isWriting(): boolean {
    return this.writing;
  }

  onSpaceChange(listener: (space: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  state(): StateSnapshot {
    const { app, people } = this.o.world;
    return {
      app: { name: app.name, userName: app.userName, commands: app.commands },
      people,
      spaces: this.o.chatApi.spaces().map((s) => this.space(s.name)),
      mode: { audience: this.o.audienceMode, format: this.o.format },
    };
  }

  space(name: string): SpaceInfo {
    const live = this.o.chatApi.spaces().find((s) => s.name === name);
    if (!live) throw new UserError(`unknown space ${name}`);
    const known = this.o.world.spaces.find((s) => s.name === name);
    return {
      name,
      displayName: known?.displayName ?? live.displayName ?? name,
      spaceType: known?.spaceType ?? live.spaceType,
      members: known?.members ?? this.o.world.people.map((p) => p.name),
      appIsMember: live.appIsMember,
    };
  }

  person(name: string): PersonInfo {
    const p = this.o.world.people.find((x) => x.name === name);
    if (!p) throw new UserError(`unknown person ${name}`);
    return p;
  }

  /** What `viewer` sees in the space, oldest first: private messages only for their viewer. */
  timeline(spaceName: string, viewer: string): TimelineItem[] {
    const messages = this.o.chatApi
      .messages(spaceName)
      .filter((m) => !m.privateMessageViewer || m.privateMessageViewer.name === viewer)
      .map((m): TimelineItem => ({
        kind: 'message',
        name: m.name,
        sender: { ...m.sender, displayName: senderOf(this.o.world, m).displayName },
        threadName: m.threadName,
        threadReply: m.threadReply,
        ...(m.text !== undefined ? { text: m.text } : {}),
        ...(m.cardsV2 ? { cardsV2: m.cardsV2 } : {}),
        ...(m.accessoryWidgets ? { accessoryWidgets: m.accessoryWidgets } : {}),
        ...(m.privateMessageViewer ? { privateMessageViewer: m.privateMessageViewer } : {}),
        createTime: m.createTime,
        ...(m.lastUpdateTime ? { lastUpdateTime: m.lastUpdateTime } : {}),
        updateCount: m.updateCount,
        ...(this.appErrors.has(m.name) ? { appError: this.appErrors.get(m.name) } : {}),
      }));
    const notes = this.notes.get(spaceName) ?? [];
    // Merge by time; on a tie the note ("… added the app") comes first.
    return [...notes, ...messages].sort((a, b) => a.createTime.localeCompare(b.createTime));
  }

  /** The steps recorded so far, for a transcript. */
  recordedSteps(): TranscriptStep[] {
    return [...this.steps];
  }

  async interact(intent: Intent, options: { record?: boolean } = {}): Promise<StepOutcome> {
    const draft: StepDraft = { created: [], events: [], entries: [] };
    const effect = await this.run(intent, draft);
    const step: TranscriptStep = {
      intent,
      created: draft.created.map((m) => ({ name: m.name, threadName: m.threadName })),
      ...(draft.openedDialog ? { openedDialog: draft.openedDialog } : {}),
      events: draft.events,
    };
    if (options.record ?? true) this.steps.push(step);
    return { entries: draft.entries, effect, step };
  }

  private run(intent: Intent, draft: StepDraft): Promise<UiEffect> {
    const space = this.space(intent.space);
    const user = this.person(intent.user);
    if (!space.members.includes(user.name)) throw new UserError(`${user.displayName} is not a member of ${space.displayName || space.name}`);
    switch (intent.kind) {
      case 'message':
        return this.onMessage(space, user, intent.text, intent.threadName, draft);
      case 'add':
        return this.onAdd(space, user, draft);
      case 'remove':
        return this.onRemove(space, user, draft);
      case 'click':
        return this.onClick(space, user, intent.message, intent.path, intent.formInputs, draft);
      case 'dialogClick':
      case 'dialogClose':
        return this.onDialog(space, user, intent, draft);
      case 'autocomplete':
        return this.onAutocomplete(space, user, intent, draft);
    }
  }

  private async onMessage(space: SpaceInfo, user: PersonInfo, text: string, threadName: string | undefined, draft: StepDraft): Promise<UiEffect> {
    const { app } = this.o.world;
    if (text.trim() === '') throw new UserError('the message is empty');
    const composed = composeMessage(app, text, space.appIsMember);
    const isDm = space.spaceType === 'DIRECT_MESSAGE';
    const addsApp = !space.appIsMember && (isDm || composed.command !== undefined || composed.mentionsApp);
    const toApp = addsApp || (space.appIsMember && (isDm || composed.command !== undefined || composed.mentionsApp || composed.matchedUrl !== undefined));
    // A command set to open a dialog opens it instead of posting the command.
    const opensDialog = space.appIsMember && composed.command?.opensDialog === true;
    let stored: StoredMessage | undefined;
    let message: EventMessage;
    const extra = { argumentText: composed.argumentText, annotations: composed.annotations, ...(composed.matchedUrl ? { matchedUrl: composed.matchedUrl } : {}) };
    if (opensDialog) {
      const thread = threadName ?? `${space.name}/threads/${randomId()}`;
      message = { name: `${space.name}/messages/${randomId()}`, sender: humanSender(user), createTime: new Date().toISOString(), threadName: thread, threadReply: threadName !== undefined, text, ...extra };
    } else {
      stored = this.own(() => this.o.chatApi.postUserMessage({ space: space.name, sender: { name: user.name, displayName: user.displayName }, text, ...(threadName ? { threadName } : {}) }));
      draft.created.push(stored);
      message = { ...eventMessage(this.o.world, stored), ...extra };
    }
    if (!toApp) return { kind: 'none' };
    if (addsApp) this.addApp(space, user);
    const interaction: Interaction = addsApp
      ? { type: 'ADDED_TO_SPACE', message, ...(composed.command ? { command: composed.command } : {}) }
      : { type: 'MESSAGE', message, ...(composed.command ? { command: composed.command } : {}), ...(opensDialog ? { dialog: 'REQUEST_DIALOG' as const } : {}) };
    const what = composed.command ? composed.command.name : composed.mentionsApp ? '@mention' : composed.matchedUrl && !isDm ? 'link preview' : 'text';
    const applied = await this.exchange(space, user, `${interaction.type} ${what}`, interaction, draft, {
      ...(stored ? { target: stored } : {}),
      ...(stored?.threadReply ? { replyThread: stored.threadName } : {}),
      isDialogEvent: opensDialog,
      origin: message,
    });
    if (applied.effect.kind === 'appError' && stored) this.markFailed(stored, applied.effect.notice);
    return applied.effect;
  }

  private async onAdd(space: SpaceInfo, user: PersonInfo, draft: StepDraft): Promise<UiEffect> {
    if (space.appIsMember) throw new UserError(`${this.o.world.app.name} is already in this conversation`);
    this.addApp(space, user);
    const applied = await this.exchange({ ...space, appIsMember: true }, user, 'ADDED_TO_SPACE', { type: 'ADDED_TO_SPACE' }, draft, { isDialogEvent: false });
    return applied.effect;
  }

  private async onRemove(space: SpaceInfo, user: PersonInfo, draft: StepDraft): Promise<UiEffect> {
    if (!space.appIsMember) throw new UserError(`${this.o.world.app.name} is not in this conversation`);
    this.own(() => this.o.chatApi.setAppMembership(space.name, false));
    for (const [id, d] of this.dialogs) if (d.space === space.name) this.dialogs.delete(id);
    this.note(space.name, `${user.displayName} removed ${this.o.world.app.name}`);
    const applied = await this.exchange({ ...space, appIsMember: false }, user, 'REMOVED_FROM_SPACE', { type: 'REMOVED_FROM_SPACE' }, draft, { isDialogEvent: false });
    return applied.effect;
  }

  private async onClick(space: SpaceInfo, user: PersonInfo, messageName: string, path: string, formInputs: FormInputs, draft: StepDraft): Promise<UiEffect> {
    const stored = this.o.chatApi.messages(space.name).find((m) => m.name === messageName);
    if (!stored || (stored.privateMessageViewer && stored.privateMessageViewer.name !== user.name)) throw new UserError(`no message ${messageName} here`);
    const action = clickActionOf(findByPath(stored, path));
    if (!action) throw new UserError(`nothing to click at ${path}`);
    const message = eventMessage(this.o.world, stored);
    const interaction: Interaction = { type: 'CARD_CLICKED', message, action, formInputs, ...(action.opensDialog ? { dialog: 'REQUEST_DIALOG' as const } : {}) };
    const applied = await this.exchange(space, user, `CARD_CLICKED ${action.function}`, interaction, draft, {
      target: stored,
      ...(stored.threadReply ? { replyThread: stored.threadName } : {}),
      isDialogEvent: action.opensDialog,
      origin: message,
      openedBy: action,
    });
    return applied.effect;
  }

  private async onDialog(space: SpaceInfo, user: PersonInfo, intent: Extract<Intent, { kind: 'dialogClick' | 'dialogClose' }>, draft: StepDraft): Promise<UiEffect> {
    const d = this.dialogs.get(intent.dialog);
    if (!d || d.user !== user.name) throw new UserError('this dialog is closed');
    const root: PathRoot = { dialogCard: d.card };
    const closing = intent.kind === 'dialogClose';
    // The close icon has no action of its own: the event names the dialog's primary action (protocol §2.8).
    const action = closing ? (clickActionOf(findByPath(root, 'footer.primary')) ?? d.openedBy) : clickActionOf(findByPath(root, intent.path));
    if (!action) {
      if (closing) return this.closeDialog(d.id);
      throw new UserError(`nothing to click at ${intent.kind === 'dialogClick' ? intent.path : ''}`);
    }
    const formInputs = intent.kind === 'dialogClick' ? intent.formInputs : {};
    const dialog = closing ? ('CANCEL_DIALOG' as const) : ('SUBMIT_DIALOG' as const);
    const interaction: Interaction = { type: 'CARD_CLICKED', message: d.origin, action, formInputs, dialog };
    const applied = await this.exchange(space, user, `CARD_CLICKED ${action.function} (${dialog})`, interaction, draft, {
      ...(d.target ? { target: d.target } : {}),
      ...(d.origin.threadReply ? { replyThread: d.origin.threadName } : {}),
      isDialogEvent: true,
      dialogId: d.id,
      origin: d.origin,
      openedBy: d.openedBy,
    });
    // Chat closes the dialog on the close icon whatever the app answers.
    return closing && applied.effect.kind !== 'closeDialog' ? this.closeDialog(d.id) : applied.effect;
  }

  private async onAutocomplete(space: SpaceInfo, user: PersonInfo, intent: Extract<Intent, { kind: 'autocomplete' }>, draft: StepDraft): Promise<UiEffect> {
    const d = intent.dialog ? this.dialogs.get(intent.dialog) : undefined;
    const stored = intent.message ? this.o.chatApi.messages(space.name).find((m) => m.name === intent.message) : undefined;
    const root: PathRoot | undefined = d ? { dialogCard: d.card } : stored;
    const source = root ? autocompleteActionOf(findByPath(root, intent.path)) : undefined;
    if (!source) throw new UserError(`no autocomplete at ${intent.path}`);
    const message = d?.origin ?? (stored ? eventMessage(this.o.world, stored) : undefined);
    const parameters = { ...source.action.parameters, autocomplete_widget_query: intent.query };
    const interaction: Interaction = { type: 'WIDGET_UPDATED', ...(message ? { message } : {}), function: source.action.function, parameters, formInputs: intent.formInputs };
    const applied = await this.exchange(space, user, `WIDGET_UPDATED ${source.action.function} "${intent.query}"`, interaction, draft, { isDialogEvent: false });
    return applied.effect.kind === 'suggestions' ? { ...applied.effect, path: intent.path } : applied.effect;
  }

  /** Builds, signs and delivers the event, applies the answer and records both. */
  private async exchange(
    space: SpaceInfo,
    user: PersonInfo,
    label: string,
    interaction: Interaction,
    draft: StepDraft,
    context: Omit<AnswerContext, 'chatApi' | 'appName' | 'space' | 'eventType' | 'showDialog' | 'closeDialog'> & { origin?: EventMessage; openedBy?: CardAction },
  ): Promise<Applied> {
    const event = buildWireEvent(this.o.format, this.eventContext(space, user), interaction);
    const delivery = await this.o.deliver(event);
    const answer: Answer = delivery.failure ? { kind: 'invalid', reason: delivery.failure } : readAnswer(this.o.format, delivery.status, delivery.body);
    const { origin, openedBy, ...rest } = context;
    const applied = this.own(() =>
      applyAnswer(answer, {
        ...rest,
        chatApi: this.o.chatApi,
        appName: this.o.world.app.name,
        space: space.name,
        eventType: interaction.type,
        showDialog: (card) => {
          const id = context.dialogId ?? `dialog-${randomId()}`;
          this.dialogs.set(id, { id, card, space: space.name, user: user.name, origin: origin ?? this.syntheticOrigin(space, user), ...(rest.target ? { target: rest.target } : {}), openedBy });
          draft.openedDialog = id;
          return id;
        },
        closeDialog: (id) => this.dialogs.delete(id),
      }),
    );
    draft.created.push(...applied.created);
    const entry = this.o.inspector.add({
      kind: 'event',
      label,
      space: space.name,
      event,
      token: decodeToken(delivery.token),
      status: delivery.status,
      response: delivery.failure ?? delivery.body,
      latencyMs: delivery.latencyMs,
      outcome: applied.outcome,
    });
    draft.entries.push(entry.id);
    draft.events.push({ label, status: delivery.status, answer: answer.kind });
    return applied;
  }

  private closeDialog(id: string): UiEffect {
    this.dialogs.delete(id);
    return { kind: 'closeDialog', dialog: id };
  }

  private addApp(space: SpaceInfo, user: PersonInfo): void {
    this.own(() => this.o.chatApi.setAppMembership(space.name, true));
    this.note(space.name, `${user.displayName} added ${this.o.world.app.name}`);
  }

  private note(space: string, text: string): void {
    const list = this.notes.get(space) ?? [];
    list.push({ kind: 'note', id: randomId(), text, createTime: new Date().toISOString() });
    this.notes.set(space, list);
    this.changed(space);
  }

  private markFailed(message: StoredMessage, notice: string): void {
    this.appErrors.set(message.name, notice);
    this.changed(message.space);
  }

  private changed(space: string): void {
    for (const listener of this.listeners) listener(space);
  }

  private own<T>(write: () => T): T {
    this.writing = true;
    try {
      return write();
    } finally {
      this.writing = false;
    }
  }

  private eventContext(space: SpaceInfo, user: PersonInfo) {
    return {
      eventTime: new Date().toISOString(),
      space,
      user,
      timeZone: this.o.timeZone ?? { id: 'UTC', offset: 0 },
      locale: 'en',
      configCompleteRedirectUrl: this.o.configCompleteRedirectUrl,
    };
  }

  private syntheticOrigin(space: SpaceInfo, user: PersonInfo): EventMessage {
    return { name: `${space.name}/messages/${randomId()}`, sender: humanSender(user), createTime: new Date().toISOString(), threadName: `${space.name}/threads/${randomId()}`, threadReply: false };
  }
}

/** Something the person asked for cannot be done (unknown space, closed dialog, …): a 400 for the page. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
