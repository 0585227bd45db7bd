/**
 * Runs one normalized event through dedupe, its handler and the response budget, and returns
 * the exact bytes to answer. Independent of HTTP: the edge (`http/chat-endpoint.ts`) calls it.
 */
import { AppError, errorMessage } from '../errors';
import type { ChatEvent } from '../events/model';
import { deliveryKey } from '../events/delivery-key';
import type { Logger } from '../log';
import { limitFallback, limitViolation } from '../replies/limits';
import { pointActionsAt, renderAddonResponse } from '../replies/render-addon';
import { renderHomeResponse } from '../replies/render-home';
import { renderChatResponse } from '../replies/render-chat';
import { reply, type Reply } from '../replies/responses';
import { isUnavailable, withStoreDeadline, type FirestoreProvider } from '../stores/firestore';
import { activityWrites } from '../stores/activity';
import { DELIVERIES, type DeliveryStore, type DeliveryWrites } from '../stores/deliveries';
import type { HandlerContext, StagedWrite } from './context';
import type { Route, Router } from './router';
import { notingSecrets, SHOWN_ONCE_TEXT, storableAnswer } from './shown-once';

export interface DispatchDeps {
  router: Router;
  deliveries: DeliveryStore;
  responseBudgetMs: number;
  /** Longest a delivery store operation may take before Chat is told to retry (503). */
  storeTimeoutMs: number;
  /** How long a repeat may wait for the first attempt, on top of `storeTimeoutMs`. */
  deliveryWaitMs: number;
  /** The URL Chat calls, where configured: card actions in replies to add-on events must name it. */
  endpointUrl?: string;
  firestore: FirestoreProvider;
  /**
   * Turns a reply into the bytes stored and answered, where the answer is not Chat's synchronous
   * wire format (the Pub/Sub door stores the Chat API writes that post it). Default: the wire format.
   */
  encode?: (event: ChatEvent, r: Reply) => unknown;
  /** Builds the rest of a handler's context for one delivery. */
  context(event: ChatEvent, key: string, log: Logger, signal: AbortSignal): Omit<HandlerContext, 'stage' | 'read'>;
}

/** What happened to one delivery, in detail (the log line's `detail`; `http/request-log.ts` groups them). */
export type Outcome = 'answered' | 'replayed' | 'waited' | 'in-flight' | 'overran' | 'handler-error' | 'too-large' | 'unavailable';

export interface DispatchResult {
  status: 200 | 503;
  body: string;
  outcome: Outcome;
  route: string;
}

/** Thrown by a batched route's `read` when the delivery already has a record. */
class AlreadyRecorded extends Error {
  constructor(readonly response: string | undefined) {
    super('the delivery already has a record');
  }
}

const OVERRUN_TEXT = 'This is taking longer than expected. Please try again in a moment.';
const ERROR_TEXT = 'Sorry, something went wrong while handling that. Please try again.';

/** An answer for when the handler cannot give one, in the shape the interaction expects. */
function fallbackReply(event: ChatEvent, text: string): Reply {
  if ((event.kind === 'action' || event.kind === 'command') && event.dialog) return reply.dialogError('UNKNOWN', text);
  if (event.kind === 'widget') return reply.suggestions(event.widget.function, []);
  if (event.kind === 'removed') return reply.ack();
  if (event.kind === 'home' || (event.kind === 'action' && event.surface === 'home')) return reply.message({ text });
  return reply.private(event.user.name, { text });
}

/** Whether a failure means "try again later" (Firestore or Pub/Sub unreachable), so Chat should retry. */
function isRetryable(err: unknown): boolean {
  return isUnavailable(err) || (err instanceof AppError && err.code === 'STORE_UNAVAILABLE');
}

/** The reply in the wire format the event came in (classic message, add-on actions, or App Home render actions). */
function render(event: ChatEvent, r: Reply, log: Logger, deps: Pick<DispatchDeps, 'endpointUrl' | 'encode'>): { body: string; tooLarge: boolean } {
  const { endpointUrl, encode } = deps;
  if (event.format === 'addon' && !endpointUrl && !encode) log.warn('add-on event without a configured endpoint URL: card actions keep their function names');
  const inDialog = (event.kind === 'action' || event.kind === 'command') && event.dialog === 'SUBMIT_DIALOG';
  const home = event.kind === 'home' || (event.kind === 'action' && event.surface === 'home');
  const point = <T>(value: T): T => (event.format === 'addon' && endpointUrl ? pointActionsAt(value, endpointUrl) : value);
  const wire = (x: Reply) =>
    JSON.stringify(
      encode
        ? encode(event, x)
        : home
          ? point(renderHomeResponse(x, { opening: event.kind === 'home', inDialog, wrap: event.format === 'chat' && event.kind !== 'home' }))
          : event.format === 'addon'
            ? renderAddonResponse(x, { endpointUrl, inDialog })
            : renderChatResponse(x),
    );
  const body = wire(r);
  const violation = limitViolation(r, Buffer.byteLength(body));
  if (!violation) return { body, tooLarge: false };
  log.error('response over Chat limits, replaced', { violation });
  return { body: wire(limitFallback(r, event.user.name)), tooLarge: true };
}

async function runWithBudget(
  route: Route,
  event: ChatEvent,
  ctxFor: (signal: AbortSignal) => HandlerContext,
  budgetMs: number,
): Promise<{ reply: Reply; overran: boolean }> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<'overrun'>((resolve) => {
    timer = setTimeout(() => resolve('overrun'), budgetMs);
  });
  try {
    const result = await Promise.race([Promise.resolve(route.handler(event, ctxFor(abort.signal))), overrun]);
    if (result === 'overrun') {
      abort.abort();
      return { reply: fallbackReply(event, OVERRUN_TEXT), overran: true };
    }
    return { reply: result ?? reply.ack(), overran: false };
  } finally {
    clearTimeout(timer);
  }
}

export async function dispatch(event: ChatEvent, deps: DispatchDeps, log: Logger): Promise<DispatchResult> {
  const route = deps.router.resolve(event);
  const key = deliveryKey(event);
  const info = { space: event.space.name, eventType: event.wireType };
  const staged: StagedWrite[] = [];
  // Secrets the handler hands out: the answer showing them is sent, never stored (shown-once.ts).
  const issued: string[] = [];
  /** A batched route reads its record with its first read only. */
  let recordRead = false;
  const ctxFor = (signal: AbortSignal): HandlerContext => notingSecrets(issued, {
    ...deps.context(event, key, log, signal),
    ...(route.batched
      ? // A published job could not be taken back if the batch loses to a concurrent repeat.
        { enqueue: () => Promise.reject(new Error(`route ${route.name} is batched: it cannot enqueue jobs`)) }
      : {}),
    stage(write) {
      if (route.pure) throw new Error(`route ${route.name} is pure: it has no delivery record to commit writes with`);
      staged.push(write);
    },
    async read(...refs) {
      const db = await deps.firestore();
      if (!route.batched || recordRead) return db.getAll(...refs);
      recordRead = true;
      const [record, ...docs] = await db.getAll(db.collection(DELIVERIES).doc(key), ...refs);
      if (record.exists) throw new AlreadyRecorded(record.get('status') === 'DONE' ? record.get('response') : undefined);
      return docs;
    },
  });
  /** What the delivery record keeps of an answer (`SHOWN_ONCE_TEXT` instead of one showing a secret). */
  const storable = (body: string) => storableAnswer(body, issued, () => render(event, reply.private(event.user.name, { text: SHOWN_ONCE_TEXT }), log, deps).body);
  // The activity counters count what succeeded: not a refusal, not a dialog's error.
  let succeeded = true;
  const answer = async (): Promise<{ body: string; outcome: Outcome }> => {
    const { reply: r, overran } = await runWithBudget(route, event, ctxFor, deps.responseBudgetMs);
    succeeded = !(r.kind === 'message' && r.refused) && !(r.kind === 'closeDialog' && r.status !== 'OK');
    if (overran) log.warn('handler overran the response budget; sent a fallback', { route: route.name, budgetMs: deps.responseBudgetMs });
    const { body, tooLarge } = render(event, r, log, deps);
    return { body, outcome: overran ? 'overran' : tooLarge ? 'too-large' : 'answered' };
  };
  /** The staged writes and the activity counters, for the batch that finishes the delivery. */
  const writesToCommit = async (outcome: Outcome): Promise<DeliveryWrites> => {
    // The person was told to try again: what the aborted handler staged would apply that try twice.
    if (outcome === 'overran') return {};
    const writes = [...staged];
    return {
      handler: writes.length ? (batch) => writes.forEach((w) => w(batch)) : undefined,
      counters: event.kind === 'removed' || !succeeded ? undefined : await activityWrites(await deps.firestore(), event, route.name, key),
    };
  };
  const failed = (err: unknown): DispatchResult => {
    if (isRetryable(err)) {
      log.error('a backing service is unavailable; asking Chat to retry', { error: errorMessage(err), route: route.name });
      return { status: 503, body: JSON.stringify({ error: 'temporarily unavailable, retry later' }), outcome: 'unavailable', route: route.name };
    }
    log.error('handler failed', { err, route: route.name });
    const { body } = render(event, fallbackReply(event, ERROR_TEXT), log, deps);
    return { status: 200, body, outcome: 'handler-error', route: route.name };
  };

  if (route.pure) {
    try {
      return { status: 200, ...(await answer()), route: route.name };
    } catch (err) {
      return failed(err);
    }
  }

  if (route.batched) {
    try {
      const result = await answer();
      // An overrun's staged writes are dropped with the handler: Chat's retry runs it again.
      if (result.outcome === 'overran') return { status: 200, ...result, route: route.name };
      const recording = deps.deliveries.record(key, info, storable(result.body), await writesToCommit(result.outcome));
      if (await withStoreDeadline(recording, deps.storeTimeoutMs, 'recording the delivery')) return { status: 200, ...result, route: route.name };
    } catch (err) {
      if (!(err instanceof AlreadyRecorded)) return failed(err);
      // A repeat: the handler's read found the finished record (or one still running: wait for it below).
      if (typeof err.response === 'string') return { status: 200, body: err.response, outcome: 'replayed', route: route.name };
    }
    // Another attempt holds or finished this delivery, and our batch wrote nothing: answer as it does.
    staged.length = 0;
  }

  let claimed;
  const claiming = deps.deliveries.claim(key, info, { exists: route.batched });
  try {
    claimed = await withStoreDeadline(claiming, deps.deliveryWaitMs + deps.storeTimeoutMs, 'claiming the delivery');
  } catch (err) {
    // A claim that lands after we gave up would block Chat's retries until its lease ran out:
    // release it as soon as it lands, so the retry runs the handler.
    claiming
      .then((late) => (late.outcome === 'claimed' ? deps.deliveries.release(late.claim) : undefined))
      .catch(() => undefined);
    return failed(err);
  }
  if (claimed.outcome === 'done') return { status: 200, body: claimed.response, outcome: claimed.waited ? 'waited' : 'replayed', route: route.name };
  // Still running elsewhere after the wait: ask Chat to retry (503) rather than acknowledge with
  // `{}`, which would end Chat's retries and lose the answer if that attempt never finishes.
  if (claimed.outcome === 'inFlight') {
    return { status: 503, body: JSON.stringify({ error: 'this delivery is still being handled, retry later' }), outcome: 'in-flight', route: route.name };
  }

  const claim = claimed.claim;
  try {
    const result = await answer();
    if (!(await withStoreDeadline(deps.deliveries.complete(claim, storable(result.body), await writesToCommit(result.outcome)), deps.storeTimeoutMs, 'completing the delivery'))) {
      log.warn('delivery was taken over by another attempt while running', { deliveryKey: key });
    }
    return { status: 200, ...result, route: route.name };
  } catch (err) {
    // Give the claim up so Chat's retry runs the handler again rather than replaying a failure.
    await deps.deliveries.release(claim).catch((e) => log.warn('could not release a delivery claim', { error: errorMessage(e) }));
    return failed(err);
  }
}
