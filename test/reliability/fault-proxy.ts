/**
 * A loopback proxy in front of the local Chat API that fails a share of the calls at random
 * (429, 500, no answer until the client times out, or an answer lost after the call took
 * effect), optionally adds latency, and counts the
 * writes that reach each space per sliding minute, to show the per-space quota is never exceeded.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxyOptions {
  target: string;
  failureRate: number;
  /** How long a "timeout" fault holds the request before dropping it. */
  hangMs: number;
  latencyMs?: [number, number];
  random?: () => number;
  /** Called as each API call arrives (before any fault), e.g. to kill the worker mid-job. */
  onCall?: (method: string, path: string) => void;
}

export interface FaultProxy {
  url: string;
  injected: { status429: number; status500: number; timeouts: number; lostAnswers: number };
  forwarded: number;
  /** The most writes any space received in any 60 s window. */
  maxWritesPerMinute(): number;
  stop(): Promise<void>;
}

const WRITE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const SPACE = /\/v1\/(spaces\/[^/]+)/;

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = options.random ?? Math.random;
  const target = new URL(options.target);
  const writes = new Map<string, number[]>();
  const injected = { status429: 0, status500: 0, timeouts: 0, lostAnswers: 0 };
  const stats = { forwarded: 0 };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** `loseAnswer`: the call reaches the API but its answer never comes back (the worst case for retries). */
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, loseAnswer = false) => {
    const upstream = request(
      { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        if (WRITE.has(req.method ?? '') && (up.statusCode ?? 500) < 400) {
          const space = SPACE.exec(req.url ?? '')?.[1];
          if (space) writes.set(space, [...(writes.get(space) ?? []), Date.now()]);
        }
        if (loseAnswer) {
          up.resume();
          up.on('end', () => res.destroy());
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
    stats.forwarded++;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (req.url?.startsWith('/v1/')) options.onCall?.(req.method ?? '', req.url);
      const [min, max] = options.latencyMs ?? [0, 0];
      if (max > 0) await sleep(min + random() * (max - min));
      if (req.url?.startsWith('/v1/') && random() < options.failureRate) {
        const kind = random();
        if (kind < 0.3) {
          injected.status429++;
          res.writeHead(429, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 429, message: 'injected', status: 'RESOURCE_EXHAUSTED' } }));
        } else if (kind < 0.6) {
          injected.status500++;
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 500, message: 'injected', status: 'INTERNAL' } }));
        } else if (kind < 0.8) {
          injected.timeouts++;
          setTimeout(() => res.destroy(), options.hangMs);
        } else {
          injected.lostAnswers++;
          forward(req, res, Buffer.concat(chunks), true);
        }
        return;
      }
      forward(req, res, Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    injected,
    get forwarded() {
      return stats.forwarded;
    },
    maxWritesPerMinute() {
      let max = 0;
      for (const times of writes.values()) {
        for (let i = 0, j = 0; j < times.length; j++) {
          while (times[j] - times[i] >= 60_000) i++;
          max = Math.max(max, j - i + 1);
        }
      }
      return max;
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
