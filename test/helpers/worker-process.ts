/**
 * The functions as they run for real, `chatWorker` especially: the built code under the functions-framework CLI in its own
 * process, with the Pub/Sub emulator pushing to it at `/projects/PROJECT/topics/TOPIC`.
 * The process can be killed mid-job and started again on the same port.
 */
import type { ChildProcess } from 'node:child_process';
import { PubSub } from '@google-cloud/pubsub';
import { serveFunction, type FunctionTarget } from '../../local/serve-function';
import { captureLogLine } from './log-capture';

export interface FunctionProcess {
  port: number;
  /** The process id while it runs (for reading its memory). */
  pid(): number | undefined;
  /** Everything the process wrote on stdout, one JSON log entry per line. */
  logs(): Record<string, unknown>[];
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export type WorkerProcess = FunctionProcess;

export const startWorkerProcess = (env: Record<string, string>): Promise<FunctionProcess> => startFunctionProcess('chatWorker', env);

/**
 * Serves one of the built functions under the functions-framework CLI, in its own process. A
 * restart after `kill()` takes the same port (the push subscription names it). `nodeArgs` go to
 * node before the CLI (e.g. the heap limit of the deployed memory).
 */
export async function startFunctionProcess(
  target: FunctionTarget,
  env: Record<string, string>,
  options: { nodeArgs?: string[] } = {},
): Promise<FunctionProcess> {
  let port: number | undefined;
  let child: ChildProcess | undefined;
  const lines: Record<string, unknown>[] = [];
  const keep = (line: string, stream: 'stdout' | 'stderr') => {
    captureLogLine(stream === 'stderr' ? `${target} stderr` : target, line);
    if (stream === 'stderr') return void lines.push({ stderr: line });
    try {
      lines.push(JSON.parse(line));
    } catch {
      lines.push({ raw: line });
    }
  };
  const start = async () => {
    const served = await serveFunction({ target, port, nodeArgs: options.nodeArgs, env: { ...env, METADATA_SERVER_DETECTION: 'none', NODE_ENV: 'test' }, onLine: keep });
    child = served.child;
    port = served.port;
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return { port: port as number, pid: () => child?.pid, logs: () => lines, start, kill, stop: kill };
}

/** The worker's environment in the job tests: a short lease, three attempts, every progress written. */
export const jobTestWorkerEnv = (projectId: string, chatApiUrl: string, topic: string): Record<string, string> => ({
  GOOGLE_CLOUD_PROJECT: projectId,
  CHAT_API_ROOT_URL: chatApiUrl,
  JOBS_TOPIC: topic,
  JOB_LEASE_MS: '1500',
  JOB_MAX_ATTEMPTS: '3',
  PROGRESS_INTERVAL_MS: '0',
});

/** Creates the jobs topic and a push subscription delivering to the worker, as Eventarc would. */
export async function createPushSubscription(projectId: string, topicName: string, workerPort: number): Promise<{ pubsub: PubSub; close(): Promise<void> }> {
  const pubsub = new PubSub({ projectId });
  const [topic] = await pubsub.createTopic(topicName);
  await topic.createSubscription(`${topicName}-worker`, {
    pushConfig: { pushEndpoint: `http://127.0.0.1:${workerPort}/projects/${projectId}/topics/${topicName}` },
    ackDeadlineSeconds: 10,
    retryPolicy: { minimumBackoff: { seconds: 0 }, maximumBackoff: { seconds: 1 } },
  });
  return { pubsub, close: () => pubsub.close() };
}
