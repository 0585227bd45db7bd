/**
 * Incoming webhooks: `POST <chatEvents>/webhooks/{spaceId}/{hookId}` with the secret in the
 * `X-Webhook-Secret` header and JSON `{ text, title?, url? }`. An accepted post becomes a job
 * (the worker puts it in the space) and is answered 202. Every rejection is a JSON error:
 * 400 bad JSON or fields, 401 wrong secret, 403 webhooks turned off, 404 unknown or revoked hook,
 * 405 not POST, 413 too large, 429 too many posts (with Retry-After); a rejection writes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';
import { BadRequestError, errorMessage } from '../errors';
import { Reader } from '../events/read';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../log';
import { installBodyLimit, WEBHOOK_PATH_PREFIX } from './body-limit';
import { readJsonBody } from './request-body';
import { isWebhookPath, type WebhookStore } from '../stores/webhooks';

export const WEBHOOK_PATH = new RegExp(`^${WEBHOOK_PATH_PREFIX}([^/]+)/([^/]+)/?$`);
export const WEBHOOK_JOB = 'webhook-post';
export const WEBHOOK_LIMITS = { textChars: 4000, titleChars: 200, urlChars: 2000 } as const;

export interface WebhookPost {
  text: string;
  title?: string;
  url?: string;
}

export interface WebhookEndpointDeps {
  webhooks: WebhookStore;
  queue: JobQueue;
  perMinute: number;
  log: Logger;
}

type Send = (status: number, body: Record<string, unknown>, outcome: string) => void;

/** The post's fields, checked: `text` (required), `title` and an http(s) `url`. */
function readWebhookPost(body: unknown): WebhookPost {
  const r = Reader.root(body);
  const text = r.string('text').trim();
  if (!text || text.length > WEBHOOK_LIMITS.textChars) throw new BadRequestError(`text must have 1 to ${WEBHOOK_LIMITS.textChars} characters`);
  const title = r.optionalString('title')?.trim();
  if (title !== undefined && title.length > WEBHOOK_LIMITS.titleChars) throw new BadRequestError(`title must have at most ${WEBHOOK_LIMITS.titleChars} characters`);
  const url = r.optionalString('url');
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['https:', 'http:'].includes(parsed.protocol) || url.length > WEBHOOK_LIMITS.urlChars) {
      throw new BadRequestError('url must be an http(s) URL');
    }
  }
  return { text, ...(title ? { title } : {}), ...(url ? { url } : {}) };
}

export function createWebhookEndpoint(deps: WebhookEndpointDeps) {
  // 413 for a body over BODY_LIMITS.webhook comes from the guard, before the body is read.
  installBodyLimit();
  return async function webhook(req: Request, res: Response, spaceId: string, hookId: string): Promise<void> {
    const send: Send = (status, body, outcome) => {
      res.status(status).set('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(body));
      deps.log[status >= 400 ? 'warn' : 'info']('webhook post', { status, outcome, space: `spaces/${spaceId}`, hookId });
    };
    if (req.method !== 'POST') {
      res.set('Allow', 'POST');
      return send(405, { error: 'only POST is accepted' }, 'method-not-allowed');
    }
    if (!isWebhookPath(spaceId, hookId)) return send(404, { error: 'no such webhook' }, 'not-found');
    let post: WebhookPost;
    try {
      post = readWebhookPost(readJsonBody(req));
    } catch (err) {
      if (err instanceof BadRequestError) return send(400, { error: err.message }, 'bad-request');
      throw err;
    }
    try {
      await accept(req, res, spaceId, hookId, post, send);
    } catch (err) {
      deps.log.error('webhook post failed', { error: errorMessage(err), space: `spaces/${spaceId}`, hookId });
      send(503, { error: 'temporarily unavailable, retry later' }, 'unavailable');
    }
  };

  async function accept(req: Request, res: Response, spaceId: string, hookId: string, post: WebhookPost, send: Send): Promise<void> {
    const secret = req.get('x-webhook-secret') ?? '';
    const auth = await deps.webhooks.authorize(spaceId, hookId, secret, deps.perMinute);
    switch (auth.outcome) {
      case 'notFound':
        return send(404, { error: 'no such webhook (unknown or revoked)' }, 'not-found');
      case 'badSecret':
        return send(401, { error: 'wrong or missing X-Webhook-Secret' }, 'unauthorized');
      case 'disabled':
        return send(403, { error: 'webhook posts are turned off in this space (/config)' }, 'disabled');
      case 'rateLimited':
        res.set('Retry-After', String(auth.retryAfterSeconds));
        return send(429, { error: `too many posts: at most ${deps.perMinute} a minute` }, 'rate-limited');
      case 'ok':
        break;
    }
    // The caller's X-Request-Id makes its retries harmless; without one every post is new.
    const requestKey = `webhook:${hookId}:${req.get('x-request-id') ?? randomUUID()}`;
    const job = await deps.queue.enqueue(
      { space: `spaces/${spaceId}`, thread: null, user: `webhooks/${hookId}` },
      requestKey,
      { kind: WEBHOOK_JOB, args: { ...post } },
    );
    return send(202, { accepted: true, jobId: job.jobId }, 'accepted');
  }
}
