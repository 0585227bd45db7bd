#!/usr/bin/env node
/**
 * `npm run deploy`: deploys chatEvents, chatWebhooks and chatWorker with plain `gcloud`, with the same
 * names, runtime, entry points, environment, limits and invokers as terraform/ (test/deploy checks
 * that they agree, and runs it with gcloud replaced by a recorder).
 *
 *   node scripts/deploy.mjs --dry-run --project=my-proj --audience-mode=endpoint-url
 *   node scripts/deploy.mjs --project=my-proj --audience-mode=project-number --audience=123456789012
 *   node scripts/deploy.mjs --setup ...      also the one-time setup (APIs, service accounts, Firestore, topics)
 *   node scripts/deploy.mjs --stage-only --source-dir=DIR   only copy the deployable files to DIR
 *
 * Every option is a flag (--job-ttl-days=7) or an environment variable (JOB_TTL_DAYS=7); the flag wins.
 * --dry-run prints the exact commands and runs nothing. Plain Node, no dependencies.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What Cloud Functions' buildpack needs (npm ci + gcp-build); the same lists as terraform/source.tf. */
export const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
export const SOURCE_DIRS = ['functions', 'shared'];

export const RUNTIME = 'nodejs22';
export const EVENTS = { name: 'chat-events', entryPoint: 'chatEvents', serviceAccount: 'chat-events' };
export const WORKER = { name: 'chat-worker', entryPoint: 'chatWorker', serviceAccount: 'chat-worker' };
export const WEBHOOKS = { name: 'chat-webhooks', entryPoint: 'chatWebhooks', serviceAccount: 'chat-webhooks' };
/** Chat's Cloud Pub/Sub connection: in place of chat-events, as its account, with its limits (events_*). */
export const PUBSUB = { name: 'chat-pubsub', entryPoint: 'chatPubsub', serviceAccount: 'chat-events' };
/** The account Chat publishes events with (docs/chat-protocol.md §13): Publisher on the events topic. */
export const CHAT_PUSH_PUBLISHER = 'serviceAccount:chat-api-push@system.gserviceaccount.com';
export const TRIGGER_SERVICE_ACCOUNT = 'chat-worker-trigger';
/** Builds the functions (BUILD_ROLES), and runs cloudbuild.yaml (DEPLOYER_ROLES); as terraform/build_accounts.tf. */
export const BUILD_SERVICE_ACCOUNT = 'chat-build';
export const DEPLOYER_SERVICE_ACCOUNT = 'chat-deployer';
const BUILD_ROLES = ['roles/logging.logWriter', 'roles/storage.objectViewer', 'roles/artifactregistry.writer'];
const DEPLOYER_ROLES = ['roles/cloudfunctions.developer', 'roles/run.admin', 'roles/eventarc.viewer', 'roles/pubsub.admin', 'roles/logging.logWriter'];
/** Functions whose code Terraform deploys carry this label; the gcloud paths leave them alone. */
const OWNER_LABEL = 'deployed-by';
export const CHAT_INVOKER = 'serviceAccount:chat@system.gserviceaccount.com';
export const JOBS_MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';
const APIS = [
  'artifactregistry.googleapis.com',
  'chat.googleapis.com',
  'cloudbuild.googleapis.com',
  'cloudfunctions.googleapis.com',
  'cloudresourcemanager.googleapis.com',
  'eventarc.googleapis.com',
  'firestore.googleapis.com',
  'iam.googleapis.com',
  'logging.googleapis.com',
  'pubsub.googleapis.com',
  'run.googleapis.com',
  'storage.googleapis.com',
];
const TTL_FIELDS = [
  { collection: 'deliveries', field: 'expireAt' },
  { collection: 'jobs', field: 'expireAt' },
];
/** Fields nothing queries whose indexes only cost writes (terraform/firestore.tf says why), TTL fields included. */
const UNINDEXED_FIELDS = [
  ...TTL_FIELDS,
  ...['createdAt', 'completedAt', 'leaseUntil', 'response'].map((field) => ({ collection: 'deliveries', field })),
  ...['createdAt', 'updatedAt', 'leaseUntil'].map((field) => ({ collection: 'jobs', field })),
];

const PROJECT_ID_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const TOPIC_PATTERN = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;
const MEMORY_PATTERN = /^[0-9]+(Mi|Gi)$/;
const CPUS = ['0.083', '0.167', '0.333', '0.583', '1', '2', '4', '6', '8'];
const HTTPS_URL_PATTERN = /^https:\/\/[^\s,]+$/;
const ADDON_SERVICE_ACCOUNT_PATTERN = /^service-\d{1,20}@gcp-sa-gsuiteaddons\.iam\.gserviceaccount\.com$/;

/**
 * Options: flag name, environment variable, default and check. Defaults equal terraform/variables.tf.
 * `int: [min, max]` checks a whole number in bounds (bounds of shared/config.ts where the value is
 * handed to the code).
 */
const OPTIONS = [
  { key: 'project', env: 'GOOGLE_CLOUD_PROJECT', pattern: PROJECT_ID_PATTERN, required: true },
  { key: 'region', env: 'REGION', fallback: 'us-central1', pattern: /^[a-z]+-[a-z]+[0-9]+$/ },
  // How Chat reaches the app: an HTTP endpoint (chat-events) or a Cloud Pub/Sub topic (chat-pubsub).
  { key: 'connection', env: 'CHAT_CONNECTION', fallback: 'http', oneOf: ['http', 'pubsub'] },
  { key: 'chat-events-topic', env: 'CHAT_EVENTS_TOPIC', fallback: 'chat-events', pattern: TOPIC_PATTERN },
  // Required for the http connection (resolveSettings).
  { key: 'audience-mode', env: 'CHAT_AUDIENCE_MODE', oneOf: ['project-number', 'endpoint-url', 'addon'] },
  { key: 'audience', env: 'CHAT_AUDIENCE' },
  { key: 'endpoint-url', env: 'CHAT_ENDPOINT_URL', pattern: HTTPS_URL_PATTERN },
  { key: 'addon-service-account', env: 'CHAT_ADDON_SERVICE_ACCOUNT', pattern: ADDON_SERVICE_ACCOUNT_PATTERN },
  // Default: chat-only in endpoint-url and addon modes, public in project-number mode (resolveSettings).
  { key: 'invoker', env: 'EVENTS_INVOKER', oneOf: ['chat-only', 'public'] },
  { key: 'project-number', env: 'PROJECT_NUMBER', pattern: /^[0-9]{1,20}$/ },
  { key: 'chat-api-root-url', env: 'CHAT_API_ROOT_URL', pattern: HTTPS_URL_PATTERN },
  { key: 'chat-certs-url', env: 'CHAT_CERTS_URL', pattern: HTTPS_URL_PATTERN },
  { key: 'link-preview-pattern', env: 'LINK_PREVIEW_PATTERN' },
  { key: 'webhook-posts-per-minute', env: 'WEBHOOK_POSTS_PER_MINUTE', fallback: '10', int: [1, 600] },
  { key: 'jobs-topic', env: 'JOBS_TOPIC', fallback: 'chat-jobs', pattern: TOPIC_PATTERN },
  { key: 'job-ttl-days', env: 'JOB_TTL_DAYS', fallback: '7', int: [1, 365] },
  { key: 'chat-response-budget-ms', env: 'CHAT_RESPONSE_BUDGET_MS', fallback: '20000', int: [100, 28000] },
  { key: 'delivery-wait-ms', env: 'DELIVERY_WAIT_MS', fallback: '5000', int: [0, 25000] },
  { key: 'delivery-ttl-hours', env: 'DELIVERY_TTL_HOURS', fallback: '6', int: [1, 168] },
  { key: 'store-timeout-ms', env: 'STORE_TIMEOUT_MS', fallback: '5000', int: [100, 20000] },
  { key: 'webhooks-per-space', env: 'WEBHOOKS_PER_SPACE', fallback: '10', int: [1, 100] },
  { key: 'job-max-attempts', env: 'JOB_MAX_ATTEMPTS', fallback: '5', int: [1, 100] },
  { key: 'job-lease-ms', env: 'JOB_LEASE_MS', fallback: '60000', int: [1000, 3600000] },
  { key: 'progress-interval-ms', env: 'PROGRESS_INTERVAL_MS', fallback: '5000', int: [0, 600000] },
  { key: 'chat-api-timeout-ms', env: 'CHAT_API_TIMEOUT_MS', fallback: '15000', int: [100, 120000] },
  { key: 'dead-letter-topic', env: 'DEAD_LETTER_TOPIC', fallback: 'chat-jobs-dead-letter', pattern: TOPIC_PATTERN },
  { key: 'dead-letter-max-delivery-attempts', env: 'DEAD_LETTER_MAX_DELIVERY_ATTEMPTS', fallback: '10', int: [5, 100] },
  { key: 'retry-minimum-backoff-seconds', env: 'RETRY_MINIMUM_BACKOFF_SECONDS', fallback: '10', int: [0, 600] },
  { key: 'retry-maximum-backoff-seconds', env: 'RETRY_MAXIMUM_BACKOFF_SECONDS', fallback: '600', int: [0, 600] },
  { key: 'firestore-location', env: 'FIRESTORE_LOCATION', fallback: 'nam5', pattern: /^[a-z0-9-]+$/ },
  { key: 'build-service-account', env: 'BUILD_SERVICE_ACCOUNT', pattern: /^projects\/[^/]+\/serviceAccounts\/[^/]+@[^/]+$/ },
  { key: 'events-memory', env: 'EVENTS_MEMORY', fallback: '512Mi', pattern: MEMORY_PATTERN },
  { key: 'events-cpu', env: 'EVENTS_CPU', fallback: '1', oneOf: CPUS },
  { key: 'events-timeout-seconds', env: 'EVENTS_TIMEOUT_SECONDS', fallback: '60', int: [30, 3600] },
  { key: 'events-min-instances', env: 'EVENTS_MIN_INSTANCES', fallback: '0', int: [0, 100] },
  { key: 'events-max-instances', env: 'EVENTS_MAX_INSTANCES', fallback: '20', int: [1, 1000] },
  { key: 'events-concurrency', env: 'EVENTS_CONCURRENCY', fallback: '16', int: [1, 1000] },
  { key: 'worker-memory', env: 'WORKER_MEMORY', fallback: '512Mi', pattern: MEMORY_PATTERN },
  { key: 'worker-cpu', env: 'WORKER_CPU', fallback: '1', oneOf: CPUS },
  { key: 'worker-timeout-seconds', env: 'WORKER_TIMEOUT_SECONDS', fallback: '540', int: [10, 540] },
  { key: 'worker-min-instances', env: 'WORKER_MIN_INSTANCES', fallback: '0', int: [0, 100] },
  { key: 'worker-max-instances', env: 'WORKER_MAX_INSTANCES', fallback: '10', int: [1, 1000] },
  { key: 'worker-concurrency', env: 'WORKER_CONCURRENCY', fallback: '10', int: [1, 1000] },
  { key: 'webhooks-memory', env: 'WEBHOOKS_MEMORY', fallback: '256Mi', pattern: MEMORY_PATTERN },
  { key: 'webhooks-cpu', env: 'WEBHOOKS_CPU', fallback: '1', oneOf: CPUS },
  { key: 'webhooks-timeout-seconds', env: 'WEBHOOKS_TIMEOUT_SECONDS', fallback: '30', int: [5, 300] },
  { key: 'webhooks-min-instances', env: 'WEBHOOKS_MIN_INSTANCES', fallback: '0', int: [0, 100] },
  { key: 'webhooks-max-instances', env: 'WEBHOOKS_MAX_INSTANCES', fallback: '5', int: [1, 1000] },
  { key: 'webhooks-concurrency', env: 'WEBHOOKS_CONCURRENCY', fallback: '16', int: [1, 1000] },
  { key: 'source-dir', env: 'DEPLOY_SOURCE_DIR', fallback: join(tmpdir(), 'chat-app-deploy-source') },
];
const SWITCHES = ['dry-run', 'setup', 'skip-subscription', 'stage-only', 'help'];

class UsageError extends Error {}

/** Flags (--name=value, --name value, --switch) over environment variables over defaults. */
export function readOptions(argv, env) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`Unexpected argument "${arg}". Options start with --; see --help.`);
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq === -1 ? undefined : eq);
    if (SWITCHES.includes(key)) {
      if (eq !== -1) throw new UsageError(`--${key} takes no value.`);
      flags[key] = true;
    } else if (OPTIONS.some((o) => o.key === key)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new UsageError(`--${key} needs a value.`);
      flags[key] = value;
    } else {
      throw new UsageError(`Unknown option --${key}; see --help.`);
    }
  }
  const options = {};
  for (const switchName of SWITCHES) options[switchName] = flags[switchName] === true;
  for (const spec of OPTIONS) {
    const raw = flags[spec.key] ?? env[spec.env];
    const value = raw === undefined || raw.trim() === '' ? spec.fallback : raw.trim();
    options[spec.key] = value;
  }
  return options;
}

function check(options) {
  const problems = [];
  for (const spec of OPTIONS) {
    const value = options[spec.key];
    const name = `--${spec.key} (${spec.env})`;
    if (value === undefined) {
      if (spec.required) problems.push(`${name} is required.`);
      continue;
    }
    if (spec.pattern && !spec.pattern.test(value)) problems.push(`${name} has an invalid value "${value}".`);
    if (spec.oneOf && !spec.oneOf.includes(value)) problems.push(`${name} must be one of ${spec.oneOf.join(', ')}; got "${value}".`);
    if (spec.int) {
      const [min, max] = spec.int;
      if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
        problems.push(`${name} must be a whole number between ${min} and ${max}; got "${value}".`);
      }
    }
  }
  return problems;
}

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

const serviceAccountEmail = (s, name) => `${name}@${s.project}.iam.gserviceaccount.com`;
const pubsubAgent = (s) => `serviceAccount:service-${s.projectNumber ?? '<PROJECT_NUMBER>'}@gcp-sa-pubsub.iam.gserviceaccount.com`;

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
function envFlag(vars) {
  const values = Object.values(vars);
  const delimiter = [',', ';', '|', '#', '~'].find((d) => !values.some((v) => v.includes(d)));
  if (!delimiter) throw new UsageError('The environment values contain every delimiter gcloud could use (, ; | # ~).');
  const list = Object.entries(vars).map(([name, value]) => `${name}=${value}`).join(delimiter);
  return `--set-env-vars=${delimiter === ',' ? '' : `^${delimiter}^`}${list}`;
}

/**
 * gcloud deploy of one function. The invoker flag follows gcloud's rules (its functions/v2/deploy
 * command.py): --allow-unauthenticated adds allUsers; --no-allow-unauthenticated on an existing
 * function removes it, which would lock Chat out of a public chat-events until a later step; no flag
 * leaves an existing function's policy alone and a new one closed. So public functions get
 * --allow-unauthenticated and chat-only chat-events gets no flag (deployCommands grants Chat first).
 */
function deployCommand(s, fn, vars, kind) {
  const p = kind === 'pubsub' ? 'events' : kind;
  const args = [
    'gcloud', 'functions', 'deploy', fn.name,
    '--gen2',
    `--project=${s.project}`,
    `--region=${s.region}`,
    `--runtime=${RUNTIME}`,
    `--source=${s['source-dir']}`,
    `--entry-point=${fn.entryPoint}`,
  ];
  if (kind === 'events' || kind === 'webhooks') {
    args.push('--trigger-http', '--ingress-settings=all');
    if (kind === 'webhooks' || s.invoker === 'public') args.push('--allow-unauthenticated');
  } else {
    args.push(
      `--trigger-topic=${fn === PUBSUB ? s['chat-events-topic'] : s['jobs-topic']}`,
      '--retry',
      `--trigger-service-account=${serviceAccountEmail(s, TRIGGER_SERVICE_ACCOUNT)}`,
      '--ingress-settings=internal-only',
    );
  }
  args.push(
    `--service-account=${serviceAccountEmail(s, fn.serviceAccount)}`,
    `--memory=${s[`${p}-memory`]}`,
    `--cpu=${s[`${p}-cpu`]}`,
    `--timeout=${s[`${p}-timeout-seconds`]}s`,
    `--min-instances=${s[`${p}-min-instances`]}`,
    `--max-instances=${s[`${p}-max-instances`]}`,
    `--concurrency=${s[`${p}-concurrency`]}`,
    envFlag(vars),
    `--build-service-account=${s.buildServiceAccount}`,
    `--update-labels=${OWNER_LABEL}=gcloud`,
  );
  return args;
}

/** Firestore roles hold on the app's database only (as terraform/locals.tf's firestore_condition). */
const firestoreCondition = (s) =>
  `--condition=expression=resource.name=="projects/${s.project}/databases/(default)",title=chat-app-database,description=Only the chat app's Firestore database`;

/** One-time setup for the gcloud paths (what terraform/ otherwise creates). "Already exists" is fine. */
export function setupCommands(s) {
  const p = `--project=${s.project}`;
  const sa = (name) => serviceAccountEmail(s, name);
  const member = (name) => `--member=serviceAccount:${sa(name)}`;
  const projectRole = (name, role, ...extra) => ['gcloud', 'projects', 'add-iam-policy-binding', s.project, member(name), `--role=${role}`, ...extra];
  const accounts = [
    [EVENTS.serviceAccount, 'Chat app: chat-events (HTTP endpoint)'],
    [WORKER.serviceAccount, 'Chat app: chat-worker (job runner)'],
    [WEBHOOKS.serviceAccount, 'Chat app: chat-webhooks (incoming webhooks)'],
    [TRIGGER_SERVICE_ACCOUNT, 'Chat app: Eventarc trigger of chat-worker'],
    [BUILD_SERVICE_ACCOUNT, "Chat app: builds the functions' images"],
    [DEPLOYER_SERVICE_ACCOUNT, 'Chat app: runs cloudbuild.yaml'],
  ];
  return [
    ['gcloud', 'services', 'enable', ...APIS, p],
    ...accounts.map(([name, title]) => ['gcloud', 'iam', 'service-accounts', 'create', name, p, `--display-name=${title}`]),
    ['gcloud', 'firestore', 'databases', 'create', '--database=(default)', `--location=${s['firestore-location']}`, '--type=firestore-native', p],
    ...TTL_FIELDS.map(({ collection, field }) => [
      'gcloud', 'firestore', 'fields', 'ttls', 'update', field, `--collection-group=${collection}`, '--enable-ttl', '--database=(default)', p,
    ]),
    ...UNINDEXED_FIELDS.map(({ collection, field }) => [
      'gcloud', 'firestore', 'indexes', 'fields', 'update', field, `--collection-group=${collection}`, '--disable-indexes', '--database=(default)', p,
    ]),
    ['gcloud', 'pubsub', 'topics', 'create', s['jobs-topic'], p],
    ['gcloud', 'pubsub', 'topics', 'create', s['dead-letter-topic'], p],
    [
      'gcloud', 'pubsub', 'subscriptions', 'create', `${s['dead-letter-topic']}-inspect`, `--topic=${s['dead-letter-topic']}`,
      '--ack-deadline=60', '--message-retention-duration=7d', '--retain-acked-messages', '--expiration-period=never', p,
    ],
    ...(s.pubsub
      ? [
          // Chat publishes each event here; chat-events' account sets aside what is not one.
          ['gcloud', 'pubsub', 'topics', 'create', s['chat-events-topic'], p],
          ['gcloud', 'pubsub', 'topics', 'add-iam-policy-binding', s['chat-events-topic'], `--member=${CHAT_PUSH_PUBLISHER}`, '--role=roles/pubsub.publisher', p],
          ['gcloud', 'pubsub', 'topics', 'add-iam-policy-binding', s['dead-letter-topic'], member(EVENTS.serviceAccount), '--role=roles/pubsub.publisher', p],
        ]
      : []),
    ...[EVENTS, WORKER, WEBHOOKS].map((fn) => projectRole(fn.serviceAccount, 'roles/datastore.user', firestoreCondition(s))),
    ...[EVENTS, WEBHOOKS].map((fn) => ['gcloud', 'pubsub', 'topics', 'add-iam-policy-binding', s['jobs-topic'], member(fn.serviceAccount), '--role=roles/pubsub.publisher', p]),
    ['gcloud', 'beta', 'services', 'identity', 'create', '--service=pubsub.googleapis.com', p],
    ['gcloud', 'pubsub', 'topics', 'add-iam-policy-binding', s['dead-letter-topic'], `--member=${pubsubAgent(s)}`, '--role=roles/pubsub.publisher', p],
    ['gcloud', 'iam', 'service-accounts', 'add-iam-policy-binding', sa(TRIGGER_SERVICE_ACCOUNT), `--member=${pubsubAgent(s)}`, '--role=roles/iam.serviceAccountTokenCreator', p],
    ...BUILD_ROLES.map((role) => projectRole(BUILD_SERVICE_ACCOUNT, role, '--condition=None')),
    ...DEPLOYER_ROLES.map((role) => projectRole(DEPLOYER_SERVICE_ACCOUNT, role, '--condition=None')),
    ...[EVENTS.serviceAccount, WORKER.serviceAccount, WEBHOOKS.serviceAccount, TRIGGER_SERVICE_ACCOUNT, BUILD_SERVICE_ACCOUNT].map((name) => [
      'gcloud', 'iam', 'service-accounts', 'add-iam-policy-binding', sa(name), member(DEPLOYER_SERVICE_ACCOUNT), '--role=roles/iam.serviceAccountUser', p,
    ]),
  ];
}

/** Lists the functions Terraform deploys (their label): the gcloud paths refuse to deploy over them. */
export function ownerCheckCommand(s) {
  return ['gcloud', 'functions', 'list', `--project=${s.project}`, `--regions=${s.region}`, `--filter=labels.${OWNER_LABEL}=terraform`, '--format=value(name)'];
}
export const OUR_FUNCTION = new RegExp(`(^|/)(${[EVENTS, WORKER, WEBHOOKS, PUBSUB].map((f) => f.name).join('|')})$`);

/**
 * Deploy the three functions and grant who may invoke them, in an order that never leaves Chat
 * without an invoker on chat-events: public, it is deployed with --allow-unauthenticated (which never
 * removes allUsers); chat-only, it is deployed with no invoker flag, then Chat's identity is granted,
 * then allUsers (left by an older public deploy) is removed: "not found" there is fine.
 */
export function deployCommands(s) {
  const vars = environment(s);
  const where = [`--project=${s.project}`, `--region=${s.region}`];
  const trigger = `--member=serviceAccount:${serviceAccountEmail(s, TRIGGER_SERVICE_ACCOUNT)}`;
  // Pub/Sub connection: no chat-events at all; chat-pubsub is invoked by the trigger's account only.
  const events = s.pubsub
    ? [deployCommand(s, PUBSUB, vars.pubsub, 'pubsub'), ['gcloud', 'functions', 'add-invoker-policy-binding', PUBSUB.name, ...where, trigger]]
    : [deployCommand(s, EVENTS, vars.events, 'events')];
  if (s.invoker === 'chat-only') {
    events.push(
      ['gcloud', 'functions', 'add-invoker-policy-binding', EVENTS.name, ...where, `--member=${s.invokerMember}`],
      ['gcloud', 'functions', 'remove-invoker-policy-binding', EVENTS.name, ...where, '--member=allUsers'],
    );
  }
  return [
    ...events,
    deployCommand(s, WEBHOOKS, vars.webhooks, 'webhooks'),
    deployCommand(s, WORKER, vars.worker, 'worker'),
    ['gcloud', 'functions', 'add-invoker-policy-binding', WORKER.name, ...where, trigger],
  ];
}
export const isAbsentBinding = (stderr) => /binding with the specified principal.*not found/i.test(stderr);

/**
 * The dead-letter policy and retry backoff go on the push subscription Eventarc created for the
 * worker's trigger; its name is only known after the deploy, hence <TRIGGER> and <SUBSCRIPTION>.
 */
export function subscriptionCommands(s, trigger = '<TRIGGER>', subscription = '<SUBSCRIPTION>', fn = WORKER) {
  const p = `--project=${s.project}`;
  const [, , , location = s.region, , triggerId = trigger] = trigger.split('/');
  return {
    findTrigger: ['gcloud', 'functions', 'describe', fn.name, p, `--region=${s.region}`, '--format=value(eventTrigger.trigger)'],
    findSubscription: [
      'gcloud', 'eventarc', 'triggers', 'describe', triggerId, p, `--location=${location}`, '--format=value(transport.pubsub.subscription)',
    ],
    configure: [
      // The ack deadline covers the function's timeout: Pub/Sub must not redeliver what is still running.
      ['gcloud', 'pubsub', 'subscriptions', 'update', subscription, p,
        `--ack-deadline=${s[fn === WORKER ? 'worker-timeout-seconds' : 'events-timeout-seconds']}`,
        `--dead-letter-topic=projects/${s.project}/topics/${s['dead-letter-topic']}`,
        `--max-delivery-attempts=${s['dead-letter-max-delivery-attempts']}`,
        `--min-retry-delay=${s['retry-minimum-backoff-seconds']}s`,
        `--max-retry-delay=${s['retry-maximum-backoff-seconds']}s`],
      ['gcloud', 'pubsub', 'subscriptions', 'add-iam-policy-binding', subscription, p, `--member=${pubsubAgent(s)}`, '--role=roles/pubsub.subscriber'],
    ],
  };
}

/** A command as one line that a POSIX shell would run unchanged. */
export function shellLine(args) {
  return args.map((arg) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

const STAGE_MARKER = '.chat-app-deploy-source';

/** Copies the deployable files to `dir`, emptied first, but only if it is ours to empty. */
function stageSource(target) {
  const dir = resolve(target);
  if (REPO_ROOT === dir || REPO_ROOT.startsWith(`${dir}/`) || dir.startsWith(`${REPO_ROOT}/`)) {
    throw new UsageError(`--source-dir must be outside the repository (and not contain it); got ${dir}.`);
  }
  if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(join(dir, STAGE_MARKER))) {
    throw new UsageError(`--source-dir ${dir} is not empty and was not made by this script; choose another folder.`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, STAGE_MARKER), 'Staged by scripts/deploy.mjs; emptied on every deploy.\n');
  // gcloud uploads the folder minus what .gcloudignore names: neither file is part of the source.
  writeFileSync(join(dir, '.gcloudignore'), `.gcloudignore\n${STAGE_MARKER}\nnode_modules/\n`);
  for (const entry of [...SOURCE_FILES, ...SOURCE_DIRS]) {
    const from = join(REPO_ROOT, entry);
    if (!existsSync(from)) throw new UsageError(`${entry} is missing from ${REPO_ROOT}; it is part of what is deployed.`);
    cpSync(from, join(dir, entry), { recursive: true });
  }
}

const alreadyExists = (stderr) => (/already exists|ALREADY_EXISTS/i.test(stderr) ? 'already exists: kept' : undefined);
const absentBinding = (stderr) => (isAbsentBinding(stderr) ? 'no such binding: nothing to remove' : undefined);

/** Runs one gcloud call; `tolerate(stderr)` names a failure that is fine (else it throws). Prompts off: a deploy never waits on a question. */
function run(args, { tolerate = () => undefined, capture = false } = {}) {
  console.log(`$ ${shellLine(args)}`);
  const result = spawnSync(args[0], args.slice(1), {
    encoding: 'utf8',
    stdio: ['inherit', 'pipe', 'pipe'],
    env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' },
  });
  if (result.error) throw result.error;
  if (!capture && result.stdout) process.stdout.write(result.stdout);
  if (result.status !== 0) {
    const fine = tolerate(result.stderr);
    if (fine) {
      console.log(`  (${fine})`);
      return '';
    }
    process.stderr.write(result.stderr);
    throw new Error(`Command failed with exit code ${result.status}: ${shellLine(args)}`);
  }
  if (result.stderr) process.stderr.write(result.stderr);
  return (result.stdout ?? '').trim();
}

function requireGcloud() {
  const probe = spawnSync('gcloud', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new UsageError(
      'gcloud (the Google Cloud CLI) is not installed or not on PATH. Install it (https://cloud.google.com/sdk/docs/install), ' +
        'run `gcloud auth login`, and try again; or add --dry-run to only print the commands.',
    );
  }
}

const HELP = `Usage: node scripts/deploy.mjs [--dry-run] [--setup] [--skip-subscription] [--stage-only] [--OPTION=VALUE ...]

Deploys chat-events, chat-webhooks and chat-worker with gcloud (same settings as terraform/). Options, with the
environment variable each one can also come from, and its default:
${OPTIONS.map((o) => `  --${o.key.padEnd(36)} ${o.env.padEnd(34)} ${o.fallback ?? (o.required ? '(required)' : '')}`).join('\n')}

  --dry-run            print the commands, run nothing
  --setup              also run the one-time setup (APIs, service accounts, Firestore and TTL policies, topics, IAM)
  --skip-subscription  do not set the dead-letter policy and retry backoff on the worker's subscription
  --stage-only         only copy the deployable files to --source-dir and exit
`;

/** What to enter in the Chat API's connection settings. */
const chatApiSettings = (s) =>
  s.pubsub
    ? `Cloud Pub/Sub, topic projects/${s.project}/topics/${s['chat-events-topic']}; every "Open a dialog" off (README, Connection modes)`
    : `HTTP endpoint URL ${s.endpointUrl}; authentication audience ${s['audience-mode'] === 'project-number' ? 'Project Number' : 'HTTP endpoint URL'}; audience ${s.audience}`;

export function main(argv = process.argv.slice(2), env = process.env) {
  const options = readOptions(argv, env);
  if (options.help) {
    console.log(HELP);
    return;
  }
  if (options['stage-only']) {
    stageSource(options['source-dir']);
    console.log(`Staged ${[...SOURCE_FILES, ...SOURCE_DIRS.map((d) => `${d}/`)].join(' ')} in ${options['source-dir']}`);
    return;
  }
  if (!options['dry-run']) {
    const problems = check(options);
    if (problems.length > 0) throw new UsageError(problems.join('\n'));
    requireGcloud();
    // The project number names the Pub/Sub and add-on service agents.
    options['project-number'] ??= run(['gcloud', 'projects', 'describe', options.project, '--format=value(projectNumber)'], { capture: true });
  }
  const s = resolveSettings(options);
  const setup = s.setup ? setupCommands(s) : [];
  const owner = ownerCheckCommand(s);
  const deploy = deployCommands(s);
  // Each Eventarc subscription that gets a dead-letter policy: the worker's, and chat-pubsub's.
  const subscribed = s.pubsub ? [WORKER, PUBSUB] : [WORKER];

  if (s['dry-run']) {
    console.log(`# chat app deploy (dry run): project ${s.project}, region ${s.region}, ${s.pubsub ? `Cloud Pub/Sub connection (topic ${s['chat-events-topic']})` : `audience mode ${s['audience-mode']}`}`);
    console.log(`# The deployed source is ${[...SOURCE_FILES, ...SOURCE_DIRS.map((d) => `${d}/`)].join(' ')}, copied to ${s['source-dir']}`);
    if (setup.length > 0) {
      console.log('# one-time setup ("already exists" errors are fine)');
      setup.forEach((c) => console.log(shellLine(c)));
    }
    console.log(`# stop if Terraform deploys these functions (it prints any of ${[EVENTS, PUBSUB, WEBHOOKS, WORKER].map((f) => f.name).join(', ')})`);
    console.log(shellLine(owner));
    console.log(
      s.pubsub
        ? '# deploy the three functions and their invoker bindings (chat-pubsub in place of chat-events: only its trigger may invoke it)'
        : `# deploy the three functions and their invoker bindings (chat-events: ${s.invoker}${s.invoker === 'chat-only' ? '; "not found" on removing allUsers is fine' : ''})`,
    );
    deploy.forEach((c) => console.log(shellLine(c)));
    if (!s['skip-subscription']) {
      for (const fn of subscribed) {
        const sub = subscriptionCommands(s, undefined, undefined, fn);
        console.log(`# ack deadline, dead-letter policy and retry backoff on ${fn.name}'s Eventarc subscription`);
        console.log('# prints <TRIGGER>, then <SUBSCRIPTION>:');
        console.log(shellLine(sub.findTrigger));
        console.log(shellLine(sub.findSubscription));
        sub.configure.forEach((c) => console.log(shellLine(c)));
      }
    }
    console.log(`# Chat API configuration: ${chatApiSettings(s)}`);
    return;
  }

  stageSource(s['source-dir']);
  for (const command of setup) run(command, { tolerate: alreadyExists });
  const owned = run(owner, { capture: true }).split('\n').filter((name) => OUR_FUNCTION.test(name));
  if (owned.length > 0) {
    throw new UsageError(
      `Terraform deploys ${owned.join(', ')} (label ${OWNER_LABEL}=terraform): deploy their code with terraform apply, ` +
        'or set deploy_functions = false in Terraform first so that this script owns them (terraform/README.md, "Who deploys the code").',
    );
  }
  for (const command of deploy) run(command, { tolerate: command[2] === 'remove-invoker-policy-binding' ? absentBinding : undefined });
  for (const fn of s['skip-subscription'] ? [] : subscribed) {
    const trigger = run(subscriptionCommands(s, undefined, undefined, fn).findTrigger, { capture: true });
    const subscription = run(subscriptionCommands(s, trigger, undefined, fn).findSubscription, { capture: true });
    if (!subscription) throw new Error(`The trigger ${trigger} has no Pub/Sub subscription yet; run again in a minute.`);
    for (const command of subscriptionCommands(s, trigger, subscription, fn).configure) run(command);
  }
  console.log(`\nDone. In the Chat API configuration enter: ${chatApiSettings(s)}.`);
  if (!s.pubsub && s.endpointUrl === s.predictedEventsUrl) {
    const url = run(['gcloud', 'functions', 'describe', EVENTS.name, `--project=${s.project}`, `--region=${s.region}`, '--format=value(url)'], { capture: true });
    if (url && url !== s.predictedEventsUrl) {
      console.warn(`Warning: chat-events got the URL ${url}, not ${s.predictedEventsUrl}. Run again with --endpoint-url=${url}.`);
    }
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    console.error(`deploy: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
}
