/**
 * What each thing a person does turns into, as Chat decides it: the person's message in the
 * space, whether the app hears of it (and whether it is added by it), which event is sent about
 * what, and what the page shows next.
 */
import type { LocalChatApi, StoredMessage } from '../chat-api';
import { FUNCTION_PARAMETER, LEGACY_FUNCTION_PARAMETER } from '../../shared/events/normalize-addon';
import { autocompleteActionOf, clickActionOf, findByPath, type PathRoot } from './card-path';
import { composeMessage } from './compose';
import type { Conversations } from './conversations';
import type { OpenDialogs } from './dialogs';
import type { Exchange, StepDraft } from './exchange';
import { randomId } from './ids';
import { eventMessage, humanSender } from './messages';
import type { FormInputs, Intent, PersonInfo, SpaceInfo, UiEffect } from './protocol';
import { UserError } from './user-error';
import type { EventMessage, Interaction } from './wire-event';
import type { World } from './world';

export interface IntentDeps {
  world: World;
  chatApi: LocalChatApi;
  conversations: Conversations;
  dialogs: OpenDialogs;
  exchange: Exchange;
}

type DialogIntent = Extract<Intent, { kind: 'dialogClick' | 'dialogClose' }>;

/**
 * The handler an action runs, for the inspector's labels: an add-on's actions all name the
 * endpoint URL, and this app names the handler in a parameter (Chat itself never reads it).
 */
const handlerOf = (action: { function: string; parameters: Record<string, string> }): string =>
  action.parameters[FUNCTION_PARAMETER] ?? action.parameters[LEGACY_FUNCTION_PARAMETER] ?? action.function;
type AutocompleteIntent = Extract<Intent, { kind: 'autocomplete' }>;

export class IntentRunner {
  constructor(private readonly d: IntentDeps) {}

  run(intent: Intent, draft: StepDraft): Promise<UiEffect> {
    const space = this.d.conversations.space(intent.space);
    const user = this.d.conversations.person(intent.user);
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
    const { app } = this.d.world;
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
      stored = this.d.conversations.postUserMessage(space, user, text, threadName);
      draft.created.push(stored);
      message = { ...eventMessage(this.d.world, stored), ...extra };
    }
    if (!toApp) return { kind: 'none' };
    if (addsApp) this.d.conversations.addApp(space, user);
    const interaction: Interaction = addsApp
      ? { type: 'ADDED_TO_SPACE', message, ...(composed.command ? { command: composed.command } : {}) }
      : { type: 'MESSAGE', message, ...(composed.command ? { command: composed.command } : {}), ...(opensDialog ? { dialog: 'REQUEST_DIALOG' as const } : {}) };
    const what = composed.command ? composed.command.name : composed.mentionsApp ? '@mention' : composed.matchedUrl && !isDm ? 'link preview' : 'text';
    const applied = await this.d.exchange(space, user, what, interaction, draft, {
      ...(stored ? { target: stored } : {}),
      ...(stored?.threadReply ? { replyThread: stored.threadName } : {}),
      isDialogEvent: opensDialog,
      origin: message,
    });
    if (applied.effect.kind === 'appError' && stored) this.d.conversations.markFailed(stored, applied.effect.notice);
    return applied.effect;
  }

  private async onAdd(space: SpaceInfo, user: PersonInfo, draft: StepDraft): Promise<UiEffect> {
    if (space.appIsMember) throw new UserError(`${this.d.world.app.name} is already in this conversation`);
    this.d.conversations.addApp(space, user);
    const applied = await this.d.exchange({ ...space, appIsMember: true }, user, '', { type: 'ADDED_TO_SPACE' }, draft, { isDialogEvent: false });
    return applied.effect;
  }

  private async onRemove(space: SpaceInfo, user: PersonInfo, draft: StepDraft): Promise<UiEffect> {
    if (!space.appIsMember) throw new UserError(`${this.d.world.app.name} is not in this conversation`);
    this.d.conversations.removeApp(space, user);
    this.d.dialogs.closeAllIn(space.name);
    const applied = await this.d.exchange({ ...space, appIsMember: false }, user, '', { type: 'REMOVED_FROM_SPACE' }, draft, { isDialogEvent: false });
    return applied.effect;
  }

  private async onClick(space: SpaceInfo, user: PersonInfo, messageName: string, path: string, formInputs: FormInputs, draft: StepDraft): Promise<UiEffect> {
    const stored = this.d.chatApi.messages(space.name).find((m) => m.name === messageName);
    if (!stored || (stored.privateMessageViewer && stored.privateMessageViewer.name !== user.name)) throw new UserError(`no message ${messageName} here`);
    const action = clickActionOf(findByPath(stored, path));
    if (!action) throw new UserError(`nothing to click at ${path}`);
    const message = eventMessage(this.d.world, stored);
    const interaction: Interaction = { type: 'CARD_CLICKED', message, action, formInputs, ...(action.opensDialog ? { dialog: 'REQUEST_DIALOG' as const } : {}) };
    const applied = await this.d.exchange(space, user, handlerOf(action), interaction, draft, {
      target: stored,
      ...(stored.threadReply ? { replyThread: stored.threadName } : {}),
      isDialogEvent: action.opensDialog,
      origin: message,
      openedBy: action,
    });
    return applied.effect;
  }

  private async onDialog(space: SpaceInfo, user: PersonInfo, intent: DialogIntent, draft: StepDraft): Promise<UiEffect> {
    const d = this.d.dialogs.of(intent.dialog, user.name);
    const root: PathRoot = { dialogCard: d.card };
    const closing = intent.kind === 'dialogClose';
    // The close icon has no action of its own: the event names the dialog's primary action (docs/chat-protocol.md §2.8).
    const action = closing ? (clickActionOf(findByPath(root, 'footer.primary')) ?? d.openedBy) : clickActionOf(findByPath(root, intent.path));
    if (!action) {
      if (closing) return this.d.dialogs.close(d.id);
      throw new UserError(`nothing to click at ${intent.kind === 'dialogClick' ? intent.path : ''}`);
    }
    const formInputs = intent.kind === 'dialogClick' ? intent.formInputs : {};
    const dialog = closing ? ('CANCEL_DIALOG' as const) : ('SUBMIT_DIALOG' as const);
    const interaction: Interaction = { type: 'CARD_CLICKED', message: d.origin, action, formInputs, dialog };
    const applied = await this.d.exchange(space, user, `${handlerOf(action)} (${dialog})`, interaction, draft, {
      ...(d.target ? { target: d.target } : {}),
      ...(d.origin.threadReply ? { replyThread: d.origin.threadName } : {}),
      isDialogEvent: true,
      dialogId: d.id,
      origin: d.origin,
      openedBy: d.openedBy,
    });
    // Chat closes the dialog on the close icon whatever the app answers.
    return closing && applied.effect.kind !== 'closeDialog' ? this.d.dialogs.close(d.id) : applied.effect;
  }

  private async onAutocomplete(space: SpaceInfo, user: PersonInfo, intent: AutocompleteIntent, draft: StepDraft): Promise<UiEffect> {
    const d = intent.dialog ? this.d.dialogs.find(intent.dialog) : undefined;
    const stored = intent.message ? this.d.chatApi.messages(space.name).find((m) => m.name === intent.message) : undefined;
    const root: PathRoot | undefined = d ? { dialogCard: d.card } : stored;
    const source = root ? autocompleteActionOf(findByPath(root, intent.path)) : undefined;
    if (!source) throw new UserError(`no autocomplete at ${intent.path}`);
    const message = d?.origin ?? (stored ? eventMessage(this.d.world, stored) : undefined);
    const parameters = { ...source.action.parameters, autocomplete_widget_query: intent.query };
    const interaction: Interaction = { type: 'WIDGET_UPDATED', ...(message ? { message } : {}), function: source.action.function, parameters, formInputs: intent.formInputs };
    const applied = await this.d.exchange(space, user, `${handlerOf(source.action)} "${intent.query}"`, interaction, draft, { isDialogEvent: false });
    return applied.effect.kind === 'suggestions' ? { ...applied.effect, widget: applied.effect.widget || source.name, path: intent.path } : applied.effect;
  }
}
