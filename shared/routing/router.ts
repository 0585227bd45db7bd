/**
 * Routing, apart from transport and handlers: which handler answers a normalized event.
 * Commands by id (names are for help texts), card actions and dialog steps by function name,
 * autocomplete by the data source's function, and the lifecycle / message / link-preview events.
 */
import type {
  ActionEvent,
  AddedEvent,
  ChatEvent,
  CommandEvent,
  HomeEvent,
  LinkPreviewEvent,
  MessageEvent,
  RemovedEvent,
  WidgetEvent,
} from '../events/model';
import { managersOnly, type ManagersOnly } from '../permissions/managers-only';
import type { Reply } from '../replies/responses';
import { reply } from '../replies/responses';
import type { HandlerContext } from './context';
import type { Feature } from './feature';

export type Handler<E extends ChatEvent = ChatEvent> = (event: E, ctx: HandlerContext) => Promise<Reply | undefined> | Reply | undefined;

export interface RouteOptions {
  /**
   * A pure handler may run again for a repeated delivery without harm: it has no side effects,
   * or only idempotent ones (removal, a webhook created under an id derived from the delivery).
   * Its deliveries are not claimed in Firestore, so a pure command touches no database at all.
   */
  pure?: boolean;
  /**
   * The handler only reads, and stages its writes with `ctx.stage`: they are committed in one
   * atomic batch with the delivery's record, so a first delivery costs one write round trip instead
   * of a claim, the writes and a completion. A repeat finds the record and gets the same answer.
   * Such a handler must not enqueue jobs or call other services (nothing else is undone if the
   * batch loses to a concurrent repeat). Votes are the model: read the poll, stage the vote.
   */
  batched?: boolean;
  /**
   * An admin action: only the space's managers may run it (`permissions/roles.ts`, the one rule);
   * anyone else gets a private refusal and the handler does not run.
   */
  managersOnly?: ManagersOnly;
}

/** A slash command as the Chat API configuration declares it, and as help texts show it. */
export interface CommandInfo {
  /** The configuration's Command ID: events name a command by it. */
  id: number;
  name: string;
  description: string;
  /**
   * The configuration's "Open a dialog": Chat then sends the command as a `REQUEST_DIALOG` event,
   * which the handler answers with `reply.dialog(...)`, and the typed message is not posted.
   */
  opensDialog?: boolean;
  /**
   * Required with `opensDialog`: what the command does instead where Chat shows an app no dialogs
   * (the Cloud Pub/Sub connection, docs/chat-protocol.md §13). The person who typed it sees this, privately.
   */
  withoutDialogs?: string;
  /** Words in a message without a command that point at this command (the help answer's hint). */
  keywords?: readonly string[];
}

/** Route names, as logs show them and the activity counters store them (`command:4`, `action:pollVote`). */
export const commandRoute = (id: number) => `command:${id}`;
export const actionRoute = (fn: string) => `action:${fn}`;

export interface Route {
  /** For logs: `command:4`, `action:vote`, `added`, … */
  name: string;
  pure: boolean;
  batched?: boolean;
  handler: Handler;
}

interface Entry<E extends ChatEvent> {
  handler: Handler<E>;
  pure: boolean;
  batched: boolean;
}

const entry = <E extends ChatEvent>(handler: Handler<E>, options: RouteOptions = {}): Entry<E> => ({
  handler: options.managersOnly ? managersOnly(handler, options.managersOnly) : handler,
  pure: options.pure ?? false,
  batched: !options.pure && (options.batched ?? false),
});

/** Joins the onboarding answer to an added-by-command event with the command's own answer. */
function combineAddedReply(onboarding: Reply | undefined, answer: Reply | undefined): Reply | undefined {
  if (!answer || answer.kind === 'ack') return onboarding;
  if (onboarding?.kind !== 'message' || answer.kind !== 'message') return answer;
  const text = [onboarding.message.text, answer.message.text].filter(Boolean).join('\n\n');
  return { kind: 'message', message: { ...answer.message, text } };
}

export class Router {
  private readonly commands = new Map<number, Entry<CommandEvent> & { info: CommandInfo }>();
  private readonly actions = new Map<string, Entry<ActionEvent>>();
  private readonly widgets = new Map<string, Entry<WidgetEvent>>();
  private addedEntry?: Entry<AddedEvent>;
  private removedEntry?: Entry<RemovedEvent>;
  private messageEntry?: Entry<MessageEvent>;
  private linkPreviewEntry?: Entry<LinkPreviewEvent>;
  private homeEntry?: Entry<HomeEvent>;
  private dialogs = true;

  command(info: CommandInfo, handler: Handler<CommandEvent>, options?: RouteOptions): this {
    if (this.commands.has(info.id)) throw new Error(`command id ${info.id} is registered twice`);
    if (info.opensDialog && !info.withoutDialogs) throw new Error(`command ${info.name} opens a dialog: declare withoutDialogs, what it does where dialogs cannot open`);
    this.commands.set(info.id, { ...entry(handler, options), info });
    return this;
  }

  /** A card button or dialog button whose `action.function` is `fn` (clicks, dialog open/submit/cancel). */
  action(fn: string, handler: Handler<ActionEvent>, options?: RouteOptions): this {
    this.actions.set(fn, entry(handler, options));
    return this;
  }

  /** Autocomplete of a selection input whose `externalDataSource.function` is `fn`. */
  widget(fn: string, handler: Handler<WidgetEvent>, options?: RouteOptions): this {
    this.widgets.set(fn, entry(handler, { pure: true, ...options }));
    return this;
  }

  added(handler: Handler<AddedEvent>, options?: RouteOptions): this {
    this.addedEntry = entry(handler, options);
    return this;
  }

  removed(handler: Handler<RemovedEvent>, options?: RouteOptions): this {
    this.removedEntry = entry(handler, options);
    return this;
  }

  /** A DM, or an @mention without a command. */
  message(handler: Handler<MessageEvent>, options?: RouteOptions): this {
    this.messageEntry = entry(handler, options);
    return this;
  }

  linkPreview(handler: Handler<LinkPreviewEvent>, options?: RouteOptions): this {
    this.linkPreviewEntry = entry(handler, options);
    return this;
  }

  /** The App Home tab being opened. */
  home(handler: Handler<HomeEvent>, options?: RouteOptions): this {
    if (this.homeEntry) throw new Error('App Home is registered twice');
    this.homeEntry = entry(handler, options);
    return this;
  }

  /** Registers everything a feature routes: its command, card actions and autocomplete sources. */
  use(feature: Feature): this {
    if (feature.command) {
      const { handler, pure, batched, managersOnly: admin, ...info } = feature.command;
      this.command(info, handler, { pure, batched, managersOnly: admin });
    }
    for (const [fn, a] of Object.entries(feature.actions ?? {})) {
      if (this.actions.has(fn)) throw new Error(`action ${fn} is registered twice (feature ${feature.name})`);
      this.action(fn, a.handler, { pure: a.pure, batched: a.batched, managersOnly: a.managersOnly });
    }
    for (const [fn, handler] of Object.entries(feature.widgets ?? {})) this.widget(fn, handler);
    if (feature.home) this.home(feature.home.handler, { pure: feature.home.pure, batched: feature.home.batched });
    return this;
  }

  /** Where Chat cannot open dialogs (Pub/Sub): a command that opens one answers its `withoutDialogs` instead. */
  withoutDialogs(): this {
    this.dialogs = false;
    return this;
  }

  /** The registered commands by id, for help texts. */
  commandList(): CommandInfo[] {
    return [...this.commands.values()].map((c) => c.info).sort((a, b) => a.id - b.id);
  }

  resolve(event: ChatEvent): Route {
    switch (event.kind) {
      case 'command':
        return this.resolveCommand(event);
      case 'action': {
        // Closing a dialog changes nothing, whichever function the dialog's buttons name.
        if (event.dialog === 'CANCEL_DIALOG') return { name: 'action:cancel', pure: true, handler: () => reply.closeDialog() };
        const found = this.actions.get(event.action.function);
        if (found) return { name: actionRoute(event.action.function), ...(found as Entry<ChatEvent>) };
        return {
          name: 'action:unknown',
          pure: true,
          handler: () => reply.private(event.user.name, { text: 'That button is no longer supported. Try the command again.' }),
        };
      }
      case 'widget': {
        const found = this.widgets.get(event.widget.function);
        if (found) return { name: `widget:${event.widget.function}`, ...(found as Entry<ChatEvent>) };
        return { name: 'widget:unknown', pure: true, handler: (e) => reply.suggestions((e as WidgetEvent).widget.function, []) };
      }
      case 'added':
        return this.resolveAdded(event);
      case 'removed':
        return this.fromEntry('removed', this.removedEntry);
      case 'linkPreview':
        return this.fromEntry('linkPreview', this.linkPreviewEntry ?? (this.messageEntry as Entry<ChatEvent> | undefined));
      case 'message':
        return this.fromEntry('message', this.messageEntry);
      case 'home':
        return this.fromEntry('home', this.homeEntry);
    }
  }

  private resolveCommand(event: CommandEvent): Route {
    const found = this.commands.get(event.command.id);
    if (found?.info.withoutDialogs && !this.dialogs) {
      const text = found.info.withoutDialogs;
      return { name: commandRoute(event.command.id), pure: true, handler: () => reply.private(event.user.name, { text }) };
    }
    if (found) return { name: commandRoute(event.command.id), pure: found.pure, batched: found.batched, handler: found.handler as Handler };
    const known = this.commandList().map((c) => c.name).join(', ');
    return {
      name: 'command:unknown',
      pure: true,
      handler: () => reply.private(event.user.name, { text: `I don't know that command. Try one of: ${known}.` }),
    };
  }

  /** Added by an @mention or a slash command: the message that added the app is answered too. */
  private resolveAdded(event: AddedEvent): Route {
    const added = this.addedEntry;
    const answer =
      event.command !== undefined
        ? this.resolveCommand({ ...event, kind: 'command', command: event.command })
        : event.message
          ? this.fromEntry('message', this.messageEntry)
          : undefined;
    if (!answer) return this.fromEntry('added', added);
    return {
      name: `added+${answer.name}`,
      pure: (added?.pure ?? true) && answer.pure,
      handler: async (e, ctx) => {
        const a = e as AddedEvent;
        const onboarding = await added?.handler(a, ctx);
        const derived: ChatEvent =
          a.command !== undefined ? { ...a, kind: 'command', command: a.command } : { ...a, kind: 'message', message: a.message! };
        return combineAddedReply(onboarding, await answer.handler(derived, ctx));
      },
    };
  }

  private fromEntry(name: string, found: Entry<ChatEvent> | Entry<never> | undefined): Route {
    if (!found) return { name: `${name}:unhandled`, pure: true, handler: () => reply.ack() };
    return { name, pure: found.pure, batched: found.batched, handler: found.handler as Handler };
  }
}
