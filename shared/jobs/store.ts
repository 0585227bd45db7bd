/**
 * State transitions of `jobs/{jobId}`, each in a transaction:
 * QUEUED or RETRY (or RUNNING whose lease ran out) → RUNNING, attempt + 1, lease;
 * RUNNING → DONE, RETRY or FAILED, only by the attempt that holds it.
 */
import type { DocumentData } from '@google-cloud/firestore';
import type { FirestoreProvider } from '../stores/firestore';
import { JOBS, type JobRecord } from './model';

export type JobClaim =
  | { outcome: 'run'; job: JobRecord }
  /** Attempts are used up: the job is now FAILED. */
  | { outcome: 'exhausted'; job: JobRecord }
  /** DONE or FAILED already: a redelivery. */
  | { outcome: 'finished'; status: string }
  /** Another attempt holds a lease that runs until `leaseUntil` (ms). */
  | { outcome: 'busy'; leaseUntil: number }
  | { outcome: 'missing' };

export interface JobStore {
  claim(jobId: string, options: { maxAttempts: number; leaseMs: number }): Promise<JobClaim>;
  renewLease(job: JobRecord, leaseMs: number): Promise<void>;
  recordReplyMessage(job: JobRecord, name: string): Promise<void>;
  /** Whether this attempt still holds the job (no other attempt took it over). */
  holds(job: JobRecord): Promise<boolean>;
  /** Ends this attempt; returns false if the job was no longer ours (taken over). */
  finish(job: JobRecord, status: 'DONE' | 'RETRY' | 'FAILED', error?: string): Promise<boolean>;
}

/** Whether `current` (the job document) is still held by the attempt that claimed `job`. */
const heldBy = (current: DocumentData | undefined, job: JobRecord) => current?.status === 'RUNNING' && current.attempts === job.attempts;

/** Every job document is written whole by `enqueue` (queue.ts): its timestamps are always there. */
function fromData(d: DocumentData): JobRecord {
  return { ...(d as JobRecord), createdAt: d.createdAt.toDate(), updatedAt: d.updatedAt.toDate(), expireAt: d.expireAt.toDate() };
}

export function createJobStore(firestore: FirestoreProvider, now: () => number = Date.now): JobStore {
  const ref = async (jobId: string) => (await firestore()).collection(JOBS).doc(jobId);
  return {
    async claim(jobId, { maxAttempts, leaseMs }) {
      const db = await firestore();
      const doc = await ref(jobId);
      return db.runTransaction(async (tx): Promise<JobClaim> => {
        const snap = await tx.get(doc);
        if (!snap.exists) return { outcome: 'missing' };
        const job = fromData(snap.data()!);
        if (job.status === 'DONE' || job.status === 'FAILED') return { outcome: 'finished', status: job.status };
        const t = now();
        if (job.status === 'RUNNING' && job.leaseUntil > t) return { outcome: 'busy', leaseUntil: job.leaseUntil };
        if (job.attempts >= maxAttempts) {
          const failed = { ...job, status: 'FAILED' as const, error: job.error ?? 'attempts exhausted', updatedAt: new Date(t) };
          tx.update(doc, { status: 'FAILED', error: failed.error, updatedAt: failed.updatedAt });
          return { outcome: 'exhausted', job: failed };
        }
        const running = { ...job, status: 'RUNNING' as const, attempts: job.attempts + 1, leaseUntil: t + leaseMs, updatedAt: new Date(t) };
        tx.update(doc, { status: 'RUNNING', attempts: running.attempts, leaseUntil: running.leaseUntil, updatedAt: running.updatedAt });
        return { outcome: 'run', job: running };
      });
    },
    async renewLease(job, leaseMs) {
      job.leaseUntil = now() + leaseMs;
      await (await ref(job.jobId)).update({ leaseUntil: job.leaseUntil, updatedAt: new Date(now()) });
    },
    async recordReplyMessage(job, name) {
      job.replyMessage = name;
      await (await ref(job.jobId)).update({ replyMessage: name });
    },
    async holds(job) {
      return heldBy((await (await ref(job.jobId)).get()).data(), job);
    },
    async finish(job, status, error) {
      const db = await firestore();
      const doc = await ref(job.jobId);
      return db.runTransaction(async (tx) => {
        if (!heldBy((await tx.get(doc)).data(), job)) return false;
        tx.update(doc, { status, error: error ?? null, updatedAt: new Date(now()), ...(status === 'RETRY' ? { leaseUntil: 0 } : {}) });
        return true;
      });
    },
  };
}
