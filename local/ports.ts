import { createServer } from 'node:net';

/** A port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves if the port can be bound on 127.0.0.1, rejects with a clear message if it is busy. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', () => reject(portInUse(port, what)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** A port that something else holds: chosen by the user, a clear error; picked by us, try another. */
export class PortInUseError extends Error {}

export const portInUse = (port: number, what: string): PortInUseError =>
  new PortInUseError(`Port ${port} (${what}) is already in use. Stop what uses it or choose another port.`);

/**
 * Starts something on a port the OS just reported free and, if another process took that port
 * before the start bound it, again on a fresh one. Needed for the servers that cannot bind port 0
 * and say which port they got (the emulators' Java servers, the functions-framework CLI); servers
 * of our own bind port 0 instead.
 */
export async function startOnFreePort<T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await findFreePort());
    } catch (err) {
      if (!(err instanceof PortInUseError) || attempt >= attempts) throw err;
    }
  }
}
