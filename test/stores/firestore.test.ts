/**
 * The store client's edges: one client per provider, which failures count as "the database is
 * unreachable" (answered 503 so Chat retries), the deadline that turns a hanging call into that,
 * and the warm-up that logs either way without failing start-up.
 */
import { AppError } from '../../shared/errors';
import { GRPC, grpcCode, isUnavailable, lazyFirestore, warmUpFirestore, withStoreDeadline } from '../../shared/stores/firestore';
import type { LogFields, Logger } from '../../shared/log';
import { findFreePort } from '../../local/ports';
import { randomProjectId } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';

const grpcError = (code: unknown, message = 'failed') => Object.assign(new Error(message), { code });

test('grpcCode reads a numeric gRPC code and nothing else', () => {
  expect(grpcCode(grpcError(GRPC.NOT_FOUND))).toBe(5);
  expect(grpcCode(grpcError('ENOTFOUND'))).toBeUndefined();
  expect(grpcCode(null)).toBeUndefined();
  expect(grpcCode(undefined)).toBeUndefined();
});

test('unavailable, timed out and refused connections count as an outage; other errors do not', () => {
  expect(isUnavailable(grpcError(GRPC.UNAVAILABLE))).toBe(true);
  expect(isUnavailable(grpcError(GRPC.DEADLINE_EXCEEDED))).toBe(true);
  expect(isUnavailable(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toBe(true);
  expect(isUnavailable(new Error('14 UNAVAILABLE: No connection established. Last error: x'))).toBe(true);
  for (const code of [GRPC.NOT_FOUND, GRPC.ALREADY_EXISTS, GRPC.ABORTED, GRPC.FAILED_PRECONDITION, 3, 7]) expect(isUnavailable(grpcError(code))).toBe(false);
  expect(isUnavailable(new Error('handler bug'))).toBe(false);
  expect(isUnavailable({ message: 'ECONNREFUSED' })).toBe(false);
});

describe('withStoreDeadline', () => {
  test('passes a result or a failure through when the work finishes in time', async () => {
    await expect(withStoreDeadline(Promise.resolve(42), 1000, 'reading')).resolves.toBe(42);
    const failure = grpcError(GRPC.NOT_FOUND);
    await expect(withStoreDeadline(Promise.reject(failure), 1000, 'reading')).rejects.toBe(failure);
  });

  test('leaves no timer behind once the work is done (an instance would keep a timer per request)', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await withStoreDeadline(Promise.resolve(42), 60_000, 'reading');
    await withStoreDeadline(Promise.reject(grpcError(GRPC.NOT_FOUND)), 60_000, 'reading').catch(() => undefined);
    expect(timers()).toBe(before);
  });

  test('work that hangs past the deadline fails as STORE_UNAVAILABLE, naming what took too long', async () => {
    const hanging = new Promise<never>(() => undefined);
    const err = await withStoreDeadline(hanging, 20, 'claiming the delivery').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'STORE_UNAVAILABLE', message: 'claiming the delivery took over 20 ms' });
  });
});

test('a provider makes one client, on first use, and gives the same one every time', async () => {
  const projectId = randomProjectId('lazy');
  const provider = lazyFirestore(projectId);
  const [a, b] = [await provider(), await provider()];
  expect(a).toBe(b);
  // In the project it was given (never one from the metadata server).
  await a.collection('c').doc('d').set({ x: 1 });
  const check = testFirestore(projectId);
  expect((await check.collection('c').doc('d').get()).get('x')).toBe(1);
  expect(await lazyFirestore(randomProjectId('lazy'))()).not.toBe(a);
  await Promise.all([a.terminate(), check.terminate()]);
});

test("the app's client leaves out a field set to undefined instead of failing the write (a handler's optional field)", async () => {
  const projectId = randomProjectId('lazy');
  const db = await lazyFirestore(projectId)();
  await db.collection('c').doc('d').set({ x: 1, note: undefined, nested: { y: 2, z: undefined } });
  const check = testFirestore(projectId);
  expect((await check.collection('c').doc('d').get()).data()).toEqual({ x: 1, nested: { y: 2 } });
  await Promise.all([db.terminate(), check.terminate()]);
});

describe('warmUpFirestore', () => {
  const capture = () => {
    const lines: { severity: string; message: string; fields?: LogFields }[] = [];
    const at = (severity: string) => (message: string, fields?: LogFields) => void lines.push({ severity, message, fields });
    const log: Logger = { debug: at('DEBUG'), info: at('INFO'), warn: at('WARNING'), error: at('ERROR'), child: () => log };
    return { log, lines };
  };

  test('logs that the client is ready, with how long it took', async () => {
    const { log, lines } = capture();
    const provider = lazyFirestore(randomProjectId('warm'));
    const started = performance.now();
    await warmUpFirestore(provider, log);
    const took = performance.now() - started;
    expect(lines).toEqual([{ severity: 'INFO', message: 'store client ready', fields: { ms: expect.any(Number) } }]);
    // How long it took, not a time of day: within the call's own duration.
    expect(lines[0].fields?.ms).toBeLessThanOrEqual(Math.ceil(took));
    await (await provider()).terminate();
  });

  test('a store that cannot be reached is a warning, not a failed start', async () => {
    const { log, lines } = capture();
    const refused = grpcError(GRPC.UNAVAILABLE, `connect ECONNREFUSED 127.0.0.1:${await findFreePort()}`);
    await expect(warmUpFirestore(() => Promise.reject(refused), log)).resolves.toBeUndefined();
    expect(lines).toEqual([{ severity: 'WARNING', message: 'store client warm-up failed', fields: { error: refused.message } }]);
    const { log: log2, lines: lines2 } = capture();
    await warmUpFirestore(() => Promise.reject('not an Error'), log2);
    expect(lines2).toEqual([{ severity: 'WARNING', message: 'store client warm-up failed', fields: { error: 'not an Error' } }]);
  });
});
