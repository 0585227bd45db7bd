/**
 * What dispatch needs besides the door: the stores, the job queue and the handler context, built
 * once per instance from the configuration. Both doors (`chat-events.ts` over HTTP, `chat-pubsub.ts`
 * over Pub/Sub) build it here, so a handler sees the same context whichever way the event came.
 */
import type { ChatApi } from './chat-api/client';
import type { AppConfig } from './config';
import { createJobQueue, lazyPubSub, originOf, type PubSubProvider } from './jobs/queue';
import { createRoleChecker } from './permissions/roles';
import type { DispatchDeps } from './routing/dispatch';
import type { Router } from './routing/router';
import { createDeliveryStore } from './stores/deliveries';
import { lazyFirestore, type FirestoreProvider } from './stores/firestore';
import { createSpaceStore } from './stores/spaces';
import { createWebhookStore } from './stores/webhooks';

export function createAppDispatch(
  config: AppConfig,
  router: Router,
  /** `chat`: the Chat API with app authentication (members' roles, App Home's poll updates), logged. */
  clients: { chat: ChatApi; firestore?: FirestoreProvider; pubsub?: PubSubProvider },
): DispatchDeps {
  const firestore = clients.firestore ?? lazyFirestore(config.projectId);
  // The router is complete by now: list its commands once, not per event.
  const commands = router.commandList();
  const spaces = createSpaceStore(firestore);
  const webhooks = createWebhookStore(firestore);
  const roles = createRoleChecker({ chatApi: clients.chat });
  const queue = createJobQueue({ firestore, pubsub: clients.pubsub ?? lazyPubSub(config.projectId), topic: config.jobsTopic, ttlMs: config.jobTtlMs });
  return {
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
      roles,
      chat: clients.chat,
      commands,
      enqueue: (job) => queue.enqueue(originOf(event), deliveryKey, job),
    }),
  };
}
