/**
 * The functions as they run for real, `chatWorker` especially: the built code under the functions-framework CLI in its own
 * process, with the Pub/Sub emulator pushing to it at `/projects/PROJECT/topics/TOPIC`.
 * The process can be killed mid-job and started again on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { findFreePort } from '../../local/ports';

const ROOT = join(__dirname, '..', '..');
const BUILT = join(ROOT, 'dist', 'functions', 'index.js');
const FF_CLI = join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');

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
 * Serves one of the built functions under the functions-framework CLI, in its own process;
 * `nodeArgs` go to node before the CLI (e.g. the heap limit of the deployed memory).
 */
export async function startFunctionProcess(
  target: 'chatEvents' | 'chatWorker',
  env: Record<string, string>,
  options: { nodeArgs?: string[] } = {},
): Promise<FunctionProcess> {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build (npm test does it)`);
  const port = await findFreePort();
  let child: ChildProcess | undefined;
  const lines: Record<string, unknown>[] = [];
  const start = async () => {
    const signature = target === 'chatWorker' ? ['--signature-type=cloudevent'] : [];
    child = spawn(process.execPath, [...(options.nodeArgs ?? []), FF_CLI, `--source=${join(ROOT, 'dist', 'functions')}`, `--target=${target}`, ...signature, `--port=${port}`], {
      env: { ...process.env, ...env, FUNCTION_TARGET: target, METADATA_SERVER_DETECTION: 'none', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const p of parts) {
        try {
          lines.push(JSON.parse(p));
        } catch {
          lines.push({ raw: p });
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => lines.push({ stderr: chunk.toString() }));
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
      if (child.exitCode !== null) throw new Error(`${target} exited: ${JSON.stringify(lines.slice(-5))}`);
      try {
        await fetch(`http://127.0.0.1:${port}/`, { method: 'GET' });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`${target} did not start`);
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return { port, pid: () => child?.pid, logs: () => lines, start, kill, stop: kill };
}

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
