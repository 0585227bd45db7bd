/** The environment variables each function is deployed with, and the gcloud flag that carries them. */
import { UsageError } from './usage-error.mjs';

/** The environment each function gets: what shared/config.ts reads; unset optional values are left out. */
export function environment(s) {
  const common = {
    GOOGLE_CLOUD_PROJECT: s.project,
    CHAT_API_ROOT_URL: s['chat-api-root-url'],
    JOBS_TOPIC: s['jobs-topic'],
    JOB_TTL_DAYS: s['job-ttl-days'],
  };
  const events = {
    ...common,
    CHAT_AUDIENCE_MODE: s['audience-mode'],
    CHAT_AUDIENCE: s.audience,
    CHAT_ADDON_SERVICE_ACCOUNT: s['audience-mode'] === 'addon' ? s.addonServiceAccount : undefined,
    CHAT_CERTS_URL: s['chat-certs-url'],
    CHAT_RESPONSE_BUDGET_MS: s['chat-response-budget-ms'],
    CHAT_EVENTS_URL: s.endpointUrl,
    CHAT_WEBHOOKS_URL: s.webhooksUrl,
    LINK_PREVIEW_PATTERN: s['link-preview-pattern'],
    DELIVERY_WAIT_MS: s['delivery-wait-ms'],
    DELIVERY_TTL_HOURS: s['delivery-ttl-hours'],
    STORE_TIMEOUT_MS: s['store-timeout-ms'],
    WEBHOOKS_PER_SPACE: s['webhooks-per-space'],
  };
  const worker = {
    ...common,
    JOB_MAX_ATTEMPTS: s['job-max-attempts'],
    JOB_LEASE_MS: s['job-lease-ms'],
    PROGRESS_INTERVAL_MS: s['progress-interval-ms'],
    CHAT_API_TIMEOUT_MS: s['chat-api-timeout-ms'],
  };
  const webhooks = { ...common, WEBHOOK_POSTS_PER_MINUTE: s['webhook-posts-per-minute'] };
  // What shared/config.ts loadPubsubConfig reads: no audience, the topics instead, and the Chat API's timeout.
  const pubsub = {
    ...common,
    CHAT_EVENTS_TOPIC: s['chat-events-topic'],
    DEAD_LETTER_TOPIC: s['dead-letter-topic'],
    CHAT_RESPONSE_BUDGET_MS: s['chat-response-budget-ms'],
    // No chat-events: links the app hands out (poll permalinks) only where --endpoint-url names one.
    CHAT_EVENTS_URL: s['endpoint-url'],
    CHAT_WEBHOOKS_URL: s.webhooksUrl,
    LINK_PREVIEW_PATTERN: s['link-preview-pattern'],
    DELIVERY_WAIT_MS: s['delivery-wait-ms'],
    DELIVERY_TTL_HOURS: s['delivery-ttl-hours'],
    STORE_TIMEOUT_MS: s['store-timeout-ms'],
    CHAT_API_TIMEOUT_MS: s['chat-api-timeout-ms'],
    WEBHOOKS_PER_SPACE: s['webhooks-per-space'],
  };
  const present = (vars) => Object.fromEntries(Object.entries(vars).filter(([, value]) => value !== undefined));
  return { events: present(events), worker: present(worker), webhooks: present(webhooks), pubsub: present(pubsub) };
}

/**
 * --set-env-vars=A=1,B=2; when a value holds a comma (a regular expression may), gcloud's alternate
 * delimiter syntax --set-env-vars=^;^A=1;B=2 (see `gcloud topic escaping`).
 */
export function envFlag(vars) {
  const values = Object.values(vars);
  const delimiter = [',', ';', '|', '#', '~'].find((d) => !values.some((v) => v.includes(d)));
  if (!delimiter) throw new UsageError('The environment values contain every delimiter gcloud could use (, ; | # ~).');
  const list = Object.entries(vars).map(([name, value]) => `${name}=${value}`).join(delimiter);
  return `--set-env-vars=${delimiter === ',' ? '' : `^${delimiter}^`}${list}`;
}
