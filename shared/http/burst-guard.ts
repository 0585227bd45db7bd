/**
 * In front of a shared counter kept in Firestore (a webhook's posts per minute): this instance's
 * own token bucket per key answers a burst over the limit at once, and a per-key queue runs this
 * instance's transactions on the key one at a time. Without them, a burst of posts to one webhook
 * ran as many concurrent transactions on one document, which Firestore aborts as contention and
 * the caller answered 503; now the excess gets 429 before it reaches Firestore, and what passes
 * never contends with itself (only with another instance, rarely). Written here: a bucket and a
 * promise chain are a few lines, and the libraries for them (limiter, p-queue) are ESM-only or
 * far larger than the need.
 */
import { BoundedMap } from '../bounded-map';

interface Bucket {
  tokens: number;
  at: number;
}

export interface BurstGuard {
  /** Takes a token for `key` (a bucket of `perMinute`, refilled evenly over a minute); else the seconds until one is free. */
  take(key: string, perMinute: number): { ok: true } | { ok: false; retryAfterSeconds: number };
  /** Runs `fn` after every earlier `fn` of the same key in this instance has settled. */
  serial<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Buckets kept at most: a full bucket is the same as none, so the oldest are dropped first. */
const MAX_KEYS = 10_000;

export function createBurstGuard(now: () => number = Date.now): BurstGuard {
  const buckets = new BoundedMap<string, Bucket>(MAX_KEYS);
  const queues = new Map<string, Promise<unknown>>();
  return {
    take(key, perMinute) {
      const t = now();
      const rate = perMinute / 60_000;
      const old = buckets.get(key);
      const tokens = old ? Math.min(perMinute, old.tokens + (t - old.at) * rate) : perMinute;
      if (tokens < 1) {
        buckets.set(key, { tokens, at: t });
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / rate / 1000)) };
      }
      buckets.set(key, { tokens: tokens - 1, at: t });
      return { ok: true };
    },
    serial(key, fn) {
      const run = (queues.get(key) ?? Promise.resolve()).then(fn);
      const settled = run.catch(() => undefined);
      queues.set(key, settled);
      void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
      });
      return run;
    },
  };
}
