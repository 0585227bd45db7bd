/**
 * A function served as Cloud Functions serves it: the functions-framework CLI in a process of its
 * own, `--source` and `--target` as deployed. Its output goes to a log file (not through a pipe,
 * so reading it costs the bench nothing); its resident memory is read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from '../local/ports';
import { sleep } from './stats';

export const ROOT = join(__dirname, '..', '..');
const FF_CLI = join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');

export type Target = 'chatEvents' | 'chatWorker';

export interface FunctionSpec {
  /** The folder the functions-framework loads (`--source`). */
  source: string;
  target: Target;
  env: Record<string, string>;
  /** Where stdout and stderr go. */
  logFile: string;
}

export interface FunctionProcess {
  port: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `process.hrtime.bigint()` just before the process was spawned. */
  spawnedAt: bigint;
  /** False once the process has exited (a function that failed to load exits at once). */
  running(): boolean;
  /** Resident set size now, in MiB. */
  rssMb(): number;
  /** CPU time (user + system) used so far, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export const cliArgs = (spec: FunctionSpec, port: number): string[] => [
  FF_CLI,
  `--source=${spec.source}`,
  `--target=${spec.target}`,
  `--signature-type=${spec.target === 'chatWorker' ? 'cloudevent' : 'http'}`,
  `--port=${port}`,
];

export async function spawnFunction(spec: FunctionSpec): Promise<FunctionProcess> {
  const port = await findFreePort();
  const log = openSync(spec.logFile, 'a');
  const spawnedAt = process.hrtime.bigint();
  const child: ChildProcess = spawn(process.execPath, cliArgs(spec, port), {
    env: { ...process.env, ...spec.env, FUNCTION_TARGET: spec.target, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    spawnedAt,
    running: () => child.exitCode === null && child.signalCode === null,
    cpuMs() {
      // /proc/PID/stat fields 14 and 15 (utime, stime), in clock ticks of 10 ms; the name (field 2) may hold spaces.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    },
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
      return Math.round((kb / 1024) * 10) / 10;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Resolves once something answers HTTP on the port (any status), or throws after `timeoutMs`. */
export async function waitUntilServing(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(`${url}/_bench_ping`, { method: 'GET' });
      return;
    } catch {
      await sleep(20);
    }
  }
  throw new Error(`nothing is serving on ${url} after ${timeoutMs} ms`);
}
