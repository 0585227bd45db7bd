/**
 * The signing keys Chat tokens are checked against, fetched from a URL serving a JSON map
 * `kid -> PEM` (docs/chat-protocol.md §6) and cached as its `Cache-Control` says. Fails closed: a fetch that
 * fails or returns anything but a map of parseable keys is an error and is never cached.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { httpGet, type GetResponse, type HttpGet } from '../http/get';

export interface CertSource {
  /** The PEM for `kid`, `undefined` if the key set has no such key; rejects if the keys cannot be had. */
  get(kid: string): Promise<string | undefined>;
  /** The same key, parsed once when the set was fetched (what `crypto.verify` takes). */
  key(kid: string): Promise<KeyObject | undefined>;
}

export interface CertCacheOptions {
  /** Where the `kid -> PEM` map is served. */
  url: string;
  /** Defaults to a node:http(s) GET. */
  get?: HttpGet;
  /** Clock in ms since the epoch; defaults to `Date.now`. */
  now?: () => number;
  /** Least time between two fetches caused by unknown kids. Defaults to 30 s. */
  minRefetchIntervalMs?: number;
}

/** Used when the response has no `max-age`. */
const DEFAULT_MAX_AGE_MS = 3600 * 1000;
const DEFAULT_MIN_REFETCH_INTERVAL_MS = 30 * 1000;
/** Chat waits 30 s for the whole answer; a hanging key server must not use it all. */
export const FETCH_TIMEOUT_MS = 5 * 1000;
/** Google's key sets are a few KB. */
const MAX_KEYS_BYTES = 256 * 1024;
const MAX_AGE_PATTERN = /(?:^|[\s,])max-age=(\d+)/i;
/** A certificate or public key; a private key would parse too, but has no business here. */
const PUBLIC_PEM_PATTERN = /^\s*-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY)-----/;

interface SigningKey {
  pem: string;
  key: KeyObject;
}

interface KeySet {
  keys: ReadonlyMap<string, SigningKey>;
  expiresAt: number;
}

export function createCertCache(options: CertCacheOptions): CertSource {
  const get = options.get ?? httpGet;
  const now = options.now ?? Date.now;
  const minRefetchIntervalMs = options.minRefetchIntervalMs ?? DEFAULT_MIN_REFETCH_INTERVAL_MS;
  let current: KeySet | undefined;
  let inFlight: Promise<KeySet> | undefined;
  let lastFetchStartedAt = Number.NEGATIVE_INFINITY;

  // Concurrent callers share one fetch; only a successful one replaces the cached set.
  function refresh(): Promise<KeySet> {
    if (!inFlight) {
      const startedAt = now();
      lastFetchStartedAt = startedAt;
      inFlight = fetchKeySet(options.url, get, startedAt)
        .then((set) => (current = set))
        .finally(() => {
          inFlight = undefined;
        });
    }
    return inFlight;
  }

  async function lookup(kid: string): Promise<SigningKey | undefined> {
    const cached = current;
    if (!cached || now() >= cached.expiresAt) return (await refresh()).keys.get(kid);
    const found = cached.keys.get(kid);
    if (found !== undefined) return found;
    // An unknown kid may be a freshly rotated key, or a forgery: refetch, but rarely.
    if (inFlight) return (await inFlight).keys.get(kid);
    if (now() - lastFetchStartedAt < minRefetchIntervalMs) return undefined;
    return (await refresh()).keys.get(kid);
  }

  return {
    get: async (kid) => (await lookup(kid))?.pem,
    key: async (kid) => (await lookup(kid))?.key,
  };
}

async function fetchKeySet(url: string, get: HttpGet, startedAt: number): Promise<KeySet> {
  let response: GetResponse;
  try {
    response = await get(url, { timeoutMs: FETCH_TIMEOUT_MS, maxBytes: MAX_KEYS_BYTES });
  } catch (err) {
    throw new Error(`signing keys: GET ${url} failed`, { cause: err });
  }
  // The key endpoints answer 200 with the keys; any other status, another 2xx included, has none.
  if (response.status !== 200) throw new Error(`signing keys: GET ${url} answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch (err) {
    throw new Error(`signing keys: ${url} did not answer JSON`, { cause: err });
  }
  const keys = parseKeyMap(body);
  if (!keys) throw new Error(`signing keys: ${url} did not answer a non-empty map of key id to PEM`);
  return { keys, expiresAt: startedAt + maxAgeMs(response.headers['cache-control']) };
}

/** A `Map`, not the parsed object, so kids like `__proto__` or `constructor` find nothing. */
function parseKeyMap(body: unknown): Map<string, SigningKey> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const keys = new Map<string, SigningKey>();
  for (const [kid, pem] of Object.entries(body)) {
    const key = typeof pem === 'string' ? publicKey(pem) : undefined;
    if (!key) return undefined;
    keys.set(kid, { pem, key });
  }
  return keys.size > 0 ? keys : undefined;
}

/** An X.509 certificate or a public key, parsed: both are what `crypto.verify` takes. */
function publicKey(pem: string): KeyObject | undefined {
  if (!PUBLIC_PEM_PATTERN.test(pem)) return undefined;
  try {
    return createPublicKey(pem);
  } catch {
    return undefined;
  }
}

function maxAgeMs(cacheControl: string | undefined): number {
  const seconds = cacheControl ? MAX_AGE_PATTERN.exec(cacheControl)?.[1] : undefined;
  return seconds === undefined ? DEFAULT_MAX_AGE_MS : Number(seconds) * 1000;
}
