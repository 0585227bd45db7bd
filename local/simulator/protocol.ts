/**
 * The simulator's own HTTP API between its server and the page (not a Google API). Types only, so
 * the browser code can import them too. The page sends what a person did (an `Intent`); the
 * server builds the Chat event, signs and delivers it, applies the app's answer to the spaces and
 * tells the page what to show (`UiEffect`).
 */

/** One form input in the documented shape (docs/chat-protocol.md §2.7), keyed by widget name in `FormInputs`. */
export type FormInput =
  | { stringInputs: { value: string[] } }
  | { dateTimeInput: { msSinceEpoch: string; hasDate: boolean; hasTime: boolean } }
  | { dateInput: { msSinceEpoch: string } }
  | { timeInput: { hours: number; minutes: number } };
export type FormInputs = Record<string, FormInput>;

/**
 * Where a clickable element sits: `c0.s1.w2` is card 0, section 1, widget 2; then `.b3` a button
 * of a button list, `.btn` a decorated text's button, `.sw` its switch, `.col1.w0` a widget in a
 * column, `.g4` a grid item, `.chip2` a chip; `footer.primary` / `footer.secondary` the dialog
 * footer; `a0.b1` an accessory widget's button.
 */
export type WidgetPath = string;

/** What a person did on the page. `user` is who is acting (`users/…`). */
export type Intent =
  | { kind: 'message'; space: string; user: string; text: string; threadName?: string }
  | { kind: 'add'; space: string; user: string }
  | { kind: 'remove'; space: string; user: string }
  | { kind: 'click'; space: string; user: string; message: string; path: WidgetPath; formInputs: FormInputs }
  | { kind: 'dialogClick'; space: string; user: string; dialog: string; path: WidgetPath; formInputs: FormInputs }
  | { kind: 'dialogClose'; space: string; user: string; dialog: string }
  | { kind: 'autocomplete'; space: string; user: string; message?: string; dialog?: string; path: WidgetPath; query: string; formInputs: FormInputs };

export type IntentKind = Intent['kind'];

/** A dialog open on the page: its id (the server keeps its card to resolve clicks) and card. */
export interface OpenDialog {
  id: string;
  card: unknown;
}

/** What the page shows after an interaction. */
export type UiEffect =
  | { kind: 'none' }
  | { kind: 'dialog'; dialog: OpenDialog }
  | { kind: 'closeDialog'; dialog: string; notice?: string }
  /** An error from a dialog step: the dialog stays open with the message (`status` from classic answers; add-ons send none). */
  | { kind: 'dialogError'; dialog: string; status?: string; notice: string }
  /** A notification outside a dialog (add-ons): shown as a toast. */
  | { kind: 'notice'; text: string }
  | { kind: 'suggestions'; widget: string; path: WidgetPath; items: SuggestionItem[] }
  | { kind: 'requestConfig'; url: string }
  /** The app failed (no answer, non-2xx, an answer Chat would refuse): shown as Chat shows it. */
  | { kind: 'appError'; notice: string };

export interface SuggestionItem {
  text: string;
  value: string;
  bottomText?: string;
  startIconUri?: string;
}

export interface InteractionResult {
  /** The inspector entries this interaction made (none when no event was sent). */
  entries: number[];
  effect: UiEffect;
  /** The App Home card now shown in the DM's Home tab, when the interaction was there. */
  home?: { space: string; card: unknown };
}

/** A request to chatEvents and its answer, as the inspector shows it. */
export interface InspectorEntry {
  id: number;
  /** ms since the epoch. */
  time: number;
  /** `MESSAGE /poll`, `CARD_CLICKED pollVote`, `Chat API create`, … */
  label: string;
  kind: 'event' | 'chat-api' | 'note';
  space?: string;
  event?: unknown;
  /** The token's header and claims (never the signature). */
  token?: { header: unknown; claims: unknown };
  status?: number;
  response?: unknown;
  latencyMs?: number;
  /** What the simulator made of the answer, or why the call failed. */
  outcome?: string;
  /** Sent, no answer yet: listed when it leaves, completed when the answer comes. */
  pending?: boolean;
}

export interface PersonInfo {
  name: string;
  displayName: string;
  /** Optional for people made in the page; a `User` without one carries no `email` (docs/chat-protocol.md §2). */
  email?: string;
  color: string;
}

export interface SpaceInfo {
  name: string;
  displayName: string;
  spaceType: 'SPACE' | 'DIRECT_MESSAGE' | 'GROUP_CHAT';
  members: string[];
  appIsMember: boolean;
  /** Who manages the space in Chat (owners and managers, from the local Chat API); none in DMs and group chats. */
  managers?: string[];
}

export interface CommandInfo {
  id: number;
  name: string;
  description: string;
  opensDialog: boolean;
}

export interface AppInfo {
  name: string;
  userName: string;
  commands: CommandInfo[];
}

export interface StateSnapshot {
  app: AppInfo;
  people: PersonInfo[];
  spaces: SpaceInfo[];
  /** Audience mode and event format in use, for the header. */
  mode: { audience: string; format: string };
}

/** A message as the page shows it; private ones only reach their viewer. */
export interface TimelineMessage {
  kind: 'message';
  name: string;
  sender: { name: string; type: 'BOT' | 'HUMAN'; displayName: string };
  threadName: string;
  threadReply: boolean;
  text?: string;
  cardsV2?: unknown[];
  accessoryWidgets?: unknown[];
  privateMessageViewer?: { name: string };
  createTime: string;
  lastUpdateTime?: string;
  updateCount: number;
  /** Shown under the message when the app failed to answer it. */
  appError?: string;
}

/** Lines such as "Ada Lovelace added Team Assistant". */
export interface TimelineNote {
  kind: 'note';
  id: string;
  text: string;
  createTime: string;
}

export type TimelineItem = TimelineMessage | TimelineNote;

/** Pushed over server-sent events; the page refetches what changed. */
export type StreamEvent =
  | { type: 'space'; space: string }
  | { type: 'spaces' }
  | { type: 'inspector'; entry: InspectorEntry }
  | { type: 'reset' };

/** A saved session: what people did, and what the app answered each time. */
export interface Transcript {
  format: 'chat-simulator-transcript';
  version: 1;
  savedAt: string;
  steps: TranscriptStep[];
}

export interface TranscriptStep {
  intent: Intent;
  /** The messages this step created, in order (to map later steps onto a replay's messages). */
  created: { name: string; threadName: string }[];
  /** The dialog this step opened, if any. */
  openedDialog?: string;
  /** Each event of the step and the app's answer: `response` with ids, times and tokens masked (see mask.ts). */
  events: { label: string; status?: number; answer: string; response?: unknown }[];
}

export interface ReplayStepResult {
  index: number;
  label: string;
  ok: boolean;
  /** What differs from the recording, if anything. */
  difference?: string;
}

export interface ReplayReport {
  steps: ReplayStepResult[];
  passed: number;
  failed: number;
}

/** What the page's tools change while the simulator runs (`GET/POST /api/settings`). */
export interface SimulatorSettings {
  /** Each event to the app is held this long before it leaves (0: at once). */
  eventDelayMs: number;
  /** Where events go instead of the simulator's chatEvents ('' for chatEvents). */
  endpointUrl: string;
}

/** Chat's retries from the inspector: `once` as a retry, `twice` two copies at the same time. */
export type RedeliveryMode = 'once' | 'twice';

/** What repeating an event showed: each repeat's answer against the first, and whether the app wrote anything. */
export interface RedeliveryReport {
  original: number;
  mode: RedeliveryMode;
  attempts: { entry: number; status: number; sameAnswer: boolean }[];
  sameAnswer: boolean;
  /** No Firestore document of the space changed and no Chat API call was made while the repeats ran. */
  wroteNothing: boolean;
  chatApiCalls: number;
  summary: string;
}

/** A fault of the local Chat API, as the page's tools inject it (local/chat-api: FaultSpec). */
export interface FaultInfo {
  method: '*' | 'create' | 'get' | 'patch' | 'update' | 'delete';
  count: number;
  status?: number;
  hangMs?: number;
  delayOnly?: boolean;
}
