/**
 * What the in-process worker tests share (job-attempts, job-reply): a project of their own on the
 * emulators, the real job store and queue on it, and the log lines the worker wrote (emptied by
 * each test's `beforeEach`).
 */
import { createJobQueue, lazyPubSub } from '../../shared/jobs/queue';
import { createJobStore } from '../../shared/jobs/store';
import { createLogger } from '../../shared/log';
import { lazyFirestore } from '../../shared/stores/firestore';
import { randomProjectId } from './chat-events';
import { testFirestore } from './firestore';
import { captureLogLine } from './log-capture';

export function jobsTestbed(label: string, topic: string) {
  const projectId = randomProjectId(label);
  const firestore = lazyFirestore(projectId);
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({}, (line) => {
    captureLogLine('chatWorker', line);
    lines.push(JSON.parse(line));
  });
  const queue = createJobQueue({ firestore, pubsub: lazyPubSub(projectId), topic, ttlMs: 3600_000 });
  return { projectId, db: testFirestore(projectId), firestore, lines, log, jobs: createJobStore(firestore), queue };
}
