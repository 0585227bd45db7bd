/**
 * All configuration, read from the environment in one place and validated when a function loads.
 * The variable names are a contract: Terraform, Cloud Build, `npm run deploy` and the local stack set them.
 */
import { ConfigError } from './errors';

/**
 * How Chat's requests are verified (the *Authentication Audience*): `project-number` and
 * `endpoint-url` for a classic Chat app (docs/chat-protocol.md §6), `addon` for a Chat app built as a Google
 * Workspace add-on (docs/chat-protocol.md §4.4: an ID token for the endpoint URL from the add-on's own account).
 */
export const AUDIENCE_MODES = ['project-number', 'endpoint-url', 'addon'] as const;
export type AudienceMode = (typeof AUDIENCE_MODES)[number];

/** Where Chat's signing keys live for each audience mode (docs/chat-protocol.md §4.4, §6). */
export const DEFAULT_CERTS_URL: Record<AudienceMode, string> = {
  'project-number': 'https://www.googleapis.com/service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com',
  'endpoint-url': 'https://www.googleapis.com/oauth2/v1/certs',
  addon: 'https://www.googleapis.com/oauth2/v1/certs',
};

/**
 * The per-project account a Workspace add-on's events are signed for (docs/chat-protocol.md §4.4). Any add-on
 * project has an address of this shape, so the configured one is compared exactly.
 */
export const ADDON_SERVICE_ACCOUNT_PATTERN = /^service-\d{1,20}@gcp-sa-gsuiteaddons\.iam\.gserviceaccount\.com$/;

/** A poll's permalink: `<chatEvents URL>polls/<spaceId>/<pollId>`. */
export const DEFAULT_LINK_PREVIEW_PATTERN = '/polls/(?<space>[A-Za-z0-9_-]{1,128})/(?<poll>[a-f0-9]{20})/?$';

export interface BaseConfig {
  projectId: string;
  chatApiRootUrl: string;
  jobsTopic: string;
  /** How long a finished job document is kept (TTL field `expireAt`). */
  jobTtlMs: number;
}

/** What dispatch and the handlers read, whichever door (HTTP or Pub/Sub) the event came through. */
export interface AppConfig extends BaseConfig {
  /** The synchronous answer leaves within this budget, whatever the handler does. */
  responseBudgetMs: number;
  /** How long a concurrent repeat of a delivery waits for the first one before answering 503 (Chat retries). */
  deliveryWaitMs: number;
  /** A claim older than this is taken to have died and may be taken over. */
  deliveryLeaseMs: number;
  /** How long a delivery record (and its stored answer) is kept (TTL field `expireAt`). */
  deliveryTtlMs: number;
  /** Longest a delivery store operation may take before Chat is told to retry (503). */
  storeTimeoutMs: number;
  /** The public URL of `chatEvents`, for the links the app hands out (poll permalinks). */
  publicUrl: string | undefined;
  /** The public URL of `chatWebhooks`, where /notify's incoming webhooks post (unset: /notify says so). */
  webhooksUrl: string | undefined;
  /** Incoming webhooks a space may have at once: /notify refuses another. */
  webhooksPerSpace: number;
  /** URLs previewed with a card (the Chat API's link-preview patterns must match them too). */
  linkPreviewPattern: RegExp;
}

export interface EventsConfig extends AppConfig {
  audienceMode: AudienceMode;
  audience: string;
  /** addon mode only: the add-on's service account, the one `email` its tokens may carry. */
  addonServiceAccount?: string;
  /**
   * The URL Chat calls, where configured (the audience in endpoint-url and addon modes). Card
   * actions in add-on replies must name it (docs/chat-protocol.md §4.1).
   */
  endpointUrl?: string;
  certsUrl: string;
  /**
   * Load and connect the store client as the instance starts (`STORE_WARM_UP=true`, which the local
   * stack sets so a developer's first write is not slow). Off by default: deployed, an instance
   * starts for a request, and ~400 ms of synchronous client load before it would make a pure
   * command's cold start wait for a client it does not use (README, Performance).
   */
  warmUpStore: boolean;
}

/**
 * `chatPubsub`: Chat's Cloud Pub/Sub connection (docs/chat-protocol.md §13). No token to verify:
 * what is checked is that the message came from this topic in this project.
 */
export interface PubsubConfig extends AppConfig {
  /** The topic named in the Chat API's connection settings. */
  eventsTopic: string;
  /** Where a message that is not a Chat event is set aside (the subscription dead-letters the rest). */
  deadLetterTopic: string;
  /** A Chat API call with no answer after this long counts as a network error (retried). */
  chatApiTimeoutMs: number;
}

/** `chatWebhooks`: the incoming-webhook door, a function of its own so chatEvents can admit only Chat. */
export interface WebhooksConfig extends BaseConfig {
  /** Posts each incoming webhook may make per minute. */
  webhookPostsPerMinute: number;
}

export interface WorkerConfig extends BaseConfig {
  /** Attempts per job, counted in Firestore, before it is FAILED. */
  jobMaxAttempts: number;
  /** A RUNNING job whose lease is older than this is taken to have died (a live attempt renews it). */
  jobLeaseMs: number;
  /** At most one progress patch per job in this interval (a space allows 60 writes a minute). */
  progressIntervalMs: number;
  /** A Chat API call with no answer after this long counts as a network error (retried). */
  chatApiTimeoutMs: number;
}

export type Env = Record<string, string | undefined>;

type Spec = { name: string; expects: string };

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function required(env: Env, spec: Spec): string {
  const value = raw(env, spec.name);
  if (value === undefined) throw new ConfigError(spec.name, `is required: ${spec.expects}`);
  return value;
}

function integer(env: Env, spec: Spec & { fallback: number; min: number; max: number }): number {
  const value = raw(env, spec.name);
  if (value === undefined) return spec.fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < spec.min || n > spec.max) {
    throw new ConfigError(spec.name, `must be ${spec.expects}, between ${spec.min} and ${spec.max}; got "${value}"`);
  }
  return n;
}

function yesNo(env: Env, name: string): boolean {
  const value = raw(env, name);
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new ConfigError(name, `must be true or false; got "${value}"`);
}

function url(env: Env, spec: Spec & { fallback?: string }): string {
  const value = raw(env, spec.name) ?? spec.fallback;
  if (value === undefined) throw new ConfigError(spec.name, `is required: ${spec.expects}`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(spec.name, `must be ${spec.expects}; got "${value}"`);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopback(parsed.hostname))) {
    throw new ConfigError(spec.name, `must be an https URL (http only on loopback); got "${value}"`);
  }
  return value;
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

function topicId(env: Env, name: string, fallback: string): string {
  const topic = raw(env, name) ?? fallback;
  if (!/^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/.test(topic)) {
    throw new ConfigError(name, `must be a Pub/Sub topic id (3-255 characters, starting with a letter); got "${topic}"`);
  }
  return topic;
}

function loadBase(env: Env): BaseConfig {
  const projectId = required(env, { name: 'GOOGLE_CLOUD_PROJECT', expects: 'the Google Cloud project id' });
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(projectId)) {
    throw new ConfigError('GOOGLE_CLOUD_PROJECT', `must be a project id (6-30 of a-z, 0-9, -); got "${projectId}"`);
  }
  const chatApiRootUrl = url(env, {
    name: 'CHAT_API_ROOT_URL',
    expects: 'the base URL of the Chat API',
    fallback: 'https://chat.googleapis.com/',
  });
  const jobsTopic = topicId(env, 'JOBS_TOPIC', 'chat-jobs');
  const jobTtlDays = integer(env, { name: 'JOB_TTL_DAYS', expects: 'a number of days', fallback: 7, min: 1, max: 365 });
  return { projectId, chatApiRootUrl, jobsTopic, jobTtlMs: jobTtlDays * DAY };
}

/** The settings every door shares; `publicUrl` falls back to the URL Chat calls, where there is one. */
function loadAppConfig(env: Env, publicUrlFallback: string | undefined): AppConfig {
  const responseBudgetMs = integer(env, {
    name: 'CHAT_RESPONSE_BUDGET_MS',
    expects: 'milliseconds (Chat waits 30 s at most)',
    fallback: 20 * SECOND,
    min: 100,
    max: 28 * SECOND,
  });
  const publicUrl = raw(env, 'CHAT_EVENTS_URL') !== undefined ? url(env, { name: 'CHAT_EVENTS_URL', expects: 'the public URL of chatEvents' }) : publicUrlFallback;
  const pattern = raw(env, 'LINK_PREVIEW_PATTERN') ?? DEFAULT_LINK_PREVIEW_PATTERN;
  let linkPreviewPattern: RegExp;
  try {
    linkPreviewPattern = new RegExp(pattern);
  } catch {
    throw new ConfigError('LINK_PREVIEW_PATTERN', `must be a regular expression; got "${pattern}"`);
  }
  const webhooksUrl = raw(env, 'CHAT_WEBHOOKS_URL') === undefined ? undefined : url(env, { name: 'CHAT_WEBHOOKS_URL', expects: 'the public URL of chatWebhooks' });
  const withSlash = (u: string | undefined) => (u && !u.endsWith('/') ? `${u}/` : u);
  return {
    ...loadBase(env),
    publicUrl: withSlash(publicUrl),
    webhooksUrl: withSlash(webhooksUrl),
    webhooksPerSpace: integer(env, { name: 'WEBHOOKS_PER_SPACE', expects: 'a count', fallback: 10, min: 1, max: 100 }),
    linkPreviewPattern,
    responseBudgetMs,
    deliveryWaitMs: integer(env, { name: 'DELIVERY_WAIT_MS', expects: 'milliseconds', fallback: 5 * SECOND, min: 0, max: 25 * SECOND }),
    deliveryLeaseMs: responseBudgetMs + 5 * SECOND,
    storeTimeoutMs: integer(env, { name: 'STORE_TIMEOUT_MS', expects: 'milliseconds', fallback: 5 * SECOND, min: 100, max: 20 * SECOND }),
    deliveryTtlMs:
      integer(env, { name: 'DELIVERY_TTL_HOURS', expects: 'a number of hours', fallback: 6, min: 1, max: 24 * 7 }) * HOUR,
  };
}

export function loadEventsConfig(env: Env = process.env): EventsConfig {
  loadBase(env); // the project first: its error is the one to see when nothing is set
  const mode = required(env, { name: 'CHAT_AUDIENCE_MODE', expects: AUDIENCE_MODES.join(', ') });
  if (!(AUDIENCE_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError('CHAT_AUDIENCE_MODE', `must be one of ${AUDIENCE_MODES.join(', ')}; got "${mode}"`);
  }
  const audienceMode = mode as AudienceMode;
  const audience =
    audienceMode === 'project-number'
      ? required(env, { name: 'CHAT_AUDIENCE', expects: 'the Cloud project number' })
      : url(env, { name: 'CHAT_AUDIENCE', expects: 'the exact HTTP endpoint URL configured in the Chat API' });
  if (audienceMode === 'project-number' && !/^\d{1,20}$/.test(audience)) {
    throw new ConfigError('CHAT_AUDIENCE', `must be the project number (digits only) in project-number mode; got "${audience}"`);
  }
  // Read in every mode, so the configuration contract lists it; used, and then required, in addon mode only.
  const addonServiceAccount = raw(env, 'CHAT_ADDON_SERVICE_ACCOUNT');
  if (audienceMode === 'addon' && !ADDON_SERVICE_ACCOUNT_PATTERN.test(addonServiceAccount ?? '')) {
    const expects = 'the add-on service account from the Chat API configuration, service-<PROJECT_NUMBER>@gcp-sa-gsuiteaddons.iam.gserviceaccount.com';
    throw new ConfigError(
      'CHAT_ADDON_SERVICE_ACCOUNT',
      addonServiceAccount === undefined ? `is required in addon mode: ${expects}` : `must be ${expects}; got "${addonServiceAccount}"`,
    );
  }
  const certsUrl = url(env, {
    name: 'CHAT_CERTS_URL',
    expects: 'a URL serving a JSON map of key id to PEM certificate',
    fallback: DEFAULT_CERTS_URL[audienceMode],
  });
  // Both URL modes name the endpoint itself as the audience.
  const app = loadAppConfig(env, audienceMode !== 'project-number' ? audience : undefined);
  return {
    ...app,
    audienceMode,
    audience,
    ...(audienceMode === 'addon' ? { addonServiceAccount } : {}),
    ...(audienceMode === 'project-number' ? {} : { endpointUrl: audience }),
    certsUrl,
    warmUpStore: yesNo(env, 'STORE_WARM_UP'),
  };
}

export function loadPubsubConfig(env: Env = process.env): PubsubConfig {
  return {
    // No URL of chatEvents unless configured: in this mode it need not exist.
    ...loadAppConfig(env, undefined),
    eventsTopic: topicId(env, 'CHAT_EVENTS_TOPIC', 'chat-events'),
    deadLetterTopic: topicId(env, 'DEAD_LETTER_TOPIC', 'chat-jobs-dead-letter'),
    chatApiTimeoutMs: chatApiTimeout(env),
  };
}

function chatApiTimeout(env: Env): number {
  return integer(env, { name: 'CHAT_API_TIMEOUT_MS', expects: 'milliseconds', fallback: 15 * SECOND, min: 100, max: 120 * SECOND });
}

export function loadWebhooksConfig(env: Env = process.env): WebhooksConfig {
  return {
    ...loadBase(env),
    webhookPostsPerMinute: integer(env, { name: 'WEBHOOK_POSTS_PER_MINUTE', expects: 'a count', fallback: 10, min: 1, max: 600 }),
  };
}

export function loadWorkerConfig(env: Env = process.env): WorkerConfig {
  return {
    ...loadBase(env),
    jobMaxAttempts: integer(env, { name: 'JOB_MAX_ATTEMPTS', expects: 'a count', fallback: 5, min: 1, max: 100 }),
    jobLeaseMs: integer(env, { name: 'JOB_LEASE_MS', expects: 'milliseconds', fallback: 60 * SECOND, min: 1000, max: 3600 * SECOND }),
    progressIntervalMs: integer(env, {
      name: 'PROGRESS_INTERVAL_MS',
      expects: 'milliseconds',
      fallback: 5 * SECOND,
      min: 0,
      max: 600 * SECOND,
    }),
    chatApiTimeoutMs: chatApiTimeout(env),
  };
}
