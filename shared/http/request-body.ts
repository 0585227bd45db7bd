/**
 * Reading a request body, for both doors of `chatEvents`: its JSON with a clear 400. Its size was
 * checked before it was read (body-limit.ts), which leaves the bytes in `req.rawBody`.
 */
import type { Request } from '@google-cloud/functions-framework';
import { BadRequestError } from '../errors';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/** The body parsed as JSON, or a `BadRequestError` saying what is wrong with it. */
export function readJsonBody(req: Request): unknown {
  if (!JSON_TYPE.test(req.get('content-type') ?? '')) throw new BadRequestError('Content-Type must be application/json');
  // Parsed here, not by the framework, for a clear error (and the framework never parses it: body-limit.ts).
  if (!req.rawBody || req.rawBody.length === 0) throw new BadRequestError('the body is empty');
  try {
    return JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new BadRequestError('the body is not valid JSON');
  }
}
