/** Binding the fake, to loopback only: it has no auth, so it must never be reachable from outside. */
import type { Server } from 'node:http';
import { isIP } from 'node:net';
import { assertPortFree } from '../ports';

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && IPV4_LOOPBACK.test(host));

/** Listens and resolves with the bound port; `port` 0 lets the OS pick a free one (no race). */
export async function listenOnLoopback(server: Server, host: string, port: number): Promise<number> {
  if (!isLoopbackHost(host)) throw new Error(`local Chat API host must be a loopback address, got ${host}`);
  if (port !== 0 && host === '127.0.0.1') await assertPortFree(port, 'local Chat API');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('local Chat API: server has no TCP address');
  return address.port;
}

/** The root URL for a host and port, bracketing IPv6 literals. */
export const rootUrlFor = (host: string, port: number): string =>
  `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}/`;
