import { check, HTTPS_URL_PATTERN } from './options.mjs';
import { BUILD_SERVICE_ACCOUNT, CHAT_INVOKER, EVENTS, serviceAccountEmail, WEBHOOKS } from './resources.mjs';
import { UsageError } from './usage-error.mjs';

/** Fills in the derived values and checks the rules that tie options together (as Terraform's preconditions). */
export function resolveSettings(options) {
  const problems = check(options);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  const s = { ...options };
  s.pubsub = s.connection === 'pubsub';
  if (s.pubsub) s['audience-mode'] = undefined; // no endpoint, nothing to verify a token against
  else if (s['audience-mode'] === undefined) throw new UsageError('--audience-mode (CHAT_AUDIENCE_MODE) is required with --connection=http.');
  s.predictedEventsUrl = `https://${s.region}-${s.project}.cloudfunctions.net/${EVENTS.name}`;
  s.endpointUrl = s['endpoint-url'] ?? s.predictedEventsUrl;
  s.webhooksUrl = `https://${s.region}-${s.project}.cloudfunctions.net/${WEBHOOKS.name}`;
  s.buildServiceAccount = s['build-service-account'] ?? `projects/${s.project}/serviceAccounts/${serviceAccountEmail(s, BUILD_SERVICE_ACCOUNT)}`;
  s.invoker ??= s['audience-mode'] === 'project-number' ? 'public' : 'chat-only';
  s.projectNumber = s['project-number'] ?? (s['audience-mode'] === 'project-number' ? s.audience : undefined);
  if (s.pubsub) {
    s.invoker = undefined;
    s.endpointUrl = undefined;
  } else if (s['audience-mode'] === 'project-number') {
    s.audience = s.audience ?? s['project-number'];
    if (s.audience === undefined) {
      problems.push(
        `In project-number mode --audience (CHAT_AUDIENCE) must be the project number: gcloud projects describe ${s.project} --format='value(projectNumber)'`,
      );
    } else if (!/^[0-9]{1,20}$/.test(s.audience)) {
      problems.push(`In project-number mode --audience must be the project number (digits only); got "${s.audience}".`);
    }
    s.projectNumber = s.audience;
  } else {
    s.audience = s.audience ?? s.endpointUrl;
    if (!HTTPS_URL_PATTERN.test(s.audience)) problems.push(`In ${s['audience-mode']} mode --audience must be the https endpoint URL; got "${s.audience}".`);
  }
  if (s['audience-mode'] === 'addon') {
    s.addonServiceAccount =
      s['addon-service-account'] ?? (s.projectNumber ? `service-${s.projectNumber}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com` : undefined);
    if (!s.addonServiceAccount) {
      problems.push("In addon mode --addon-service-account (CHAT_ADDON_SERVICE_ACCOUNT) or --project-number is needed: the add-on's service account from the Chat API configuration.");
    }
  }
  if (s.invoker === 'chat-only' && s['audience-mode'] === 'project-number') {
    problems.push('--invoker=chat-only does not work in project-number mode: Cloud Run IAM cannot verify its self-signed JWT.');
  }
  s.invokerMember =
    s.invoker === 'public' ? 'allUsers' : s['audience-mode'] === 'addon' ? `serviceAccount:${s.addonServiceAccount}` : CHAT_INVOKER;
  const n = (key) => Number(s[key]);
  if (n('events-timeout-seconds') * 1000 <= n('chat-response-budget-ms')) problems.push('--events-timeout-seconds must be longer than --chat-response-budget-ms.');
  if (n('dead-letter-max-delivery-attempts') <= n('job-max-attempts')) problems.push('--dead-letter-max-delivery-attempts must exceed --job-max-attempts.');
  if (n('retry-minimum-backoff-seconds') > n('retry-maximum-backoff-seconds')) problems.push('--retry-minimum-backoff-seconds must not exceed --retry-maximum-backoff-seconds.');
  if (n('events-concurrency') > 1 && Number(s['events-cpu']) < 1) problems.push('--events-concurrency above 1 needs --events-cpu of at least 1.');
  if (n('worker-concurrency') > 1 && Number(s['worker-cpu']) < 1) problems.push('--worker-concurrency above 1 needs --worker-cpu of at least 1.');
  if (n('webhooks-concurrency') > 1 && Number(s['webhooks-cpu']) < 1) problems.push('--webhooks-concurrency above 1 needs --webhooks-cpu of at least 1.');
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return s;
}
