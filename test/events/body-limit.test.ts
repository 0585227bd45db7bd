/**
 * The body guard in front of the functions-framework (shared/http/body-limit.ts), through the real
 * HTTP stack: every refusal is a JSON 4xx, whatever the framework would have done with the body.
 * The 30 MB memory case runs the built function as it deploys: test/reliability/body-limit.test.ts.
 */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { BODY_LIMITS } from '../../shared/http/body-limit';
import { randomProjectId } from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { routingRouter as router, seen } from './routing-cases';

let server: EventsServer;
beforeAll(async () => {
  server = await startEventsServer({ projectId: randomProjectId('bodylimit'), router });
});
afterAll(() => server?.stop());

interface Sent {
  status: number;
  contentType: string;
  json: unknown;
}

/** A raw request, so framing (chunked or not) and headers are exactly what the test says. */
function send(path: string, body: Buffer, headers: Record<string, string>, chunked = false): Promise<Sent> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: chunked ? { ...headers, 'transfer-encoding': 'chunked' } : { ...headers, 'content-length': String(body.length) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };
const over = (limit: number) => Buffer.from(`{"a":"${'x'.repeat(limit)}"}`);

describe('the body limit, before the framework reads the body', () => {
  test.each([
    ['an event over 1 MiB, Content-Length', '/', BODY_LIMITS.events, false],
    ['an event over 1 MiB, chunked', '/', BODY_LIMITS.events, true],
    ['a webhook post over 16 KiB, Content-Length', '/webhooks/Sabc/0123456789abcdef0123', BODY_LIMITS.webhook, false],
    ['a webhook post over 16 KiB, chunked', '/webhooks/Sabc/0123456789abcdef0123', BODY_LIMITS.webhook, true],
  ])('%s → JSON 413', async (_name, path, limit, chunked) => {
    const res = await send(path, over(limit), JSON_TYPE, chunked);
    expect(res.status).toBe(413);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(res.json).toEqual({ error: `the body is over ${limit} bytes` });
  });

  test('a body at the limit is read and handled (here: not an event → 400 from the app)', async () => {
    const body = Buffer.from(`{"type":"MESSAGE","p":"${'x'.repeat(BODY_LIMITS.events - 30)}"}`);
    expect(body.length).toBeLessThanOrEqual(BODY_LIMITS.events);
    const res = await send('/', body, { ...JSON_TYPE, authorization: `Bearer ${server.token()}` });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: expect.stringContaining('eventTime') });
  });
});

describe('bodies the framework would have parsed itself get the app\'s JSON errors', () => {
  test.each([
    ['malformed JSON', '{"type":', 'application/json', /not valid JSON/],
    ['malformed cloudevents JSON', '{"type":', 'application/cloudevents+json', /not valid JSON/],
    ['urlencoded', 'a[b][c]=1', 'application/x-www-form-urlencoded', /Content-Type must be application\/json/],
    ['text', 'hello', 'text/plain', /Content-Type must be application\/json/],
    ['a charset body-parser refuses', '{"type":', 'application/json; charset=klingon', /not valid JSON/],
  ])('%s → JSON 400', async (_name, body, contentType, message) => {
    for (const path of ['/', '/webhooks/Sabc/0123456789abcdef0123']) {
      const res = await send(path, Buffer.from(body), { 'content-type': contentType, authorization: `Bearer ${server.token()}` });
      expect([path, res.status, res.contentType]).toEqual([path, 400, expect.stringMatching(/^application\/json/)]);
      expect((res.json as { error: string }).error).toMatch(message);
    }
  });

  test('a compressed body → JSON 415, never inflated', async () => {
    const res = await send('/', gzipSync(Buffer.from('{}')), { ...JSON_TYPE, 'content-encoding': 'gzip' });
    expect(res.status).toBe(415);
    expect(res.json).toEqual({ error: 'compressed bodies are not accepted' });
  });

  test('a path with a malformed percent-escape → JSON 400, not express\'s HTML page', async () => {
    const res = await send('/%E0%A4%A', Buffer.from('{}'), JSON_TYPE);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'the URL path is not valid' });
  });

  test('no handler ran', () => {
    expect(seen).toHaveLength(0);
  });
});
