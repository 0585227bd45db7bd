/**
 * Wires `chatEvents` from its configuration: verifier, stores, job queue, router, edge.
 * Clients are created here once per instance and loaded only when first used.
 */
import { createCertCache } from './auth/certs';
import { createTokenVerifier } from './auth/verify-chat-token';
import type { EventsConfig } from './config';
import { createChatEndpoint } from './http/chat-endpoint';
import { createJobQueue, lazyPubSub } from './jobs/queue';
import { createLogger, type Logger } from './log';
import type { Router } from './routing/router';
import { createDeliveryStore } from './stores/deliveries';
import { lazyFirestore } from './stores/firestore';
import { createSpaceStore } from './stores/spaces';

export function createChatEventsFunction(config: EventsConfig, router: Router, log: Logger = createLogger({ function: 'chatEvents' })) {
  const firestore = lazyFirestore(config.projectId);
  const spaces = createSpaceStore(firestore);
  const queue = createJobQueue({ firestore, pubsub: lazyPubSub(config.projectId), topic: config.jobsTopic, ttlMs: config.jobTtlMs });
  const verify = createTokenVerifier({
    mode: config.audienceMode,
    audience: config.audience,
    certs: createCertCache({ url: config.certsUrl }),
  });
  return createChatEndpoint({
    projectId: config.projectId,
    verify,
    log,
    dispatch: {
      router,
      responseBudgetMs: config.responseBudgetMs,
      deliveries: createDeliveryStore(firestore, {
        leaseMs: config.deliveryLeaseMs,
        waitMs: config.deliveryWaitMs,
        ttlMs: config.deliveryTtlMs,
      }),
      context: (event, deliveryKey, eventLog, signal) => ({
        deliveryKey,
        log: eventLog,
        signal,
        firestore,
        spaces,
        enqueue: (job) => queue.enqueue(event, deliveryKey, job),
      }),
    },
  });
}
