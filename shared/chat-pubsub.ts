/**
 * Wires `chatPubsub` from its configuration: the same stores, job queue and router as `chatEvents`
 * (chat-events.ts), a router that knows dialogs cannot open, the Chat API client for the answers,
 * and the dead-letter topic for messages that are not Chat events.
 */
import { createChatApi } from './chat-api/client';
import type { PubsubConfig } from './config';
import { createJobQueue, lazyPubSub, originOf } from './jobs/queue';
import { createLogger, type Logger } from './log';
import { createPubsubDoor } from './pubsub/door';
import type { Router } from './routing/router';
import { createDeliveryStore } from './stores/deliveries';
import { lazyFirestore } from './stores/firestore';
import { createSpaceStore } from './stores/spaces';
import { createWebhookStore } from './stores/webhooks';

export function createChatPubsubFunction(config: PubsubConfig, router: Router, log: Logger = createLogger({ function: 'chatPubsub' })) {
  const firestore = lazyFirestore(config.projectId);
  const pubsub = lazyPubSub(config.projectId);
  router.withoutDialogs();
  const commands = router.commandList();
  const spaces = createSpaceStore(firestore);
  const webhooks = createWebhookStore(firestore);
  const queue = createJobQueue({ firestore, pubsub, topic: config.jobsTopic, ttlMs: config.jobTtlMs });
  return createPubsubDoor({
    projectId: config.projectId,
    eventsTopic: config.eventsTopic,
    chat: createChatApi({ rootUrl: config.chatApiRootUrl, timeoutMs: config.chatApiTimeoutMs }),
    log,
    async deadLetter(data, attributes) {
      await (await pubsub()).topic(config.deadLetterTopic).publishMessage({ data: Buffer.from(data, 'base64'), attributes });
    },
    dispatch: {
      router,
      responseBudgetMs: config.responseBudgetMs,
      storeTimeoutMs: config.storeTimeoutMs,
      deliveryWaitMs: config.deliveryWaitMs,
      firestore,
      deliveries: createDeliveryStore(firestore, { leaseMs: config.deliveryLeaseMs, waitMs: config.deliveryWaitMs, ttlMs: config.deliveryTtlMs }),
      context: (event, deliveryKey, eventLog, signal) => ({
        config,
        deliveryKey,
        log: eventLog,
        signal,
        firestore,
        spaces,
        webhooks,
        commands,
        enqueue: (job) => queue.enqueue(originOf(event), deliveryKey, job),
      }),
    },
  });
}
