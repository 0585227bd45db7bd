/** Malformed and hostile input: every request gets an answer and the server keeps serving. */
import { connect } from 'node:net';
import { startLocalChatApi, type LocalChatApi } from '../../local/chat-api';
import { findFreePort } from '../../local/ports';
import { chatClient, SPACE } from './harness';

let api: LocalChatApi;

beforeAll(async () => {
  api = await startLocalChatApi();
});
afterAll(() => api?.stop());
beforeEach(() => {
  api.reset();
  api.addSpace({ name: SPACE });
});

async function send(method: string, path: string, body?: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${api.url}${path}`, { method, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as unknown };
}

/** Writes raw bytes and returns whatever comes back before the server closes. */
function raw(bytes: string): Promise<string> {
  const { port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
    let reply = '';
    socket.on('data', (d: Buffer) => (reply += d.toString('utf8')));
    socket.on('close', () => resolve(reply));
    socket.on('error', reject);
  });
}

const alive = async () => expect((await send('POST', 'v1/spaces/AAAA/messages', '{"text":"still here"}')).status).toBe(200);

describe('malformed input', () => {
  it.each([
    ['truncated JSON', 'POST', 'v1/spaces/AAAA/messages', '{"text": "x"'],
    ['a JSON array', 'POST', 'v1/spaces/AAAA/messages', '[1,2]'],
    ['a JSON string', 'POST', 'v1/spaces/AAAA/messages', '"hello"'],
    ['not JSON at all', 'PATCH', 'v1/spaces/AAAA/messages/client-x?updateMask=text', '<xml/>'],
    ['a bad boolean', 'PATCH', 'v1/spaces/AAAA/messages/client-x?updateMask=text&allowMissing=yes', '{"text":"x"}'],
    ['an unknown query parameter', 'POST', 'v1/spaces/AAAA/messages?messageID=client-x', '{"text":"x"}'],
  ])('answers %s with 400 INVALID_ARGUMENT', async (_why, method, path, body) => {
    expect(await send(method, path, body)).toMatchObject({ status: 400, json: { error: { code: 400, status: 'INVALID_ARGUMENT' } } });
    await alive();
  });

  it('accepts snake_case query parameters, as Google does', async () => {
    const res = await send('POST', 'v1/spaces/AAAA/messages?message_id=client-snake&request_id=r', '{"text":"x"}');
    expect(res).toMatchObject({ status: 200, json: { clientAssignedMessageId: 'client-snake' } });
  });

  it('answers unknown paths and methods with 404, and messages.list with 501', async () => {
    expect(await send('DELETE', 'v1/spaces/AAAA')).toMatchObject({ status: 404, json: { error: { status: 'NOT_FOUND' } } });
    expect((await send('GET', 'v2/spaces/AAAA/messages/x')).status).toBe(404);
    expect((await send('POST', 'v1/spaces/AAAA/messages/x')).status).toBe(404);
    expect((await send('GET', 'v1/spaces/AAAA/messages/x/extra')).status).toBe(404);
    expect((await send('GET', 'v1/spaces/%E0%A4%A/messages/x')).status).toBe(404);
    expect(await send('GET', 'v1/spaces/AAAA/messages')).toMatchObject({ status: 501, json: { error: { status: 'UNIMPLEMENTED' } } });
    expect(api.calls().every((c) => c.method === 'unknown' || c.status === 501)).toBe(true);
    await alive();
  });

  it('refuses a body over 10 MiB with 400', async () => {
    const huge = JSON.stringify({ text: 'x'.repeat(11 * 1024 * 1024) });
    expect(await send('POST', 'v1/spaces/AAAA/messages', huge)).toMatchObject({ status: 400, json: { error: { status: 'INVALID_ARGUMENT' } } });
    await alive();
  });

  it('survives garbage that is not HTTP, and a client that disconnects mid-body', async () => {
    expect(await raw('NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    await raw('POST /v1/spaces/AAAA/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"text":');
    await alive();
    expect(api.messages(SPACE).map((m) => m.text)).toEqual(['still here']);
  });
});

describe('binding', () => {
  it('gives the tests a client transport that cannot leave loopback', async () => {
    const err = await chatClient('https://chat.example.com/').spaces.messages.get({ name: `${SPACE}/messages/x` }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/refuses non-loopback host chat\.example\.com/);
  });

  it('refuses a non-loopback host', async () => {
    await expect(startLocalChatApi({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('listens on a requested port, and explains a busy one', async () => {
    const port = await findFreePort();
    const first = await startLocalChatApi({ port });
    try {
      expect(first.url).toBe(`http://127.0.0.1:${port}/`);
      await expect(startLocalChatApi({ port })).rejects.toThrow(/already in use/);
    } finally {
      await first.stop();
    }
  });

  it('serves IPv6 loopback with a bracketed URL', async () => {
    const v6 = await startLocalChatApi({ host: '::1' }).catch(() => undefined);
    if (!v6) return; // no IPv6 on this machine
    try {
      expect(v6.url).toMatch(/^http:\/\/\[::1\]:\d+\/$/);
      v6.addSpace({ name: SPACE });
      expect((await fetch(`${v6.url}v1/spaces/AAAA/messages`, { method: 'POST', body: '{"text":"x"}' })).status).toBe(200);
    } finally {
      await v6.stop();
    }
  });
});
