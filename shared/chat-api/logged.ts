/**
 * A Chat API client that logs each failed call as one line (`message: "chat api error"`) with the
 * method and the HTTP status, so that 429s are counted (terraform/monitoring.tf) even when the
 * in-process retry then succeeds. The error's text is not logged: it may quote the message.
 */
import { ChatApiError } from '../errors';
import type { Logger } from '../log';
import type { ChatApi } from './client';

export const CHAT_API_ERROR_MESSAGE = 'chat api error';

export function loggedChatApi(api: ChatApi, log: Logger): ChatApi {
  const logged =
    <A extends unknown[], T>(method: string, fn: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      try {
        return await fn(...args);
      } catch (err) {
        if (err instanceof ChatApiError) log.warn(CHAT_API_ERROR_MESSAGE, { method, status: err.status ?? null, retryable: err.retryable });
        throw err;
      }
    };
  return {
    createMessage: logged('spaces.messages.create', (req) => api.createMessage(req)),
    patchMessage: logged('spaces.messages.patch', (name, message, mask) => api.patchMessage(name, message, mask)),
    getMessage: logged('spaces.messages.get', (name) => api.getMessage(name)),
    getMembership: logged('spaces.members.get', (name) => api.getMembership(name)),
  };
}
