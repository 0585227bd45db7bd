/**
 * The Firestore client, created once per instance and loaded only when first used: a pure
 * command (`/about`) never pays the ~400 ms it takes to load the library.
 */
import type { Firestore } from '@google-cloud/firestore';
import { AppError } from '../errors';
import type { Logger } from '../log';

export type FirestoreProvider = () => Promise<Firestore>;

export function lazyFirestore(projectId: string): FirestoreProvider {
  let client: Promise<Firestore> | undefined;
  return () => {
    client ??= import('@google-cloud/firestore').then(
      // An explicit project id: never ask the metadata server (tests and local runs are offline).
      ({ Firestore: FirestoreClient }) => new FirestoreClient({ projectId, ignoreUndefinedProperties: true }),
    );
    return client;
  };
}

/**
 * Loads the client and opens its channel with one small read, at instance start: otherwise the
 * first event that writes pays for both (seconds on a cold instance) and answers late. Runs
 * while the instance starts, before it takes requests, so a pure command does not wait for it.
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
