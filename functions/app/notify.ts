/**
 * `/notify` (command 5): an incoming webhook for this space. The URL and secret are shown only to
 * the person who asked; another system POSTs `{ text, title?, url? }` to the URL with the secret in
 * `X-Webhook-Secret`, and the worker posts it into the space. `/notify off` revokes every webhook.
 */
import type { CommandEvent } from '../../shared/events/model';
import { WEBHOOK_JOB, type WebhookPost } from '../../shared/http/webhook-endpoint';
import type { JobRecord } from '../../shared/jobs/model';
import { button, buttonList, card, section, withId } from '../../shared/replies/cards';
import { messageText } from '../../shared/replies/escape';
import { reply, type OutMessage, type Reply } from '../../shared/replies/responses';
import type { HandlerContext } from '../../shared/routing/context';
import { defineFeature } from '../../shared/routing/feature';
import { TooManyWebhooksError } from '../../shared/stores/webhooks';

async function onNotify(event: CommandEvent, ctx: HandlerContext): Promise<Reply> {
  const only = (text: string) => reply.private(event.user.name, { text });
  const arg = event.command.argumentText.trim().toLowerCase();
  if (arg === 'off') {
    const n = await ctx.webhooks.revokeAll(event.space.id);
    return only(n ? `Revoked ${n} incoming webhook${n === 1 ? '' : 's'} of this space: their URLs now answer 404.` : 'This space has no incoming webhooks.');
  }
  if (arg !== '' && arg !== 'on') return only('Usage: /notify to create an incoming webhook for this space, /notify off to revoke them all.');
  if (!ctx.config.webhooksUrl) return only('Incoming webhooks need the public URL of the webhooks function (CHAT_WEBHOOKS_URL); ask whoever deployed it.');
  // Webhooks hang off the space's record: make sure it exists (the app may predate it).
  const space = (await ctx.spaces.get(event.space.id)) ?? (await ctx.spaces.recordAdded(event.space, event.user, new Date(event.eventTime)));
  if (!space.settings.webhooksAllowed) return only('Incoming webhooks are turned off in this space. Turn them on with /config.');
  // The id comes from the delivery, so a retried /notify re-keys the same webhook instead of adding one.
  const hookId = ctx.deliveryKey.slice(0, 20);
  let secret: string;
  try {
    ({ secret } = await ctx.webhooks.create(event.space.id, hookId, event.user, ctx.config.webhooksPerSpace));
  } catch (err) {
    if (!(err instanceof TooManyWebhooksError)) throw err;
    return only(`This space already has ${err.max} incoming webhooks, the most it may have. Revoke them with /notify off, then create the ones you need.`);
  }
  const url = `${ctx.config.webhooksUrl}webhooks/${event.space.id}/${hookId}`;
  return reply.private(event.user.name, {
    text: [
      '🔔 Incoming webhook created. Only you can see this; the secret is not shown again.',
      `URL: ${url}`,
      `Secret: \`${secret}\``,
      'Example:',
      `\`\`\`curl -X POST '${url}' -H 'Content-Type: application/json' -H 'X-Webhook-Secret: ${secret}' -d '{"text":"Build 42 passed","title":"CI","url":"https://ci.example.com/42"}'\`\`\``,
      'Revoke with /notify off.',
    ].join('\n'),
  });
}

/**
 * The worker's side: what a webhook post looks like in the space. The text goes in the message's
 * `text`, where Chat renders its markup (`*v1.2*` in bold; a card's HTML would show it raw),
 * after the title in bold; mentions and links are neutralised (escape.ts). A URL becomes a card
 * with an Open button.
 */
export async function postWebhookMessage(job: JobRecord): Promise<OutMessage> {
  const post = job.args as unknown as WebhookPost;
  const text = messageText(post.title ? `*${post.title}*\n${post.text}` : post.text);
  if (!post.url) return { text };
  return { text, cardsV2: [withId('webhook-post', card({ sections: [section([buttonList(button('Open', { url: post.url }))])] }))] };
}

export const notify = defineFeature({
  name: 'notify',
  // Re-keying is idempotent and the secret must not be stored with the answer: no delivery record.
  command: {
    id: 5,
    name: '/notify',
    description: 'Incoming webhook for this space',
    keywords: ['webhook', 'webhooks', 'notify', 'notifications', 'integration'],
    handler: onNotify,
    pure: true,
    // Creating and revoking webhooks is administration: managers only (shared/permissions/roles.ts).
    managersOnly: true,
  },
  tasks: { [WEBHOOK_JOB]: postWebhookMessage },
});
