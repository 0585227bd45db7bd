/** What a handler gets besides the event: the stores, a way to enqueue a job, a logger, its deadline. */
import type { DocumentReference, DocumentSnapshot, WriteBatch } from '@google-cloud/firestore';
import type { AppConfig } from '../config';
import type { Logger } from '../log';
import type { ChatApi } from '../chat-api/client';
import type { RoleChecker } from '../permissions/roles';
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
  /** Who manages a space (the one rule for admin actions; routes use it through `managersOnly`). */
  roles: RoleChecker;
  /**
   * The Chat API with app authentication, for what a synchronous answer cannot do (update another
   * message of the app's than the one clicked). Replies and long work go through `enqueue`.
   */
  chat: ChatApi;
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
