/** What a handler gets besides the event: the stores, a way to enqueue a job, a logger, its deadline. */
import type { WriteBatch } from '@google-cloud/firestore';
import type { AppConfig } from '../config';
import type { Logger } from '../log';
import type { FirestoreProvider } from '../stores/firestore';
import type { SpaceStore } from '../stores/spaces';
import type { WebhookStore } from '../stores/webhooks';
import type { JobRequest, EnqueuedJob } from '../jobs/queue';
import type { CommandInfo } from './router';

export interface HandlerContext {
  config: AppConfig;
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
}

export type StagedWrite = (batch: WriteBatch) => void;
