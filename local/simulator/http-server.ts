/**
 * The simulator's HTTP server: the page, its JSON API (`/api/…`, see protocol.ts) and the live
 * stream. Bad requests get a 400 with a JSON error; nothing the page sends can crash it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readBody, sendJson } from '../chat-api/http-io';
import type { Logger } from '../../shared/log';
import { foreignRequest } from '../same-origin';
import type { FirestoreView } from './firestore-view';
import type { FormInputs } from './protocol';
import type { InspectorLog } from './inspector';
import { IntentError, readIntent } from './read-intent';
import type { SimulatorSession } from './session';
import { exportAsJestTest } from './export-test';
import { directoryRoute } from './directory-routes';
import { toolRoute, type ToolDeps } from './tool-routes';
import type { EventFormat } from './wire-event';
import type { StaticFile } from './static-files';
import type { EventStream } from './stream';
import { readTranscript, replayTranscript, toTranscript, TranscriptError } from './transcript';
import { UserError } from './user-error';

export interface HttpDeps {
  /** The session, once the server knows its own URL. */
  session: () => SimulatorSession;
  inspector: InspectorLog;
  stream: EventStream;
  data: FirestoreView;
  files: (path: string) => StaticFile | undefined;
  /** The developer tools' routes (tool-routes.ts). */
  tools: ToolDeps;
  log: Logger;
}

/** A transcript of a long session stays well under this. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

class BadRequest extends Error {}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (!body.ok) throw new BadRequest(body.reason === 'too-large' ? 'the body is too large' : 'the request was aborted');
  try {
    return JSON.parse(body.text);
  } catch {
    throw new BadRequest('the body is not JSON');
  }
}

export function createSimulatorServer(deps: HttpDeps): Server {
  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const session = deps.session();
    const route = `${req.method} ${url.pathname}`;
    const query = (name: string) => {
      const v = url.searchParams.get(name);
      if (!v) throw new BadRequest(`query parameter ${name} is required`);
      return v;
    };
    switch (route) {
      case 'GET /api/state':
        return void sendJson(res, 200, session.state());
      case 'GET /api/timeline':
        return void sendJson(res, 200, session.timeline(query('space'), query('viewer')));
      case 'GET /api/inspector':
        return void sendJson(res, 200, deps.inspector.list());
      case 'POST /api/interact':
        return void sendJson(res, 200, await session.interact(readIntent(await readJson(req))).then(({ step: _step, ...result }) => result));
      case 'GET /api/data':
        return void sendJson(res, 200, await deps.data.spaceDocuments(query('space').replace(/^spaces\//, '')));
      case 'GET /api/transcript': {
        res.setHeader('content-disposition', `attachment; filename="chat-transcript-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json"`);
        return void sendJson(res, 200, toTranscript(session.recordedSteps()));
      }
      case 'GET /api/transcript.test.ts': {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-disposition': 'attachment; filename="session.test.ts"' });
        return void res.end(exportAsJestTest(toTranscript(session.recordedSteps()), session.state().mode.format as EventFormat));
      }
      case 'POST /api/replay':
        return void sendJson(res, 200, await replayTranscript(session, readTranscript(await readJson(req))));
      case 'POST /api/reset':
        session.reset();
        deps.stream.send({ type: 'reset' });
        return void sendJson(res, 200, {});
      case 'POST /api/home/open': {
        const { space, user } = (await readJson(req)) as { space?: unknown; user?: unknown };
        if (typeof space !== 'string' || typeof user !== 'string') throw new BadRequest('expected { space, user }');
        return void sendJson(res, 200, await session.homeOpen(space, user));
      }
      case 'POST /api/home/click': {
        const { space, user, path, formInputs } = (await readJson(req)) as { space?: unknown; user?: unknown; path?: unknown; formInputs?: unknown };
        if (typeof space !== 'string' || typeof user !== 'string' || typeof path !== 'string') throw new BadRequest('expected { space, user, path, formInputs }');
        const inputs = typeof formInputs === 'object' && formInputs !== null && !Array.isArray(formInputs) ? (formInputs as FormInputs) : {};
        return void sendJson(res, 200, await session.homeClick(space, user, path, inputs));
      }
      case 'POST /api/role': {
        const { space, user, plainMember } = (await readJson(req)) as { space?: unknown; user?: unknown; plainMember?: unknown };
        if (typeof space !== 'string' || typeof user !== 'string' || typeof plainMember !== 'boolean') throw new BadRequest('expected { space, user, plainMember: boolean }');
        session.setPlainMember(space, user, plainMember);
        return void sendJson(res, 200, session.space(space));
      }
      case 'GET /api/stream':
        return deps.stream.open(res);
      default: {
        const made = await directoryRoute(route, () => readJson(req), session, () => deps.stream.send({ type: 'spaces' }));
        if (made) return void sendJson(res, 200, made.result);
        const tool = await toolRoute(route, url.searchParams, () => readJson(req), deps.tools);
        return void sendJson(res, tool ? 200 : 404, tool ? tool.result : { error: `no ${route}` });
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const foreign = foreignRequest(req, { page: (path) => !path.startsWith('/api/') });
    if (foreign) return void sendJson(res, 403, { error: foreign });
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      try {
        return await api(req, res, url);
      } catch (err) {
        if (err instanceof BadRequest || err instanceof IntentError || err instanceof UserError || err instanceof TranscriptError) {
          return void sendJson(res, 400, { error: err.message });
        }
        throw err;
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void sendJson(res, 405, { error: 'only GET' });
    const file = deps.files(url.pathname);
    if (!file) return void sendJson(res, 404, { error: `no ${url.pathname}` });
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' }).end(req.method === 'HEAD' ? undefined : file.body);
  }

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      deps.log.error('simulator request failed', { url: req.url, error: err instanceof Error ? err.stack : String(err) });
      sendJson(res, 500, { error: 'the simulator failed on this request; see its log' });
    });
  });
}
