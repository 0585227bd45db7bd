import { startLocalChatApi } from '../../local/chat-api';
import { apiError, chatClient, manualClock, SPACE, startHarness, type Harness } from './harness';

const clock = manualClock();
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ now: clock.now, writesPerMinutePerSpace: 3 });
});
afterAll(() => h.api.stop());
beforeEach(() => {
  h.api.reset();
  h.api.addSpace({ name: SPACE });
  h.api.addSpace({ name: 'spaces/OTHER' });
});

const create = (text: string, parent = SPACE) => h.client.spaces.messages.create({ parent, requestBody: { text } });

describe('per-space write quota', () => {
  it('answers 429 RESOURCE_EXHAUSTED past the limit; reads and other spaces are not affected', async () => {
    const first = await create('1');
    await create('2');
    await create('3');
    const err = await apiError(create('4'));
    expect(err).toMatchObject({ httpStatus: 429, code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(h.api.messages(SPACE)).toHaveLength(3);
    await h.client.spaces.messages.get({ name: first.data.name ?? '' });
    await create('elsewhere', 'spaces/OTHER');
  });

  it('slides: each write frees its slot exactly 60 s after it was admitted', async () => {
    const t0 = clock.now();
    await create('a'); // t0
    clock.set(t0 + 10_000);
    await create('b');
    clock.set(t0 + 20_000);
    await create('c');
    clock.set(t0 + 59_999);
    expect((await apiError(create('d'))).httpStatus).toBe(429);
    clock.set(t0 + 60_000); // 'a' leaves the window, 'b' and 'c' are still in it
    await create('e');
    expect((await apiError(create('f'))).httpStatus).toBe(429);
    clock.set(t0 + 70_000); // 'b' leaves
    await create('g');
    expect((await apiError(create('h'))).httpStatus).toBe(429);
    expect(h.api.messages(SPACE).map((m) => m.text)).toEqual(['a', 'b', 'c', 'e', 'g']);
  });

  it('counts patch, update and delete as writes', async () => {
    const res = await create('x');
    const name = res.data.name ?? '';
    await h.client.spaces.messages.patch({ name, updateMask: 'text', requestBody: { text: 'y' } });
    await h.client.spaces.messages.update({ name, updateMask: 'text', requestBody: { text: 'z' } });
    expect((await apiError(h.client.spaces.messages.delete({ name }))).httpStatus).toBe(429);
  });

  it('counts writes that reach the space even when they fail there (400, 404) or replay a requestId', async () => {
    await h.client.spaces.messages.create({ parent: SPACE, requestId: 'r', requestBody: { text: 'x' } });
    await h.client.spaces.messages.create({ parent: SPACE, requestId: 'r', requestBody: { text: 'x' } });
    expect((await apiError(h.client.spaces.messages.create({ parent: SPACE, requestBody: {} }))).httpStatus).toBe(400);
    expect((await apiError(h.client.spaces.messages.delete({ name: `${SPACE}/messages/nope` }))).httpStatus).toBe(429);
  });

  it('does not count writes stopped before the space (unknown space, not a member) or refused by the quota', async () => {
    h.api.addSpace({ name: 'spaces/LOCKED', appIsMember: false });
    for (let i = 0; i < 5; i++) {
      expect((await apiError(create('x', 'spaces/LOCKED'))).httpStatus).toBe(403);
      expect((await apiError(create('x', 'spaces/NOPE'))).httpStatus).toBe(404);
    }
    h.api.setAppMembership('spaces/LOCKED', true);
    await create('1', 'spaces/LOCKED');
    await create('2', 'spaces/LOCKED');
    await create('3', 'spaces/LOCKED');
    const t0 = clock.now();
    clock.set(t0 + 30_000);
    expect((await apiError(create('4', 'spaces/LOCKED'))).httpStatus).toBe(429); // refused: not admitted
    clock.set(t0 + 60_000);
    await create('5', 'spaces/LOCKED'); // so the slots free on schedule
  });

  it('defaults to Chat’s 60 writes per minute per space', async () => {
    const api = await startLocalChatApi({ now: clock.now });
    try {
      api.addSpace({ name: SPACE });
      const client = chatClient(api.url);
      for (let i = 0; i < 60; i++) await client.spaces.messages.create({ parent: SPACE, requestBody: { text: `m${i}` } });
      const err = await apiError(client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'one too many' } }));
      expect(err).toMatchObject({ httpStatus: 429, status: 'RESOURCE_EXHAUSTED' });
      expect(api.calls().filter((c) => c.method === 'create' && c.status === 200)).toHaveLength(60);
    } finally {
      await api.stop();
    }
  });

  it('rejects a nonsensical limit', async () => {
    await expect(startLocalChatApi({ writesPerMinutePerSpace: 0 })).rejects.toThrow(/writesPerMinutePerSpace/);
  });
});
