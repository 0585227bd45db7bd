/**
 * Fetching Chat's signing keys from a hostile or broken key server: whatever it does (never
 * answers, trickles its headers or its body a byte at a time, sends an endless body), the fetch
 * ends within the total deadline, so a person in Chat is never kept waiting past it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createCertCache, FETCH_TIMEOUT_MS } from '../../shared/auth/certs';
import { record } from './record';

/** A raw TCP server: each behaviour writes what it likes, when it likes. */
type Behaviour = (socket: Socket) => void;

const drip = (socket: Socket, text: string, everyMs: number) => {
  let i = 0;
  const timer = setInterval(() => socket.write(i < text.length ? text[i++] : 'v'), everyMs);
  socket.on('close', () => clearInterval(timer));
  socket.on('error', () => clearInterval(timer));
};

const BEHAVIOURS: Record<string, Behaviour> = {
  'never answers': () => undefined,
  'trickles its headers': (s) => drip(s, `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n${'X-Pad: 1\r\n'.repeat(10_000)}`, 50),
  'trickles its body': (s) => {
    s.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"k":"');
    drip(s, '', 50);
  },
  'sends headers, then nothing': (s) => s.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{'),
};

async function listen(behaviour: Behaviour): Promise<{ server: Server; url: string; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    behaviour(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`, sockets };
}

test('a hostile key server cannot hold a token check past the fetch deadline', async () => {
  const results: { name: string; ms: number; error: string }[] = [];
  for (const [name, behaviour] of Object.entries(BEHAVIOURS)) {
    const { server, url, sockets } = await listen(behaviour);
    const started = performance.now();
    const error = await createCertCache({ url }).key('any').then(
      () => 'resolved',
      (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message),
    );
    results.push({ name, ms: Math.round(performance.now() - started), error });
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  }
  const worst = Math.max(...results.map((r) => r.ms));
  // Within the deadline plus scheduling slack on a busy machine; the old idle timeout never ended two of them.
  const bounded = results.filter((r) => r.error !== 'resolved' && r.ms < FETCH_TIMEOUT_MS * 2);
  record({
    case: 'signing-key fetch from a hostile key server (silent, trickling headers or body)',
    tried: results.length,
    survived: bounded.length,
    lost: 0,
    doubled: 0,
    notes: `signing-key fetch worst case: ${worst} ms (deadline ${FETCH_TIMEOUT_MS} ms); ${results.map((r) => `${r.name} ${r.ms} ms`).join(', ')}`,
  });
  expect(results.filter((r) => !bounded.includes(r))).toEqual([]);
}, 60_000);
