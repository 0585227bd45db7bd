/**
 * `npm start`: the whole app on this machine. Starts the Firestore and Pub/Sub emulators, the
 * local Chat API, a signer with its certs server, `chatEvents` and `chatWorker` under the
 * functions-framework, the jobs topic and its push subscription to the worker; prints how to
 * talk to it. Ctrl-C stops everything. Ports come from the environment (see README).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { startCertsServer } from './certs-server';
import { startLocalChatApi } from './chat-api';
import { checkPrerequisites, startEmulator, type RunningEmulator } from './emulators';
import { assertPortFree } from './ports';
import { chatTokenClaims, createSigner } from './signing';

const ROOT = join(__dirname, '..', '..');
const PROJECT = process.env.GOOGLE_CLOUD_PROJECT ?? 'local-chat-app';
const TOPIC = process.env.JOBS_TOPIC ?? 'chat-jobs';
const AUDIENCE = '123456789012';

const port = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number; got "${process.env[name]}"`);
  return value;
};

function serveFunction(target: string, portNumber: number, env: Record<string, string>): ChildProcess {
  const cli = join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
  const args = [cli, `--source=${join(ROOT, 'dist', 'functions')}`, `--target=${target}`, `--port=${portNumber}`];
  if (target === 'chatWorker') args.push('--signature-type=cloudevent');
  return spawn(process.execPath, args, { env: { ...process.env, ...env, FUNCTION_TARGET: target }, stdio: 'inherit' });
}

const stops: (() => Promise<void>)[] = [];
const children: ChildProcess[] = [];

/** Stops whatever was started, newest first, so that no process is left behind. */
async function shutdown(code: number): Promise<void> {
  for (const c of children) c.kill('SIGTERM');
  await Promise.allSettled(stops.reverse().map((s) => s()));
  process.exit(code);
}

async function main(): Promise<void> {
  const ports = {
    events: port('EVENTS_PORT', 8080),
    worker: port('WORKER_PORT', 8081),
    chatApi: port('CHAT_API_PORT', 8085),
    certs: port('CERTS_PORT', 8086),
    firestore: port('FIRESTORE_PORT', 8090),
    pubsub: port('PUBSUB_PORT', 8091),
  };
  checkPrerequisites(['firestore', 'pubsub']);
  for (const [what, p] of Object.entries(ports)) await assertPortFree(p, what);

  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  const dataDir = mkdtempSync(join(tmpdir(), 'chat-app-'));
  const emulators: RunningEmulator[] = await Promise.all([
    startEmulator('firestore', { port: ports.firestore, dataDir }),
    startEmulator('pubsub', { port: ports.pubsub, dataDir }),
  ]);
  for (const e of emulators) stops.push(e.stop);
  const [firestore, pubsubEmulator] = emulators;
  const chatApi = await startLocalChatApi({ port: ports.chatApi });
  stops.push(chatApi.stop);
  chatApi.addSpace({ name: 'spaces/LOCAL', displayName: 'Local space' });
  const signer = createSigner();
  const certs = await startCertsServer(() => signer.certs(), { port: ports.certs });
  stops.push(certs.stop);

  const env = {
    GOOGLE_CLOUD_PROJECT: PROJECT,
    FIRESTORE_EMULATOR_HOST: firestore.host,
    PUBSUB_EMULATOR_HOST: pubsubEmulator.host,
    METADATA_SERVER_DETECTION: 'none',
    CHAT_AUDIENCE_MODE: 'project-number',
    CHAT_AUDIENCE: AUDIENCE,
    CHAT_CERTS_URL: certs.url,
    CHAT_API_ROOT_URL: chatApi.url,
    JOBS_TOPIC: TOPIC,
  };
  process.env.PUBSUB_EMULATOR_HOST = pubsubEmulator.host;
  process.env.METADATA_SERVER_DETECTION = 'none';
  const pubsub = new PubSub({ projectId: PROJECT });
  const [topic] = await pubsub.createTopic(TOPIC);
  await topic.createSubscription(`${TOPIC}-worker`, {
    pushConfig: { pushEndpoint: `http://127.0.0.1:${ports.worker}/projects/${PROJECT}/topics/${TOPIC}` },
  });
  children.push(serveFunction('chatEvents', ports.events, env), serveFunction('chatWorker', ports.worker, env));

  const token = signer.sign(chatTokenClaims('project-number', AUDIENCE, { exp: Math.floor(Date.now() / 1000) + 12 * 3600 }));
  process.stdout.write(
    [
      '',
      `chatEvents   http://127.0.0.1:${ports.events}/`,
      `chatWorker   http://127.0.0.1:${ports.worker}/ (pushed by the Pub/Sub emulator, topic ${TOPIC})`,
      `Chat API     ${chatApi.url} (messages: ${chatApi.url}_local/messages?space=spaces/LOCAL)`,
      `Firestore    ${firestore.host}   Pub/Sub ${pubsubEmulator.host}`,
      '',
      'Send an event (token valid 12 h, signed by the local signer; verification stays on):',
      `  curl -s http://127.0.0.1:${ports.events}/ -H 'content-type: application/json' -H 'authorization: Bearer ${token}' \\`,
      `    -d '{"type":"MESSAGE","eventTime":"2026-01-01T00:00:00Z","space":{"name":"spaces/LOCAL","spaceType":"SPACE"},"user":{"name":"users/1","displayName":"Ada"},"message":{"name":"spaces/LOCAL/messages/M1","text":"/about","slashCommand":{"commandId":"1"}}}'`,
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
