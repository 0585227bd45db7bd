/**
 * The HTTP edge of `chatEvents`: method check, token verification (fail closed), parsing and
 * normalizing, then dispatch; one structured log line per request. The body's size was checked
 * before it was read (body-limit.ts).
 * Rejections are responses with a JSON error, never throws: malformed input never yields a 5xx.
 */
import type { Request, Response } from '@google-cloud/functions-framework';
import { BadRequestError, TokenRejectedError } from '../errors';
import { normalizeEvent } from '../events/normalize';
import type { Logger } from '../log';
import { dispatch, type DispatchDeps } from '../routing/dispatch';
import { installBodyLimit } from './body-limit';
import { leaveFrameworkDomain } from './leave-domain';
import { logChatRequest, requestTrace, type Detail } from './request-log';
import { readJsonBody } from './request-body';

export type TokenVerifier = (authorizationHeader: string | undefined) => Promise<unknown>;

export interface ChatEndpointDeps {
  projectId: string;
  verify: TokenVerifier;
  dispatch: DispatchDeps;
  log: Logger;
}

function sendJson(res: Response, status: number, body: string): void {
  res.status(status).set('Content-Type', 'application/json; charset=utf-8').send(body);
}

const errorBody = (message: string) => JSON.stringify({ error: message });

export function createChatEndpoint(deps: ChatEndpointDeps) {
  // Bodies over the limit are refused before the framework reads them (the function's one limit).
  installBodyLimit();
  return async function chatEvents(req: Request, res: Response): Promise<void> {
    leaveFrameworkDomain();
    const started = process.hrtime.bigint();
    const log = deps.log.child(requestTrace(req, deps.projectId));
    const done = (status: number, body: string, detail: Detail, fields: Record<string, unknown> = {}) => {
      sendJson(res, status, body);
      const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
      logChatRequest(log, req, { status, detail, latencyMs, responseBytes: Buffer.byteLength(body), fields });
    };

    if (req.method !== 'POST') {
      res.set('Allow', 'POST');
      return done(405, errorBody('only POST is accepted'), 'method-not-allowed');
    }
    try {
      await deps.verify(req.get('authorization'));
    } catch (err) {
      const reason = err instanceof TokenRejectedError ? err.reason : 'verification failed';
      if (!(err instanceof TokenRejectedError)) log.error('token verification error', { err });
      return done(401, errorBody('unauthorized: the request is not from Google Chat'), 'unauthorized', { reason });
    }

    let normalized;
    try {
      normalized = normalizeEvent(readJsonBody(req));
    } catch (err) {
      if (err instanceof BadRequestError) return done(400, errorBody(err.message), 'bad-request', { error: err.message });
      throw err;
    }
    if ('ignored' in normalized) {
      return done(200, '{}', 'ignored', { eventType: normalized.ignored });
    }
    const event = normalized.event;
    const result = await dispatch(event, deps.dispatch, log);
    return done(result.status, result.body, result.outcome, {
      route: result.route,
      eventType: event.wireType,
      format: event.format,
      space: event.space.name,
      user: event.user.name,
    });
  };
}
