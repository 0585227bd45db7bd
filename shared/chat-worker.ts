/** Wires `chatWorker` from its configuration: Firestore, the job store, the Chat API client, the tasks. */
import { createChatApi } from './chat-api/client';
import type { WorkerConfig } from './config';
import { createJobStore } from './jobs/store';
import { createJobWorker, type Task } from './jobs/worker';
import { createLogger, type Logger } from './log';
import { lazyFirestore } from './stores/firestore';

export function createChatWorkerFunction(config: WorkerConfig, tasks: Record<string, Task>, log: Logger = createLogger({ function: 'chatWorker' })) {
  const firestore = lazyFirestore(config.projectId);
  return createJobWorker({
    projectId: config.projectId,
    firestore,
    jobs: createJobStore(firestore),
    chat: createChatApi({ rootUrl: config.chatApiRootUrl, timeoutMs: config.chatApiTimeoutMs }),
    tasks,
    log,
    maxAttempts: config.jobMaxAttempts,
    leaseMs: config.jobLeaseMs,
    progressIntervalMs: config.progressIntervalMs,
  });
}
