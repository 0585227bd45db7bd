/**
 * The one body limit of the HTTP functions, enforced before the functions-framework reads a byte.
 *
 * Why a patch: the framework's express app parses every body (JSON, text, urlencoded, raw; up to
 * 1 GB) in middleware that runs before any handler, and it offers no option to change that. A
 * 30 MB JSON body costs over 1 GB of heap there. So `installBodyLimit` wraps the framework's
 * `getServer` (the one function its CLI and `getTestServer` both call, after our module has
 * loaded) and puts `guardBody` in front of the express app of every HTTP function: it refuses a
 * body over the limit with 413 (at once when Content-Length says so, after at most `limit` bytes
 * when chunked; the rest is never read), reads the rest into `req.rawBody` itself, and the framework's parsers then skip
 * the consumed request. The handlers parse `rawBody` themselves (request-body.ts), so a malformed
 * body gets our JSON 400, never the framework's HTML error page.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import getRawBody from 'raw-body';

/** Chat events are at most 1 MiB (a big card event is a few KB); a webhook post is a short text. */
export const BODY_LIMITS = { events: 1024 * 1024, webhook: 16 * 1024 } as const;
/** Incoming webhooks are served under this path; everything else is a Chat event. */
export const WEBHOOK_PATH_PREFIX = '/webhooks/';

export const bodyLimitFor = (path: string): number => (path.startsWith(WEBHOOK_PATH_PREFIX) ? BODY_LIMITS.webhook : BODY_LIMITS.events);

/** The request with the bytes the guard read (the framework's `Request` declares the same field). */
type GuardedRequest = IncomingMessage & { rawBody?: Buffer };

/** How long a refused client gets to read our answer before its connection is dropped. */
const LINGER_MS = 2000;

/**
 * Answers with a JSON error at once, then shuts our side of the connection and stops reading:
 * the client sees the answer and stops sending, and what it still sends waits in the kernel (TCP
 * flow control), not in our memory. The socket is destroyed LINGER_MS later. Destroying it at once
 * with unread data would reset the connection and the client would lose the answer; reading the
 * rest, even to drop it, costs memory as fast as the client can send.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  const socket = req.socket;
  // Node calls destroySoon once a `Connection: close` answer is written, just after resuming the
  // request to drop its body (which restarts reading the socket on the next tick); linger
  // instead, with reading stopped after that tick.
  socket.destroySoon = () => {
    socket.end();
    setImmediate(() => socket.pause());
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
  res.end(JSON.stringify({ error: message }));
}

const hasBody = (req: IncomingMessage) => req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;

/** `next` runs with the whole body in `req.rawBody`, or the request is answered with a JSON 4xx. */
export function guardBody(next: RequestListener): RequestListener {
  return (req: GuardedRequest, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    try {
      // Express would answer a malformed percent-escape in the path with its HTML error page.
      decodeURIComponent(path);
    } catch {
      return refuse(req, res, 400, 'the URL path is not valid');
    }
    if (!hasBody(req)) return next(req, res);
    const encoding = req.headers['content-encoding'];
    // The framework would inflate gzip/deflate/br bodies: a small body could grow without bound.
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return refuse(req, res, 415, 'compressed bodies are not accepted');
    const limit = bodyLimitFor(path);
    getRawBody(req, { length: req.headers['content-length'], limit }).then(
      (body) => {
        req.rawBody = body;
        next(req, res);
      },
      (err: { type?: string }) => {
        if (err.type === 'entity.too.large') refuse(req, res, 413, `the body is over ${limit} bytes`);
        else refuse(req, res, 400, 'the body could not be read');
      },
    );
  };
}

type GetServer = (...args: unknown[]) => Server;
interface FrameworkServerModule {
  getServer: GetServer & { bodyLimited?: true };
}

/**
 * Puts `guardBody` in front of every HTTP function the framework serves from now on. Idempotent;
 * throws (the function fails to start) if the framework no longer has the shape it wraps, so the
 * limit can never be silently missing.
 */
export function installBodyLimit(): void {
  // The framework's package exports hide build/src/server.js; its path next to the entry point is
  // the module the CLI's main.js loads, so patching it here patches theirs.
  const file = join(dirname(require.resolve('@google-cloud/functions-framework')), 'server.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const framework = require(file) as FrameworkServerModule;
  const original = framework.getServer;
  if (typeof original !== 'function') throw new Error(`${file} has no getServer: the body limit cannot be installed`);
  if (original.bodyLimited) return;
  const wrapped: FrameworkServerModule['getServer'] = (...args) => {
    const server = original(...args);
    const options = args[1] as { signatureType?: string } | undefined;
    if (options?.signatureType !== 'http') return server;
    const listeners = server.listeners('request') as RequestListener[];
    if (listeners.length !== 1) throw new Error('the functions-framework server has an unexpected shape: the body limit cannot be installed');
    server.removeAllListeners('request');
    server.on('request', guardBody(listeners[0]));
    return server;
  };
  wrapped.bodyLimited = true;
  framework.getServer = wrapped;
}
