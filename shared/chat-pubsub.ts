/**
 * Wires `chatPubsub` from its configuration: the same dispatch as `chatEvents` (app-dispatch.ts)
 * with a router that knows dialogs cannot open, the Chat API client for the answers, and the
 * dead-letter topic for messages that are not Chat events.
 */
import { createAppDispatch } from './app-dispatch';
import { createChatApi } from './chat-api/client';
import { loggedChatApi } from './chat-api/logged';
import type { PubsubConfig } from './config';
import { lazyPubSub } from './jobs/queue';
import { createLogger, type Logger } from './log';
import { createPubsubDoor } from './pubsub/door';
import type { Router } from './routing/router';

export function createChatPubsubFunction(config: PubsubConfig, router: Router, log: Logger = createLogger({ function: 'chatPubsub' })) {
  const pubsub = lazyPubSub(config.projectId);
  const chat = createChatApi({ rootUrl: config.chatApiRootUrl, timeoutMs: config.chatApiTimeoutMs });
  return createPubsubDoor({
    projectId: config.projectId,
    eventsTopic: config.eventsTopic,
    chat,
    log,
    async deadLetter(data, attributes) {
      await (await pubsub()).topic(config.deadLetterTopic).publishMessage({ data: Buffer.from(data, 'base64'), attributes });
    },
    dispatch: createAppDispatch(config, router.withoutDialogs(), { chat: loggedChatApi(chat, log), pubsub }),
  });
}
