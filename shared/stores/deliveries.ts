/**
 * `deliveries/{key}`: one record per Chat delivery, so a retried event runs its handler once
 * and every delivery gets the same answer.
 *
 * - The first delivery claims the key with `create()`, which is atomic: only one caller wins.
 * - A repeat of a finished delivery gets the stored response string, byte for byte.
 * - A repeat while the first is still running polls for its result, then gives up (`inFlight`).
 * - A claim whose lease ran out (its process died) is taken over with a compare-and-set update.
 * Ownership is proven by the document's update time, so a stale owner cannot overwrite a takeover.
 */
import { randomUUID } from 'node:crypto';
import type { DocumentReference, Timestamp, WriteBatch } from '@google-cloud/firestore';
import { GRPC, grpcCode, type FirestoreProvider } from './firestore';

export const DELIVERIES = 'deliveries';

export interface Claim {
  key: string;
  ref: DocumentReference;
  /** Update time of our last write: the precondition of our next one. */
  writeTime: Timestamp;
  attempt: number;
}

export type ClaimResult =
  | { outcome: 'claimed'; claim: Claim }
  | { outcome: 'done'; response: string }
  | { outcome: 'inFlight' };

export interface DeliveryStore {
  claim(key: string, info: { space: string; eventType: string }): Promise<ClaimResult>;
  /**
   * Stores the answer, with `alsoWrite`'s writes in the same atomic batch (or without them if a
   * document they update is gone); returns false if another attempt took the claim over
   * meanwhile, or the claim was deleted (and then writes nothing).
   */
  complete(claim: Claim, response: string, alsoWrite?: (batch: WriteBatch) => void): Promise<boolean>;
  /** Gives the claim up so that Chat's retry can run the handler again. */
  release(claim: Claim): Promise<void>;
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

  const tryCreate = async (ref: DocumentReference, info: { space: string; eventType: string }): Promise<Claim | undefined> => {
    const t = now();
    try {
      const result = await ref.create({
        status: 'RUNNING',
        owner: randomUUID(),
        attempt: 1,
        leaseUntil: t + timings.leaseMs,
        space: info.space,
        eventType: info.eventType,
        createdAt: new Date(t),
        expireAt: new Date(t + timings.ttlMs),
      });
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
      if (grpcCode(err) === GRPC.FAILED_PRECONDITION || grpcCode(err) === GRPC.NOT_FOUND) return undefined;
      throw err;
    }
  };

  /** Polls a claim held by another attempt; `undefined` means it was released. */
  const waitForOther = async (ref: DocumentReference, giveUpAt: number): Promise<ClaimResult | undefined> => {
    for (;;) {
      const snap = await ref.get();
      const data = snap.data();
      if (!data) return undefined;
      if (data.status === 'DONE') return { outcome: 'done', response: data.response };
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
    async claim(key, info) {
      const ref = (await firestore()).collection(DELIVERIES).doc(key);
      const giveUpAt = now() + timings.waitMs;
      for (;;) {
        const created = await tryCreate(ref, info);
        if (created) return { outcome: 'claimed', claim: created };
        const settled = await waitForOther(ref, giveUpAt);
        if (settled) return settled;
        // The other attempt released its claim: try to create it again.
      }
    },

    async complete(claim, response, alsoWrite) {
      const commit = async (extra?: (batch: WriteBatch) => void) => {
        const batch = claim.ref.firestore.batch();
        batch.update(claim.ref, { status: 'DONE', response, completedAt: new Date(now()) }, { lastUpdateTime: claim.writeTime });
        extra?.(batch);
        await batch.commit();
      };
      try {
        await commit(alsoWrite);
        return true;
      } catch (err) {
        if (grpcCode(err) === GRPC.FAILED_PRECONDITION) return false;
        if (grpcCode(err) !== GRPC.NOT_FOUND) throw err;
      }
      // NOT_FOUND: a document `alsoWrite` needs is gone (the space was removed), or the claim itself.
      try {
        await commit();
        return true;
      } catch (err) {
        if (grpcCode(err) === GRPC.FAILED_PRECONDITION || grpcCode(err) === GRPC.NOT_FOUND) return false;
        throw err;
      }
    },

    async release(claim) {
      try {
        await claim.ref.delete({ lastUpdateTime: claim.writeTime });
      } catch (err) {
        if (grpcCode(err) !== GRPC.FAILED_PRECONDITION && grpcCode(err) !== GRPC.NOT_FOUND) throw err;
      }
    },
  };
}
