/**
 * The three ways to deploy must produce the same three functions: same names, runtime, entry points,
 * triggers, identities, environment variables, limits and invokers. Terraform's defaults are the
 * reference; scripts/deploy.mjs --dry-run is compared with it here, and cloudbuild.yaml with the dry
 * run in deploy-runs.test.ts (by running it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { loadEventsConfig, loadPubsubConfig, loadWebhooksConfig } from '../../shared/config';
import { type CloudBuildFile, loadCloudBuildFile } from './cloud-build';
import {
  type Block,
  type GcloudCommand,
  deployDryRun,
  envVarsFlag,
  expressionOf,
  loadTerraform,
  nested,
  REPO_ROOT,
  TerraformEvaluator,
  type TerraformConfig,
} from './support';

const DEPLOY_SCRIPT = join(REPO_ROOT, 'scripts', 'deploy.mjs');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => (statSync(join(dir, entry)).isDirectory() ? filesUnder(join(dir, entry)) : [join(dir, entry)]));
const PROJECT = 'my-chat-project';
const NUMBER = '123456789012';

interface Expected {
  name: string;
  entryPoint: string;
  runtime: string;
  serviceAccount: string;
  memory: string;
  cpu: string;
  timeout: string;
  minInstances: string;
  maxInstances: string;
  concurrency: string;
  ingress: string;
  env: Record<string, string>;
}

const INGRESS: Record<string, string> = { ALLOW_ALL: 'all', ALLOW_INTERNAL_ONLY: 'internal-only', ALLOW_INTERNAL_AND_GCLB: 'internal-and-gclb' };

let tf: TerraformConfig;
let build: CloudBuildFile;
beforeAll(async () => {
  tf = await loadTerraform();
  build = loadCloudBuildFile();
});

/** What Terraform deploys for one function, in gcloud's terms. */
function fromTerraform(entryPoint: string, mode: string | null, inputs: Record<string, unknown> = {}): Expected {
  const ev = new TerraformEvaluator(tf, { project_id: PROJECT, chat_audience_mode: mode, ...inputs }, { 'google_project.this.number': NUMBER });
  const fn = Object.values(tf.resources.google_cloudfunctions2_function).find(
    (f) => ev.value(nested(f, 'build_config').entry_point) === entryPoint,
  ) as Block;
  const service = nested(fn, 'service_config');
  const account = /^google_service_account\.(\w+)\.email$/.exec(expressionOf(service.service_account_email) ?? '')?.[1] as string;
  const envLocal = /^local\.(\w+)$/.exec(expressionOf(service.environment_variables) ?? '')?.[1] as string;
  const allLocal = /local\.(\w+)/.exec(expressionOf(tf.locals[envLocal]) ?? '')?.[1] as string;
  const env = Object.fromEntries(
    Object.entries(ev.local(allLocal) as Record<string, string | null>).filter(([, v]) => v !== null),
  ) as Record<string, string>;
  return {
    name: ev.value(fn.name) as string,
    entryPoint,
    runtime: ev.value(nested(fn, 'build_config').runtime) as string,
    serviceAccount: `${ev.value(tf.resources.google_service_account[account].account_id)}@${PROJECT}.iam.gserviceaccount.com`,
    memory: ev.value(service.available_memory) as string,
    cpu: ev.value(service.available_cpu) as string,
    timeout: `${ev.value(service.timeout_seconds)}s`,
    minInstances: String(ev.value(service.min_instance_count)),
    maxInstances: String(ev.value(service.max_instance_count)),
    concurrency: String(ev.value(service.max_instance_request_concurrency)),
    ingress: INGRESS[service.ingress_settings as string],
    env,
  };
}

function asDeployed(command: GcloudCommand): Expected {
  const f = command.flags;
  return {
    name: command.words[2],
    entryPoint: f['entry-point'] as string,
    runtime: f.runtime as string,
    serviceAccount: f['service-account'] as string,
    memory: f.memory as string,
    cpu: f.cpu as string,
    timeout: f.timeout as string,
    minInstances: f['min-instances'] as string,
    maxInstances: f['max-instances'] as string,
    concurrency: f.concurrency as string,
    ingress: f['ingress-settings'] as string,
    env: envVarsFlag(f['set-env-vars']),
  };
}

function checkTriggers(events: GcloudCommand, worker: GcloudCommand) {
  expect(events.flags['trigger-http']).toBe(true);
  // Never --no-allow-unauthenticated: on an existing public function it removes allUsers at once.
  expect(events.flags['no-allow-unauthenticated']).toBeUndefined();
  expect(events.flags.gen2).toBe(true);
  expect(worker.flags.gen2).toBe(true);
  expect(worker.flags['trigger-topic']).toBe('chat-jobs');
  expect(worker.flags.retry).toBe(true);
  expect(worker.flags['trigger-service-account']).toBe(`chat-worker-trigger@${PROJECT}.iam.gserviceaccount.com`);
  expect(worker.flags['trigger-http']).toBeUndefined();
}

const deploys = (commands: GcloudCommand[]) => commands.filter((c) => c.words[0] === 'functions' && c.words[1] === 'deploy');

describe('cloudbuild.yaml', () => {
  it('uses only user substitutions that start with _, each of them somewhere', () => {
    const text = JSON.stringify(build.steps);
    for (const name of Object.keys(build.substitutions ?? {})) {
      expect(name).toMatch(/^_[A-Z0-9_]+$/);
      expect([name, text.includes(`\${${name}}`) || text.includes(`$${name}`)]).toEqual([name, true]);
    }
  });
});

describe('scripts/deploy.mjs --dry-run', () => {
  it.each([
    ['endpoint-url', []],
    ['project-number', [`--audience=${NUMBER}`]],
    ['addon', [`--project-number=${NUMBER}`]],
    ['endpoint-url', ['--invoker=public']],
    ['addon', [`--project-number=${NUMBER}`, '--invoker=public']],
  ])('%s mode %j: prints the same deploys as Terraform', (mode, extra) => {
    const commands = deployDryRun([`--project=${PROJECT}`, `--audience-mode=${mode}`, ...extra]);
    const deployed = deploys(commands);
    expect(deployed.map((c) => c.words[2])).toEqual(['chat-events', 'chat-webhooks', 'chat-worker']);
    const [events, webhooks, worker] = deployed;
    expect(asDeployed(events)).toEqual(fromTerraform('chatEvents', mode));
    expect(asDeployed(webhooks)).toEqual(fromTerraform('chatWebhooks', mode));
    expect(asDeployed(worker)).toEqual(fromTerraform('chatWorker', mode));
    checkTriggers(events, worker);
    for (const c of deployed) {
      expect(c.flags.source).toBe(events.flags.source);
      expect(c.flags['build-service-account']).toBe(`projects/${PROJECT}/serviceAccounts/chat-build@${PROJECT}.iam.gserviceaccount.com`);
    }

    // Who may invoke chat-events in the end: Terraform's member, by the deploy flag or a binding.
    const inputs = { project_id: PROJECT, chat_audience_mode: mode, ...(extra.includes('--invoker=public') ? { events_invoker: 'public' } : {}) };
    const member = new TerraformEvaluator(tf, inputs, { 'google_project.this.number': NUMBER }).local('events_invoker_member');
    const granted = commands.find((c) => c.words[1] === 'add-invoker-policy-binding' && c.words[2] === 'chat-events')?.flags.member;
    expect(events.flags['allow-unauthenticated'] === true ? 'allUsers' : granted).toBe(member);
    expect(webhooks.flags['allow-unauthenticated']).toBe(true);
    expect(() => loadEventsConfig(envVarsFlag(events.flags['set-env-vars']))).not.toThrow();
    expect(() => loadWebhooksConfig(envVarsFlag(webhooks.flags['set-env-vars']))).not.toThrow();
  });

  it('--connection=pubsub: deploys chat-pubsub as Terraform does, in place of chat-events, invoked by the trigger only', () => {
    const commands = deployDryRun([`--project=${PROJECT}`, '--connection=pubsub']);
    const deployed = deploys(commands);
    expect(deployed.map((c) => c.words[2])).toEqual(['chat-pubsub', 'chat-webhooks', 'chat-worker']);
    const [door, webhooks, worker] = deployed;
    const pubsub = { chat_connection: 'pubsub' };
    expect(asDeployed(door)).toEqual(fromTerraform('chatPubsub', null, pubsub));
    expect(asDeployed(webhooks)).toEqual(fromTerraform('chatWebhooks', null, pubsub));
    expect(asDeployed(worker)).toEqual(fromTerraform('chatWorker', null, pubsub));
    const ev = new TerraformEvaluator(tf, { project_id: PROJECT, ...pubsub });
    expect(door.flags['trigger-topic']).toBe(ev.variable('chat_events_topic'));
    expect(door.flags.retry).toBe(true);
    expect(door.flags['trigger-http']).toBeUndefined();
    expect(door.flags['allow-unauthenticated']).toBeUndefined();
    expect(door.flags['trigger-service-account']).toBe(`chat-worker-trigger@${PROJECT}.iam.gserviceaccount.com`);
    const invokers = commands.filter((c) => c.words[1] === 'add-invoker-policy-binding').map((c) => `${c.words[2]} ${c.flags.member}`);
    expect(invokers).toEqual([`chat-pubsub serviceAccount:chat-worker-trigger@${PROJECT}.iam.gserviceaccount.com`, `chat-worker serviceAccount:chat-worker-trigger@${PROJECT}.iam.gserviceaccount.com`]);
    expect(() => loadPubsubConfig(envVarsFlag(door.flags['set-env-vars']))).not.toThrow();
    // Both Eventarc subscriptions get the dead-letter policy; chat-pubsub's ack deadline covers its timeout.
    const updates = commands.filter((c) => c.words[1] === 'subscriptions' && c.words[2] === 'update');
    expect(updates.map((c) => c.flags['ack-deadline'])).toEqual([String(ev.variable('worker_timeout_seconds')), String(ev.variable('events_timeout_seconds'))]);
    // Setup: the topic, with Chat's push account as its publisher, as Terraform grants it.
    const setup = deployDryRun([`--project=${PROJECT}`, '--connection=pubsub', '--setup']);
    const grant = setup.find((c) => c.words.slice(0, 3).join(' ') === 'pubsub topics add-iam-policy-binding' && c.words[3] === 'chat-events');
    expect(grant?.flags).toMatchObject({ member: ev.local('chat_push_publisher'), role: tf.resources.google_pubsub_topic_iam_member.chat_publishes_events.role });
  });

  it('takes settings from the environment, and flags over the environment', () => {
    const [events, , worker] = deploys(
      deployDryRun([`--project=${PROJECT}`, '--audience-mode=endpoint-url', '--events-max-instances=3'], {
        EVENTS_MAX_INSTANCES: '7',
        WORKER_MAX_INSTANCES: '4',
        JOB_TTL_DAYS: '30',
        CHAT_CERTS_URL: 'https://certs.example.com/',
      }),
    );
    expect(events.flags['max-instances']).toBe('3');
    expect(worker.flags['max-instances']).toBe('4');
    expect(envVarsFlag(worker.flags['set-env-vars']).JOB_TTL_DAYS).toBe('30');
    expect(envVarsFlag(events.flags['set-env-vars']).CHAT_CERTS_URL).toBe('https://certs.example.com/');
  });

  it('prints the dead-letter and retry settings of the worker subscription, like Terraform', () => {
    const update = deployDryRun([`--project=${PROJECT}`, '--audience-mode=endpoint-url']).find((c) => c.words[1] === 'subscriptions' && c.words[2] === 'update');
    const ev = new TerraformEvaluator(tf, { project_id: PROJECT, chat_audience_mode: 'endpoint-url' });
    expect(update?.flags).toMatchObject({
      'dead-letter-topic': `projects/${PROJECT}/topics/${ev.variable('dead_letter_topic')}`,
      'max-delivery-attempts': String(ev.variable('dead_letter_max_delivery_attempts')),
      'min-retry-delay': `${ev.variable('retry_minimum_backoff_seconds')}s`,
      'max-retry-delay': `${ev.variable('retry_maximum_backoff_seconds')}s`,
    });
  });

  it('--setup creates what Terraform creates: topics, TTL policies, roles', () => {
    const commands = deployDryRun([`--project=${PROJECT}`, '--audience-mode=endpoint-url', '--setup']);
    const lines = commands.map((c) => `${c.words.join(' ')} ${Object.entries(c.flags).map(([k, v]) => `--${k}=${v}`).join(' ')}`);
    const ttl = commands.filter((c) => c.words.slice(0, 4).join(' ') === 'firestore fields ttls update');
    expect(ttl.map((c) => `${c.flags['collection-group']}.${c.words[4]}`).sort()).toEqual(['deliveries.expireAt', 'jobs.expireAt']);
    expect(lines.some((l) => l.startsWith('pubsub topics create chat-jobs '))).toBe(true);
    expect(lines.some((l) => l.startsWith('pubsub topics create chat-jobs-dead-letter '))).toBe(true);
    expect(lines.some((l) => l.startsWith('firestore databases create') && l.includes('--type=firestore-native'))).toBe(true);
    // The index exemptions Terraform makes: the unindexed fields and the TTL fields.
    const ev = new TerraformEvaluator(tf, { project_id: PROJECT, chat_audience_mode: 'endpoint-url' });
    const exempt = commands.filter((c) => c.words.slice(0, 4).join(' ') === 'firestore indexes fields update').map((c) => `${c.flags['collection-group']}.${c.words[4]}`);
    const tfExempt = [
      ...Object.values(ev.local('unindexed_fields') as Record<string, { collection: string; field: string }>).map((f) => `${f.collection}.${f.field}`),
      ...Object.entries(ev.local('ttl_fields') as Record<string, string>).map(([collection, field]) => `${collection}.${field}`),
    ];
    expect(exempt.sort()).toEqual(tfExempt.sort());
    // Firestore roles with Terraform's condition, for each function's account.
    const condition = ev.local('firestore_condition') as Record<string, string>;
    const datastore = commands.filter((c) => c.flags.role === 'roles/datastore.user');
    expect(datastore.map((c) => c.flags.member).sort()).toEqual(['chat-events', 'chat-webhooks', 'chat-worker'].map((n) => `serviceAccount:${n}@${PROJECT}.iam.gserviceaccount.com`));
    for (const c of datastore) {
      expect(c.flags.condition).toBe(`expression=${condition.expression},title=${condition.title},description=${condition.description}`);
    }
    const apis = commands.find((c) => c.words[0] === 'services' && c.words[1] === 'enable')?.words.slice(2).sort();
    const tfApis = (expressionOf(tf.locals.apis) ?? '').match(/"[a-z.]+googleapis\.com"/g)?.map((s) => s.slice(1, -1)).sort();
    expect(apis).toEqual(tfApis);
  });

  it('stages the same files Terraform zips', () => {
    const output = execFileSync(process.execPath, [DEPLOY_SCRIPT, '--dry-run', `--project=${PROJECT}`, '--audience-mode=endpoint-url'], {
      encoding: 'utf8',
    });
    const listed = /The deployed source is (.*), copied to/.exec(output)?.[1].split(' ');
    expect(listed).toEqual([...(tf.locals.source_root_files as string[]), ...(tf.locals.source_dirs as string[]).map((d) => `${d}/`)]);
  });

  it('stages exactly those files, and gcloud uploads exactly them (gcloud meta list-files-for-upload)', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'stage-')), 'source');
    try {
      execFileSync(process.execPath, [DEPLOY_SCRIPT, '--stage-only', `--source-dir=${dir}`], { stdio: ['ignore', 'pipe', 'pipe'] });
      const expected = [
        ...(tf.locals.source_root_files as string[]),
        ...(tf.locals.source_dirs as string[]).flatMap((d) => filesUnder(join(REPO_ROOT, d)).map((f) => relative(REPO_ROOT, f))),
      ].sort();
      const listed = execFileSync('gcloud', ['meta', 'list-files-for-upload', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
        .split('\n')
        .filter(Boolean)
        .sort();
      expect(listed).toEqual(expected);
    } finally {
      rmSync(dirname(dir), { recursive: true, force: true });
    }
  });

  it('refuses inconsistent settings with a clear message', () => {
    const run = (args: string[]) => () => deployDryRun(args);
    expect(run([`--project=${PROJECT}`, '--audience-mode=project-number'])).toThrow(/project number/);
    expect(run([`--project=${PROJECT}`, '--audience-mode=project-number', `--audience=${NUMBER}`, '--invoker=chat-only'])).toThrow(/project-number mode/);
    expect(run([`--project=${PROJECT}`, '--audience-mode=addon'])).toThrow(/--addon-service-account/);
    expect(run(['--audience-mode=endpoint-url'])).toThrow(/--project \(GOOGLE_CLOUD_PROJECT\) is required/);
    expect(run([`--project=${PROJECT}`, '--audience-mode=endpoint-url', '--job-max-attempts=20'])).toThrow(/dead-letter/);
  });

  it('fails with a clear message when gcloud is missing (without --dry-run)', () => {
    const result = spawnSync(process.execPath, [DEPLOY_SCRIPT, `--project=${PROJECT}`, '--audience-mode=endpoint-url'], {
      encoding: 'utf8',
      env: { PATH: '/nonexistent' },
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/gcloud \(the Google Cloud CLI\) is not installed/);
  });
});
