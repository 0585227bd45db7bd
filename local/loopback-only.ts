/**
 * Preloaded (`node --require`) into the processes that serve the functions locally: every server
 * in the process listens on 127.0.0.1. The functions-framework CLI, which is the deployed entry
 * point, calls `server.listen(port)` with no host (it has no flag for one), and Node then listens
 * on every interface, so anyone on the developer's network could reach the functions. Patching
 * `listen` here keeps the CLI, its option parsing and its error handling exactly as deployed;
 * serving through the framework's own API instead would run a different entry point.
 */
import { Server } from 'node:net';

const LOOPBACK = '127.0.0.1';
const original = Server.prototype.listen;

type ListenArgs = Parameters<typeof original>;

/** The same arguments with the host set to loopback wherever `listen` would bind every interface. */
export function loopbackArgs(args: unknown[]): unknown[] {
  const [first, second] = args;
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    const options = first as { port?: unknown; host?: unknown; path?: unknown; fd?: unknown };
    // A Unix socket or an inherited handle is not a network interface.
    if (options.path !== undefined || options.fd !== undefined || 'handle' in options || '_handle' in options) return args;
    return [{ ...options, host: LOOPBACK }, ...args.slice(1)];
  }
  // listen(port[, host][, backlog][, callback]): a string port that is not a number is a pipe path.
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const rest = typeof second === 'string' ? args.slice(2) : args.slice(1);
    return [first, LOOPBACK, ...rest];
  }
  // listen() or listen(callback): a random port on every interface.
  if (first === undefined || typeof first === 'function') return [0, LOOPBACK, ...args.slice(first === undefined ? 1 : 0)];
  return args;
}

Server.prototype.listen = function listen(this: Server, ...args: ListenArgs) {
  return original.apply(this, loopbackArgs(args) as ListenArgs);
} as typeof original;
