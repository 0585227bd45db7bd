/**
 * Enqueue: `jobs/{jobId}` is created (QUEUED), then the job is published to the jobs topic.
 * Retry-safe: a redelivered event finds its job and republishes it only while it is still
 * QUEUED (a publish that failed before). A failed publish throws, so the event's answer is not
 * stored and Chat's retry completes the hand-off: nothing is lost silently.
 */
import type { PubSub, Topic } from '@google-cloud/pubsub';
import { AppError } from '../errors';
import type { ChatEvent } from '../events/model';
import type { JsonObject } from '../events/read';
import { GRPC, grpcCode, type FirestoreProvider } from '../stores/firestore';
import { JOBS, jobIdFor, type JobMessage } from './model';

export interface JobRequest {
  kind: string;
  args?: JsonObject;
}

export interface EnqueuedJob {
  jobId: string;
  /** False when a redelivery found the job already under way. */
  published: boolean;
}

export type PubSubProvider = () => Promise<PubSub>;

export function lazyPubSub(projectId: string): PubSubProvider {
  let client: Promise<PubSub> | undefined;
  return () => {
    client ??= import('@google-cloud/pubsub').then(({ PubSub: PubSubClient }) => new PubSubClient({ projectId }));
    return client;
  };
}

/** Where a job comes from and where its reply goes. */
export interface JobOrigin {
  /** `spaces/{id}` */
  space: string;
  /** The thread to reply in, or null for a new thread. */
  thread: string | null;
  /** Who asked: `users/{id}`, or another caller such as `webhooks/{id}`. */
  user: string;
}

export const originOf = (event: ChatEvent): JobOrigin => ({
  space: event.space.name,
  // Normalization already falls back to the message's thread (events/normalize-*.ts).
  thread: event.threadName ?? null,
  user: event.user.name,
});

export interface JobQueue {
  /** `requestKey` identifies the request (a delivery key): the same key and kind give the same job. */
  enqueue(origin: JobOrigin, requestKey: string, job: JobRequest): Promise<EnqueuedJob>;
}

export function createJobQueue(options: { firestore: FirestoreProvider; pubsub: PubSubProvider; topic: string; ttlMs: number }): JobQueue {
  let topic: Topic | undefined;
  const getTopic = async () => {
    // No batching delay: the message leaves now, before the synchronous answer.
    topic ??= (await options.pubsub()).topic(options.topic, { batching: { maxMessages: 1, maxMilliseconds: 0 } });
    return topic;
  };

  return {
    async enqueue(origin, requestKey, job) {
      const jobId = jobIdFor(requestKey, job.kind);
      const ref = (await options.firestore()).collection(JOBS).doc(jobId);
      const now = Date.now();
      try {
        await ref.create({
          jobId,
          kind: job.kind,
          args: job.args ?? {},
          space: origin.space,
          thread: origin.thread,
          user: origin.user,
          status: 'QUEUED',
          attempts: 0,
          leaseUntil: 0,
          replyMessage: null,
          error: null,
          createdAt: new Date(now),
          updatedAt: new Date(now),
          expireAt: new Date(now + options.ttlMs),
        });
      } catch (err) {
        if (grpcCode(err) !== GRPC.ALREADY_EXISTS) throw err;
        const existing = await ref.get();
        if (existing.get('status') !== 'QUEUED') return { jobId, published: false };
      }
      const message: JobMessage = { jobId, kind: job.kind };
      try {
        await (await getTopic()).publishMessage({ json: message, attributes: { jobId, kind: job.kind } });
      } catch (err) {
        throw new AppError(`could not publish job ${jobId}: ${err instanceof Error ? err.message : String(err)}`, 'STORE_UNAVAILABLE', {
          cause: err,
        });
      }
      return { jobId, published: true };
    },
  };
}
