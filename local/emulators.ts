/**
 * Starts and stops the Firestore and Pub/Sub emulators that tests and `npm start` use.
 * Each emulator runs in its own process group so that stopping it also stops the Java
 * process gcloud forks.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portInUse, startOnFreePort } from './ports';

export type EmulatorName = 'firestore' | 'pubsub';

export interface RunningEmulator {
  name: EmulatorName;
  /** host:port, the value for FIRESTORE_EMULATOR_HOST / PUBSUB_EMULATOR_HOST. */
  host: string;
  pid: number;
  stop(): Promise<void>;
}

const INSTALL_HINT = [
  'Install the prerequisites:',
  '  Google Cloud CLI: https://cloud.google.com/sdk/docs/install (or apt-get install google-cloud-cli)',
  '  Emulators:        gcloud components install cloud-firestore-emulator pubsub-emulator beta',
  '                    (apt: apt-get install google-cloud-cli-firestore-emulator google-cloud-cli-pubsub-emulator)',
  '  Java 17+:         apt-get install openjdk-17-jre-headless',
].join('\n');

const COMPONENT_DIR: Record<EmulatorName, string> = {
  firestore: 'cloud-firestore-emulator',
  pubsub: 'pubsub-emulator',
};

/** Throws an error naming what is missing and how to install it. */
export function checkPrerequisites(names: EmulatorName[]): void {
  const missing: string[] = [];
  if (spawnSync('java', ['-version']).error) missing.push('java (Java 17 or newer)');
  const root = spawnSync('gcloud', ['info', '--format=value(installation.sdk_root)'], { encoding: 'utf8' });
  if (root.error || root.status !== 0) {
    missing.push('gcloud (the Google Cloud CLI)');
  } else {
    for (const name of names) {
      if (!existsSync(join(root.stdout.trim(), 'platform', COMPONENT_DIR[name]))) {
        missing.push(`the gcloud component ${COMPONENT_DIR[name]}`);
      }
    }
  }
  if (missing.length > 0) {
    throw new Error(`Missing prerequisites: ${missing.join(', ')}.\n${INSTALL_HINT}`);
  }
}

function commandFor(name: EmulatorName, host: string, dataDir: string, importData?: string): string[] {
  return name === 'firestore'
    ? ['emulators', 'firestore', 'start', `--host-port=${host}`, ...(importData ? [`--import-data=${importData}`] : []), '--quiet']
    : ['beta', 'emulators', 'pubsub', 'start', `--host-port=${host}`, `--data-dir=${dataDir}`, '--quiet'];
}

/**
 * The line each emulator prints once it listens on its port. Readiness is read from the emulator's
 * own output, not from a request: a request to the port could be answered by another process that
 * holds it (the Pub/Sub emulator stays up after failing to bind).
 */
const LISTENING: Record<EmulatorName, (port: number) => RegExp> = {
  firestore: (port) => new RegExp(`API endpoint: http://127\\.0\\.0\\.1:${port}\\b[\\s\\S]*Dev App Server is now running`),
  pubsub: (port) => new RegExp(`Server started, listening on ${port}\\b`),
};
const BIND_FAILED = /BindException: Address already in use/;

async function waitUntilReady(name: EmulatorName, port: number, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (BIND_FAILED.test(log())) throw portInUse(port, `${name} emulator`);
    if (child.exitCode !== null) throw new Error(`emulator exited with code ${child.exitCode}:\n${log().slice(-4000)}`);
    if (LISTENING[name](port).test(log())) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`emulator on port ${port} not ready after ${timeoutMs} ms:\n${log().slice(-4000)}`);
}

/**
 * Whether a process of the child's group (gcloud and the server it forked) still runs. Read from
 * /proc where there is one, so that zombies (which nothing may reap here) do not count.
 */
function groupAlive(child: ChildProcess): boolean {
  const group = child.pid;
  if (group === undefined) return false;
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  }
  return readdirSync('/proc').some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === group && state !== 'Z';
    } catch {
      return false; // exited while we looked
    }
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export interface EmulatorOptions {
  port?: number;
  dataDir: string;
  /** Firestore: an export's `.overall_export_metadata` file to start from (`npm start -- --data-dir`). */
  importData?: string;
  timeoutMs?: number;
}

/**
 * Starts an emulator on `options.port`, or, without one, on a free port (another one if that port
 * is taken before the emulator binds it).
 */
export function startEmulator(name: EmulatorName, options: EmulatorOptions): Promise<RunningEmulator> {
  const { port, ...rest } = options;
  return port ? startEmulatorOn(name, port, rest) : startOnFreePort((free) => startEmulatorOn(name, free, rest));
}

async function startEmulatorOn(name: EmulatorName, port: number, options: Omit<EmulatorOptions, 'port'>): Promise<RunningEmulator> {
  const host = `127.0.0.1:${port}`;
  const child = spawn('gcloud', commandFor(name, host, options.dataDir, options.importData), {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1', CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: 'true' },
  });
  // Enough to hold the start-up lines whole: readiness and a bind failure are read from them.
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-64_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Done when the whole group is gone: gcloud exits on SIGTERM before the Java server it started,
  // which on a busy machine took longer than any caller waited.
  const stop = async () => {
    if (!groupAlive(child)) return;
    killGroup(child, 'SIGTERM');
    for (const deadline = Date.now() + 3000; groupAlive(child) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    killGroup(child, 'SIGKILL');
    for (const deadline = Date.now() + 5000; groupAlive(child) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
  };
  try {
    await waitUntilReady(name, port, child, options.timeoutMs ?? 60_000, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { name, host, pid: child.pid ?? -1, stop };
}

/**
 * The Firestore emulator's first write takes seconds (JVM warm-up): pay it once when the emulator
 * starts, not in the first event's store deadline.
 */
export async function warmUpFirestore(host: string): Promise<void> {
  await fetch(`http://${host}/v1/projects/warm-up/databases/(default)/documents/warm?documentId=up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fields: { ok: { booleanValue: true } } }),
  });
}

export interface TestEmulators {
  /** FIRESTORE_EMULATOR_HOST, PUBSUB_EMULATOR_HOST and METADATA_SERVER_DETECTION for the processes that use them. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Both emulators on free ports (so concurrent runs never share one), warmed up: what Jest's
 * globalSetup, `npm run test:mutation` and `npm run bench` start once for a whole run.
 */
export async function startTestEmulators(): Promise<TestEmulators> {
  checkPrerequisites(['firestore', 'pubsub']);
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-app-emulators-'));
  const [firestore, pubsub] = await Promise.all([startEmulator('firestore', { dataDir }), startEmulator('pubsub', { dataDir })]);
  await warmUpFirestore(firestore.host);
  return {
    env: { FIRESTORE_EMULATOR_HOST: firestore.host, PUBSUB_EMULATOR_HOST: pubsub.host, METADATA_SERVER_DETECTION: 'none' },
    stop: async () => {
      await Promise.all([firestore.stop(), pubsub.stop()]);
    },
  };
}
