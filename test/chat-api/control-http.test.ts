/** The `/_local/...` controls, driven only over HTTP as a separate process would. */
import { startLocalChatApi, type LocalChatApi } from '../../local/chat-api';
import { SPACE } from './harness';

let api: LocalChatApi;
let base: string;

beforeAll(async () => {
  api = await startLocalChatApi();
  base = api.url;
});
afterAll(() => api?.stop());
beforeEach(() => api.reset());

async function http(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(new URL(path, base), {
    method,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe('HTTP controls', () => {
  it('adds, lists, updates and removes spaces', async () => {
    expect(await http('POST', '_local/spaces', { name: SPACE, displayName: 'Team', spaceType: 'GROUP_CHAT' })).toEqual({
      status: 201,
      json: { name: SPACE, displayName: 'Team', spaceType: 'GROUP_CHAT', appIsMember: true },
    });
    expect((await http('POST', '_local/spaces', { name: SPACE })).status).toBe(409);
    expect((await http('GET', '_local/spaces')).json).toEqual([{ name: SPACE, displayName: 'Team', spaceType: 'GROUP_CHAT', appIsMember: true }]);

    expect(await http('PATCH', '_local/spaces/AAAA', { appIsMember: false })).toMatchObject({ status: 200, json: { appIsMember: false } });
    expect(await http('POST', 'v1/spaces/AAAA/messages', { text: 'x' })).toMatchObject({ status: 403, json: { error: { status: 'PERMISSION_DENIED' } } });

    expect((await http('DELETE', '_local/spaces/AAAA')).status).toBe(200);
    expect(await http('POST', 'v1/spaces/AAAA/messages', { text: 'x' })).toMatchObject({ status: 404, json: { error: { status: 'NOT_FOUND' } } });
    expect((await http('DELETE', '_local/spaces/AAAA')).status).toBe(404);
  });

  it.each([
    ['a bad name', { name: 'rooms/X' }],
    ['a bad spaceType', { name: SPACE, spaceType: 'ROOM' }],
    ['a non-boolean appIsMember', { name: SPACE, appIsMember: 'yes' }],
    ['malformed JSON', '{"name": '],
    ['a JSON array', '[]'],
  ])('refuses a space with %s (400)', async (_why, body) => {
    expect(await http('POST', '_local/spaces', body)).toMatchObject({ status: 400, json: { error: { code: 400, status: 'INVALID' } } });
  });

  it('shows messages and calls', async () => {
    await http('POST', '_local/spaces', { name: SPACE });
    const created = await http('POST', 'v1/spaces/AAAA/messages?messageId=client-a&requestId=r1', { text: 'hello' });
    expect(created).toMatchObject({ status: 200, json: { text: 'hello', clientAssignedMessageId: 'client-a' } });
    expect(await http('GET', `_local/messages?space=${encodeURIComponent(SPACE)}`)).toMatchObject({
      status: 200,
      json: [{ text: 'hello', clientAssignedMessageId: 'client-a', requestId: 'r1', updateCount: 0 }],
    });
    expect((await http('GET', '_local/messages')).status).toBe(400);
    expect((await http('GET', '_local/messages?space=spaces/NOPE')).status).toBe(404);
    expect(await http('GET', '_local/calls')).toMatchObject({
      json: [
        {
          method: 'create',
          httpMethod: 'POST',
          path: '/v1/spaces/AAAA/messages',
          query: { messageId: 'client-a', requestId: 'r1' },
          status: 200,
          space: SPACE,
          faulted: false,
        },
      ],
    });
  });

  it('injects, lists and clears faults', async () => {
    await http('POST', '_local/spaces', { name: SPACE });
    expect(await http('POST', '_local/faults', { method: 'create', count: 2, status: 500 })).toEqual({
      status: 201,
      json: [{ method: 'create', count: 2, status: 500 }],
    });
    expect(await http('POST', 'v1/spaces/AAAA/messages', { text: 'x' })).toMatchObject({
      status: 500,
      json: { error: { code: 500, status: 'INTERNAL' } },
    });
    expect((await http('GET', '_local/faults')).json).toEqual([{ method: 'create', count: 1, status: 500 }]);
    expect((await http('DELETE', '_local/faults')).status).toBe(200);
    expect((await http('POST', 'v1/spaces/AAAA/messages', { text: 'x' })).status).toBe(200);
    expect((await http('POST', '_local/faults', { method: 'list', count: 1 })).status).toBe(400);
    expect((await http('POST', '_local/faults', { method: 'get', count: 'many' })).status).toBe(400);
  });

  it('resets everything', async () => {
    await http('POST', '_local/spaces', { name: SPACE });
    await http('POST', 'v1/spaces/AAAA/messages', { text: 'x' });
    await http('POST', '_local/faults', { method: '*', count: 1 });
    expect((await http('POST', '_local/reset')).status).toBe(200);
    expect((await http('GET', '_local/spaces')).json).toEqual([]);
    expect((await http('GET', '_local/calls')).json).toEqual([]);
    expect((await http('GET', '_local/faults')).json).toEqual([]);
  });

  it('answers 404 for an unknown control', async () => {
    expect(await http('GET', '_local/nothing')).toMatchObject({ status: 404, json: { error: { status: 'NOT_FOUND' } } });
    expect((await http('GET', '_local/spaces/AAAA/extra')).status).toBe(404);
  });
});
