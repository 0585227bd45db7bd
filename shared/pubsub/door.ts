/**
 * `chatPubsub`: Chat's events through a Cloud Pub/Sub topic instead of an HTTP endpoint
 * (docs/chat-protocol.md §13). The same normalization, delivery dedupe, router and handlers as
 * `chatEvents` (`routing/dispatch.ts`); the answer, which cannot be synchronous here, is posted
 * through the Chat API (plan.ts), so every repeat of a delivery (Pub/Sub redelivers, Chat may
 * publish twice [U]) makes the same idempotent writes and nothing is posted twice.
 *
 * What happens to a message is decided by its kind:
 * - not from this project's events topic → acknowledged and logged, nothing run;
 * - a Workspace Events notification → acknowledged (this app subscribes to none) [U];
 * - not a Chat event at all (not JSON, a field missing) → published to the dead-letter topic with
 *   the reason, then acknowledged: retrying cannot fix it;
 * - store unavailable, delivery still running elsewhere, Chat API 429/5xx → thrown: Pub/Sub
 *   redelivers with backoff, and the subscription's dead-letter policy sets aside a message that
 *   keeps failing;
 * - Chat API 400/403/404 (a card Chat refuses, the app removed) → logged, acknowledged.
 */
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { ChatApi } from '../chat-api/client';
import { loggedChatApi } from '../chat-api/logged';
import type { RetryOptions } from '../chat-api/retry';
import { AppError, BadRequestError, ChatApiError } from '../errors';
import { deliveryKey } from '../events/delivery-key';
import { normalizeEvent } from '../events/normalize';
import { traceFields, type Logger } from '../log';
import { dispatch, type DispatchDeps } from '../routing/dispatch';
import { readChatMessage } from './message';
import { planAnswer, type AnswerPlan } from './plan';
import { postPlan } from './post';

/** One line per message, like the HTTP door's (`http/request-log.ts`), with `door: "pubsub"`. */
export const CHAT_EVENT_MESSAGE = 'chat event';

export interface PubsubDoorDeps {
  projectId: string;
  eventsTopic: string;
  dispatch: Omit<DispatchDeps, 'encode'>;
  chat: ChatApi;
  /** Sets a message aside on the dead-letter topic, with why. */
  deadLetter(data: string, attributes: Record<string, string>): Promise<void>;
  log: Logger;
  retry?: RetryOptions;
}

export function createPubsubDoor(deps: PubsubDoorDeps) {
  const dispatchDeps: DispatchDeps = { ...deps.dispatch, encode: (event, r) => planAnswer(event, deliveryKey(event), r) };

  return async function chatPubsub(cloudEvent: CloudEvent<unknown>): Promise<void> {
    const started = Date.now();
    const traceparent = (cloudEvent as { traceparent?: unknown }).traceparent;
    const log = deps.log.child({ ...traceFields({ traceparent: typeof traceparent === 'string' ? traceparent : undefined }, deps.projectId), door: 'pubsub' });
    const line = (severity: 'info' | 'warn' | 'error', outcome: string, fields: Record<string, unknown> = {}) =>
      log[severity](CHAT_EVENT_MESSAGE, { outcome, latencyMs: Date.now() - started, ...fields });

    const read = readChatMessage(cloudEvent, deps.projectId, deps.eventsTopic);
    if ('foreign' in read) return line('warn', 'refused', { detail: read.foreign, cloudEventId: cloudEvent.id });
    if ('notification' in read) return line('info', 'ignored', { detail: 'workspace-events notification', ceType: read.notification });
    const poison = async (reason: string, data: string, attributes: Record<string, string>, messageId?: string) => {
      await deps.deadLetter(data, { ...attributes, chatAppDeadLetterReason: reason, ...(messageId ? { chatAppSourceMessageId: messageId } : {}) });
      line('warn', 'dead-lettered', { detail: reason, pubsubMessageId: messageId });
    };
    if ('poison' in read) return poison(read.poison, read.data, read.attributes, read.messageId);

    let normalized;
    try {
      normalized = normalizeEvent(read.body);
    } catch (err) {
      if (!(err instanceof BadRequestError)) throw err;
      const message = (cloudEvent.data as { message?: { data?: string; attributes?: Record<string, string> } }).message;
      return poison(err.message, message?.data ?? '', message?.attributes ?? {}, read.messageId);
    }
    if ('ignored' in normalized) return line('info', 'ignored', { eventType: normalized.ignored });
    const event = normalized.event;
    const fields = { eventType: event.wireType, format: event.format, space: event.space.name, user: event.user.name, pubsubMessageId: read.messageId };

    const result = await dispatch(event, dispatchDeps, log);
    if (result.status !== 200) {
      line('warn', result.outcome, { ...fields, route: result.route, detail: 'redelivery asked' });
      // Pub/Sub redelivers later; by then the delivery is done or its claim has expired.
      throw new AppError(`delivery not answered (${result.outcome}); redeliver later`, 'STORE_UNAVAILABLE');
    }
    const plan = JSON.parse(result.body) as AnswerPlan;
    try {
      await postPlan(loggedChatApi(deps.chat, log), plan, deps.retry);
    } catch (err) {
      if (err instanceof ChatApiError && !err.retryable) {
        return line('error', 'refused-by-chat', { ...fields, route: result.route, status: err.status, detail: 'the Chat API refused the answer; acknowledged' });
      }
      line('warn', 'retry', { ...fields, route: result.route, detail: 'posting the answer failed; Pub/Sub will redeliver' });
      throw err;
    }
    line('info', result.outcome, { ...fields, route: result.route, writes: plan.writes.length, ...(plan.unavailable ? { unavailable: plan.unavailable } : {}) });
  };
}
