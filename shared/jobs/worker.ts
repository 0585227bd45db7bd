/**
 * `chatWorker`: takes one Pub/Sub delivery of a job, runs its task, and posts the result as the
 * job's one reply message. What to do with a failure is decided by its kind:
 * - malformed message, unknown or finished job → acknowledge (return) and log; never retried forever;
 * - a job another attempt is running → wait out its lease, then take over, or refuse (redeliver later);
 * - Chat API 429 / 5xx / network, or the task's own exception → RETRY and throw: Pub/Sub redelivers;
 * - Chat API permanent 4xx → FAILED, acknowledge, and the reply message says the task failed
 *   (unless the space cannot be written to at all: 403 not a member, 404 space gone);
 * - attempts exhausted → FAILED, and the reply message says the task failed, where possible;
 * - this attempt lost its lease meanwhile (its instance paused) and another took the job over →
 *   nothing written: the reply is the other attempt's.
 */
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { ChatApi } from '../chat-api/client';
import { loggedChatApi } from '../chat-api/logged';
import type { RetryOptions } from '../chat-api/retry';
import { AppError, ChatApiError, errorMessage } from '../errors';
import { leaveFrameworkDomain } from '../http/leave-domain';
import { traceFields, type Logger } from '../log';
import type { OutMessage } from '../replies/responses';
import type { FirestoreProvider } from '../stores/firestore';
import { isJobId, type JobRecord } from './model';
import { JobReply } from './reply';
import type { JobClaim, JobStore } from './store';

export interface TaskContext {
  firestore: FirestoreProvider;
  log: Logger;
  /** Shows progress in the reply message (coalesced). */
  progress(text: string): Promise<void>;
}

/** A long task: returns the final reply. */
export type Task = (job: JobRecord, ctx: TaskContext) => Promise<OutMessage>;

/** `MessagePublishedData` (docs/chat-protocol.md §9.2); Eventarc may also send snake_case duplicates [U]. */
export interface PubSubMessageData {
  message?: { data?: string; attributes?: Record<string, string>; messageId?: string; message_id?: string };
  subscription?: string;
}

export interface WorkerDeps {
  /** For the trace field of the log lines. */
  projectId: string;
  firestore: FirestoreProvider;
  jobs: JobStore;
  chat: ChatApi;
  tasks: Record<string, Task>;
  log: Logger;
  maxAttempts: number;
  leaseMs: number;
  progressIntervalMs: number;
  retry?: RetryOptions;
}

export const FAILURE_TEXT = '⚠️ Sorry, this task failed and will not be retried. Please try again later.';

/**
 * Every delivery of a job message ends in one log line `message: "job attempt"` with its
 * `outcome` (terraform/monitoring.tf counts them): done; retry (Pub/Sub redelivers); failed and
 * exhausted (FAILED, the space is told); duplicate (already finished), busy (running elsewhere:
 * redelivered later), missing and malformed (acknowledged, nothing to run); superseded (this
 * attempt lost its lease and another took the job over: its result is dropped).
 */
export const JOB_ATTEMPT_MESSAGE = 'job attempt';
export type JobOutcome = 'done' | 'retry' | 'failed' | 'exhausted' | 'duplicate' | 'busy' | 'missing' | 'malformed' | 'superseded';

/** The job id of a delivery, or why it is not a job message. */
export function decodeJobMessage(data: unknown): { jobId: string; deliveryId?: string } | { invalid: string } {
  const message = (data as PubSubMessageData | undefined)?.message;
  if (typeof message !== 'object' || message === null) return { invalid: 'no Pub/Sub message in the event' };
  const deliveryId = message.messageId ?? message.message_id;
  let decoded: unknown;
  // Pub/Sub allows a message with attributes and no data; the job id may be in either.
  if (message.data) {
    try {
      decoded = JSON.parse(Buffer.from(message.data, 'base64').toString('utf8'));
    } catch {
      return { invalid: 'message data is not base64 JSON' };
    }
  }
  const jobId = (decoded as { jobId?: unknown } | null)?.jobId ?? message.attributes?.jobId;
  if (!isJobId(jobId)) return { invalid: 'message has no valid jobId' };
  return { jobId, ...(deliveryId ? { deliveryId } : {}) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createJobWorker(deps: WorkerDeps) {
  /** Best effort: the thread hears that the task failed, unless the Chat API refuses that too. */
  const postFailure = (reply: JobReply, log: Logger) =>
    reply.final({ text: FAILURE_TEXT }).catch((err) => log.warn('could not post the failure message', { error: errorMessage(err) }));

  /** FAILED, and the thread told where `notify`; false (nothing written) when another attempt took the job over. */
  const failJob = async (job: JobRecord, reply: JobReply, log: Logger, reason: string, notify = true) => {
    if (!(await deps.jobs.finish(job, 'FAILED', reason))) return false;
    if (notify) await postFailure(reply, log);
    return true;
  };

  /**
   * Claims the job, waiting out another attempt's lease: a holder that died stops renewing it and
   * the job is taken over within one lease. Waiting here rather than refusing the delivery at once
   * keeps Pub/Sub from slowing the whole subscription down after a crash; a holder still renewing
   * after two leases is alive, and this delivery is refused so that it comes back later.
   */
  const claimWhenFree = async (jobId: string): Promise<JobClaim> => {
    const giveUpAt = Date.now() + 2 * deps.leaseMs;
    for (;;) {
      const claim = await deps.jobs.claim(jobId, { maxAttempts: deps.maxAttempts, leaseMs: deps.leaseMs });
      if (claim.outcome !== 'busy' || Date.now() >= giveUpAt) return claim;
      await sleep(Math.max(50, Math.min(claim.leaseUntil - Date.now() + 100, giveUpAt - Date.now())));
    }
  };

  return async function chatWorker(event: CloudEvent<unknown>): Promise<void> {
    leaveFrameworkDomain();
    // The functions-framework copies the push request's `traceparent` header onto the event.
    const traceparent = (event as { traceparent?: unknown }).traceparent;
    const trace = traceFields({ traceparent: typeof traceparent === 'string' ? traceparent : undefined }, deps.projectId);
    const decoded = decodeJobMessage(event.data);
    if ('invalid' in decoded) {
      deps.log.warn(JOB_ATTEMPT_MESSAGE, { ...trace, outcome: 'malformed', detail: decoded.invalid, cloudEventId: event.id });
      return;
    }
    const log = deps.log.child({ ...trace, jobId: decoded.jobId, pubsubMessageId: decoded.deliveryId });
    const attempt = (severity: 'info' | 'warn' | 'error', outcome: JobOutcome, detail: string, fields: Record<string, unknown> = {}) =>
      log[severity](JOB_ATTEMPT_MESSAGE, { outcome, detail, ...fields });
    const claim = await claimWhenFree(decoded.jobId);
    const replyFor = (job: JobRecord) =>
      new JobReply(loggedChatApi(deps.chat, log), deps.jobs, job, { progressIntervalMs: deps.progressIntervalMs, retry: deps.retry, log });

    switch (claim.outcome) {
      case 'missing':
        attempt('warn', 'missing', 'job not found (expired or its space was removed); acknowledged');
        return;
      case 'finished':
        attempt('info', 'duplicate', 'job already finished; redelivery acknowledged', { status: claim.status });
        return;
      case 'busy':
        // Never acknowledge here: this delivery is the job's message too, and if the attempt that
        // holds the lease dies, Pub/Sub must still have a delivery of it to give.
        attempt('info', 'busy', 'job is still running elsewhere; asking for a later redelivery');
        throw new AppError(`job ${decoded.jobId} is running elsewhere; redeliver later`, 'STORE_UNAVAILABLE');
      case 'exhausted':
        attempt('error', 'exhausted', 'job attempts exhausted', { kind: claim.job.kind, attempt: claim.job.attempts });
        await postFailure(replyFor(claim.job), log);
        return;
    }

    const job = claim.job;
    const task = deps.tasks[job.kind];
    const reply = replyFor(job);
    const started = Date.now();
    if (!task) {
      attempt('error', 'failed', 'unknown job kind; FAILED', { kind: job.kind, attempt: job.attempts });
      await failJob(job, reply, log, `unknown kind ${job.kind}`);
      return;
    }
    // While this attempt is alive its lease stays fresh; if the process dies, the lease runs out
    // within leaseMs and a redelivery takes the job over.
    const heartbeat = setInterval(() => {
      deps.jobs.renewLease(job, deps.leaseMs).catch((err) => log.warn('could not renew the job lease', { error: errorMessage(err) }));
    }, Math.max(250, Math.floor(deps.leaseMs / 3)));
    const fields = () => ({ kind: job.kind, attempt: job.attempts, latencyMs: Date.now() - started });
    const superseded = () => attempt('warn', 'superseded', 'this attempt lost its lease and another took the job over; its result is dropped', fields());
    try {
      const result = await task(job, { firestore: deps.firestore, log, progress: (text) => reply.progress(text) });
      // A paused instance's lease may have run out meanwhile: its result must not replace the reply of
      // the attempt that took over. One read per job; the window left after it: docs/architecture.md, Leases.
      if (!(await deps.jobs.holds(job))) return superseded();
      await reply.final(result);
      if (!(await deps.jobs.finish(job, 'DONE'))) return superseded();
      attempt('info', 'done', 'job done', fields());
    } catch (err) {
      if (err instanceof ChatApiError && !err.retryable) {
        // The person would otherwise see the progress (or nothing) for ever: the same one reply says
        // so, unless nothing can be written there (403 not a member, 404 space gone).
        if (!(await failJob(job, reply, log, err.message, err.status !== 403 && err.status !== 404))) return superseded();
        attempt('error', 'failed', 'job failed permanently on the Chat API', { ...fields(), status: err.status, err });
        return;
      }
      if (job.attempts >= deps.maxAttempts) {
        if (!(await failJob(job, reply, log, errorMessage(err)))) return superseded();
        attempt('error', 'failed', 'job failed on its last attempt', { ...fields(), err });
        return;
      }
      attempt('warn', 'retry', 'job attempt failed; Pub/Sub will redeliver', { ...fields(), err });
      await deps.jobs.finish(job, 'RETRY', errorMessage(err));
      throw err;
    } finally {
      clearInterval(heartbeat);
    }
  };
}
