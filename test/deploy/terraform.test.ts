/**
 * What would break a deploy, read from the Terraform configuration without providers: attribute
 * names, the functions' runtime, entry points, identities, limits and environment, the TTL policies,
 * the topics, the worker's retries and dead letters, IAM and the outputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../shared/errors';
import { FEATURES } from '../../functions/app';
import { AUDIENCE_MODES, loadEventsConfig, loadPubsubConfig, loadWebhooksConfig, loadWorkerConfig } from '../../shared/config';
import { commandsOf } from '../../shared/routing/feature';
import {
  type Block,
  expressionOf,
  findQueriedFields,
  findTtlWrites,
  loadTerraform,
  nested,
  readEnvContract,
  REPO_ROOT,
  requiredVariables,
  TerraformEvaluator,
  type TerraformConfig,
} from './support';

/**
 * The arguments and nested blocks each type accepts, generated from the providers' own schemas
 * (provider-schema/generate.mjs reads @cdktf/provider-google's bindings, made from
 * `terraform providers schema`). A misspelt or misplaced argument is what `terraform validate`
 * would catch; without the providers this catches it offline.
 */
interface SchemaBlock {
  arguments: string[];
  blocks: Record<string, SchemaBlock>;
}
const PROVIDER_SCHEMA = JSON.parse(readFileSync(join(__dirname, 'provider-schema', 'provider-schema.json'), 'utf8')) as {
  resources: Record<string, SchemaBlock>;
  data: Record<string, SchemaBlock>;
};
const META = ['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner'];

/** Problems with one block against its schema; `dynamic "x"` blocks are checked as x. */
function schemaProblems(where: string, block: Block, schema: SchemaBlock): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(block)) {
    if (META.includes(key)) continue;
    if (key === 'dynamic') {
      for (const [name, dynamics] of Object.entries(value as Record<string, Block[]>)) {
        const child = schema.blocks[name];
        if (!child) problems.push(`${where}: unknown block "${name}" (dynamic)`);
        else for (const d of dynamics) for (const content of d.content as Block[]) problems.push(...schemaProblems(`${where}.${name}`, content, child));
      }
    } else if (schema.blocks[key]) {
      for (const child of value as Block[]) problems.push(...schemaProblems(`${where}.${key}`, child, schema.blocks[key]));
    } else if (!schema.arguments.includes(key)) {
      problems.push(`${where}: unknown argument "${key}"`);
    }
  }
  return problems;
}

let tf: TerraformConfig;
beforeAll(async () => {
  tf = await loadTerraform();
});

const SAMPLE_PROJECT = 'my-chat-project';
const SAMPLE_NUMBER = '123456789012';
const evaluator = (inputs: Record<string, unknown>) =>
  new TerraformEvaluator(tf, { project_id: SAMPLE_PROJECT, ...inputs }, { 'google_project.this.number': SAMPLE_NUMBER });

const functionsOf = () => tf.resources.google_cloudfunctions2_function ?? {};
const byEntryPoint = (entryPoint: string): Block => {
  const found = Object.values(functionsOf()).filter(
    (fn) => evaluator({ chat_audience_mode: 'endpoint-url' }).value(nested(fn, 'build_config').entry_point) === entryPoint,
  );
  if (found.length !== 1) throw new Error(`expected one function with entry point ${entryPoint}, found ${found.length}`);
  return found[0];
};

/** The function's environment for the inputs: the `*_env_all` local it filters, minus nulls. */
function environmentOf(fn: Block, inputs: Record<string, unknown>): Record<string, string> {
  const envLocal = /^local\.(\w+)$/.exec(expressionOf(nested(fn, 'service_config').environment_variables) ?? '')?.[1];
  if (!envLocal) throw new Error('environment_variables must be a local (e.g. local.events_env)');
  const filter = /^\{\s*for\s+(\w+),\s*(\w+)\s+in\s+local\.(\w+)\s*:\s*\1\s*=>\s*\2\s+if\s+\2\s*!=\s*null\s*\}$/.exec(
    expressionOf(tf.locals[envLocal]) ?? '',
  );
  if (!filter) throw new Error(`local.${envLocal} must be { for name, value in local.X : name => value if value != null }`);
  const all = evaluator(inputs).local(filter[3]) as Record<string, string | null>;
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null)) as Record<string, string>;
}

function envNamesDeclared(fn: Block): string[] {
  const envLocal = /^local\.(\w+)$/.exec(expressionOf(nested(fn, 'service_config').environment_variables) ?? '')?.[1] as string;
  const source = /local\.(\w+)/.exec(expressionOf(tf.locals[envLocal]) ?? '')?.[1] as string;
  return Object.keys(tf.locals[source] as object);
}

describe('terraform/: attribute names', () => {
  it("uses only arguments and blocks the provider's schema has", () => {
    const problems: string[] = [];
    for (const [kind, section, schemas] of [
      ['resource', tf.resources, PROVIDER_SCHEMA.resources],
      ['data', tf.data, PROVIDER_SCHEMA.data],
    ] as const) {
      for (const [type, byName] of Object.entries(section)) {
        const schema = schemas[type];
        if (!schema) problems.push(`${kind} type ${type} is not in provider-schema.json: run node test/deploy/provider-schema/generate.mjs`);
        else for (const [name, block] of Object.entries(byName)) problems.push(...schemaProblems(`${kind} ${type}.${name}`, block, schema));
      }
    }
    expect(problems).toEqual([]);
  });

  it('finds a misspelt or misplaced argument (guards the check above)', () => {
    const fn = PROVIDER_SCHEMA.resources.google_cloudfunctions2_function;
    expect(schemaProblems('f', { name: 'x', service_config: [{ avaliable_memory: '1Gi' }] }, fn)).toEqual(['f.service_config: unknown argument "avaliable_memory"']);
    expect(schemaProblems('f', { build_config: [{ timeout_seconds: 60 }] }, fn)).toEqual(['f.build_config: unknown argument "timeout_seconds"']);
  });

  it('pins the providers it uses and a Terraform version with check blocks', () => {
    const required = nested(tf.terraform[0], 'required_providers') as Record<string, { source: string; version: string }>;
    expect(required.google.source).toBe('hashicorp/google');
    expect(required['google-beta'].source).toBe('hashicorp/google-beta');
    expect(required.archive.source).toBe('hashicorp/archive');
    expect(tf.terraform[0].required_version).toMatch(/>= ?1\.[5-9]/);
  });

  it('uses google-beta only for the Pub/Sub service identity', () => {
    const beta = Object.entries(tf.resources).flatMap(([type, byName]) =>
      Object.entries(byName)
        .filter(([, block]) => block.provider === '${google-beta}')
        .map(([name]) => `${type}.${name}`),
    );
    expect(beta).toEqual(['google_project_service_identity.pubsub']);
  });

});

describe('terraform/: the three functions', () => {
  it('deploys exactly chatEvents or chatPubsub (the connection), chatWebhooks (HTTP) and chatWorker (Pub/Sub), as the code registers them', () => {
    const fns = Object.values(functionsOf());
    expect(fns).toHaveLength(4);
    expect(byEntryPoint('chatEvents').event_trigger).toBeUndefined();
    expect(byEntryPoint('chatWebhooks').event_trigger).toBeUndefined();
    expect(byEntryPoint('chatWorker').event_trigger).toBeDefined();
    expect(expressionOf(nested(byEntryPoint('chatPubsub'), 'event_trigger').pubsub_topic)).toBe('google_pubsub_topic.chat_events[0].id');
    const code = ['functions/chat-events.ts', 'functions/chat-webhooks.ts', 'functions/chat-worker.ts', 'functions/chat-pubsub.ts'].map((f) => readFileSync(join(REPO_ROOT, f), 'utf8')).join('\n');
    expect(code).toMatch(/\bhttp\(\s*'chatEvents'/);
    expect(code).toMatch(/\bhttp\(\s*'chatWebhooks'/);
    expect(code).toMatch(/\bcloudEvent(<[^>]*>)?\(\s*'chatWorker'/);
    expect(code).toMatch(/\bcloudEvent(<[^>]*>)?\(\s*'chatPubsub'/);
    // One of chatEvents and chatPubsub, by the connection setting.
    expect(byEntryPoint('chatEvents').count).toBe('${var.deploy_functions && !local.pubsub_connection ? 1 : 0}');
    expect(byEntryPoint('chatPubsub').count).toBe('${var.deploy_functions && local.pubsub_connection ? 1 : 0}');
    // Each is deployed by Terraform only when it owns code deploys, labelled so the gcloud paths know.
    for (const fn of fns) {
      if (fn === byEntryPoint('chatEvents') || fn === byEntryPoint('chatPubsub')) continue;
      expect(fn.count).toBe('${var.deploy_functions ? 1 : 0}');
      expect(fn.labels).toBe('${local.function_labels}'); // { deployed-by = "terraform" }: terraform-cli.test.ts
    }
  });

  it.each(['chatEvents', 'chatWebhooks', 'chatWorker'])('%s: runtime nodejs22, source from the bucket, own service account, limits', (entryPoint) => {
    const fn = byEntryPoint(entryPoint);
    const ev = evaluator({ chat_audience_mode: 'endpoint-url' });
    const build = nested(fn, 'build_config');
    expect(ev.value(build.runtime)).toBe('nodejs22');
    const storage = nested(nested(build, 'source'), 'storage_source');
    expect(expressionOf(storage.bucket)).toBe('google_storage_bucket.source[0].name');
    expect(expressionOf(storage.object)).toBe('google_storage_bucket_object.source[0].name');
    // Built as chat-build, which has exactly the roles a functions build needs.
    expect(expressionOf(build.service_account)).toBe('local.build_service_account');
    expect(tf.locals.build_service_account).toBe('${coalesce(var.build_service_account, google_service_account.build.id)}');

    const service = nested(fn, 'service_config');
    const account = /^google_service_account\.(\w+)\.email$/.exec(expressionOf(service.service_account_email) ?? '')?.[1];
    expect(account).toBeDefined();
    expect(tf.resources.google_service_account[account as string]).toBeDefined();

    const memory = ev.value(service.available_memory) as string;
    expect(memory).toMatch(/^[0-9]+(Mi|Gi)$/);
    const timeout = ev.value(service.timeout_seconds) as number;
    expect(timeout).toBeGreaterThan(0);
    expect(timeout).toBeLessThanOrEqual(entryPoint === 'chatWorker' ? 540 : 3600);
    const maxInstances = ev.value(service.max_instance_count) as number;
    expect(maxInstances).toBeGreaterThanOrEqual(1);
    // Instances kept warm: a whole number, never more than the function may run.
    const minInstances = ev.value(service.min_instance_count) as number;
    expect(Number.isInteger(minInstances)).toBe(true);
    expect(minInstances).toBeLessThanOrEqual(maxInstances);
    const concurrency = ev.value(service.max_instance_request_concurrency) as number;
    expect(concurrency).toBeGreaterThanOrEqual(1);
    if (concurrency > 1) expect(Number(ev.value(service.available_cpu))).toBeGreaterThanOrEqual(1);
  });

  it('gives the three functions different service accounts', () => {
    const accounts = Object.values(functionsOf()).map((fn) => expressionOf(nested(fn, 'service_config').service_account_email));
    expect(new Set(accounts).size).toBe(3);
  });
});

describe('terraform/: environment from the configuration contract (shared/config.ts)', () => {
  const contract = readEnvContract();

  it('reads the contract as expected (guards the source reader)', () => {
    expect([...contract.reads.events]).toEqual(expect.arrayContaining(['GOOGLE_CLOUD_PROJECT', 'CHAT_AUDIENCE_MODE', 'CHAT_AUDIENCE', 'JOBS_TOPIC']));
    expect([...contract.reads.worker]).toEqual(expect.arrayContaining(['GOOGLE_CLOUD_PROJECT', 'JOBS_TOPIC', 'CHAT_API_TIMEOUT_MS']));
    expect([...contract.reads.events]).toEqual(expect.arrayContaining(['CHAT_RESPONSE_BUDGET_MS', 'DELIVERY_WAIT_MS']));
    expect([...contract.reads.pubsub]).toEqual(expect.arrayContaining(['GOOGLE_CLOUD_PROJECT', 'CHAT_EVENTS_TOPIC', 'DEAD_LETTER_TOPIC', 'DELIVERY_WAIT_MS', 'CHAT_API_TIMEOUT_MS']));
    expect([...contract.reads.pubsub]).not.toContain('CHAT_AUDIENCE_MODE');
  });

  it('chatPubsub (chat_connection = "pubsub") is given every variable the code reads, and its values load', () => {
    const fn = byEntryPoint('chatPubsub');
    expect(envNamesDeclared(fn).sort()).toEqual([...contract.reads.pubsub].sort());
    const env = environmentOf(fn, { chat_connection: 'pubsub', chat_audience_mode: null });
    expect(requiredVariables(loadPubsubConfig, env).missing).toEqual([]);
    expect(loadPubsubConfig(env).eventsTopic).toBe(tf.variables.chat_events_topic.default);
  });

  it.each([
    ['chatEvents', 'events'],
    ['chatWorker', 'worker'],
  ] as const)('%s is given every variable the code reads, and nothing else', (entryPoint, kind) => {
    expect(envNamesDeclared(byEntryPoint(entryPoint)).sort()).toEqual([...contract.reads[kind]].sort());
  });

  it('accepts exactly the audience modes the code accepts', () => {
    const condition = expressionOf(nested(tf.variables.chat_audience_mode, 'validation').condition) ?? '';
    const listed = /contains\(\[([^\]]*)\]/.exec(condition)?.[1].match(/"[^"]+"/g)?.map((m) => m.slice(1, -1));
    expect(listed?.sort()).toEqual([...AUDIENCE_MODES].sort());
  });

  it.each([...AUDIENCE_MODES])('%s mode: every required variable is set, and the values load', (mode) => {
    const events = environmentOf(byEntryPoint('chatEvents'), { chat_audience_mode: mode });
    const worker = environmentOf(byEntryPoint('chatWorker'), { chat_audience_mode: mode });
    // Run the loaders to find what they require; Terraform must supply every one of those.
    const eventsNeeds = requiredVariables(loadEventsConfig, events);
    const workerNeeds = requiredVariables(loadWorkerConfig, worker);
    expect(eventsNeeds.missing).toEqual([]);
    expect(workerNeeds.missing).toEqual([]);
    expect(eventsNeeds.required).toEqual(expect.arrayContaining(['GOOGLE_CLOUD_PROJECT', 'CHAT_AUDIENCE_MODE', 'CHAT_AUDIENCE']));
    expect(workerNeeds.required).toContain('GOOGLE_CLOUD_PROJECT');
    // The values Terraform hands over, tunables included, are ones the code accepts.
    const config = loadEventsConfig(events);
    expect(config.audienceMode).toBe(mode);
    expect(config.audience).toBe(mode === 'project-number' ? SAMPLE_NUMBER : `https://us-central1-${SAMPLE_PROJECT}.cloudfunctions.net/chat-events`);
    // /notify builds webhook URLs from CHAT_EVENTS_URL in every mode.
    expect(events.CHAT_EVENTS_URL).toBe(`https://us-central1-${SAMPLE_PROJECT}.cloudfunctions.net/chat-events`);
    expect(config.projectId).toBe(SAMPLE_PROJECT);
    expect(loadWorkerConfig(worker).jobsTopic).toBe('chat-jobs');
  });

  it('leaves optional URLs unset by default and passes them through when given', () => {
    const plain = environmentOf(byEntryPoint('chatEvents'), { chat_audience_mode: 'endpoint-url' });
    expect(plain.CHAT_CERTS_URL).toBeUndefined();
    expect(plain.CHAT_API_ROOT_URL).toBeUndefined();
    const custom = environmentOf(byEntryPoint('chatEvents'), {
      chat_audience_mode: 'endpoint-url',
      chat_endpoint_url: 'https://chat.example.com/app/',
      chat_certs_url: 'https://certs.example.com/',
    });
    expect(custom.CHAT_AUDIENCE).toBe('https://chat.example.com/app/');
    expect(custom.CHAT_CERTS_URL).toBe('https://certs.example.com/');
    expect(() => loadEventsConfig(custom)).not.toThrow();
  });

  it('the required-variable finder notices a variable Terraform would not set', () => {
    const { CHAT_AUDIENCE_MODE: _dropped, ...events } = environmentOf(byEntryPoint('chatEvents'), { chat_audience_mode: 'endpoint-url' });
    expect(requiredVariables(loadEventsConfig, events).missing).toEqual(['CHAT_AUDIENCE_MODE']);
    expect(() => loadEventsConfig(events)).toThrow(ConfigError);
  });

  it("the topic default is the code's default (chat-jobs)", () => {
    expect(contract.jobsTopicDefault).toBe('chat-jobs');
    expect(tf.variables.jobs_topic.default).toBe(contract.jobsTopicDefault);
  });

  it('the tunables have the code defaults (Terraform sets them explicitly, so they must match)', () => {
    const ev = evaluator({ chat_audience_mode: 'endpoint-url' });
    const events = loadEventsConfig({ GOOGLE_CLOUD_PROJECT: SAMPLE_PROJECT, CHAT_AUDIENCE_MODE: 'project-number', CHAT_AUDIENCE: '1' });
    const worker = loadWorkerConfig({ GOOGLE_CLOUD_PROJECT: SAMPLE_PROJECT });
    expect(ev.variable('chat_response_budget_ms')).toBe(events.responseBudgetMs);
    expect(ev.variable('delivery_wait_ms')).toBe(events.deliveryWaitMs);
    expect((ev.variable('delivery_ttl_hours') as number) * 3600_000).toBe(events.deliveryTtlMs);
    expect((ev.variable('job_ttl_days') as number) * 86400_000).toBe(events.jobTtlMs);
    expect(ev.variable('job_max_attempts')).toBe(worker.jobMaxAttempts);
    expect(ev.variable('job_lease_ms')).toBe(worker.jobLeaseMs);
    expect(ev.variable('progress_interval_ms')).toBe(worker.progressIntervalMs);
    expect(ev.variable('webhook_posts_per_minute')).toBe(loadWebhooksConfig({ GOOGLE_CLOUD_PROJECT: SAMPLE_PROJECT }).webhookPostsPerMinute);
  });
});

describe('terraform/: Firestore', () => {
  const ttlPolicies = () =>
    Object.values(tf.resources.google_firestore_field ?? {})
      .filter((f) => Array.isArray(f.ttl_config) && f.ttl_config.length === 1)
      .map((f) => {
        const ev = evaluator({ chat_audience_mode: 'endpoint-url' });
        return { collection: ev.value(f.collection) as string, field: ev.value(f.field) as string, database: ev.value(f.database) };
      });

  it('creates the (default) database in native mode', () => {
    const db = tf.resources.google_firestore_database.default;
    expect(db.name).toBe('(default)');
    expect(db.type).toBe('FIRESTORE_NATIVE');
  });

  it.each([
    ['deliveries', 'expireAt'],
    ['jobs', 'expireAt'],
  ])('has a TTL policy on %s.%s in the (default) database', (collection, field) => {
    expect(ttlPolicies()).toContainEqual({ collection, field, database: '(default)' });
  });

  it('drops the single-field indexes of the timestamps and answers nothing queries, and of no queried field', () => {
    const fields = tf.resources.google_firestore_field;
    expect(fields.unindexed.for_each).toBe('${local.unindexed_fields}');
    const ev = evaluator({ chat_audience_mode: 'endpoint-url' });
    const unindexed = [
      ...Object.values(ev.local('unindexed_fields') as Record<string, { collection: string; field: string }>),
      // The TTL fields grow in sequence too; their resources carry both blocks.
      ...[fields.deliveries_expire_at, fields.jobs_expire_at].map((f) => ({ collection: ev.value(f.collection) as string, field: ev.value(f.field) as string })),
    ];
    for (const f of [fields.unindexed, fields.deliveries_expire_at, fields.jobs_expire_at]) expect(f.index_config).toEqual([{}]);
    for (const [collection, field] of [
      ['deliveries', 'createdAt'], ['deliveries', 'completedAt'], ['deliveries', 'leaseUntil'], ['deliveries', 'expireAt'],
      ['jobs', 'createdAt'], ['jobs', 'updatedAt'], ['jobs', 'leaseUntil'], ['jobs', 'expireAt'],
    ]) {
      expect(unindexed).toContainEqual({ collection, field });
    }
    const queried = findQueriedFields();
    expect(queried).toEqual(expect.arrayContaining(['space', 'status']));
    expect(unindexed.filter((f) => queried.includes(f.field))).toEqual([]);
  });

  it('has a TTL policy for every TTL field the code writes (found by reading shared/ and functions/)', () => {
    const writes = findTtlWrites();
    expect(writes.length).toBeGreaterThan(0);
    const policies = ttlPolicies();
    const missing = writes.filter((w) => !policies.some((p) => p.field === w.field && w.collections.includes(p.collection)));
    expect(missing.map((w) => `${w.file} writes ${w.field} to ${w.collections.join('/') || 'an unknown collection'}: add a google_firestore_field with ttl_config {}`)).toEqual([]);
  });
});

describe('terraform/: Pub/Sub, retries and dead letters', () => {
  it('triggers the worker from the jobs topic with retries on, as the trigger service account', () => {
    const trigger = nested(byEntryPoint('chatWorker'), 'event_trigger');
    expect(trigger.event_type).toBe('google.cloud.pubsub.topic.v1.messagePublished');
    expect(trigger.retry_policy).toBe('RETRY_POLICY_RETRY');
    expect(expressionOf(trigger.pubsub_topic)).toBe('google_pubsub_topic.jobs.id');
    expect(expressionOf(trigger.service_account_email)).toBe('google_service_account.trigger.email');
    expect(expressionOf(tf.resources.google_pubsub_topic.jobs.name)).toBe('var.jobs_topic');
  });

  it('has a dead-letter topic with a pull subscription to inspect it', () => {
    const sub = tf.resources.google_pubsub_subscription.dead_letter_inspect;
    expect(expressionOf(sub.topic)).toBe('google_pubsub_topic.dead_letter.id');
    expect(sub.push_config).toBeUndefined();
  });

  it("runs the worker subscription's settings after each trigger change (the commands are checked in gcloud-parse and deploy-runs)", () => {
    const run = tf.resources.terraform_data.worker_subscription;
    expect(expressionOf((run.provisioner as Record<string, Block[]>)['local-exec'][0].command)).toBe('local.worker_subscription_script');
    expect(run.triggers_replace).toEqual(expect.arrayContaining(['${google_cloudfunctions2_function.chat_worker[0].event_trigger[0].trigger}', '${var.worker_timeout_seconds}']));
  });

  it('chat_connection = "pubsub": the events topic, with only Chat\'s push account as publisher', () => {
    const topic = tf.resources.google_pubsub_topic.chat_events;
    expect(topic.count).toBe('${local.pubsub_connection ? 1 : 0}');
    expect(expressionOf(topic.name)).toBe('var.chat_events_topic');
    const grant = tf.resources.google_pubsub_topic_iam_member.chat_publishes_events;
    expect(grant.role).toBe('roles/pubsub.publisher');
    expect(expressionOf(grant.topic)).toBe('google_pubsub_topic.chat_events[0].name');
    expect(evaluator({ chat_connection: 'pubsub' }).value(grant.member)).toBe('serviceAccount:chat-api-push@system.gserviceaccount.com');
    // chat-pubsub sets aside what is not a Chat event on the dead-letter topic, as chat-events' account.
    expect(expressionOf(tf.resources.google_pubsub_topic_iam_member.events_dead_letters.topic)).toBe('google_pubsub_topic.dead_letter.name');
    expect(expressionOf(nested(byEntryPoint('chatPubsub'), 'service_config').service_account_email)).toBe('google_service_account.events.email');
    // Its Eventarc subscription is dead-lettered by the same script as the worker's.
    expect(tf.locals.subscribed_triggers).toContain('var.events_timeout_seconds');
    expect(tf.resources.terraform_data.worker_subscription.triggers_replace).toContain('${local.subscribed_triggers}');
  });

  it('lets the Pub/Sub service agent publish dead letters', () => {
    const binding = tf.resources.google_pubsub_topic_iam_member.dead_letter_publisher;
    expect(binding.role).toBe('roles/pubsub.publisher');
    expect(expressionOf(binding.topic)).toBe('google_pubsub_topic.dead_letter.name');
    expect(expressionOf(binding.member)).toBe('local.pubsub_service_agent');
    expect(tf.locals.pubsub_service_agent).toBe('serviceAccount:${google_project_service_identity.pubsub.email}');
  });

});

describe('terraform/: IAM', () => {
  const ev = () => evaluator({ chat_audience_mode: 'endpoint-url' });

  it("gives each function's account Firestore on the app's database only, and publishing where it queues jobs", () => {
    const datastore = tf.resources.google_project_iam_member.datastore_user;
    expect(datastore.role).toBe('roles/datastore.user');
    expect(Object.keys(tf.locals.firestore_users as object).sort()).toEqual(['events', 'webhooks', 'worker']);
    const condition = nested(datastore, 'condition');
    expect(ev().value(condition.expression)).toBe(`resource.name=="projects/${SAMPLE_PROJECT}/databases/(default)"`);
    // No other project-wide role for a function's account (the build and deploy accounts have theirs).
    const others = Object.entries(tf.resources.google_project_iam_member).filter(
      ([name, b]) => name !== 'datastore_user' && /google_service_account\.(events|worker|webhooks)\b|local\.firestore_users/.test(JSON.stringify(b)),
    );
    expect(others.map(([name]) => name)).toEqual([]);
    const publisher = tf.resources.google_pubsub_topic_iam_member.jobs_publisher;
    expect([publisher.role, publisher.topic]).toEqual(['roles/pubsub.publisher', '${google_pubsub_topic.jobs.name}']);
    expect(Object.keys(tf.locals.jobs_publishers as object).sort()).toEqual(['events', 'webhooks']);
  });

  it('builds as chat-build and deploys (Cloud Build) as chat-deployer, each with only its roles', () => {
    const roles = (name: string) => (expressionOf(tf.locals[name]) ?? '').match(/"roles\/[\w.]+"/g)?.map((r) => r.slice(1, -1));
    expect(roles('build_roles')).toEqual(['roles/logging.logWriter', 'roles/storage.objectViewer', 'roles/artifactregistry.writer']);
    expect(roles('deployer_roles')).toEqual(expect.arrayContaining(['roles/cloudfunctions.developer', 'roles/run.admin', 'roles/logging.logWriter']));
    expect(Object.keys(tf.locals.deployer_acts_as as object).sort()).toEqual(['build', 'events', 'trigger', 'webhooks', 'worker']);
  });

  it('lets only the trigger invoke the worker, everyone the webhooks, and by mode Chat or everyone chat-events', () => {
    const run = tf.resources.google_cloud_run_service_iam_member;
    expect(run.trigger_invokes_worker.member).toBe('serviceAccount:${google_service_account.trigger.email}');
    expect(run.webhooks_invoker.member).toBe('allUsers');
    expect(run.events_invoker.service).toBe('${google_cloudfunctions2_function.chat_events[0].service_config[0].service}');
    // The new invoker is granted before the old one is removed when the member changes.
    expect((run.events_invoker.lifecycle as Block[])[0].create_before_destroy).toBe(true);
    const member = (inputs: Record<string, unknown>) => evaluator(inputs).value(run.events_invoker.member);
    expect(member({ chat_audience_mode: 'endpoint-url' })).toBe('serviceAccount:chat@system.gserviceaccount.com');
    expect(member({ chat_audience_mode: 'addon' })).toBe(`serviceAccount:service-${SAMPLE_NUMBER}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`);
    expect(member({ chat_audience_mode: 'project-number' })).toBe('allUsers');
    expect(member({ chat_audience_mode: 'endpoint-url', events_invoker: 'public' })).toBe('allUsers');
  });
});

describe('terraform/: source archive and outputs', () => {
  it('zips exactly package.json, package-lock.json, the tsconfigs, functions/ and shared/', () => {
    expect(tf.locals.source_root_files).toEqual(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']);
    expect(tf.locals.source_dirs).toEqual(['functions', 'shared']);
    const archive = tf.data.archive_file.source;
    expect(archive.type).toBe('zip');
    expect(archive.source_dir).toBeUndefined();
    expect(expressionOf(tf.resources.google_storage_bucket_object.source.source)).toBe('data.archive_file.source[0].output_path');
    expect(tf.resources.google_storage_bucket_object.source.name).toContain('${data.archive_file.source[0].output_md5}');
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('dist/functions/index.js');
    expect(pkg.scripts['gcp-build']).toContain('tsconfig.build.json');
  });

  it("outputs the URL and the Chat API configuration, with the app's commands", () => {
    for (const name of ['chat_events_url', 'chat_app_configuration', 'chat_commands_table', 'chat_events_run_uri']) {
      expect([name, tf.outputs[name] !== undefined]).toEqual([name, true]);
    }
    const ev = evaluator({ chat_audience_mode: 'endpoint-url' });
    // The commands Terraform reads are the app's (terraform/commands.json; test/generate checks it is current).
    expect(ev.local('chat_commands')).toEqual(
      commandsOf(FEATURES).map((c) => ({ id: c.id, name: c.name, description: c.description, open_dialog: c.opensDialog ?? false })),
    );
    // Each command's "Open a dialog" comes from the app too (test/deploy/terraform-cli evaluates the table).
    expect((tf.outputs.chat_app_configuration.value as Block).commands).toMatch(/\bopen_dialog\s*=\s*command\.open_dialog\b/);
    expect(ev.local('chat_endpoint_url')).toBe(`https://us-central1-${SAMPLE_PROJECT}.cloudfunctions.net/chat-events`);
    expect(evaluator({ chat_audience_mode: 'project-number' }).local('chat_audience')).toBe(SAMPLE_NUMBER);
  });

  it('checks after apply that the function got the predicted URL', () => {
    const assert = nested(tf.checks.events_url_matches_prediction, 'assert');
    expect(assert.condition).toContain('one(google_cloudfunctions2_function.chat_events[*].url) == local.predicted_events_url');
  });

  it('ships a tfvars example that sets the required variables', () => {
    const example = readFileSync(join(REPO_ROOT, 'terraform', 'terraform.tfvars.example'), 'utf8');
    for (const [name, variable] of Object.entries(tf.variables)) {
      if (!('default' in variable)) expect(example).toMatch(new RegExp(`^${name}\\s*=`, 'm'));
    }
  });
});
