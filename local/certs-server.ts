/**
 * A loopback stand-in for Google's certificate endpoints (docs/chat-protocol.md §6): serves the `kid -> PEM` map
 * with a `Cache-Control: max-age`, and counts requests so tests can see caching and refetches.
 * `certs` is called per request, so keys added to a signer list show up as a rotation would.
 */
import { createServer } from 'node:http';

export interface CertsServer {
  /** The URL to give `createCertCache` (any path on the server answers the same). */
  url: string;
  /** How many requests the server has answered, failed ones included. */
  requests(): number;
  stop(): Promise<void>;
}

export interface CertsServerOptions {
  /** Defaults to a free port chosen by the OS. */
  port?: number;
  /** Defaults to 3600. */
  maxAgeSeconds?: number;
}

/** If `certs` throws, the server answers 500, which is how tests simulate an outage. */
export async function startCertsServer(
  certs: () => Record<string, string>,
  options: CertsServerOptions = {},
): Promise<CertsServer> {
  const maxAgeSeconds = options.maxAgeSeconds ?? 3600;
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let body: string;
    try {
      body = JSON.stringify(certs());
    } catch {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('certs unavailable');
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'application/json; charset=UTF-8',
        'cache-control': `public, max-age=${maxAgeSeconds}, must-revalidate, no-transform`,
      })
      .end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('certs server: no TCP address');
  const { port } = address;
  return {
    url: `http://127.0.0.1:${port}/certs`,
    requests: () => count,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // fetch keeps connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
