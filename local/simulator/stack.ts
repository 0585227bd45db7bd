/**
 * The whole app on this machine, behind the simulator: the emulators (or given ones), the local
 * Chat API, the certs server for the simulator's key, `chatEvents` and `chatWorker` under the
 * functions-framework CLI, the jobs topic with its push subscription, and the simulator page.
 * `npm start` and the end-to-end tests both start it; `stop()` leaves no process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCertsServer } from '../certs-server';
import { startLocalChatApi, type LocalChatApi } from '../chat-api';
import { startEmulator } from '../emulators';
import { assertPortFree, findFreePort } from '../ports';
import type { AudienceMode } from '../../shared/config';
import { chatTokenClaims, createSigner, LOCAL_ADDON_SERVICE_ACCOUNT } from '../signing';
import { startSimulator, type Simulator } from '.';
import type { EventFormat } from './wire-event';

/** The project folder, from `local/simulator` (ts-jest) or `dist/local/simulator` (the build). */
const ROOT = existsSync(join(__dirname, '..', '..', 'package.json')) ? join(__dirname, '..', '..') : join(__dirname, '..', '..', '..');
const FF_CLI = join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
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
  /** More environment for the functions (e.g. PROGRESS_INTERVAL_MS). */
  env?: Record<string, string>;
  /** Where the functions' output goes; defaults to this process's stdout/stderr. */
  output?: 'inherit' | ((line: string) => void);
}

export interface LocalStack {
  eventsUrl: string;
  format: EventFormat;
  /** How chatEvents verifies the simulator's tokens (CHAT_AUDIENCE_MODE). */
  audienceMode: AudienceMode;
  workerUrl: string;
  /** chatWebhooks, where /notify's webhooks post (a function of its own, as deployed). */
  webhooksUrl: string;
  chatApi: LocalChatApi;
  simulator: Simulator;
  firestoreHost: string;
  pubsubHost: string;
  /** A token chatEvents accepts, valid for `seconds`. */
  token(seconds?: number): string;
  /** Process ids of the functions and emulators this stack started. */
  pids(): number[];
  stop(): Promise<void>;
}

/**
 * How chatEvents is configured for each kind of app, as in production (README, "Classic Chat app or
 * Google Workspace add-on"): a classic app here uses the project-number audience; an add-on can
 * only use the endpoint URL, with tokens from its own service account (protocol §4.4).
 */
function audienceFor(format: EventFormat, eventsUrl: string): { mode: AudienceMode; audience: string; env: Record<string, string> } {
  switch (format) {
    case 'chat':
      return { mode: 'project-number', audience: LOCAL_AUDIENCE, env: {} };
    case 'addon':
      return { mode: 'addon', audience: eventsUrl, env: { CHAT_ADDON_SERVICE_ACCOUNT: LOCAL_ADDON_SERVICE_ACCOUNT } };
  }
}

/** The last lines a child wrote, for the error when it dies while starting. */
const recent = new WeakMap<ChildProcess, string[]>();

function serveFunction(target: 'chatEvents' | 'chatWorker' | 'chatWebhooks', port: number, env: Record<string, string>, output: StackOptions['output']): ChildProcess {
  const args = [FF_CLI, `--source=${join(ROOT, 'dist', 'functions')}`, `--target=${target}`, `--port=${port}`];
  if (target === 'chatWorker') args.push('--signature-type=cloudevent');
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, FUNCTION_TARGET: target },
    stdio: output === 'inherit' || output === undefined ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  if (typeof output === 'function') {
    const lines: string[] = [];
    recent.set(child, lines);
    const forward = (chunk: Buffer) =>
      chunk.toString().split('\n').filter(Boolean).forEach((l) => {
        lines.push(l);
        lines.splice(0, lines.length - 20);
        output(`[${target}] ${l}`);
      });
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
  }
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });

/**
 * Resolves once the function listens (a bare TCP connect: a request would be logged as a bad
 * event); fails if the child exits first.
 */
async function waitForListening(port: number, child: ChildProcess, what: string, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} while starting\n${(recent.get(child) ?? []).join('\n')}`);
    if (await accepts(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on port ${port} within ${timeoutMs} ms`);
}

export async function startLocalStack(options: StackOptions): Promise<LocalStack> {
  const stops: (() => Promise<void>)[] = [];
  const pids: number[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const p = options.ports;
    for (const [what, port] of Object.entries(p)) if (port) await assertPortFree(port, what);
    const topic = options.topic ?? 'chat-jobs';
    let firestoreHost = options.emulators?.firestore;
    let pubsubHost = options.emulators?.pubsub;
    if (!firestoreHost || !pubsubHost) {
      const dataDir = mkdtempSync(join(tmpdir(), 'chat-app-'));
      const [firestore, pubsub] = await Promise.all([
        startEmulator('firestore', { port: p.firestore || (await findFreePort()), dataDir }),
        startEmulator('pubsub', { port: p.pubsub || (await findFreePort()), dataDir }),
      ]);
      stops.push(firestore.stop, pubsub.stop);
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
    const signer = createSigner();
    const certs = await startCertsServer(() => signer.certs(), { port: p.certs });
    stops.push(certs.stop);
    const eventsPort = p.events || (await findFreePort());
    const workerPort = p.worker || (await findFreePort());
    const webhooksPort = p.webhooks || (await findFreePort());
    const webhooksUrl = `http://127.0.0.1:${webhooksPort}/`;
    const eventsUrl = `http://127.0.0.1:${eventsPort}/`;
    const format = options.format ?? 'chat';
    const auth = audienceFor(format, eventsUrl);
    const env = {
      GOOGLE_CLOUD_PROJECT: options.projectId,
      FIRESTORE_EMULATOR_HOST: firestoreHost,
      PUBSUB_EMULATOR_HOST: pubsubHost,
      METADATA_SERVER_DETECTION: 'none',
      CHAT_AUDIENCE_MODE: auth.mode,
      CHAT_AUDIENCE: auth.audience,
      ...auth.env,
      CHAT_CERTS_URL: certs.url,
      CHAT_API_ROOT_URL: chatApi.url,
      CHAT_EVENTS_URL: eventsUrl,
      CHAT_WEBHOOKS_URL: webhooksUrl,
      JOBS_TOPIC: topic,
      ...options.env,
    };
    const { PubSub } = await import('@google-cloud/pubsub');
    const pubsub = new PubSub({ projectId: options.projectId });
    stops.push(() => pubsub.close());
    const [jobs] = await pubsub.createTopic(topic);
    await jobs.createSubscription(`${topic}-worker`, {
      pushConfig: { pushEndpoint: `http://127.0.0.1:${workerPort}/projects/${options.projectId}/topics/${topic}` },
    });
    for (const [target, port] of [['chatEvents', eventsPort], ['chatWorker', workerPort], ['chatWebhooks', webhooksPort]] as const) {
      const child = serveFunction(target, port, env, options.output);
      stops.push(() => stopChild(child));
      if (child.pid) pids.push(child.pid);
      await waitForListening(port, child, target);
    }
    const token = (seconds = 3600) => signer.sign(chatTokenClaims(auth.mode, auth.audience, { exp: Math.floor(Date.now() / 1000) + seconds }));
    const simulator = await startSimulator({ chatApi, eventsUrl, token: () => token(), format, audienceMode: auth.mode, projectId: options.projectId, port: p.simulator });
    stops.push(simulator.stop);
    return {
      eventsUrl,
      format,
      audienceMode: auth.mode,
      workerUrl: `http://127.0.0.1:${workerPort}/`,
      webhooksUrl,
      chatApi,
      simulator,
      firestoreHost,
      pubsubHost,
      token,
      pids: () => [...pids],
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
