/**
 * Shared setup for the local Chat API tests: a fake per test file, the real generated client
 * pointed at it with no credentials (so nothing leaves 127.0.0.1), and error unpacking.
 */
import { chat, type chat_v1 } from '@googleapis/chat';
import { startLocalChatApi, type LocalChatApi, type LocalChatApiOptions } from '../../local/chat-api';
import { loopbackFetch } from './loopback-fetch';

// No auth client means googleapis-common sends a plain request; this also stops any ADC probe.
process.env.METADATA_SERVER_DETECTION = 'none';

/**
 * The real client, retries off so every test sees exactly the calls it makes, sending through a
 * transport that refuses anything but loopback (see loopback-fetch.ts for why not the default).
 */
export function chatClient(rootUrl: string, extra: Omit<chat_v1.Options, 'version'> = {}): chat_v1.Chat {
  return chat({ version: 'v1', rootUrl, retry: false, fetchImplementation: loopbackFetch, ...extra });
}

export interface Harness {
  api: LocalChatApi;
  client: chat_v1.Chat;
}

export async function startHarness(options: LocalChatApiOptions = {}): Promise<Harness> {
  const api = await startLocalChatApi(options);
  return { api, client: chatClient(api.url) };
}

/** A clock tests move by hand. */
export function manualClock(startMs = Date.UTC(2025, 0, 1)): { now: () => number; advance(ms: number): void; set(ms: number): void } {
  let t = startMs;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}

export interface CaughtApiError {
  httpStatus: number;
  code: unknown;
  status: unknown;
  message: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Awaits a call that must fail with an HTTP error and returns Google's error fields. */
export async function apiError(call: Promise<unknown>): Promise<CaughtApiError> {
  try {
    await call;
  } catch (err) {
    const response = isRecord(err) ? err.response : undefined;
    if (!isRecord(response) || typeof response.status !== 'number') throw err;
    const error = isRecord(response.data) && isRecord(response.data.error) ? response.data.error : {};
    return { httpStatus: response.status, code: error.code, status: error.status, message: error.message };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Fails with an error that has no HTTP response (connection closed or timed out). */
export async function networkError(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (err) {
    if (isRecord(err) && isRecord(err.response)) throw new Error(`expected no response, got HTTP ${String(err.response.status)}`);
    if (err instanceof Error) return err;
    throw err;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const SPACE = 'spaces/AAAA';

/** A body outside the client's types (typos, snake_case, wrong types), sent as is on purpose. */
export const offSchema = (body: Record<string, unknown>): chat_v1.Schema$Message => body as chat_v1.Schema$Message;
