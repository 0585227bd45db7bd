/**
 * Starts and stops the Firestore and Pub/Sub emulators that tests and `npm start` use.
 * Each emulator runs in its own process group so that stopping it also stops the Java
 * process gcloud forks.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './ports';

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

function commandFor(name: EmulatorName, host: string, dataDir: string): string[] {
  return name === 'firestore'
    ? ['emulators', 'firestore', 'start', `--host-port=${host}`, '--quiet']
    : ['beta', 'emulators', 'pubsub', 'start', `--host-port=${host}`, `--data-dir=${dataDir}`, '--quiet'];
}

async function waitUntilReady(host: string, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`emulator exited with code ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`http://${host}/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`emulator on ${host} not ready after ${timeoutMs} ms:\n${log()}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function startEmulator(
  name: EmulatorName,
  options: { port: number; dataDir: string; timeoutMs?: number },
): Promise<RunningEmulator> {
  const host = `127.0.0.1:${options.port}`;
  const child = spawn('gcloud', commandFor(name, host, options.dataDir), {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1', CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: 'true' },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilReady(host, child, options.timeoutMs ?? 60_000, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { name, host, pid: child.pid ?? -1, stop };
}

export interface TestEmulators {
  /** FIRESTORE_EMULATOR_HOST, PUBSUB_EMULATOR_HOST and METADATA_SERVER_DETECTION for the processes that use them. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Both emulators on free ports (so concurrent runs never share one), warmed up: what Jest's globalSetup
 * and `npm run test:mutation` start once for a whole run.
 */
export async function startTestEmulators(): Promise<TestEmulators> {
  checkPrerequisites(['firestore', 'pubsub']);
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-app-emulators-'));
  const [firestore, pubsub] = await Promise.all([
    findFreePort().then((port) => startEmulator('firestore', { port, dataDir })),
    findFreePort().then((port) => startEmulator('pubsub', { port, dataDir })),
  ]);
  // The emulator's first write takes seconds (JVM warm-up): pay it once here, not in a timed test.
  await fetch(`http://${firestore.host}/v1/projects/warm-up/databases/(default)/documents/warm?documentId=up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fields: { ok: { booleanValue: true } } }),
  });
  return {
    env: { FIRESTORE_EMULATOR_HOST: firestore.host, PUBSUB_EMULATOR_HOST: pubsub.host, METADATA_SERVER_DETECTION: 'none' },
    stop: async () => {
      await Promise.all([firestore.stop(), pubsub.stop()]);
    },
  };
}
