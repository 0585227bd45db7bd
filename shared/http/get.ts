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

/** `timeoutMs` bounds the whole exchange (connect, headers and body), not only a silence. */
export type HttpGet = (url: string, options: { timeoutMs: number; maxBytes: number }) => Promise<GetResponse>;

export const httpGet: HttpGet = async (url, { timeoutMs, maxBytes }) => {
  const target = new URL(url);
  // Loaded on demand: most processes only ever need one of the two.
  const { request } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    // node's `timeout` option is an idle timeout: a server trickling a byte a second would hold the
    // fetch (and the person in Chat) forever. The deadline ends it whatever arrives.
    const deadline = setTimeout(() => fail(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    // The promise settles first, so nothing the teardown emits can resolve it.
    const fail = (err: Error) => {
      clearTimeout(deadline);
      reject(err);
      req.destroy();
    };
    const req = request(target, { method: 'GET', headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) return void chunks.push(chunk);
        fail(new Error(`answer larger than ${maxBytes} bytes`));
      });
      res.on('end', () => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
};
