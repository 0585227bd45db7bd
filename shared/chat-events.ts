/**
 * Wires `chatEvents` from its configuration: verifier, dispatch (stores, job queue, router), edge.
 * Only Chat comes in here; incoming webhooks have their own function (chat-webhooks.ts).
 * Clients are created here once per instance and loaded only when first used.
 */
import { createAppDispatch } from './app-dispatch';
import { createCertCache } from './auth/certs';
import { createChatApi, type ChatApi } from './chat-api/client';
import { loggedChatApi } from './chat-api/logged';
import { createTokenVerifier } from './auth/verify-chat-token';
import type { EventsConfig } from './config';
import { createChatEndpoint } from './http/chat-endpoint';
import { createLogger, type Logger } from './log';
import { ROLE_CHECK_TIMEOUT_MS } from './permissions/roles';
import type { Router } from './routing/router';
import { warmUpFirestore } from './stores/firestore';

export function createChatEventsFunction(
  config: EventsConfig,
  router: Router,
  log: Logger = createLogger({ function: 'chatEvents' }),
  /** Tests pass a client with a loopback fetch; deployed, the one built here from CHAT_API_ROOT_URL. */
  chatApi: ChatApi = createChatApi({ rootUrl: config.chatApiRootUrl, timeoutMs: ROLE_CHECK_TIMEOUT_MS }),
) {
  const verify = createTokenVerifier({
    mode: config.audienceMode,
    audience: config.audience,
    addonServiceAccount: config.addonServiceAccount,
    certs: createCertCache({ url: config.certsUrl }),
  });
  // The Chat API client loads on first use.
  const dispatch = createAppDispatch(config, router, { chat: loggedChatApi(chatApi, log) });
  const endpoint = createChatEndpoint({
    projectId: config.projectId,
    verify,
    log,
    dispatch: { ...dispatch, endpointUrl: config.endpointUrl },
  });
  return Object.assign(endpoint, { warmUp: () => warmUpFirestore(dispatch.firestore, log) });
}
