/**
 * The simulator's session: what the page asks about (the spaces, each viewer's timeline, the
 * recorded steps) and the one way to act, `interact`. The work is done by `intents.ts` (what a
 * person's action becomes), `exchange.ts` (the event and the app's answer), `conversations.ts`
 * (the spaces as people see them) and `dialogs.ts` (the open dialogs).
 */
import type { LocalChatApi } from '../chat-api';
import { Conversations } from './conversations';
import type { Deliver } from './deliver';
import { addPerson, createSpace, setMember, type NewSpace } from './directory';
import { OpenDialogs } from './dialogs';
import { createExchange, type StepDraft } from './exchange';
import { HomeTab, type HomeResult } from './home';
import { readSimulatorSnapshot, type SimulatorSnapshot } from './snapshot';
import type { InspectorLog } from './inspector';
import { IntentRunner } from './intents';
import type { FormInputs, Intent, InteractionResult, PersonInfo, SpaceInfo, StateSnapshot, TimelineItem, TranscriptStep, WidgetPath } from './protocol';
import { UserError } from './user-error';
import type { EventFormat } from './wire-event';
import type { World } from './world';

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

export interface StepOutcome extends InteractionResult {
  step: TranscriptStep;
}

export class SimulatorSession {
  private readonly conversations: Conversations;
  private readonly dialogs = new OpenDialogs();
  private readonly intents: IntentRunner;
  private readonly home: HomeTab;
  private steps: TranscriptStep[] = [];
  /** Steps sent and not answered yet: they hold their place (the order of sending) but are not saved. */
  private readonly inFlight = new Set<TranscriptStep>();

  constructor(private readonly o: SessionOptions) {
    this.conversations = new Conversations(o.world, o.chatApi);
    const exchange = createExchange({ ...o, conversations: this.conversations, dialogs: this.dialogs });
    this.intents = new IntentRunner({ world: o.world, chatApi: o.chatApi, conversations: this.conversations, dialogs: this.dialogs, exchange });
    this.home = new HomeTab({ deliver: o.deliver, format: o.format, inspector: o.inspector, dialogs: this.dialogs });
  }

  /** The DM of `user` with the app, where its Home tab is (App Home exists only there). */
  private homeOf(spaceName: string, userName: string): { space: SpaceInfo; user: PersonInfo } {
    const space = this.space(spaceName);
    const user = this.person(userName);
    if (space.spaceType !== 'DIRECT_MESSAGE' || !space.members.includes(user.name)) throw new UserError('App Home is in your DM with the app');
    if (!space.appIsMember) throw new UserError(`start a chat with ${this.o.world.app.name} first`);
    return { space, user };
  }

  /** The person opens the Home tab of their DM with the app. */
  homeOpen(space: string, user: string): Promise<HomeResult> {
    const at = this.homeOf(space, user);
    return this.home.open(at.space, at.user);
  }

  /** A click on the home card. */
  homeClick(space: string, user: string, path: WidgetPath, formInputs: FormInputs): Promise<HomeResult> {
    const at = this.homeOf(space, user);
    return this.home.click(at.space, at.user, path, formInputs);
  }

  /** Creates the world's spaces in the local Chat API (those not there yet). */
  setup(): void {
    this.conversations.setup();
  }

  /** The world's spaces as new (other spaces are left alone), no dialogs, notes or recorded steps. */
  reset(): void {
    this.dialogs.clear();
    this.home.clear();
    this.steps = [];
    this.conversations.reset();
  }

  /** True while the session itself writes to the local Chat API (so its changes are not shown as the app's API calls). */
  get isWriting(): boolean {
    return this.conversations.isWriting;
  }

  onSpaceChange(listener: (space: string) => void): () => void {
    return this.conversations.onSpaceChange(listener);
  }

  state(): StateSnapshot {
    const { app, people } = this.o.world;
    return {
      app: { name: app.name, userName: app.userName, commands: app.commands },
      people,
      spaces: this.conversations.spaces(),
      mode: { audience: this.o.audienceMode, format: this.o.format },
    };
  }

  space(name: string): SpaceInfo {
    return this.conversations.space(name);
  }

  /** Makes `user` a plain member of a named space, or its manager again (roles live in the local Chat API). */
  setPlainMember(space: string, user: string, plain: boolean): void {
    this.conversations.setPlainMember(space, user, plain);
  }

  person(name: string): PersonInfo {
    return this.conversations.person(name);
  }

  /** A person made in the page (directory.ts says what is refused). */
  addPerson(input: { displayName?: unknown; email?: unknown }): PersonInfo {
    return addPerson(this.o.world, input);
  }

  /** A space made in the page, in the local Chat API with its members and roles; the app not in it yet. */
  createSpace(input: NewSpace): SpaceInfo {
    return this.space(createSpace(this.o.world, this.o.chatApi, (write) => this.conversations.own(write), this.conversations.spaces(), input));
  }

  /** Adds a person to a space, changes their role, or (`null`) removes them. */
  setMember(space: string, user: unknown, role: unknown): SpaceInfo {
    setMember(this.o.world, this.o.chatApi, (write) => this.conversations.own(write), this.space(space), user, role);
    return this.space(space);
  }

  /** What `viewer` sees in the space, oldest first: private messages only for their viewer. */
  timeline(spaceName: string, viewer: string): TimelineItem[] {
    return this.conversations.timeline(spaceName, viewer);
  }

  /** People, notes and recorded steps, for a data directory (the spaces are the local Chat API's). */
  snapshot(): SimulatorSnapshot {
    return { people: this.o.world.people, ...this.conversations.snapshot(), steps: this.recordedSteps() };
  }

  /** Back to a saved state (checked first: a bad one throws, saying what is wrong). */
  restore(value: unknown): void {
    const saved = readSimulatorSnapshot(value);
    this.o.world.people.splice(0, this.o.world.people.length, ...saved.people);
    this.conversations.restore(saved);
    this.steps = saved.steps;
  }

  /** The steps recorded so far, for a transcript. */
  recordedSteps(): TranscriptStep[] {
    return this.steps.filter((s) => !this.inFlight.has(s));
  }

  /**
   * Runs what a person did. The step is recorded in the order of sending, not of answering: an
   * add that takes seconds stays before a message sent meanwhile, so a replay adds the app first.
   */
  async interact(intent: Intent, options: { record?: boolean } = {}): Promise<StepOutcome & Pick<HomeResult, 'home'>> {
    // A dialog opened from the Home tab answers in App Home's terms (not recorded in transcripts).
    if ((intent.kind === 'dialogClick' || intent.kind === 'dialogClose') && this.home.ownsDialog(intent.dialog)) {
      const at = this.homeOf(intent.space, intent.user);
      const result = await this.home.dialogStep(at.space, at.user, intent.dialog, intent.kind === 'dialogClick' ? intent.path : undefined, intent.kind === 'dialogClick' ? intent.formInputs : {});
      return { ...result, step: { intent, created: [], events: [] } };
    }
    const draft: StepDraft = { created: [], events: [], entries: [] };
    const step: TranscriptStep = { intent, created: [], events: [] };
    const steps = this.steps;
    if (options.record ?? true) steps.push(step);
    this.inFlight.add(step);
    try {
      const effect = await this.intents.run(intent, draft);
      step.created = draft.created.map((m) => ({ name: m.name, threadName: m.threadName }));
      if (draft.openedDialog) step.openedDialog = draft.openedDialog;
      step.events = draft.events;
      return { entries: draft.entries, effect, step };
    } catch (err) {
      // Refused before anything was sent (an empty message, not a member): nothing to replay.
      if (steps.includes(step)) steps.splice(steps.indexOf(step), 1);
      throw err;
    } finally {
      this.inFlight.delete(step);
    }
  }
}
