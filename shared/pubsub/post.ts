/** Makes a plan's Chat API writes (plan.ts), each safe to repeat, with the worker's short retry. */
import type { ChatApi } from '../chat-api/client';
import { withRetry, type RetryOptions } from '../chat-api/retry';
import { ChatApiError } from '../errors';
import type { AnswerPlan } from './plan';

export async function postPlan(chat: ChatApi, plan: AnswerPlan, retry?: RetryOptions): Promise<void> {
  for (const write of plan.writes) {
    if ('create' in write) {
      try {
        await withRetry(() => chat.createMessage(write.create), retry);
      } catch (err) {
        // The id is taken: an earlier attempt made this very message (docs/chat-protocol.md §7.1, assumed 409 [U]).
        if (!(err instanceof ChatApiError) || err.status !== 409) throw err;
      }
    } else {
      await withRetry(() => chat.patchMessage(write.patch.name, write.patch.message, write.patch.updateMask), retry);
    }
  }
}
