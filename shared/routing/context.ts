/** What a handler gets besides the event: the stores, a way to enqueue a job, a logger, its deadline. */
import type { DocumentReference, DocumentSnapshot, WriteBatch } from '@google-cloud/firestore';
import type { EventsConfig } from '../config';
import type { Logger } from '../log';
import type { FirestoreProvider } from '../stores/firestore';
import type { SpaceStore } from '../stores/spaces';
import type { WebhookStore } from '../stores/webhooks';
import type { JobRequest, EnqueuedJob } from '../jobs/queue';
import type { CommandInfo } from './router';

export interface HandlerContext {
  config: EventsConfig;
  /** The delivery's dedupe key: stable across Chat's retries of this event. */
  deliveryKey: string;
  log: Logger;
  /** Aborted when the response budget runs out: long work belongs in a job. */
  signal: AbortSignal;
  firestore: FirestoreProvider;
  spaces: SpaceStore;
  webhooks: WebhookStore;
  /** The app's commands, for help texts. */
  commands: CommandInfo[];
  /** Hands long work to `chatWorker`; retry-safe (the job id derives from the delivery and the kind). */
  enqueue(job: JobRequest): Promise<EnqueuedJob>;
  /**
   * Stages Firestore writes to commit atomically with the delivery's record once the answer is
   * known (after the handler returns). Not for pure routes, which have no record.
   */
  stage(write: StagedWrite): void;
  /**
   * Reads documents in one round trip. In a batched route the delivery's record is read with
   * them: a repeat of a finished delivery is then answered from this one read (the error this
   * throws must reach the dispatcher), instead of after the handler's losing commit.
   */
  read(...refs: DocumentReference[]): Promise<DocumentSnapshot[]>;
}

export type StagedWrite = (batch: WriteBatch) => void;
