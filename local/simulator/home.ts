/**
 * App Home in the simulator: the Home tab of each person's DM with the app. Opening the tab sends
 * what Chat sends (docs/chat-protocol.md §3.6, §4: a classic `APP_HOME`, wrapped in `chat` with
 * `commonEventObject` beside it as Google's sample reads it; for an add-on, an event with no
 * payload), a click on the home card `SUBMIT_FORM` (classic) or `buttonClickedPayload` (add-on),
 * each signed like every event. Answers are render actions: `pushCard` shows the home card (or,
 * from a button that opens a dialog, the dialog), `updateCard` replaces the home card or the
 * dialog's step, `endNavigation: CLOSE_DIALOG_AND_EXECUTE` closes the dialog and has Chat ask for
 * the home card again (the refresh), `notification` is a toast. The tab's dialogs are the page's
 * usual modals; their clicks come back here (`ownsDialog`).
 */
import { answerFormatOf, describeViolations } from '../schema/answers';
import { checkAnswer } from '../schema/conformance';
import { isObject } from './answer-parts';
import { clickActionOf, findByPath, type CardAction } from './card-path';
import type { Deliver } from './deliver';
import { decodeToken } from './deliver';
import type { OpenDialogs } from './dialogs';
import { randomId } from './ids';
import type { InspectorLog } from './inspector';
import { humanSender } from './messages';
import type { FormInputs, InteractionResult, PersonInfo, SpaceInfo, UiEffect, WidgetPath } from './protocol';
import { UserError } from './user-error';
import type { EventFormat } from './wire-event';
import { dialogFields, wireSpace, wireUser, type Json } from './wire-resources';

export interface HomeResult extends InteractionResult {
  /** The home card now shown in the tab, when it changed. */
  home?: { space: string; card: unknown };
}

export interface HomeDeps {
  deliver: Deliver;
  format: EventFormat;
  inspector: InspectorLog;
  dialogs: OpenDialogs;
}

type Navigation = { pushCard?: unknown; updateCard?: unknown; endNavigation?: { action?: string } };

/** What a render action asks for (both formats; classic clicks wrap it in `renderActions`). */
function readRenderAction(status: number, body: unknown, event: Json, format: EventFormat): { navigation?: Navigation; notice?: string } | { invalid: string } {
  if (status < 200 || status > 299) return { invalid: `HTTP ${status}` };
  if (!isObject(body)) return { invalid: 'the answer is not a JSON object' };
  // A classic app's home answers are render actions, not messages (docs/chat-protocol.md §3.6).
  const violations = checkAnswer(answerFormatOf(event) ?? format, body, 'App Home answer in the simulator');
  if (violations.length > 0) return { invalid: `Google's schema refuses it: ${describeViolations(violations)}` };
  const action = isObject(body.renderActions) ? body.renderActions.action : body.action;
  if (action === undefined) return {};
  if (!isObject(action)) return { invalid: 'action is not an object' };
  const navigation = Array.isArray(action.navigations) && isObject(action.navigations[0]) ? (action.navigations[0] as Navigation) : undefined;
  const notice = isObject(action.notification) && typeof action.notification.text === 'string' ? action.notification.text : undefined;
  return { ...(navigation ? { navigation } : {}), ...(notice ? { notice } : {}) };
}

export class HomeTab {
  /** The home card each person sees, by `user space`. */
  private readonly cards = new Map<string, unknown>();
  private readonly homeDialogs = new Set<string>();

  constructor(private readonly d: HomeDeps) {}

  ownsDialog(id: string): boolean {
    return this.homeDialogs.has(id);
  }

  card(space: string, user: string): unknown {
    return this.cards.get(`${user} ${space}`);
  }

  clear(): void {
    this.cards.clear();
    this.homeDialogs.clear();
  }

  /** The person opens (or Chat refreshes) the Home tab. */
  async open(space: SpaceInfo, user: PersonInfo): Promise<HomeResult> {
    const entries: number[] = [];
    const effect = await this.send(space, user, this.openEvent(space, user), undefined, 'open', entries);
    return { entries, effect, ...this.shown(space, user) };
  }

  /** A click on the home card. */
  async click(space: SpaceInfo, user: PersonInfo, path: WidgetPath, formInputs: FormInputs): Promise<HomeResult> {
    const card = this.card(space.name, user.name);
    if (!card) throw new UserError('open the Home tab first');
    const action = clickActionOf(findByPath({ dialogCard: card }, path));
    if (!action) throw new UserError(`nothing to click at ${path}`);
    const entries: number[] = [];
    const dialog = action.opensDialog ? 'REQUEST_DIALOG' : undefined;
    const effect = await this.send(space, user, this.clickEvent(space, user, action, formInputs, dialog), action, dialog ? 'dialog' : 'click', entries);
    return { entries, effect, ...this.shown(space, user) };
  }

  /** A button or the close icon of a dialog opened from the home card. */
  async dialogStep(space: SpaceInfo, user: PersonInfo, id: string, path: WidgetPath | undefined, formInputs: FormInputs): Promise<HomeResult> {
    const d = this.d.dialogs.of(id, user.name);
    const action = path === undefined ? clickActionOf(findByPath({ dialogCard: d.card }, 'footer.primary')) : clickActionOf(findByPath({ dialogCard: d.card }, path));
    const entries: number[] = [];
    if (!action) {
      if (path === undefined) return { entries, effect: this.closeDialog(id) };
      throw new UserError(`nothing to click at ${path}`);
    }
    const step = path === undefined ? 'CANCEL_DIALOG' : 'SUBMIT_DIALOG';
    const effect = await this.send(space, user, this.clickEvent(space, user, action, path === undefined ? {} : formInputs, step), action, step, entries, id);
    // Chat closes the dialog on the close icon whatever the app answers.
    const closed = path === undefined && effect.kind !== 'closeDialog' ? this.closeDialog(id) : effect;
    return { entries, effect: closed, ...this.shown(space, user) };
  }

  private shown(space: SpaceInfo, user: PersonInfo): Pick<HomeResult, 'home'> {
    const card = this.card(space.name, user.name);
    return card ? { home: { space: space.name, card } } : {};
  }

  private closeDialog(id: string): UiEffect {
    this.homeDialogs.delete(id);
    return this.d.dialogs.close(id);
  }

  private common(extra: Json = {}): Json {
    return { hostApp: 'CHAT', platform: 'WEB', userLocale: 'en', timeZone: { id: 'UTC', offset: 0 }, ...extra };
  }

  private openEvent(space: SpaceInfo, user: PersonInfo): Json {
    const eventTime = new Date().toISOString();
    return this.d.format === 'chat'
      ? { chat: { type: 'APP_HOME', user: wireUser(user), space: wireSpace(space), eventTime }, commonEventObject: this.common() }
      : { commonEventObject: this.common(), chat: { user: wireUser(user), eventTime } };
  }

  private clickEvent(space: SpaceInfo, user: PersonInfo, action: CardAction, formInputs: FormInputs, dialog: string | undefined): Json {
    const eventTime = new Date().toISOString();
    const form = Object.keys(formInputs).length ? { formInputs } : {};
    if (this.d.format === 'chat') {
      const common = this.common({ invokedFunction: action.function, parameters: action.parameters, ...form });
      return { chat: { type: 'SUBMIT_FORM', user: wireUser(user), space: wireSpace(space), eventTime, ...dialogFields(dialog) }, commonEventObject: common };
    }
    return {
      commonEventObject: this.common({ parameters: action.parameters, ...form }),
      chat: { user: wireUser(user), eventTime, buttonClickedPayload: { space: wireSpace(space), ...dialogFields(dialog) } },
    };
  }

  /** Sends one home event and applies its answer: the home card, a dialog, a refresh, a toast. */
  private async send(space: SpaceInfo, user: PersonInfo, event: Json, action: CardAction | undefined, what: string, entries: number[], dialogId?: string): Promise<UiEffect> {
    const to = this.d.format === 'addon' && action ? action.function : undefined;
    const delivery = await this.d.deliver(event, to);
    const read = delivery.failure ? { invalid: delivery.failure } : readRenderAction(delivery.status, delivery.body, event, this.d.format);
    const key = `${user.name} ${space.name}`;
    let effect: UiEffect = { kind: 'none' };
    let outcome = 'nothing to show';
    let refresh = false;
    if ('invalid' in read) {
      effect = { kind: 'appError', notice: `${what === 'open' ? 'The Home tab' : 'The app'} is unable to process your request (${read.invalid}).` };
      outcome = `refused: ${read.invalid}`;
    } else {
      const nav = read.navigation;
      const intoDialog = dialogId !== undefined || what === 'dialog';
      if (nav?.pushCard !== undefined && intoDialog) {
        const id = dialogId ?? `home-dialog-${randomId()}`;
        this.homeDialogs.add(id);
        this.d.dialogs.show({ id, card: nav.pushCard, space: space.name, user: user.name, origin: this.origin(space, user), openedBy: action });
        effect = { kind: 'dialog', dialog: { id, card: nav.pushCard } };
        outcome = 'dialog opened';
      } else if (nav?.updateCard !== undefined && dialogId !== undefined) {
        this.d.dialogs.show({ ...this.d.dialogs.of(dialogId, user.name), card: nav.updateCard });
        effect = { kind: 'dialog', dialog: { id: dialogId, card: nav.updateCard } };
        outcome = 'dialog updated';
      } else if (nav?.pushCard !== undefined || nav?.updateCard !== undefined) {
        this.cards.set(key, nav.pushCard ?? nav.updateCard);
        outcome = 'home card shown';
        if (read.notice) effect = { kind: 'notice', text: read.notice };
      } else if (nav?.endNavigation !== undefined && dialogId !== undefined) {
        this.homeDialogs.delete(dialogId);
        this.d.dialogs.close(dialogId);
        effect = { kind: 'closeDialog', dialog: dialogId, ...(read.notice ? { notice: read.notice } : {}) };
        outcome = 'dialog closed';
        refresh = nav.endNavigation.action === 'CLOSE_DIALOG_AND_EXECUTE';
      } else if (read.notice) {
        // In a dialog a notification alone keeps it open with the text.
        effect = dialogId !== undefined ? { kind: 'dialogError', dialog: dialogId, notice: read.notice } : { kind: 'notice', text: read.notice };
        outcome = dialogId !== undefined ? 'dialog kept open with a notification' : 'notification';
      }
    }
    const label = this.d.format === 'chat' ? `${what === 'open' ? 'APP_HOME' : 'SUBMIT_FORM'}` : what === 'open' ? 'homepage' : 'buttonClickedPayload';
    const entry = this.d.inspector.add({
      kind: 'event',
      label: `${label}${action ? ` ${action.parameters.__fn ?? action.function}` : ''}${what === 'open' || what === 'click' ? '' : ` (${what})`} [App Home]`,
      space: space.name,
      event,
      token: decodeToken(delivery.token),
      status: delivery.status,
      response: delivery.failure ?? delivery.body,
      latencyMs: delivery.latencyMs,
      outcome,
    });
    entries.push(entry.id);
    // CLOSE_DIALOG_AND_EXECUTE: Chat asks for the home card again.
    if (refresh) await this.send(space, user, this.openEvent(space, user), undefined, 'open', entries);
    return effect;
  }

  /** Dialog events need a message in the dialog store; the home tab has none, so it is made up and never sent. */
  private origin(space: SpaceInfo, user: PersonInfo) {
    return { name: `${space.name}/messages/${randomId()}`, sender: humanSender(user), createTime: new Date().toISOString(), threadName: `${space.name}/threads/${randomId()}`, threadReply: false };
  }
}
