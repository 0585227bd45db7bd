/** Reading request bodies and writing JSON responses, defensively: the client may be hostile or gone. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Google's front end refuses bodies over 10 MiB. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export type BodyResult = { ok: true; text: string } | { ok: false; reason: 'too-large' | 'aborted' };

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining past the limit so the client gets an answer instead of a reset.
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size > limit ? { ok: false, reason: 'too-large' } : { ok: true, text: Buffer.concat(chunks).toString('utf8') }),
    );
    req.on('error', () => resolve({ ok: false, reason: 'aborted' }));
    req.on('aborted', () => resolve({ ok: false, reason: 'aborted' }));
  });
}

/** False when the client is already gone (or was answered), so nothing was sent. */
export function sendJson(res: ServerResponse, status: number, body: unknown): boolean {
  if (res.headersSent || res.destroyed) return false;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
  return true;
}
