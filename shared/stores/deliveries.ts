/**
 * `deliveries/{key}`: one record per Chat delivery, so a retried event runs its handler once
 * and every delivery gets the same answer.
 *
 * - The first delivery claims the key with `create()`, which is atomic: only one caller wins.
 * - A repeat of a finished delivery gets the stored response string, byte for byte.
 * - A repeat while the first is still running polls for its result, then gives up (`inFlight`).
 * - A claim whose lease ran out (its process died) is taken over with a compare-and-set update.
 * - A handler that only stages writes skips the claim: `record` creates the finished record and
 *   commits the writes in one batch, and loses atomically (writing nothing) to any other attempt.
 * Ownership is proven by the document's update time, so a stale owner cannot overwrite a takeover.
 */
import { randomUUID } from 'node:crypto';
import type { DocumentReference, Firestore, Timestamp, WriteBatch } from '@google-cloud/firestore';
import { GRPC, grpcCode, hasCode, type FirestoreProvider } from './firestore';

export const DELIVERIES = 'deliveries';

/**
 * What a write conditioned on our claim's update time fails with when another attempt took the
 * record over (FAILED_PRECONDITION) or it was released or swept. The emulator answers a missing
 * document with FAILED_PRECONDITION too (checked against it); that production may answer NOT_FOUND
 * is [U], so both mean the same here.
 */
const CLAIM_LOST = [GRPC.FAILED_PRECONDITION, GRPC.NOT_FOUND];

export interface Claim {
  key: string;
  ref: DocumentReference;
  /** Update time of our last write: the precondition of our next one. */
  writeTime: Timestamp;
  attempt: number;
}

export type ClaimResult =
  | { outcome: 'claimed'; claim: Claim }
  /** `waited`: the record was still running when first read, and this repeat waited for its answer. */
  | { outcome: 'done'; response: string; waited: boolean }
  | { outcome: 'inFlight' };

export interface DeliveryStore {
  /** `exists`: the caller just saw a record, so start by reading it rather than creating one. */
  claim(key: string, info: DeliveryInfo, options?: { exists?: boolean }): Promise<ClaimResult>;
  /**
   * Stores the answer, with `writes` in the same atomic batch; returns false if another attempt
   * took the claim over meanwhile, or the claim was deleted (and then writes nothing).
   */
  complete(claim: Claim, response: string, writes?: DeliveryWrites): Promise<boolean>;
  /**
   * Creates the finished record with its answer and `writes` in one batch; returns false, having
   * written nothing, if the delivery already has a record (claimed or done).
   */
  record(key: string, info: DeliveryInfo, response: string, writes?: DeliveryWrites): Promise<boolean>;
  /** Gives the claim up so that Chat's retry can run the handler again. */
  release(claim: Claim): Promise<void>;
}

type Write = (batch: WriteBatch) => void;

/** What commits with a delivery's answer. */
export interface DeliveryWrites {
  /** The handler's own writes: they commit with the answer or the whole batch fails. */
  handler?: Write;
  /**
   * The activity counters, in the order to try them: each needs a document of the space to
   * exist, and when a commit fails with NOT_FOUND the next is tried, then none (the space was
   * removed meanwhile), so a finishing delivery cannot bring the space back.
   */
  counters?: Write[];
}

export interface DeliveryInfo {
  space: string;
  eventType: string;
}

export interface DeliveryTimings {
  leaseMs: number;
  waitMs: number;
  ttlMs: number;
  pollMs?: number;
  now?: () => number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createDeliveryStore(firestore: FirestoreProvider, timings: DeliveryTimings): DeliveryStore {
  const now = timings.now ?? Date.now;
  const pollMs = timings.pollMs ?? 100;

  const fresh = (info: DeliveryInfo, t: number) => ({
    space: info.space,
    eventType: info.eventType,
    createdAt: new Date(t),
    expireAt: new Date(t + timings.ttlMs),
  });

  const tryCreate = async (ref: DocumentReference, info: DeliveryInfo): Promise<Claim | undefined> => {
    const t = now();
    try {
      const result = await ref.create({ ...fresh(info, t), status: 'RUNNING', owner: randomUUID(), attempt: 1, leaseUntil: t + timings.leaseMs });
      return { key: ref.id, ref, writeTime: result.writeTime, attempt: 1 };
    } catch (err) {
      if (grpcCode(err) === GRPC.ALREADY_EXISTS) return undefined;
      throw err;
    }
  };

  const tryTakeOver = async (ref: DocumentReference, updateTime: Timestamp, attempt: number): Promise<Claim | undefined> => {
    try {
      const result = await ref.update(
        { owner: randomUUID(), attempt: attempt + 1, leaseUntil: now() + timings.leaseMs },
        { lastUpdateTime: updateTime },
      );
      return { key: ref.id, ref, writeTime: result.writeTime, attempt: attempt + 1 };
    } catch (err) {
      if (hasCode(err, CLAIM_LOST)) return undefined;
      throw err;
    }
  };

  /** Polls a claim held by another attempt; `undefined` means it was released. */
  const waitForOther = async (ref: DocumentReference, giveUpAt: number): Promise<ClaimResult | undefined> => {
    for (let reads = 0; ; reads++) {
      const snap = await ref.get();
      const data = snap.data();
      if (!data) return undefined;
      if (data.status === 'DONE') return { outcome: 'done', response: data.response, waited: reads > 0 };
      if (data.leaseUntil <= now()) {
        const taken = await tryTakeOver(ref, snap.updateTime!, data.attempt ?? 1);
        if (taken) return { outcome: 'claimed', claim: taken };
        continue;
      }
      if (now() >= giveUpAt) return { outcome: 'inFlight' };
      await sleep(pollMs);
    }
  };

  return {
    async claim(key, info, options = {}) {
      const ref = (await firestore()).collection(DELIVERIES).doc(key);
      const giveUpAt = now() + timings.waitMs;
      for (let create = !options.exists; ; create = true) {
        const created = create ? await tryCreate(ref, info) : undefined;
        if (created) return { outcome: 'claimed', claim: created };
        const settled = await waitForOther(ref, giveUpAt);
        if (settled) return settled;
        // The other attempt released its claim: try to create it again.
      }
    },

    async complete(claim, response, writes) {
      const done: Write = (batch) =>
        batch.update(claim.ref, { status: 'DONE', response, completedAt: new Date(now()) }, { lastUpdateTime: claim.writeTime });
      return commitWith(claim.ref.firestore, done, writes, CLAIM_LOST);
    },

    async record(key, info, response, writes) {
      const ref = (await firestore()).collection(DELIVERIES).doc(key);
      const t = now();
      const done: Write = (batch) => batch.create(ref, { ...fresh(info, t), status: 'DONE', attempt: 1, response, completedAt: new Date(t) });
      return commitWith(ref.firestore, done, writes, [GRPC.ALREADY_EXISTS]);
    },

    async release(claim) {
      try {
        await claim.ref.delete({ lastUpdateTime: claim.writeTime });
      } catch (err) {
        if (!hasCode(err, CLAIM_LOST)) throw err;
      }
    },
  };
}

/**
 * Commits the delivery's own write with `writes` in one batch; if a document the counters update
 * is gone, again with the next counters, then without any. `lost` are the codes that mean another
 * attempt owns the record: false, nothing written.
 */
async function commitWith(db: Firestore, own: Write, writes: DeliveryWrites = {}, lost: readonly number[]): Promise<boolean> {
  const attempts = [...(writes.counters ?? []), undefined];
  for (let i = 0; ; i++) {
    const batch = db.batch();
    own(batch);
    writes.handler?.(batch);
    attempts[i]?.(batch);
    try {
      await batch.commit();
      return true;
    } catch (err) {
      if (i < attempts.length - 1 && grpcCode(err) === GRPC.NOT_FOUND) continue;
      if (hasCode(err, lost)) return false;
      throw err;
    }
  }
}
