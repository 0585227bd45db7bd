/**
 * Wires `chatWebhooks`: the incoming-webhook door on its own. It is public (the systems that post
 * come from anywhere and prove themselves with the webhook's secret), so chatEvents can be closed by
 * Cloud Run IAM to everyone but Chat where the audience mode allows it (terraform/README.md).
 */
import type { Request, Response } from '@google-cloud/functions-framework';
import type { WebhooksConfig } from './config';
import { createWebhookEndpoint, WEBHOOK_PATH } from './http/webhook-endpoint';
import { createJobQueue, lazyPubSub } from './jobs/queue';
import { createLogger, type Logger } from './log';
import { lazyFirestore } from './stores/firestore';
import { createWebhookStore } from './stores/webhooks';

export function createChatWebhooksFunction(config: WebhooksConfig, log: Logger = createLogger({ function: 'chatWebhooks' })) {
  const firestore = lazyFirestore(config.projectId);
  const queue = createJobQueue({ firestore, pubsub: lazyPubSub(config.projectId), topic: config.jobsTopic, ttlMs: config.jobTtlMs });
  const webhook = createWebhookEndpoint({ webhooks: createWebhookStore(firestore), queue, perMinute: config.webhookPostsPerMinute, log });
  return async function chatWebhooks(req: Request, res: Response): Promise<void> {
    const hook = WEBHOOK_PATH.exec(req.path);
    if (hook) return webhook(req, res, hook[1], hook[2]);
    res.status(404).set('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify({ error: 'no such webhook' }));
  };
}
