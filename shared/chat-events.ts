/**
 * Wires `chatEvents` from its configuration: verifier, dispatch (stores, job queue, router), edge.
 * Only Chat comes in here; incoming webhooks have their own function (chat-webhooks.ts).
 * Clients are created here once per instance and loaded only when first used.
 */
import { createAppDispatch } from './app-dispatch';
import { createCertCache } from './auth/certs';
import { createTokenVerifier } from './auth/verify-chat-token';
import type { EventsConfig } from './config';
import { createChatEndpoint } from './http/chat-endpoint';
import { createLogger, type Logger } from './log';
import type { Router } from './routing/router';

export function createChatEventsFunction(config: EventsConfig, router: Router, log: Logger = createLogger({ function: 'chatEvents' })) {
  const verify = createTokenVerifier({
    mode: config.audienceMode,
    audience: config.audience,
    addonServiceAccount: config.addonServiceAccount,
    certs: createCertCache({ url: config.certsUrl }),
  });
  return createChatEndpoint({
    projectId: config.projectId,
    verify,
    log,
    dispatch: { ...createAppDispatch(config, router), endpointUrl: config.endpointUrl },
  });
}
