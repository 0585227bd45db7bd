/**
 * `npm start`: the whole app on this machine with the Google Chat simulator (see
 * `simulator/stack.ts`), and how to talk to it. Ports come from the environment (see README);
 * Ctrl-C stops everything, and no process is left behind.
 */
import { checkPrerequisites } from './emulators';
import { startLocalStack, type LocalStack, type StackPorts } from './simulator/stack';

const PROJECT = process.env.GOOGLE_CLOUD_PROJECT ?? 'local-chat-app';

const port = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number; got "${process.env[name]}"`);
  return value;
};

let stack: LocalStack | undefined;
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (stack) process.stdout.write('\nStopping…\n');
  await stack?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  const ports: StackPorts = {
    events: port('EVENTS_PORT', 8080),
    worker: port('WORKER_PORT', 8081),
    chatApi: port('CHAT_API_PORT', 8085),
    certs: port('CERTS_PORT', 8086),
    simulator: port('SIMULATOR_PORT', 8088),
    firestore: port('FIRESTORE_PORT', 8090),
    pubsub: port('PUBSUB_PORT', 8091),
  };
  checkPrerequisites(['firestore', 'pubsub']);
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  // The functions inherit this environment, so PROGRESS_INTERVAL_MS and the like apply to them.
  stack = await startLocalStack({ projectId: PROJECT, ports });
  if (stopping) return;
  const { chatApi, simulator, eventsUrl, workerUrl } = stack;
  const token = stack.token(12 * 3600);
  process.stdout.write(
    [
      '',
      `  Google Chat simulator   ${simulator.url}   ← open this`,
      '',
      `chatEvents   ${eventsUrl}`,
      `chatWorker   ${workerUrl} (pushed by the Pub/Sub emulator)`,
      `Chat API     ${chatApi.url} (messages: ${chatApi.url}_local/messages?space=spaces/RELEASE)`,
      `Firestore    ${stack.firestoreHost}   Pub/Sub ${stack.pubsubHost}   project ${PROJECT}`,
      '',
      'Or send an event yourself (token valid 12 h, signed by the simulator; verification stays on):',
      `  curl -s ${eventsUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${token}' \\`,
      `    -d '{"type":"MESSAGE","eventTime":"2026-01-01T00:00:00Z","space":{"name":"spaces/RELEASE","spaceType":"SPACE"},"user":{"name":"users/1111","displayName":"Ada"},"message":{"name":"spaces/RELEASE/messages/M1","text":"/about","slashCommand":{"commandId":"1"}}}'`,
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  void shutdown(1);
});
