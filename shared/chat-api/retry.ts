/**
 * A short in-process retry for retryable Chat API errors (429, 5xx, network), with exponential
 * backoff and full jitter. Past these few attempts the error is thrown, so that Pub/Sub
 * redelivers the job with its own, longer backoff.
 */
import { ChatApiError } from '../errors';

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 3, baseDelayMs = 200, maxDelayMs = 2000, sleep = defaultSleep, random = Math.random } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ChatApiError) || !err.retryable || attempt >= attempts) throw err;
      await sleep(Math.round(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))));
    }
  }
}
