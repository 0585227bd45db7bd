/**
 * HTTP on loopback for the bench: one POST (retried while the port is not yet open, for cold
 * starts) and a closed-loop load generator bounded by a request count and a time limit.
 */
import { Agent, request } from 'node:http';
import { msSince, sleep } from './stats';

export interface Answer {
  status: number;
  body: string;
  /** Milliseconds from the request to the last byte of the answer. */
  ms: number;
}

export interface PostOptions {
  url: string;
  body: string;
  headers?: Record<string, string>;
  agent?: Agent;
  timeoutMs?: number;
}

export function post(options: PostOptions): Promise<Answer> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      options.url,
      {
        method: 'POST',
        agent: options.agent ?? false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body), ...options.headers },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: msSince(started) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${options.url} within ${options.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

const refused = (err: unknown) => (err as { code?: string }).code === 'ECONNREFUSED';

/** Posts as soon as the port opens (trying every `pollMs`), until `deadlineMs` from now or the server is gone. */
export async function postWhenListening(options: PostOptions & { deadlineMs: number; pollMs?: number; alive(): boolean }): Promise<Answer> {
  const deadline = Date.now() + options.deadlineMs;
  for (;;) {
    try {
      return await post(options);
    } catch (err) {
      if (!refused(err) || Date.now() > deadline) throw err;
      if (!options.alive()) throw new Error(`the server exited before answering (${options.url})`);
      await sleep(options.pollMs ?? 2);
    }
  }
}

export interface LoadOptions {
  url: string;
  concurrency: number;
  /** Stop after this many requests… */
  requests: number;
  /** …or after this long, whichever comes first. */
  maxMs: number;
  /** The i-th request's body. */
  body(i: number): string;
  headers(i: number): Record<string, string>;
  /** Whether an answer counts as a success (default: status 200). */
  ok?(answer: Answer): boolean;
}

export interface LoadResult {
  latenciesMs: number[];
  errors: number;
  firstError?: string;
  elapsedMs: number;
  eventsPerSecond: number;
}

/** `concurrency` loops, each sending its next request when the previous one is answered. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const ok = options.ok ?? ((a: Answer) => a.status === 200);
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let issued = 0;
  const started = process.hrtime.bigint();
  const loop = async () => {
    while (issued < options.requests && msSince(started) < options.maxMs) {
      const i = issued++;
      try {
        const answer = await post({ url: options.url, body: options.body(i), headers: options.headers(i), agent });
        if (ok(answer)) latenciesMs.push(answer.ms);
        else {
          errors++;
          firstError ??= `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
        }
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const elapsedMs = msSince(started);
  agent.destroy();
  return { latenciesMs, errors, firstError, elapsedMs, eventsPerSecond: Math.round((latenciesMs.length * 1000) / elapsedMs) };
}
