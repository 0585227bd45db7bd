/**
 * The semantics of `spaces.messages.{create,get,patch,update,delete}` (docs/chat-protocol.md §7), and
 * the reads of a space and its members (`spaces.get`, `spaces.members.get`/`list`, §12). Checks run in
 * the order a request meets them: space, membership, quota, then the method's own rules.
 */
import { checkMessageBody } from '../schema/conformance';
import { describeViolations } from '../schema/answers';
import { alreadyExists, invalidArgument, notFound, permissionDenied, resourceExhausted } from './errors';
import type { JsonObject, JsonValue } from './json';
import { contentOf, readMessageInput } from './message-input';
import type { SlidingWindowQuota } from './quota';
import { checkContent, checkMessageId, isClientId, parseBool, parseReplyOption, parseUpdateMask } from './rules';
import type { ChatStore } from './store';
import { placeInThread } from './threads';
import { WRITE_METHODS, type ApiMethod, type StoredMessage } from './types';
import { toWireMembership, toWireMessage, toWireSpace } from './wire';

export interface ApiRequest {
  method: ApiMethod;
  /** `spaces/<id>`. */
  space: string;
  /** The last path segment for message-level methods: a server id or a `client-…` id. */
  messageId?: string;
  /** `users/<id>` for `getMember`. */
  member?: string;
  query: Record<string, string>;
  /** Parsed JSON body; undefined when the request had none. */
  body: JsonValue | undefined;
}

export interface ApiDeps {
  store: ChatStore;
  quota: SlidingWindowQuota;
}

/** The JSON body of a successful call (always 200, as in Chat). */
export function handleApiRequest(deps: ApiDeps, req: ApiRequest): JsonObject {
  const { store, quota } = deps;
  const space = store.space(req.space);
  if (!space) throw notFound(`Space ${req.space} not found.`);
  if (!space.appIsMember) throw permissionDenied(`The caller does not have permission: the app is not a member of ${req.space}.`);
  // Only writes that reach the space count, whatever their outcome afterwards (docs/chat-protocol.md §7.3).
  if (WRITE_METHODS.includes(req.method) && !quota.tryAdmit(req.space)) {
    throw resourceExhausted(`Quota exceeded for quota metric 'Write requests per space' for ${req.space}.`);
  }
  switch (req.method) {
    case 'create':
      return toWireMessage(createMessage(store, req));
    case 'get':
      return toWireMessage(mustFind(store, req));
    case 'patch':
    case 'update':
      return toWireMessage(updateMessage(store, req));
    case 'delete':
      store.deleteMessage(req.space, mustFind(store, req).name);
      return {};
    case 'getMember':
      return getMember(store, req.space, req.member ?? '');
    case 'getSpace':
      return toWireSpace(space);
    case 'listMembers':
      // With app authentication the list leaves out apps' memberships, the caller's own included [U].
      return { memberships: store.members(req.space).map((m) => toWireMembership(req.space, m, 'HUMAN')) };
  }
}

/**
 * Google's schema, as Chat's front end applies it: a body the proto3 JSON mapping or Chat's card
 * rules refuse is a 400 naming the path (and is kept in the conformance log, which fails the test
 * that sent it).
 */
function checkSchema(req: ApiRequest): void {
  const violations = checkMessageBody(req.body ?? {}, `spaces.messages.${req.method}`);
  if (violations.length > 0) throw invalidArgument(`Invalid JSON payload received. ${describeViolations(violations)}`);
}

function mustFind(store: ChatStore, req: ApiRequest): StoredMessage {
  const message = req.messageId === undefined ? undefined : store.findMessage(req.space, req.messageId);
  if (!message) throw notFound(`Message ${req.space}/messages/${req.messageId ?? ''} not found.`);
  return message;
}

function createMessage(store: ChatStore, req: ApiRequest): StoredMessage {
  const { requestId, messageId } = req.query;
  // Same requestId: the first result, never a second message, even if this body differs.
  const replay = requestId === undefined ? undefined : store.findByRequestId(req.space, requestId);
  if (replay) return replay;

  if (messageId !== undefined) checkMessageId(messageId);
  const option = parseReplyOption(req.query.messageReplyOption);
  const input = readMessageInput(req.body ?? {});
  const content = contentOf(input);
  checkContent(content);
  checkSchema(req);
  if (messageId !== undefined && store.findMessage(req.space, messageId)) {
    throw alreadyExists(`Message with ID ${messageId} already exists in ${req.space}.`);
  }
  // The `threadKey` query parameter is the deprecated spelling of `thread.threadKey`.
  const threadKey = input.thread?.threadKey ?? req.query.threadKey;
  const placement = placeInThread(store, req.space, option, {
    ...(input.thread?.name !== undefined ? { name: input.thread.name } : {}),
    ...(threadKey !== undefined ? { threadKey } : {}),
  });
  return store.insertMessage(req.space, {
    ...content,
    ...placement,
    ...(input.privateMessageViewer ? { privateMessageViewer: input.privateMessageViewer } : {}),
    ...(messageId !== undefined ? { clientAssignedMessageId: messageId } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
  });
}

function updateMessage(store: ChatStore, req: ApiRequest): StoredMessage {
  const mask = parseUpdateMask(req.query.updateMask);
  const allowMissing = parseBool('allow_missing', req.query.allowMissing);
  const input = readMessageInput(req.body ?? {});
  const id = req.messageId ?? '';
  const existing = store.findMessage(req.space, id);

  if (!existing) {
    if (!allowMissing) throw notFound(`Message ${req.space}/messages/${id} not found.`);
    if (!isClientId(id)) {
      throw invalidArgument('allowMissing=true needs a client-assigned message ID (client-…) in the message name.');
    }
    checkMessageId(id);
    // Upsert: the message is created from the whole body and the mask is ignored.
    const content = contentOf(input);
    checkContent(content);
    checkSchema(req);
    return store.insertMessage(req.space, {
      ...content,
      threadName: store.newThread(req.space),
      threadReply: false,
      clientAssignedMessageId: id,
      ...(input.privateMessageViewer ? { privateMessageViewer: input.privateMessageViewer } : {}),
    });
  }

  const next: StoredMessage = { ...existing };
  for (const field of mask) {
    const value = input[field];
    // A masked field absent from the body is cleared, as with any field-mask update.
    if (value === undefined) delete next[field];
    else Object.assign(next, { [field]: value });
  }
  checkContent(contentOf(next));
  checkSchema(req);
  return store.replaceMessage(next);
}

/** `spaces.members.get`: the app's own membership for `users/app`, a person's with their role, 404 for anyone else. */
function getMember(store: ChatStore, space: string, member: string): JsonObject {
  if (member === APP_USER) return toWireMembership(space, { name: APP_USER, role: 'ROLE_MEMBER' }, 'BOT');
  const role = store.roleOf(space, member);
  if (!role) throw notFound(`Membership ${space}/members/${member} not found.`);
  return toWireMembership(space, { name: member, role }, 'HUMAN');
}

const APP_USER = 'users/app';
