/**
 * A `fetch` for the Chat client in tests, over `node:http`, that only reaches loopback hosts, so a
 * test cannot call Google even by mistake. The client needs one passed in anyway: by default gaxios
 * loads `node-fetch` with a dynamic `import()`, which jest's CommonJS runtime refuses.
 */
import { request, type IncomingHttpHeaders } from 'node:http';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
  }
  return headers;
}

function bodyBytes(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new Error('loopbackFetch sends string or byte bodies only');
}

/** Statuses whose Response may not carry a body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function loopbackFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    return Promise.reject(new Error(`test transport refuses non-loopback host ${url.host}`));
  }
  return new Promise((resolve, reject) => {
    let body: string | Uint8Array | undefined;
    try {
      body = bodyBytes(init.body);
    } catch (err) {
      reject(err);
      return;
    }
    const req = request(
      url,
      {
        method: init.method ?? 'GET',
        headers: Object.fromEntries(new Headers(init.headers)),
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 500;
          resolve(new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), { status, headers: toHeaders(res.headers) }));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
