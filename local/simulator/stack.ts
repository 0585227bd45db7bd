/**
 * The whole app on this machine, behind the simulator: the emulators (or given ones), the local
 * Chat API, the certs server for the simulator's key, `chatEvents` and `chatWorker` under the
 * functions-framework CLI, the jobs topic with its push subscription, and the simulator page.
 * `npm start` and the end-to-end tests both start it; `stop()` leaves no process behind.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCertsServer } from '../certs-server';
import { readableLine } from '../log-lines';
import { startLocalChatApi, type LocalChatApi } from '../chat-api';
import { startEmulator, warmUpFirestore } from '../emulators';
import { assertPortFree } from '../ports';
import { serveFunction, type FunctionTarget } from '../serve-function';
import type { AudienceMode } from '../../shared/config';
import { chatTokenClaims, createSigner, LOCAL_ADDON_SERVICE_ACCOUNT } from '../signing';
import { startSimulator, type Simulator } from '.';
import { openDataDir } from './data-dir';
import { keepSaved } from './persist';
import { EVENTS_TOPIC, type Connection } from './transport';
import type { EventFormat } from './wire-event';

/** The project number the local token's audience names (project-number mode). */
export const LOCAL_AUDIENCE = '123456789012';
/** How long a child gets to exit on SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 3000;

export interface StackPorts {
  events: number;
  worker: number;
  /** chatWebhooks (/notify's incoming webhooks); absent or 0 picks a free port. */
  webhooks?: number;
  chatApi: number;
  certs: number;
  simulator: number;
  firestore: number;
  pubsub: number;
}

export interface StackOptions {
  projectId: string;
  /** 0 picks a free port. */
  ports: StackPorts;
  /** Use running emulators (host:port) instead of starting them. */
  emulators?: { firestore: string; pubsub: string };
  topic?: string;
  /** The kind of Chat app the simulator plays, and chatEvents is configured as (default `chat`). */
  format?: EventFormat;
  /** The simulator sends its events here instead of chatEvents (another Chat app); chatEvents still runs. */
  endpointUrl?: string;
  /**
   * How Chat reaches the app (default `http`): `pubsub` also serves chatPubsub behind the
   * `chat-events` topic (with a dead-letter policy, as deployed) and the simulator publishes there.
   */
  connection?: Connection;
  /** Keep the state here across restarts (`--data-dir`, data-dir.ts); needs the stack's own emulators. */
  dataDir?: string;
  /** More environment for the functions (e.g. PROGRESS_INTERVAL_MS). */
  env?: Record<string, string>;
  /**
   * Where the functions' output goes: this process's stdout/stderr as written (`inherit`, the
   * default), one readable line per log entry (`readable`, local/log-lines.ts), or a function.
   */
  output?: 'inherit' | 'readable' | ((line: string) => void);
}

export interface LocalStack {
  eventsUrl: string;
  format: EventFormat;
  connection: Connection;
  /** chatPubsub, with the Pub/Sub connection. */
  pubsubDoorUrl?: string;
  /** How chatEvents verifies the simulator's tokens (CHAT_AUDIENCE_MODE). */
  audienceMode: AudienceMode;
  workerUrl: string;
  /** chatWebhooks, where /notify's webhooks post (a function of its own, as deployed). */
  webhooksUrl: string;
  chatApi: LocalChatApi;
  simulator: Simulator;
  firestoreHost: string;
  pubsubHost: string;
  /** Where the simulator's signing keys are published, in the format Chat publishes its own. */
  certsUrl: string;
  /** A token chatEvents accepts, valid for `seconds`. */
  token(seconds?: number): string;
  /** Process ids of the functions and emulators this stack started. */
  pids(): number[];
  /**
   * Stops the functions and serves them again from the built code, on the same ports and with the
   * same settings (`npm run dev`); the emulators, the local Chat API, the simulator and their
   * state stay as they are.
   */
  restartFunctions(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * How chatEvents is configured for each kind of app, as in production (README, "Classic Chat app or
 * Google Workspace add-on"): a classic app here uses the project-number audience; an add-on can
 * only use the endpoint URL, with tokens from its own service account (docs/chat-protocol.md §4.4).
 */
function audienceFor(format: EventFormat, eventsUrl: string): { mode: AudienceMode; audience: string; env: Record<string, string> } {
  switch (format) {
    case 'chat':
      return { mode: 'project-number', audience: LOCAL_AUDIENCE, env: {} };
    case 'addon':
      return { mode: 'addon', audience: eventsUrl, env: { CHAT_ADDON_SERVICE_ACCOUNT: LOCAL_ADDON_SERVICE_ACCOUNT } };
  }
}

/** Where a function's lines go: this process's own streams, or the caller's function with the target named. */
function lineSink(target: FunctionTarget, output: StackOptions['output']): (line: string, stream: 'stdout' | 'stderr') => void {
  if (typeof output === 'function') return (line) => output(`[${target}] ${line}`);
  if (output === 'readable') return (line, stream) => process[stream].write(`${readableLine(target, line)}\n`);
  return (line, stream) => process[stream].write(`${line}\n`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

export async function startLocalStack(options: StackOptions): Promise<LocalStack> {
  const stops: (() => Promise<void>)[] = [];
  const pids: number[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    if (options.dataDir && options.emulators) throw new Error('a data directory needs the emulators the stack starts itself');
    // Read first: a directory that cannot be used stops everything before anything starts.
    const data = options.dataDir ? openDataDir(options.dataDir) : undefined;
    const p = options.ports;
    for (const [what, port] of Object.entries(p)) if (port) await assertPortFree(port, what);
    const topic = options.topic ?? 'chat-jobs';
    let firestoreHost = options.emulators?.firestore;
    let pubsubHost = options.emulators?.pubsub;
    if (!firestoreHost || !pubsubHost) {
      const dataDir = mkdtempSync(join(tmpdir(), 'chat-app-'));
      const [firestore, pubsub] = await Promise.all([
        startEmulator('firestore', { port: p.firestore, dataDir, ...(data?.firestoreImport ? { importData: data.firestoreImport } : {}) }),
        startEmulator('pubsub', { port: p.pubsub, dataDir }),
      ]);
      stops.push(firestore.stop, pubsub.stop);
      await warmUpFirestore(firestore.host);
      pids.push(firestore.pid, pubsub.pid);
      firestoreHost = firestore.host;
      pubsubHost = pubsub.host;
    }
    // This process talks to both emulators too (the topic, the "Data" tab).
    process.env.FIRESTORE_EMULATOR_HOST = firestoreHost;
    process.env.PUBSUB_EMULATOR_HOST = pubsubHost;
    process.env.METADATA_SERVER_DETECTION = 'none';

    const chatApi = await startLocalChatApi({ port: p.chatApi });
    stops.push(chatApi.stop);
    if (data?.saved) chatApi.restore(data.saved.chatApi);
    const signer = createSigner();
    const certs = await startCertsServer(() => signer.certs(), { port: p.certs });
    stops.push(certs.stop);
    const format = options.format ?? 'chat';
    const common = {
      GOOGLE_CLOUD_PROJECT: options.projectId,
      FIRESTORE_EMULATOR_HOST: firestoreHost,
      PUBSUB_EMULATOR_HOST: pubsubHost,
      METADATA_SERVER_DETECTION: 'none',
      CHAT_API_ROOT_URL: chatApi.url,
      JOBS_TOPIC: topic,
    };
    // chatEvents' settings name its own URL (the audience of an add-on, the links it hands out),
    // so they are made for the port it gets.
    const eventsEnv = (port: number) => {
      const auth = audienceFor(format, `http://127.0.0.1:${port}/`);
      return {
        ...common,
        CHAT_AUDIENCE_MODE: auth.mode,
        CHAT_AUDIENCE: auth.audience,
        ...auth.env,
        CHAT_CERTS_URL: certs.url,
        CHAT_EVENTS_URL: `http://127.0.0.1:${port}/`,
        // A developer's first write is not slow (shared/config.ts says why it is off when deployed).
        STORE_WARM_UP: 'true',
        ...options.env,
      };
    };
    const functions = new Map<FunctionTarget, { child: ChildProcess; port: number; env: (port: number) => Record<string, string> }>();
    const serve = async (target: FunctionTarget, port: number, env: (port: number) => Record<string, string>) => {
      const served = await serveFunction({ target, port: port || undefined, env, onLine: lineSink(target, options.output) });
      functions.set(target, { child: served.child, port: served.port, env });
      // Always the current process of the function (a restart replaces it).
      stops.push(() => stopChild(functions.get(target)!.child));
      return served.port;
    };
    const restartFunctions = async () => {
      await Promise.all([...functions.values()].map((f) => stopChild(f.child)));
      await Promise.all(
        [...functions].map(async ([target, f]) => {
          f.child = (await serveFunction({ target, port: f.port, env: f.env, onLine: lineSink(target, options.output) })).child;
        }),
      );
    };
    // chatWebhooks first: chatEvents hands out its URL (/notify).
    const webhooksUrl = `http://127.0.0.1:${await serve('chatWebhooks', p.webhooks ?? 0, () => ({ ...common, ...options.env }))}/`;
    const eventsPort = await serve('chatEvents', p.events, (port) => ({ ...eventsEnv(port), CHAT_WEBHOOKS_URL: webhooksUrl }));
    const workerPort = await serve('chatWorker', p.worker, () => ({ ...common, ...options.env }));
    const eventsUrl = `http://127.0.0.1:${eventsPort}/`;
    const auth = audienceFor(format, eventsUrl);
    const { PubSub } = await import('@google-cloud/pubsub');
    const pubsub = new PubSub({ projectId: options.projectId });
    stops.push(() => pubsub.close());
    const [jobs] = await pubsub.createTopic(topic);
    await jobs.createSubscription(`${topic}-worker`, {
      pushConfig: { pushEndpoint: `http://127.0.0.1:${workerPort}/projects/${options.projectId}/topics/${topic}` },
    });
    const connection = options.connection ?? 'http';
    const pubsubDoorUrl = connection === 'pubsub' ? await servePubsubDoor(pubsub, { ...common, CHAT_EVENTS_URL: eventsUrl, CHAT_WEBHOOKS_URL: webhooksUrl, ...options.env }, (env) => serve('chatPubsub', 0, () => env)) : undefined;
    const token = (seconds = 3600) => signer.sign(chatTokenClaims(auth.mode, auth.audience, { exp: Math.floor(Date.now() / 1000) + seconds }));
    const simulator = await startSimulator({ chatApi, eventsUrl, token: () => token(), format, connection, audienceMode: auth.mode, projectId: options.projectId, port: p.simulator, ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}), ...(data?.saved ? { restore: data.saved.simulator } : {}) });
    stops.push(simulator.stop);
    // Stops run last first: the last save comes before the simulator and the emulators stop.
    if (data) stops.push(keepSaved(data.dir, { chatApi, simulator, firestoreHost, projectId: options.projectId }));
    return {
      eventsUrl,
      format,
      connection,
      ...(pubsubDoorUrl ? { pubsubDoorUrl } : {}),
      audienceMode: auth.mode,
      workerUrl: `http://127.0.0.1:${workerPort}/`,
      webhooksUrl,
      chatApi,
      simulator,
      firestoreHost,
      pubsubHost,
      certsUrl: certs.url,
      token,
      pids: () => [...pids, ...[...functions.values()].flatMap((f) => (f.child.pid ? [f.child.pid] : []))],
      restartFunctions,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Chat's events topic, chatPubsub pushed from it (retries, dead letters after 5 attempts), as deployed. */
async function servePubsubDoor(
  pubsub: import('@google-cloud/pubsub').PubSub,
  env: Record<string, string>,
  serve: (env: Record<string, string>) => Promise<number>,
): Promise<string> {
  const [events] = await pubsub.createTopic(PUBSUB_EVENTS_TOPIC);
  const [dead] = await pubsub.createTopic(PUBSUB_DEAD_LETTER_TOPIC);
  await dead.createSubscription(`${PUBSUB_DEAD_LETTER_TOPIC}-inspect`);
  const port = await serve({ ...env, CHAT_EVENTS_TOPIC: PUBSUB_EVENTS_TOPIC, DEAD_LETTER_TOPIC: PUBSUB_DEAD_LETTER_TOPIC });
  await events.createSubscription(`${PUBSUB_EVENTS_TOPIC}-door`, {
    pushConfig: { pushEndpoint: `http://127.0.0.1:${port}/projects/${env.GOOGLE_CLOUD_PROJECT}/topics/${PUBSUB_EVENTS_TOPIC}` },
    retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 10 } },
    deadLetterPolicy: { deadLetterTopic: dead.name, maxDeliveryAttempts: 5 },
  });
  return `http://127.0.0.1:${port}/`;
}

const PUBSUB_EVENTS_TOPIC = EVENTS_TOPIC;
const PUBSUB_DEAD_LETTER_TOPIC = 'chat-jobs-dead-letter';
