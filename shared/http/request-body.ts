/** Reading a request body, for both doors of `chatEvents`: its size, and its JSON with a clear 400. */
import type { Request } from '@google-cloud/functions-framework';
import { BadRequestError } from '../errors';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/** The body's size: the bytes the framework kept, or the declared length. */
export const bodyLength = (req: Request): number => req.rawBody?.length ?? Number(req.get('content-length') ?? 0);

/** The body parsed as JSON, or a `BadRequestError` saying what is wrong with it. */
export function readJsonBody(req: Request): unknown {
  if (!JSON_TYPE.test(req.get('content-type') ?? '')) throw new BadRequestError('Content-Type must be application/json');
  // The framework keeps the raw bytes of every body it read; parse them ourselves for a clear error.
  if (!req.rawBody || req.rawBody.length === 0) throw new BadRequestError('the body is empty');
  try {
    return JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new BadRequestError('the body is not valid JSON');
  }
}
