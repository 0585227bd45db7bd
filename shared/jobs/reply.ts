/**
 * A job's one reply message. Progress and result all go to the message whose id derives from
 * the job: the first write creates it (with a `requestId`, so a retried create returns it
 * instead of making a second one), every later write patches it. Progress is coalesced, since
 * a space takes only 60 writes a minute shared by all apps; the final write always happens.
 * Every write passes the same limit check as the synchronous answers (replies/limits.ts): a message
 * over Chat's limits is replaced by a short notice, never sent to fail.
 */
import type { ChatApi } from '../chat-api/client';
import { withRetry, type RetryOptions } from '../chat-api/retry';
import { ChatApiError } from '../errors';
import type { Logger } from '../log';
import { limitFallbackMessage, limitViolation } from '../replies/limits';
import { toWireMessage } from '../replies/render-chat';
import type { OutMessage } from '../replies/responses';
import { replyMessageId, replyRequestId, type JobRecord } from './model';
import type { JobStore } from './store';

export interface JobReplyOptions {
  progressIntervalMs: number;
  retry?: RetryOptions;
  now?: () => number;
  /** Where a message replaced for breaking Chat's limits is reported. */
  log?: Logger;
}

export class JobReply {
  private lastWriteAt = -Infinity;
  private readonly now: () => number;

  constructor(
    private readonly chat: ChatApi,
    private readonly store: JobStore,
    private readonly job: JobRecord,
    private readonly options: JobReplyOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get messageName(): string {
    return `${this.job.space}/messages/${replyMessageId(this.job.jobId)}`;
  }

  /** Shows progress, unless the last write was less than the interval ago. */
  async progress(text: string): Promise<void> {
    if (this.now() - this.lastWriteAt < this.options.progressIntervalMs) return;
    await this.write({ text }, 'text');
  }

  /** The result (or the failure notice): always written, replacing text and cards. */
  async final(message: OutMessage): Promise<void> {
    await this.write({ ...message, cardsV2: message.cardsV2 ?? [] }, 'text,cardsV2');
  }

  private async write(message: OutMessage, updateMask: string): Promise<void> {
    const wire = toWireMessage(this.withinLimits(message));
    this.lastWriteAt = this.now();
    const retry = <T>(fn: () => Promise<T>) => withRetry(fn, this.options.retry);
    if (!this.job.replyMessage) {
      try {
        const created = await retry(() =>
          this.chat.createMessage({
            parent: this.job.space,
            message: wire,
            requestId: replyRequestId(this.job.jobId),
            messageId: replyMessageId(this.job.jobId),
            threadName: this.job.thread,
          }),
        );
        await this.store.recordReplyMessage(this.job, created.name || this.messageName);
        // A replayed create returns the message as an earlier attempt left it: bring it up to date.
        if (created.text === wire.text) return;
      } catch (err) {
        // The id exists already (created by an attempt that died before recording it): patch it.
        if (!(err instanceof ChatApiError) || err.status !== 409) throw err;
        await this.store.recordReplyMessage(this.job, this.messageName);
      }
    }
    await retry(() => this.chat.patchMessage(this.messageName, wire, updateMask));
  }

  private withinLimits(message: OutMessage): OutMessage {
    const violation = limitViolation({ kind: 'message', message }, Buffer.byteLength(JSON.stringify(toWireMessage(message))));
    if (!violation) return message;
    this.options.log?.error('reply over Chat limits, replaced', { violation });
    return limitFallbackMessage();
  }
}
