/**
 * The Firestore client, created once per instance and loaded only when first used: a pure
 * command (`/about`) never pays the ~400 ms it takes to load the library.
 */
import type { Firestore } from '@google-cloud/firestore';
import { AppError } from '../errors';
import type { Logger } from '../log';

export type FirestoreProvider = () => Promise<Firestore>;

let library: Promise<typeof import('@google-cloud/firestore')> | undefined;

/**
 * The library itself (for `FieldValue` and the like), loaded on first use and once: a value import
 * of it anywhere on a function's module graph loads it at start (test/runtime/lazy-clients.test.ts),
 * and each dynamic import() of a CommonJS module builds a fresh namespace object.
 */
export function firestoreLibrary(): Promise<typeof import('@google-cloud/firestore')> {
  return (library ??= import('@google-cloud/firestore'));
}

export function lazyFirestore(projectId: string): FirestoreProvider {
  let client: Promise<Firestore> | undefined;
  return () => {
    client ??= firestoreLibrary().then(
      // An explicit project id: never ask the metadata server (tests and local runs are offline).
      ({ Firestore: FirestoreClient }) => new FirestoreClient({ projectId, ignoreUndefinedProperties: true }),
    );
    return client;
  };
}

/**
 * Loads the client and opens its channel with one small read, at instance start, where configured
 * (`STORE_WARM_UP`, the local stack): otherwise the first event that writes pays for both (seconds
 * on a cold instance). Off when deployed: the load is synchronous CPU a pure command would wait for.
 */
export async function warmUpFirestore(firestore: FirestoreProvider, log: Logger): Promise<void> {
  const started = performance.now();
  try {
    await (await firestore()).listCollections();
    log.info('store client ready', { ms: Math.round(performance.now() - started) });
  } catch (err) {
    // The first event meets the same outage and answers 503 (Chat retries); nothing to do here.
    log.warn('store client warm-up failed', { error: err instanceof Error ? err.message : String(err) });
  }
}

/** gRPC status codes the Firestore client reports, by name. */
export const GRPC = { ALREADY_EXISTS: 6, ABORTED: 10, FAILED_PRECONDITION: 9, UNAVAILABLE: 14, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5 } as const;

export function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Whether the error carries one of `codes`. */
export const hasCode = (err: unknown, codes: readonly number[]) => codes.some((code) => code === grpcCode(err));

/** Errors that mean "the database could not be reached": the caller should be told to retry. */
export function isUnavailable(err: unknown): boolean {
  const code = grpcCode(err);
  return code === GRPC.UNAVAILABLE || code === GRPC.DEADLINE_EXCEEDED || (err instanceof Error && /ECONNREFUSED|No connection established/.test(err.message));
}

/**
 * Fails with STORE_UNAVAILABLE if `work` takes longer than `ms`: with the database unreachable the
 * client keeps retrying for a minute, and Chat should rather be told to retry (503) now.
 */
export async function withStoreDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError(`${what} took over ${ms} ms`, 'STORE_UNAVAILABLE')), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
