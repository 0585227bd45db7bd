/**
 * `spaces/{spaceId}/webhooks/{hookId}`: incoming webhooks that let another system post into a
 * space. Only a SHA-256 hash of each secret is stored (secrets are 192 random bits, so a plain
 * hash is enough), and it is compared in constant time. Each post is authorized in one
 * transaction that also counts it against the hook's per-minute limit; a rejected post writes nothing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChatUser } from '../events/model';
import { isDocumentId } from '../ids';
import type { FirestoreProvider } from './firestore';
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
   */
  create(spaceId: string, hookId: string, by: ChatUser): Promise<{ secret: string }>;
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

export const isWebhookPath = (spaceId: string, hookId: string) => isDocumentId(spaceId) && HOOK_ID.test(hookId);

export function createWebhookStore(firestore: FirestoreProvider, now: () => number = Date.now): WebhookStore {
  const hooks = async (spaceId: string) => (await firestore()).collection(SPACES).doc(spaceId).collection(WEBHOOKS);
  return {
    async create(spaceId, hookId, by) {
      const secret = newSecret();
      await (await hooks(spaceId)).doc(hookId).set({
        hookId,
        secretHash: hash(secret).toString('hex'),
        createdBy: { name: by.name, displayName: by.displayName ?? null },
        createdAt: new Date(now()),
        windowStart: 0,
        windowCount: 0,
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
      return db.runTransaction(async (tx): Promise<WebhookAuthorization> => {
        const [hook, space] = await Promise.all([tx.get(ref), tx.get(db.collection(SPACES).doc(spaceId))]);
        if (!hook.exists || !space.exists) return { outcome: 'notFound' };
        const expected = Buffer.from(String(hook.get('secretHash')), 'hex');
        const given = hash(secret);
        if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { outcome: 'badSecret' };
        if ((space.get('settings.webhooksAllowed') ?? DEFAULT_SETTINGS.webhooksAllowed) !== true) return { outcome: 'disabled' };
        const t = now();
        const windowStart = Number(hook.get('windowStart') ?? 0);
        const inWindow = t - windowStart < 60_000;
        const count = inWindow ? Number(hook.get('windowCount') ?? 0) : 0;
        if (count >= perMinute) return { outcome: 'rateLimited', retryAfterSeconds: Math.max(1, Math.ceil((windowStart + 60_000 - t) / 1000)) };
        tx.update(ref, { windowStart: inWindow ? windowStart : t, windowCount: count + 1, lastPostAt: new Date(t) });
        return { outcome: 'ok' };
      });
    },
  };
}
