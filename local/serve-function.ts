/**
 * One built function served the way Cloud Functions serves it: the functions-framework CLI in a
 * process of its own, with `--source`, `--target` and `--signature-type` as deployed. The local
 * stack and the tests start the functions through here. `loopback-only.js` is preloaded so that
 * the CLI, which has no host flag, listens on 127.0.0.1 rather than on every interface.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { portInUse, startOnFreePort } from './ports';

/** The project folder, from `local/` (ts-jest) or `dist/local/` (the build). */
export const ROOT = existsSync(join(__dirname, '..', 'package.json')) ? join(__dirname, '..') : join(__dirname, '..', '..');
const FF_CLI = join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
const SOURCE = join(ROOT, 'dist', 'functions');
const LOOPBACK_ONLY = join(ROOT, 'dist', 'local', 'loopback-only.js');

export type FunctionTarget = 'chatEvents' | 'chatWorker' | 'chatWebhooks' | 'chatPubsub';

export interface ServeOptions {
  target: FunctionTarget;
  /** Its environment; a function of the port where a setting names the function's own URL. */
  env: Record<string, string | undefined> | ((port: number) => Record<string, string | undefined>);
  /** The port to listen on; without one, a free port (another one if it is taken meanwhile). */
  port?: number;
  /** Arguments for node itself, before the CLI (e.g. the heap limit of the deployed memory). */
  nodeArgs?: string[];
  /** Each line the process writes, as it comes. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  timeoutMs?: number;
}

export interface ServedFunction {
  child: ChildProcess;
  port: number;
}

export function serveFunction(options: ServeOptions): Promise<ServedFunction> {
  for (const built of [join(SOURCE, 'index.js'), LOOPBACK_ONLY]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build (npm test does it)`);
  }
  const { port } = options;
  return port ? serveOn(port, options) : startOnFreePort((free) => serveOn(free, options));
}

/**
 * Resolves once the CLI says it serves on the port (it prints the URL from the listen callback,
 * unless NODE_ENV is production): a connection to the port could reach another process holding
 * it. A process that fails to bind exits with EADDRINUSE, which rejects with PortInUseError.
 */
function serveOn(port: number, options: ServeOptions): Promise<ServedFunction> {
  const { target } = options;
  const signature = target === 'chatWorker' || target === 'chatPubsub' ? 'cloudevent' : 'http';
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), `--require=${LOOPBACK_ONLY}`, FF_CLI, `--source=${SOURCE}`, `--target=${target}`, `--signature-type=${signature}`, `--port=${port}`], {
    env: { ...process.env, NODE_ENV: 'development', ...(typeof options.env === 'function' ? options.env(port) : options.env), FUNCTION_TARGET: target },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  const serving = `URL: http://localhost:${port}/`;
  return new Promise<ServedFunction>((resolve, reject) => {
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else resolve({ child, port });
    };
    const timer = setTimeout(() => settle(new Error(`${target} did not serve on port ${port} within ${options.timeoutMs ?? 30_000} ms\n${recent.join('\n')}`)), options.timeoutMs ?? 30_000);
    for (const stream of ['stdout', 'stderr'] as const) {
      let partial = '';
      child[stream]?.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          recent.push(line);
          recent.splice(0, recent.length - 20);
          options.onLine?.(line, stream);
          if (line.includes(serving)) settle();
        }
      });
    }
    child.once('exit', (code) => {
      const taken = recent.some((l) => l.includes('EADDRINUSE'));
      settle(taken ? portInUse(port, target) : new Error(`${target} exited with code ${code} while starting\n${recent.join('\n')}`));
    });
  });
}
