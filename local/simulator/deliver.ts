/**
 * Sends an event to chatEvents as Chat does (docs/chat-protocol.md §1): a POST with a fresh token signed by the
 * simulator's key, `User-Agent: Google-Dynamite`, and Chat's 30 s patience. Never throws: a network
 * failure or a timeout comes back as status 0 with the reason.
 *
 * An add-on's card actions name the URL Chat calls (docs/chat-protocol.md §4.1). The simulator calls only the
 * app's own endpoint: an action naming anything else fails as it would in Chat, and no request
 * leaves for a URL an answer made up.
 */
export interface Delivery {
  /** The token the request carried. */
  token: string;
  status: number;
  /** The parsed JSON answer, or the raw text when it is not JSON. */
  body: unknown;
  latencyMs: number;
  /** Why there is no HTTP answer (status 0). */
  failure?: string;
}

/** `to`: the URL a card action names; the endpoint when left out. */
export type Deliver = (event: unknown, to?: string) => Promise<Delivery>;

/** Chat waits this long for the synchronous answer. */
export const CHAT_TIMEOUT_MS = 30_000;

export function createDeliver(options: { eventsUrl: string; token: () => string; timeoutMs?: number }): Deliver {
  return async (event, to = options.eventsUrl) => {
    const token = options.token();
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    if (to !== options.eventsUrl) {
      const failure = `the card action names ${JSON.stringify(to)}, not the app's endpoint URL ${options.eventsUrl} (an add-on's actions must name it)`;
      return { token, status: 0, body: undefined, latencyMs: 0, failure };
    }
    try {
      const res = await fetch(options.eventsUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'user-agent': 'Google-Dynamite',
        },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(options.timeoutMs ?? CHAT_TIMEOUT_MS),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text, the inspector shows it as is
      }
      return { token, status: res.status, body, latencyMs: elapsed() };
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? 'no answer within 30 s' : `not reachable (${err instanceof Error ? err.message : String(err)})`;
      return { token, status: 0, body: undefined, latencyMs: elapsed(), failure: reason };
    }
  };
}

/** The header and claims of a JWT, for the inspector (the signature is left out). */
export function decodeToken(token: string): { header: unknown; claims: unknown } {
  const [header = '', claims = ''] = token.split('.');
  const part = (s: string) => {
    try {
      return JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    } catch {
      return null;
    }
  };
  return { header: part(header), claims: part(claims) };
}
