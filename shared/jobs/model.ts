/** A job: long work handed from `chatEvents` to `chatWorker` through Pub/Sub, tracked in `jobs/{jobId}`. */
import { createHash } from 'node:crypto';
import type { JsonObject } from '../events/read';

export const JOBS = 'jobs';

export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'RETRY', 'DONE', 'FAILED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobRecord {
  jobId: string;
  kind: string;
  args: JsonObject;
  /** `spaces/{id}` */
  space: string;
  /** `spaces/{id}/threads/{id}`: where the reply goes. */
  thread: string | null;
  /** `users/{id}` who asked. */
  user: string;
  status: JobStatus;
  attempts: number;
  leaseUntil: number;
  /** The one reply message of this job, once created. */
  replyMessage: string | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  expireAt: Date;
}

/** What travels in the Pub/Sub message: the job document holds the rest. */
export interface JobMessage {
  jobId: string;
  kind: string;
}

const JOB_ID = /^[a-f0-9]{32}$/;

export const isJobId = (v: unknown): v is string => typeof v === 'string' && JOB_ID.test(v);

/** Deterministic: the same delivery enqueueing the same kind always gets the same job. */
export function jobIdFor(deliveryKey: string, kind: string): string {
  return createHash('sha256').update(`${deliveryKey}\u0000${kind}`).digest('hex').slice(0, 32);
}

/**
 * The job's one reply message id: `client-` + at most 56 of `[a-z0-9-]` (docs/chat-protocol.md §7.1), derived
 * from the job so every attempt addresses the same message.
 */
export const replyMessageId = (jobId: string): string => `client-job-${jobId}`;

/** The `requestId` of the reply's create call: a retried create returns the existing message. */
export const replyRequestId = (jobId: string): string => `job-${jobId}`;
