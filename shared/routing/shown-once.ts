/**
 * Secrets an answer shows once (an incoming webhook's, from `/notify`) are never stored. A
 * delivery's answer is normally kept so that Chat's retry of the same event gets the same bytes;
 * an answer that carries a secret is kept redacted instead, and a retry gets `SHOWN_ONCE_TEXT`.
 *
 * Why not store it encrypted, or only a hash of it: encrypted, it is a secret at rest under a key
 * that would live next to it; a hash cannot be replayed. Why not re-run the handler on a retry:
 * the answer would show a new secret and the webhook would be re-keyed, which is what a plain
 * `/notify` does (it is pure), but here the handler shares its delivery with writes (the app being
 * added) that must run once. A retry means Chat may never have shown the first answer: the text
 * says how to get a working webhook again.
 */
import type { HandlerContext } from './context';

export const SHOWN_ONCE_TEXT =
  'This request was already answered, and that answer showed a secret (an incoming webhook URL and its secret), which is shown only once and is not kept. ' +
  'If you did not see it, revoke the webhooks with /notify off and create a new one with /notify.';

/** A delivery's handler context whose webhook store notes every secret it hands out in `issued`. */
export function notingSecrets(issued: string[], ctx: HandlerContext): HandlerContext {
  const { webhooks } = ctx;
  return {
    ...ctx,
    webhooks: {
      ...webhooks,
      async create(...args) {
        const created = await webhooks.create(...args);
        issued.push(created.secret);
        return created;
      },
    },
  };
}

/** What may be stored of an answer: itself, or `redacted()` if it holds one of the secrets issued. */
export function storableAnswer(body: string, issued: readonly string[], redacted: () => string): string {
  return issued.some((secret) => body.includes(secret)) ? redacted() : body;
}
