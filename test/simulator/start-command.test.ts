/**
 * The README's run command (`node dist/local/start.js`, after the build `npm test` runs first), as
 * each kind of Chat app (`--format`): it starts everything, the simulator answers an event through
 * chatEvents, and Ctrl-C (SIGINT) stops it all, leaving no process and no busy port behind. A bad
 * kind stops it at once with the allowed values.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPortFree } from '../../local/ports';
import { listeningSockets } from '../helpers/listening-sockets';
import { until } from './browser';

jest.setTimeout(90_000);

const ROOT = join(__dirname, '..', '..');
const START = join(ROOT, 'dist', 'local', 'start.js');

const livePids = (): number[] => readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number);

/**
 * The live processes whose environment (as they were started) sets GOOGLE_CLOUD_PROJECT to `marker`:
 * every process npm start runs inherits it (local/serve-function.ts, local/emulators.ts).
 */
function startedBy(marker: string): number[] {
  return livePids().filter((pid) => {
    try {
      return alive(pid) && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`GOOGLE_CLOUD_PROJECT=${marker}`);
    } catch {
      return false; // gone meanwhile, or another user's
    }
  });
}

/** Every live process whose ancestry leads to `root` (read from /proc). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const pid of livePids()) {
    const entry = String(pid);
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, p] of parent) if (p === pid) (out.push(child), walk(child));
  };
  walk(root);
  return out;
}

const describeProcess = (pid: number): string => {
  try {
    return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 160)}`;
  } catch {
    return `${pid} (gone)`;
  }
};
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

describe.each([
  { format: 'chat', args: [], kind: 'a classic Chat app', events: ['ADDED_TO_SPACE /about'] },
  // An add-on added by a command gets two requests: the add, then the command.
  { format: 'addon', args: ['--format=addon'], kind: 'a Google Workspace add-on', events: ['addedToSpacePayload /about', 'appCommandPayload /about'] },
])('npm start $args', ({ format, args, kind, events }) => {
  test(`starts playing ${format === 'addon' ? 'an add-on' : 'a classic app'}, answers an event from the simulator, and stops cleanly on Ctrl-C`, async () => {
    expect(existsSync(START)).toBe(true);
    const names = ['EVENTS_PORT', 'WORKER_PORT', 'CHAT_API_PORT', 'CERTS_PORT', 'SIMULATOR_PORT', 'FIRESTORE_PORT', 'PUBSUB_PORT'];
    // Port 0 everywhere: each part binds a free port itself (ports picked here and bound later by
    // npm start could be taken meanwhile by anything else running on the machine).
    const marker = `smoke-start-${format}-${process.pid}`;
    const env: NodeJS.ProcessEnv = { ...process.env, ...Object.fromEntries(names.map((n) => [n, '0'])), GOOGLE_CLOUD_PROJECT: marker };
    delete env.FIRESTORE_EMULATOR_HOST;
    delete env.PUBSUB_EMULATOR_HOST;
    delete env.SIMULATOR_FORMAT;
    const child = spawn(process.execPath, [START, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await until('the simulator URL', () => /Google Chat simulator\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1], 60_000).catch((err: Error) => {
        throw new Error(`${err.message}; output:\n${output.slice(-3000)}`);
      });
      expect(output).toContain(`Playing ${kind} (--format=${format})`);
      const state = (await (await fetch(`${url}api/state`)).json()) as { mode: { format: string; audience: string } };
      expect(state.mode).toEqual({ format, audience: format === 'addon' ? 'addon' : 'project-number' });
      const res = await fetch(`${url}api/interact`, {
        method: 'POST',
        body: JSON.stringify({ kind: 'message', space: 'spaces/RELEASE', user: 'users/1111', text: '/about' }),
      });
      expect(res.status).toBe(200);
      const inspector = (await (await fetch(`${url}api/inspector`)).json()) as { label: string; status: number }[];
      // The app was not in the space: the command adds it, and the command is answered too.
      expect(inspector).toEqual(events.map((label) => expect.objectContaining({ label, status: 200 })));
      const timeline = (await (await fetch(`${url}api/timeline?space=spaces/RELEASE&viewer=users/1111`)).json()) as { cardsV2?: { cardId: string }[] }[];
      expect(timeline.filter((m) => m.cardsV2?.[0]?.cardId === 'about')).toHaveLength(1);
      // The marker finds every process npm start runs (what the check after Ctrl-C relies on).
      expect(startedBy(marker)).toEqual(expect.arrayContaining([child.pid!, ...descendants(child.pid!)]));
      // Every process npm start runs is reachable from this machine only.
      const sockets = listeningSockets([child.pid!, ...descendants(child.pid!)]);
      expect(new Set(sockets.map((s) => s.pid)).size).toBeGreaterThanOrEqual(5); // the functions, the emulators, npm start itself
      expect(sockets.filter((s) => s.address !== '127.0.0.1').map((s) => `${describeProcess(s.pid)} listens on ${s.address}:${s.port}`)).toEqual([]);
    } finally {
      const tree = descendants(child.pid!);
      expect(tree.length).toBeGreaterThanOrEqual(4); // two functions, two emulators (and their JVMs)
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      await until('every child process to exit', () => tree.every((pid) => !alive(pid)), 15_000).catch(() => {
        throw new Error(`left behind: ${tree.filter(alive).map(describeProcess).join('; ')}`);
      });
      // Nothing npm start ran is alive, even a process that left its tree: each inherits the marker.
      const leftovers = startedBy(marker);
      expect(leftovers.map(describeProcess)).toEqual([]);
      // Every port npm start printed is free again. Another test may already have been given one
      // of these ephemeral ports: only a holder that npm start ran (the marker) is left behind.
      const printed = [...output.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
      expect(new Set(printed).size).toBeGreaterThanOrEqual(6);
      for (const port of new Set(printed)) {
        const free = await assertPortFree(port, `port ${port}`).then(() => true, () => false);
        if (free) continue;
        const holders = listeningSockets(livePids()).filter((s) => s.port === port).map((s) => s.pid);
        expect(holders.filter((pid) => leftovers.includes(pid)).map(describeProcess)).toEqual([]);
      }
    }
  });
});

test.each([
  { args: ['--format=classic'], env: {}, error: '--format must be one of chat (a classic Chat app), addon (a Google Workspace add-on); got "classic".' },
  { args: [], env: { SIMULATOR_FORMAT: 'add-on' }, error: 'SIMULATOR_FORMAT must be one of chat (a classic Chat app), addon (a Google Workspace add-on); got "add-on".' },
  { args: ['--formats=addon'], env: {}, error: 'Unknown argument "--formats=addon". npm start takes --format=<chat|addon>' },
])('a bad kind of app ($args $env) stops npm start before anything starts, naming the allowed values', async ({ args, env, error }) => {
  const child = spawn(process.execPath, [START, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(stderr).toContain(error);
});

test('a busy port stops npm start with a message naming it', async () => {
  const { createServer } = await import('node:net');
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  const port = (busy.address() as { port: number }).port;
  const child = spawn(process.execPath, [START], { env: { ...process.env, SIMULATOR_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  busy.close();
  expect(code).toBe(1);
  expect(stderr).toContain(`Port ${port} (simulator) is already in use`);
});
