import { apiError, chatClient, networkError, SPACE, startHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ writesPerMinutePerSpace: 5 });
});
afterAll(() => h.api.stop());
beforeEach(() => {
  h.api.reset();
  h.api.addSpace({ name: SPACE });
});

const create = (text: string, requestId?: string) =>
  h.client.spaces.messages.create({ parent: SPACE, requestBody: { text }, ...(requestId ? { requestId } : {}) });

describe('injected faults', () => {
  it('fails the next N calls in Google’s error shape, then succeeds; failures change nothing', async () => {
    h.api.injectFault({ method: 'create', count: 2, status: 503 });
    expect(await apiError(create('a'))).toEqual({
      httpStatus: 503,
      code: 503,
      status: 'UNAVAILABLE',
      message: expect.stringContaining('Injected fault') as unknown,
    });
    expect((await apiError(create('b'))).httpStatus).toBe(503);
    await create('c');
    expect(h.api.messages(SPACE).map((m) => m.text)).toEqual(['c']);
    expect(h.api.calls().map((c) => [c.method, c.status, c.faulted])).toEqual([
      ['create', 503, true],
      ['create', 503, true],
      ['create', 200, false],
    ]);
    expect(h.api.faults()).toEqual([]);
  });

  it('a delayOnly fault slows the next call down, then serves it as usual', async () => {
    h.api.injectFault({ method: 'create', count: 1, hangMs: 300, delayOnly: true });
    const started = performance.now();
    await create('slow');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(h.api.messages(SPACE).map((m) => m.text)).toEqual(['slow']);
    expect(h.api.calls().map((c) => [c.method, c.status, c.faulted])).toEqual([['create', 200, false]]);
    expect(h.api.faults()).toEqual([]);
    // A delay only takes a wait and no status.
    expect(() => h.api.injectFault({ method: 'create', count: 1, status: 503, delayOnly: true })).toThrow(/delayOnly/);
  });

  it.each([
    [429, 'RESOURCE_EXHAUSTED'],
    [500, 'INTERNAL'],
    [504, 'DEADLINE_EXCEEDED'],
  ])('answers status %i as %s', async (status, name) => {
    h.api.injectFault({ method: 'create', count: 1, status });
    expect(await apiError(create('x'))).toMatchObject({ httpStatus: status, code: status, status: name });
  });

  it('matches by method; * matches any; faults apply in the order injected', async () => {
    const created = await create('x');
    const name = created.data.name ?? '';
    h.api.injectFault({ method: 'get', count: 1, status: 500 });
    h.api.injectFault({ method: '*', count: 2, status: 429 });
    expect((await apiError(h.client.spaces.messages.patch({ name, updateMask: 'text', requestBody: { text: 'y' } }))).httpStatus).toBe(429);
    expect((await apiError(h.client.spaces.messages.get({ name }))).httpStatus).toBe(500);
    expect((await apiError(h.client.spaces.messages.delete({ name }))).httpStatus).toBe(429);
    await h.client.spaces.messages.get({ name });
  });

  it('does not spend the space’s write quota on faulted calls', async () => {
    h.api.injectFault({ method: 'create', count: 10, status: 503 });
    for (let i = 0; i < 10; i++) await apiError(create('x'));
    h.api.clearFaults();
    for (let i = 0; i < 5; i++) await create(`ok${i}`);
    expect(h.api.messages(SPACE)).toHaveLength(5);
  });

  it('lets a retrying client (same requestId) get through with exactly one message', async () => {
    h.api.injectFault({ method: 'create', count: 2, status: 503 });
    const retrying = chatClient(h.api.url, {
      retryConfig: {
        retry: 3,
        retryDelay: 5,
        retryDelayMultiplier: 1,
        httpMethodsToRetry: ['POST'],
        statusCodesToRetry: [[429, 429], [500, 599]],
      },
    });
    const res = await retrying.spaces.messages.create({ parent: SPACE, requestId: 'job-1', requestBody: { text: 'once' } });
    expect(res.data.text).toBe('once');
    expect(h.api.messages(SPACE)).toHaveLength(1);
    expect(h.api.calls().map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it('hangs and then closes the connection when no status is given', async () => {
    h.api.injectFault({ method: 'get', count: 1, hangMs: 300 });
    const created = await create('x');
    const started = Date.now();
    await networkError(h.client.spaces.messages.get({ name: created.data.name ?? '' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(h.api.calls().at(-1)).toMatchObject({ method: 'get', status: 0, faulted: true });
    await h.client.spaces.messages.get({ name: created.data.name ?? '' });
  });

  it('hangs and then answers with the status when one is given', async () => {
    h.api.injectFault({ method: 'create', count: 1, hangMs: 200, status: 504 });
    const started = Date.now();
    expect(await apiError(create('x'))).toMatchObject({ httpStatus: 504, status: 'DEADLINE_EXCEEDED' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('lets a client time out on a long hang', async () => {
    h.api.injectFault({ method: 'create', count: 1, hangMs: 10_000 });
    const impatient = chatClient(h.api.url, { timeout: 100 });
    const started = Date.now();
    await networkError(impatient.spaces.messages.create({ parent: SPACE, requestBody: { text: 'x' } }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(h.api.messages(SPACE)).toHaveLength(0);
    // The server stops hanging once the client is gone, and logs the call as unanswered.
    for (let i = 0; i < 50 && h.api.calls().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(h.api.calls()).toMatchObject([{ method: 'create', status: 0, faulted: true }]);
  });

  it('clearFaults drops unused faults', async () => {
    h.api.injectFault({ method: '*', count: 5, status: 500 });
    expect(h.api.faults()).toEqual([{ method: '*', count: 5, status: 500 }]);
    h.api.clearFaults();
    await create('x');
  });

  it.each([
    [{ method: 'create', count: 0 }],
    [{ method: 'list', count: 1 }],
    [{ method: 'get', count: 1, status: 200 }],
    [{ method: 'get', count: 1, hangMs: -1 }],
  ])('refuses the invalid fault %j', (fault) => {
    expect(() => h.api.injectFault(fault as Parameters<typeof h.api.injectFault>[0])).toThrow();
  });
});

describe('stop', () => {
  it('returns promptly even while a request hangs', async () => {
    const local = await startHarness();
    local.api.addSpace({ name: SPACE });
    local.api.injectFault({ method: 'create', count: 1, hangMs: 60_000 });
    const pending = networkError(local.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'x' } }));
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await local.api.stop();
    await pending;
    expect(Date.now() - started).toBeLessThan(2_000);
    await local.api.stop(); // idempotent
  });
});
