/**
 * `spaces/{spaceId}/webhooks/{hookId}`: incoming webhooks that let another system post into a
 * space. Only a SHA-256 hash of each secret is stored (secrets are 192 random bits, so a plain
 * hash is enough), and it is compared in constant time. A post is checked with plain reads
 * (hook, secret, space setting), then counted against the hook's per-minute limit: first by this
 * instance's token bucket, then in a transaction (one at a time per hook in an instance, see
 * http/burst-guard.ts); contention with another instance is answered as a rate limit, never as an
 * outage. A rejected post writes nothing. A space has at most `maxPerSpace` webhooks.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DocumentReference, Firestore } from '@google-cloud/firestore';
import type { ChatUser } from '../events/model';
import { createBurstGuard } from '../http/burst-guard';
import { isDocumentId } from '../ids';
import { GRPC, grpcCode, type FirestoreProvider } from './firestore';
import { DEFAULT_SETTINGS, SPACES } from './spaces';

export const WEBHOOKS = 'webhooks';

const HOOK_ID = /^[a-f0-9]{20}$/;

export type WebhookAuthorization =
  | { outcome: 'ok' }
  | { outcome: 'notFound' }
  | { outcome: 'badSecret' }
  | { outcome: 'disabled' }
  | { outcome: 'rateLimited'; retryAfterSeconds: number };

export interface WebhookStore {
  /**
   * Creates (or, for the same `hookId`, re-keys) a webhook and returns its secret, which is shown
   * once and never stored. Re-keying makes a retried `/notify` harmless: only the newest secret works.
   * Throws `TooManyWebhooksError` if the space has `maxPerSpace` webhooks already.
   */
  create(spaceId: string, hookId: string, by: ChatUser, maxPerSpace?: number): Promise<{ secret: string }>;
  /** Deletes every webhook of the space; returns how many there were. */
  revokeAll(spaceId: string): Promise<number>;
  authorize(spaceId: string, hookId: string, secret: string, perMinute: number): Promise<WebhookAuthorization>;
}

/**
 * A secret is 192 random bits in base64url after a fixed prefix, so that a leaked one is
 * recognisable wherever it lands (secret scanners, our own at-rest test), as GitHub's and
 * Stripe's tokens are.
 */
export const SECRET_PREFIX = 'whsec_';
/** Any webhook secret, anywhere in a text. */
export const SECRET_PATTERN = /whsec_[A-Za-z0-9_-]{32}/g;
const newSecret = () => `${SECRET_PREFIX}${randomBytes(24).toString('base64url')}`;

const hash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

export class TooManyWebhooksError extends Error {
  constructor(readonly max: number) {
    super(`the space has ${max} incoming webhooks, the most allowed`);
  }
}

export const isWebhookPath = (spaceId: string, hookId: string) => isDocumentId(spaceId) && HOOK_ID.test(hookId);

export function createWebhookStore(firestore: FirestoreProvider, now: () => number = Date.now): WebhookStore {
  const burst = createBurstGuard(now);
  /** The post counted in the hook's shared one-minute window, across instances. */
  const countPost = (db: Firestore, ref: DocumentReference, perMinute: number) =>
    db.runTransaction(async (tx): Promise<WebhookAuthorization> => {
      const hook = await tx.get(ref);
      if (!hook.exists) return { outcome: 'notFound' };
      const t = now();
      const windowStart = Number(hook.get('windowStart') ?? 0);
      const inWindow = t - windowStart < 60_000;
      const count = inWindow ? Number(hook.get('windowCount') ?? 0) : 0;
      if (count >= perMinute) return { outcome: 'rateLimited', retryAfterSeconds: Math.max(1, Math.ceil((windowStart + 60_000 - t) / 1000)) };
      tx.update(ref, { windowStart: inWindow ? windowStart : t, windowCount: count + 1, lastPostAt: new Date(t) });
      return { outcome: 'ok' };
    });
  const hooks = async (spaceId: string) => (await firestore()).collection(SPACES).doc(spaceId).collection(WEBHOOKS);
  return {
    async create(spaceId, hookId, by, maxPerSpace = Number.POSITIVE_INFINITY) {
      const secret = newSecret();
      const collection = await hooks(spaceId);
      const ref = collection.doc(hookId);
      // A transaction, so that two /notify at once cannot both take the last place.
      await collection.firestore.runTransaction(async (tx) => {
        const [existing, all] = await Promise.all([tx.get(ref), tx.get(collection.select())]);
        if (!existing.exists && all.size >= maxPerSpace) throw new TooManyWebhooksError(maxPerSpace);
        tx.set(ref, {
          hookId,
          secretHash: hash(secret).toString('hex'),
          createdBy: { name: by.name, displayName: by.displayName ?? null },
          createdAt: new Date(now()),
          windowStart: 0,
          windowCount: 0,
        });
      });
      return { secret };
    },
    async revokeAll(spaceId) {
      const db = await firestore();
      const refs = await (await hooks(spaceId)).listDocuments();
      const writer = db.bulkWriter();
      for (const ref of refs) void writer.delete(ref);
      await writer.close();
      return refs.length;
    },
    async authorize(spaceId, hookId, secret, perMinute) {
      const db = await firestore();
      const ref = (await hooks(spaceId)).doc(hookId);
      const [hook, space] = await db.getAll(ref, db.collection(SPACES).doc(spaceId));
      if (!hook.exists || !space.exists) return { outcome: 'notFound' };
      const expected = Buffer.from(String(hook.get('secretHash')), 'hex');
      const given = hash(secret);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { outcome: 'badSecret' };
      if ((space.get('settings.webhooksAllowed') ?? DEFAULT_SETTINGS.webhooksAllowed) !== true) return { outcome: 'disabled' };
      const key = `${spaceId}/${hookId}`;
      const taken = burst.take(key, perMinute);
      if (!taken.ok) return { outcome: 'rateLimited', retryAfterSeconds: taken.retryAfterSeconds };
      try {
        return await burst.serial(key, () => countPost(db, ref, perMinute));
      } catch (err) {
        // Other instances posting to the same hook at the same moment: that is a burst too.
        if (grpcCode(err) === GRPC.ABORTED) return { outcome: 'rateLimited', retryAfterSeconds: 1 };
        throw err;
      }
    },
  };
}
