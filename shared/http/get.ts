/**
 * A plain HTTP(S) GET for the few outbound reads chatEvents makes (the signing keys). node:http
 * rather than the global `fetch`: fetch loads undici on first use, ~50–80 ms added to a cold start
 * that a person in Chat is waiting on.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface GetResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export type HttpGet = (url: string, options: { timeoutMs: number; maxBytes: number }) => Promise<GetResponse>;

export const httpGet: HttpGet = async (url, { timeoutMs, maxBytes }) => {
  const target = new URL(url);
  // Loaded on demand: most processes only ever need one of the two.
  const { request } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'GET', timeout: timeoutMs, headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) return void chunks.push(chunk);
        // The promise settles first, so nothing the teardown emits can resolve it.
        reject(new Error(`answer larger than ${maxBytes} bytes`));
        res.destroy();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
};
