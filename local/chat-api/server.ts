/**
 * The HTTP front end: routes a request to the controls or to the API, applies injected faults,
 * records API calls, and turns every failure into a response. Nothing a client sends may throw
 * past `handle`, so the server never crashes on bad input.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../../shared/log';
import type { CallLog } from './call-log';
import { handleControl, type Controls } from './control';
import { ApiError, ControlError, invalidArgument, notFound } from './errors';
import type { FaultOutcome, FaultQueue } from './faults';
import { readBody, sendJson, type BodyResult } from './http-io';
import { foreignRequest } from '../same-origin';
import { parseJson, type JsonValue } from './json';
import { handleApiRequest, type ApiDeps } from './methods';
import { readQuery } from './query';
import { routeRequest, splitPath, type ApiRoute } from './routes';
import type { RecordedCall } from './types';

export interface ServerDeps {
  api: ApiDeps;
  calls: CallLog;
  controls: Controls;
  faults: FaultQueue;
  log: Logger;
  now: () => number;
}

export interface ChatApiServer {
  server: Server;
  /** Ends hanging requests, cuts open connections and closes the server. */
  close(): Promise<void>;
}

type CallDraft = Omit<RecordedCall, 'status'>;

/** Body-less methods ignore whatever body comes with them, as Google's front end does. */
const METHODS_WITH_BODY = new Set(['create', 'patch', 'update']);

export function createChatApiServer(deps: ServerDeps): ChatApiServer {
  const hangs = new Set<() => void>();

  /** Waits `ms`, or less if the client gives up first (nothing is left to answer then). */
  const hang = (ms: number, res: ServerResponse) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        hangs.delete(done);
        res.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      hangs.add(done);
      res.once('close', done);
    });

  const sendApiError = (res: ServerResponse, call: CallDraft, err: ApiError) => finish(res, call, err.httpStatus, err.body);

  function finish(res: ServerResponse, call: CallDraft, status: number, body: unknown): void {
    const sent = sendJson(res, status, body);
    deps.calls.record({ ...call, status: sent ? status : 0 });
  }

  async function applyFault(req: IncomingMessage, res: ServerResponse, call: CallDraft, fault: FaultOutcome & { end: number | 'close' }) {
    if (fault.hangMs > 0) await hang(fault.hangMs, res);
    const faulted = { ...call, faulted: true };
    if (fault.end === 'close') {
      req.socket.destroy();
      deps.calls.record({ ...faulted, status: 0 });
      return;
    }
    sendApiError(res, faulted, new ApiError(fault.end, `Injected fault (${fault.end}) from the local Chat API.`));
  }

  function serveControl(res: ServerResponse, httpMethod: string, segments: string[], url: URL, body: BodyResult): void {
    try {
      if (!body.ok) throw new ControlError('request body too large or aborted', 'INVALID');
      const out = handleControl(deps.controls, httpMethod, segments, url.searchParams, body.text);
      sendJson(res, out.status, out.body);
    } catch (err) {
      if (!(err instanceof ControlError)) throw err;
      sendJson(res, err.httpStatus, { error: { code: err.httpStatus, message: err.message, status: err.code } });
    }
  }

  /** Front-end checks (JSON, query names), then the method itself. */
  function serveApi(res: ServerResponse, call: CallDraft, route: ApiRoute, url: URL, bodyText: string): void {
    try {
      let json: JsonValue | undefined;
      if (METHODS_WITH_BODY.has(route.method) && bodyText.trim() !== '') {
        const parsed = parseJson(bodyText);
        if (!parsed.ok) throw invalidArgument(`Invalid JSON payload received. ${parsed.reason}`);
        json = parsed.value;
      }
      const query = readQuery(route.method, url.searchParams);
      const result = handleApiRequest(deps.api, {
        method: route.method,
        space: route.space,
        ...(route.messageId !== undefined ? { messageId: route.messageId } : {}),
        ...(route.member !== undefined ? { member: route.member } : {}),
        query,
        body: json,
      });
      finish(res, call, 200, result);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      sendApiError(res, call, err);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const foreign = foreignRequest(req);
    // Before the body is read or anything recorded: a refused request leaves no trace.
    if (foreign) return void sendJson(res, 403, new ApiError(403, `The local Chat API refuses this request: ${foreign}.`).body);
    const time = deps.now();
    const httpMethod = req.method ?? 'GET';
    const body = await readBody(req);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendJson(res, 400, invalidArgument('Malformed request URL.').body);
      return;
    }
    const segments = splitPath(url.pathname);
    const route = segments ? routeRequest(httpMethod, segments) : { kind: 'unknown' as const };
    if (route.kind === 'control') return serveControl(res, httpMethod, route.segments, url, body);

    const call: CallDraft = {
      method: route.kind === 'api' ? route.method : 'unknown',
      httpMethod,
      path: segments ? `/${segments.join('/')}` : url.pathname,
      query: Object.fromEntries(url.searchParams),
      time,
      ...(route.kind === 'api' ? { space: route.space } : {}),
      faulted: false,
    };
    if (route.kind === 'unknown') return sendApiError(res, call, notFound('Method not found.'));
    if (route.kind === 'unimplemented') {
      return sendApiError(res, call, new ApiError(501, `${route.what} is not implemented by the local Chat API.`));
    }
    if (!body.ok) {
      if (body.reason === 'aborted') return deps.calls.record({ ...call, status: 0 });
      return sendApiError(res, call, invalidArgument('Request payload size exceeds the limit: 10485760 bytes.'));
    }
    // Faults stand for infrastructure failing before the space is reached: no quota, no change.
    const fault = deps.faults.take(route.method);
    if (fault?.end === 'serve') await hang(fault.hangMs, res);
    else if (fault) return applyFault(req, res, call, { ...fault, end: fault.end });
    serveApi(res, call, route, url, body.text);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      deps.log.error('local Chat API failed on a request', {
        error: err instanceof Error ? err.stack : String(err),
        url: req.url,
      });
      sendJson(res, 500, new ApiError(500, 'Internal error in the local Chat API.').body);
    });
  });
  // Unparseable HTTP: answer 400 if the socket still can, never let it surface as an error event.
  server.on('clientError', (_err: Error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const close = () =>
    new Promise<void>((resolve) => {
      [...hangs].forEach((end) => end());
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return { server, close };
}
