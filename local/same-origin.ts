/**
 * The local servers a developer runs (the simulator, the local Chat API) have no authentication:
 * they are safe only if nothing but the developer's own tools reach them. Listening on 127.0.0.1
 * keeps other machines out; this keeps out the web pages the developer's browser visits, which
 * can send requests to 127.0.0.1 too:
 * - a cross-site request (a form post, `fetch` in `no-cors` mode, an image) is refused by its
 *   `Sec-Fetch-Site` (sent by every current browser) or, failing that, its `Origin`;
 * - DNS rebinding (a page whose own host name was re-pointed at 127.0.0.1, so its requests are
 *   "same-origin" and can read the answers, a webhook secret included) is refused by its `Host`,
 *   which names the page's domain rather than a loopback address.
 * Tools that are not browsers (curl, the functions' clients, tests) send neither `Origin` nor
 * `Sec-Fetch-Site`, and a loopback `Host`, so they pass. Written here rather than taken from a
 * library: the rules are these few lines, and the two servers use plain node:http.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** The host names that reach this machine only. */
function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name === '[::1]') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/** The host name of a `Host` header (`127.0.0.1:8088`, `[::1]:8088`, `localhost`). */
function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

export interface SameOriginOptions {
  /**
   * Paths a link on another site may open in a new tab (a page, never an API): a top-level
   * navigation cannot read what it opens, and a GET of a page changes nothing.
   */
  page?: (pathname: string) => boolean;
}

/** Why the request must be refused (403), or `undefined` if it comes from this machine's own tools or pages. */
export function foreignRequest(req: IncomingMessage, options: SameOriginOptions = {}): string | undefined {
  const host = req.headers.host;
  const hostname = host === undefined ? undefined : hostnameOf(host);
  if (hostname === undefined || !isLoopbackName(hostname)) return `the Host header must name this machine (127.0.0.1 or localhost), not ${JSON.stringify(host ?? '')}`;
  const site = header(req, 'sec-fetch-site');
  const origin = header(req, 'origin');
  const navigation = (req.method === 'GET' || req.method === 'HEAD') && header(req, 'sec-fetch-mode') === 'navigate';
  if (navigation && options.page?.(new URL(req.url ?? '/', 'http://localhost').pathname)) return undefined;
  // `same-site` too: another local server (any port on 127.0.0.1) is the same site, but not this origin.
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site requests are refused (Sec-Fetch-Site: ${site})`;
  if (origin !== undefined && origin !== `http://${host}`) return `cross-origin requests are refused (Origin: ${origin})`;
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
