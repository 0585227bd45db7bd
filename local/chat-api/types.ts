/**
 * Public shapes of the local Chat API: what tests, the control endpoints and (later) the browser
 * simulator see. Wire shapes follow docs/chat-protocol.md §7; card JSON is kept as plain JSON on purpose, since
 * the fake checks only the limits Chat enforces, not the whole card schema.
 */
import type { JsonObject } from './json';
import type { SpaceSnapshot } from './snapshot';

export const SPACE_TYPES = ['SPACE', 'DIRECT_MESSAGE', 'GROUP_CHAT'] as const;
export type SpaceType = (typeof SPACE_TYPES)[number];

/**
 * The Chat API methods the fake serves: `spaces.messages.*`, `spaces.members.get` as `getMember`,
 * `spaces.get` as `getSpace` and `spaces.members.list` as `listMembers`.
 */
export const API_METHODS = ['create', 'get', 'patch', 'update', 'delete', 'getMember', 'getSpace', 'listMembers'] as const;
export type ApiMethod = (typeof API_METHODS)[number];
export const isApiMethod = (v: unknown): v is ApiMethod =>
  typeof v === 'string' && (API_METHODS as readonly string[]).includes(v);

/** The methods that count against the per-space write quota (docs/chat-protocol.md §7.3). */
export const WRITE_METHODS: readonly ApiMethod[] = ['create', 'patch', 'update', 'delete'];

export interface SpaceSpec {
  /** `spaces/<id>`, id of letters, digits, `-` and `_`. */
  name: string;
  displayName?: string;
  /** Defaults to `SPACE`. */
  spaceType?: SpaceType;
  /** Defaults to true; false makes every API call on the space a 403. */
  appIsMember?: boolean;
  /** `users/<id>` of the person who created the space: its manager in a named space (`SPACE`). */
  creator?: string;
  /** Other people in the space (`users/<id>`), plain members. */
  members?: string[];
}

/** `Membership.role` (docs/chat-protocol.md §12). */
export const MEMBERSHIP_ROLES = ['ROLE_MEMBER', 'ROLE_MANAGER', 'ROLE_ASSISTANT_MANAGER'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** A person's membership as the local Chat API keeps it. */
export interface Member {
  /** `users/<id>` */
  name: string;
  role: MembershipRole;
}

export interface Space {
  name: string;
  displayName?: string;
  spaceType: SpaceType;
  appIsMember: boolean;
}

/** A message as the space shows it. */
export interface StoredMessage {
  /** `spaces/<space>/messages/<server id>`; never the client id. */
  name: string;
  space: string;
  sender: { name: string; type: 'BOT' | 'HUMAN' };
  /** `spaces/<space>/threads/<id>`. */
  threadName: string;
  threadKey?: string;
  /** True when the message joined a thread that already existed. */
  threadReply: boolean;
  text?: string;
  cardsV2?: JsonObject[];
  accessoryWidgets?: JsonObject[];
  attachment?: JsonObject[];
  privateMessageViewer?: { name: string };
  /** The `client-…` id given as `messageId` (or by an `allowMissing` upsert). */
  clientAssignedMessageId?: string;
  /** The `requestId` the message was created with, if any. */
  requestId?: string;
  /** RFC 3339. */
  createTime: string;
  /** RFC 3339; absent until the first update, as in Chat. */
  lastUpdateTime?: string;
  /** 0 at creation, +1 per successful patch/update. */
  updateCount: number;
}

export interface RecordedCall {
  /** The API method the path and HTTP verb map to, or `unknown`. */
  method: ApiMethod | 'unknown';
  httpMethod: string;
  /** Decoded URL path, e.g. `/v1/spaces/AAA/messages/client-x`. */
  path: string;
  query: Record<string, string>;
  /** The status sent; 0 when the connection was closed without a response (a hang fault). */
  status: number;
  /** `now()` when the request arrived, in ms. */
  time: number;
  /** The space the path names, if any. */
  space?: string;
  /** True when an injected fault produced the outcome. */
  faulted: boolean;
}

export interface FaultSpec {
  /** Which API method fails; `*` matches any. */
  method: ApiMethod | '*';
  /** How many of the next matching calls fail (≥ 1). */
  count: number;
  /** HTTP status to answer with. Defaults to 503, or to closing the connection when `hangMs` is set. */
  status?: number;
  /** Wait this long before answering (or closing). */
  hangMs?: number;
  /** Wait `hangMs`, then serve the call as usual: a slow API, not a failing one (no `status`). */
  delayOnly?: boolean;
}

/** A person's message, as the simulator or a test posts it into a space. */
export interface UserMessageSpec {
  space: string;
  sender: { name: string; displayName?: string };
  text: string;
  /** Joins this thread, or starts it under this name if it does not exist yet. */
  threadName?: string;
}

/** The app's answer to an interaction, as Chat posts it (sender BOT): the simulator's synchronous replies. */
export interface AppMessageSpec {
  space: string;
  /** Joins this thread (registering it if new); without one the message starts a new thread. */
  threadName?: string;
  text?: string;
  cardsV2?: JsonObject[];
  accessoryWidgets?: JsonObject[];
  privateMessageViewer?: { name: string };
}

/** The fields an interaction's answer may replace on a message (UPDATE_MESSAGE, UPDATE_USER_MESSAGE_CARDS). */
export const EDITABLE_FIELDS = ['text', 'cardsV2', 'accessoryWidgets'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type MessageEdit = Partial<Pick<StoredMessage, EditableField>>;

export type ChangeEvent =
  | { type: 'create' | 'update' | 'delete'; message: StoredMessage }
  /** A space was added or its membership changed (`space` set), or it was removed (`space` null). */
  | { type: 'space'; name: string; space: Space | null }
  | { type: 'reset' };

export type ChangeListener = (event: ChangeEvent) => void;

export interface LocalChatApiOptions {
  /** Defaults to a free port chosen by the OS. */
  port?: number;
  /** Must be a loopback address; defaults to 127.0.0.1. */
  host?: string;
  /** Per-space write quota in any sliding 60 s window; defaults to Chat's 60. */
  writesPerMinutePerSpace?: number;
  /** Clock in ms since the epoch; defaults to `Date.now`. Drives timestamps and the quota window. */
  now?: () => number;
}

export interface LocalChatApi {
  /** Root URL ending with `/`, to pass as `rootUrl` to the `@googleapis/chat` client. */
  readonly url: string;
  /** Adds a space; throws if the name is invalid or taken. */
  addSpace(spec: SpaceSpec): Space;
  /** Every API call so far (not control calls), oldest first. */
  calls(): RecordedCall[];
  /** Drops faults not yet used. */
  clearFaults(): void;
  /** Faults injected and not yet used up, in the order they apply. */
  faults(): FaultSpec[];
  /** Makes the next `count` calls to `method` fail; faults queue in the order given. */
  injectFault(fault: FaultSpec): void;
  /** What the space shows, oldest first; throws for an unknown space. */
  messages(space: string): StoredMessage[];
  /** Posts a person's message (sender type HUMAN); throws for an unknown space or a thread of another space. */
  postUserMessage(spec: UserMessageSpec): StoredMessage;
  /** Posts the app's message the way Chat posts a synchronous answer; throws for an unknown space or a thread of another space. */
  postAppMessage(spec: AppMessageSpec): StoredMessage;
  /**
   * Replaces the `fields` of a message (a field missing from `edit` is cleared), as Chat does when an
   * interaction is answered with UPDATE_MESSAGE or UPDATE_USER_MESSAGE_CARDS; throws for an unknown message.
   */
  editMessage(name: string, edit: MessageEdit, fields: readonly EditableField[]): StoredMessage;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void;
  /** Removes a space and its messages; throws for an unknown space. */
  removeSpace(name: string): void;
  /** Back to the freshly started state: no spaces, messages, calls, faults or quota usage. */
  reset(): void;
  /** Adds the app to the space or removes it (then API calls on it get 403). */
  setAppMembership(space: string, isMember: boolean): void;
  /** The people in the space with their roles, in the order they joined; throws for an unknown space. */
  members(space: string): Member[];
  /** Adds a person, changes their role, or (`null`) removes them; throws for an unknown space or a role a DM or group chat cannot have. */
  setMemberRole(space: string, user: string, role: MembershipRole | null): void;
  /** All spaces, in the order added. */
  spaces(): Space[];
  /** Every space with its members, threads and messages, as JSON (a data directory keeps it). */
  snapshot(): SpaceSnapshot[];
  /** Replaces every space with a snapshot's; throws, saying what is wrong, for one that is not. */
  restore(spaces: unknown): void;
  /** Closes the server, cutting any hanging requests. */
  stop(): Promise<void>;
}
