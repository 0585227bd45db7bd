/**
 * Wires `chatEvents` from its configuration: verifier, stores, job queue, router, edge. Only Chat
 * comes in here; incoming webhooks have their own function (chat-webhooks.ts).
 * Clients are created here once per instance and loaded only when first used.
 */
import { createCertCache } from './auth/certs';
import { createChatApi, type ChatApi } from './chat-api/client';
import { loggedChatApi } from './chat-api/logged';
import { createTokenVerifier } from './auth/verify-chat-token';
import type { EventsConfig } from './config';
import { createChatEndpoint } from './http/chat-endpoint';
import { createJobQueue, lazyPubSub, originOf } from './jobs/queue';
import { createLogger, type Logger } from './log';
import { createRoleChecker, ROLE_CHECK_TIMEOUT_MS } from './permissions/roles';
import type { Router } from './routing/router';
import { createDeliveryStore } from './stores/deliveries';
import { lazyFirestore, warmUpFirestore } from './stores/firestore';
import { createSpaceStore } from './stores/spaces';
import { createWebhookStore } from './stores/webhooks';

export function createChatEventsFunction(
  config: EventsConfig,
  router: Router,
  log: Logger = createLogger({ function: 'chatEvents' }),
  /** Tests pass a client with a loopback fetch; deployed, the one built here from CHAT_API_ROOT_URL. */
  chatApi: ChatApi = createChatApi({ rootUrl: config.chatApiRootUrl, timeoutMs: ROLE_CHECK_TIMEOUT_MS }),
) {
  const firestore = lazyFirestore(config.projectId);
  // The router is complete by now: list its commands once, not per event.
  const commands = router.commandList();
  const spaces = createSpaceStore(firestore);
  const queue = createJobQueue({ firestore, pubsub: lazyPubSub(config.projectId), topic: config.jobsTopic, ttlMs: config.jobTtlMs });
  const verify = createTokenVerifier({
    mode: config.audienceMode,
    audience: config.audience,
    addonServiceAccount: config.addonServiceAccount,
    certs: createCertCache({ url: config.certsUrl }),
  });
  const webhooks = createWebhookStore(firestore);
  // The Chat API with app authentication (members' roles, App Home's poll updates); the client loads on first use.
  const chat = loggedChatApi(chatApi, log);
  const roles = createRoleChecker({ chatApi: chat });
  const endpoint = createChatEndpoint({
    projectId: config.projectId,
    verify,
    log,
    dispatch: {
      router,
      responseBudgetMs: config.responseBudgetMs,
      storeTimeoutMs: config.storeTimeoutMs,
      deliveryWaitMs: config.deliveryWaitMs,
      endpointUrl: config.endpointUrl,
      firestore,
      deliveries: createDeliveryStore(firestore, {
        leaseMs: config.deliveryLeaseMs,
        waitMs: config.deliveryWaitMs,
        ttlMs: config.deliveryTtlMs,
      }),
      context: (event, deliveryKey, eventLog, signal) => ({
        config,
        deliveryKey,
        log: eventLog,
        signal,
        firestore,
        spaces,
        webhooks,
        roles,
        chat,
        commands,
        enqueue: (job) => queue.enqueue(originOf(event), deliveryKey, job),
      }),
    },
  });
  return Object.assign(endpoint, { warmUp: () => warmUpFirestore(firestore, log) });
}
