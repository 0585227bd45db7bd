/**
 * The command line: every option with its environment variable, default and check, the switches,
 * how they are read, and the help that lists them.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './usage-error.mjs';

const PROJECT_ID_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const TOPIC_PATTERN = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;
const MEMORY_PATTERN = /^[0-9]+(Mi|Gi)$/;
const CPUS = ['0.083', '0.167', '0.333', '0.583', '1', '2', '4', '6', '8'];
export const HTTPS_URL_PATTERN = /^https:\/\/[^\s,]+$/;
const ADDON_SERVICE_ACCOUNT_PATTERN = /^service-\d{1,20}@gcp-sa-gsuiteaddons\.iam\.gserviceaccount\.com$/;

/**
 * Options: flag name, environment variable, default and check. Defaults equal terraform/variables.tf.
 * `int: [min, max]` checks a whole number in bounds (bounds of shared/config.ts where the value is
 * handed to the code).
 */
export const OPTIONS = [
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

/** Each option's own check; resolveSettings checks the rules that tie options together. */
export function check(options) {
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

export const HELP = `Usage: node scripts/deploy.mjs [--dry-run] [--setup] [--skip-subscription] [--stage-only] [--OPTION=VALUE ...]

Deploys chat-events, chat-webhooks and chat-worker with gcloud (same settings as terraform/). Options, with the
environment variable each one can also come from, and its default:
${OPTIONS.map((o) => `  --${o.key.padEnd(36)} ${o.env.padEnd(34)} ${o.fallback ?? (o.required ? '(required)' : '')}`).join('\n')}

  --dry-run            print the commands, run nothing
  --setup              also run the one-time setup (APIs, service accounts, Firestore and TTL policies, topics, IAM)
  --skip-subscription  do not set the dead-letter policy and retry backoff on the worker's subscription
  --stage-only         only copy the deployable files to --source-dir and exit
`;
