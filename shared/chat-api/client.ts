/**
 * The Chat API client the worker (and `chatEvents`, for members' roles) uses: `@googleapis/chat`, created once per instance and loaded
 * only when first used. Errors are translated at this boundary into `ChatApiError`, whose
 * `retryable` flag decides between a redelivery and FAILED.
 *
 * Credentials: on a loopback root URL (the local Chat API) no Google credentials are sent or
 * needed; anywhere else the function's service account is used with the `chat.bot` scope.
 */
import type { chat_v1 } from '@googleapis/chat';
import { isLoopback } from '../config';
import { ChatApiError } from '../errors';
import type { ChatWireMessage } from '../replies/render-chat';

export const CHAT_BOT_SCOPE = 'https://www.googleapis.com/auth/chat.bot';

export interface CreateMessageRequest {
  /** `spaces/{id}` */
  parent: string;
  message: ChatWireMessage;
  /** Idempotency: a repeat with the same id returns the existing message. */
  requestId: string;
  /** `client-…` id, so later calls can address the message without knowing its server name. */
  messageId?: string;
  /** Reply in this thread, or start a new one if it is gone. */
  threadName?: string | null;
}

export interface SentMessage {
  name: string;
  text?: string;
}

/** A person's or the app's membership of a space (`spaces.members.get`, docs/chat-protocol.md §12). */
export interface SpaceMembership {
  /** `ROLE_MEMBER`, `ROLE_MANAGER`, `ROLE_ASSISTANT_MANAGER`, `MEMBERSHIP_ROLE_UNSPECIFIED`, or a value added later. */
  role: string;
}

export interface ChatApi {
  createMessage(req: CreateMessageRequest): Promise<SentMessage>;
  /** `updateMask` names the fields to change (`text`, `cardsV2`, `accessoryWidgets`). */
  patchMessage(name: string, message: ChatWireMessage, updateMask: string): Promise<SentMessage>;
  getMessage(name: string): Promise<SentMessage>;
  /** `name` is `spaces/{space}/members/users/{user}`. */
  getMembership(name: string): Promise<SpaceMembership>;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Maps a gaxios error (HTTP status, or a network failure without one) to a `ChatApiError`. */
export function toChatApiError(err: unknown, what: string): ChatApiError {
  const e = err as { status?: unknown; response?: { status?: unknown; data?: { error?: { message?: unknown } } }; code?: unknown; message?: unknown };
  const status = typeof e?.response?.status === 'number' ? e.response.status : typeof e?.status === 'number' ? e.status : undefined;
  const detail = typeof e?.response?.data?.error?.message === 'string' ? e.response.data.error.message : String(e?.message ?? err);
  // No status means the request never got an answer (refused, reset, timed out): retry.
  const retryable = status === undefined || RETRYABLE_STATUS.has(status);
  return new ChatApiError(`${what} failed${status ? ` with ${status}` : ''}: ${detail}`, status, retryable, { cause: err });
}

export interface ChatApiOptions {
  rootUrl: string;
  timeoutMs?: number;
  /** Tests under jest pass a loopback fetch (gaxios's default `import('node-fetch')` fails there). */
  fetchImplementation?: typeof fetch;
}

export function createChatApi(options: ChatApiOptions): ChatApi {
  let client: Promise<chat_v1.Chat> | undefined;
  const api = () => {
    client ??= import('@googleapis/chat').then(({ chat, auth }) => {
      const local = isLoopback(new URL(options.rootUrl).hostname);
      return chat({
        version: 'v1',
        rootUrl: options.rootUrl,
        ...(local ? {} : { auth: new auth.GoogleAuth({ scopes: [CHAT_BOT_SCOPE] }) }),
        // Retries are ours (chat-api/retry.ts) so that their number and timing are known.
        retry: false,
        timeout: options.timeoutMs ?? 15_000,
        ...(options.fetchImplementation ? { fetchImplementation: options.fetchImplementation } : {}),
      });
    });
    return client;
  };
  const call = async <T>(what: string, fn: (c: chat_v1.Chat) => Promise<{ data: T }>): Promise<T> => {
    const c = await api();
    try {
      return (await fn(c)).data;
    } catch (err) {
      throw toChatApiError(err, what);
    }
  };
  const sent = (m: chat_v1.Schema$Message): SentMessage => ({ name: m.name ?? '', ...(m.text ? { text: m.text } : {}) });

  return {
    async createMessage(req) {
      const body = { ...req.message, ...(req.threadName ? { thread: { name: req.threadName } } : {}) } as chat_v1.Schema$Message;
      return sent(
        await call('spaces.messages.create', (c) =>
          c.spaces.messages.create({
            parent: req.parent,
            requestId: req.requestId,
            ...(req.messageId ? { messageId: req.messageId } : {}),
            ...(req.threadName ? { messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD' } : {}),
            requestBody: body,
          }),
        ),
      );
    },
    async patchMessage(name, message, updateMask) {
      return sent(
        await call('spaces.messages.patch', (c) =>
          c.spaces.messages.patch({ name, updateMask, requestBody: message as chat_v1.Schema$Message }),
        ),
      );
    },
    async getMessage(name) {
      return sent(await call('spaces.messages.get', (c) => c.spaces.messages.get({ name })));
    },
    async getMembership(name) {
      const m = await call('spaces.members.get', (c) => c.spaces.members.get({ name }));
      return { role: m.role ?? 'MEMBERSHIP_ROLE_UNSPECIFIED' };
    },
  };
}
