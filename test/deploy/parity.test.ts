/**
 * The three ways to deploy (terraform/, cloudbuild.yaml, scripts/deploy.mjs) must produce the same two
 * functions: same names, runtime, entry points, triggers, identities, environment variables and limits.
 * Terraform's defaults are the reference.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { loadEventsConfig, loadWorkerConfig } from '../../shared/config';
import {
  type Block,
  type CloudBuild,
  type GcloudCommand,
  deployDryRun,
  envVarsFlag,
  expressionOf,
  loadCloudBuild,
  loadTerraform,
  nested,
  parseGcloud,
  readEnvContract,
  REPO_ROOT,
  requiredVariables,
  substitute,
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
let build: CloudBuild;
beforeAll(async () => {
  tf = await loadTerraform();
  build = loadCloudBuild();
});

/** What Terraform deploys for one function, in gcloud's terms. */
function fromTerraform(entryPoint: string, mode: string): Expected {
  const ev = new TerraformEvaluator(tf, { project_id: PROJECT, chat_audience_mode: mode }, { 'google_project.this.number': NUMBER });
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
  expect(events.flags['no-allow-unauthenticated']).toBe(true);
  expect(events.flags.gen2).toBe(true);
  expect(worker.flags.gen2).toBe(true);
  expect(worker.flags['trigger-topic']).toBe('chat-jobs');
  expect(worker.flags.retry).toBe(true);
  expect(worker.flags['trigger-service-account']).toBe(`chat-worker-trigger@${PROJECT}.iam.gserviceaccount.com`);
  expect(worker.flags['trigger-http']).toBeUndefined();
}

const deploys = (commands: GcloudCommand[]) => commands.filter((c) => c.words[0] === 'functions' && c.words[1] === 'deploy');

describe('cloudbuild.yaml', () => {
  const builtIns = { PROJECT_ID: PROJECT, PROJECT_NUMBER: NUMBER, BUILD_ID: 'b', LOCATION: 'us-central1' };
  const values = () => {
    const subs: Record<string, string> = { ...builtIns };
    for (const [k, v] of Object.entries(build.substitutions)) subs[k] = String(v);
    for (const k of Object.keys(build.substitutions)) subs[k] = substitute(subs[k], subs);
    return subs;
  };
  const gcloudSteps = () =>
    build.steps.filter((s) => s.entrypoint === 'gcloud').map((s) => parseGcloud((s.args ?? []).map((a) => substitute(String(a), values()))));

  it('uses only user substitutions that start with _ and are all referenced', () => {
    const text = JSON.stringify(build.steps);
    for (const name of Object.keys(build.substitutions)) {
      expect(name).toMatch(/^_[A-Z0-9_]+$/);
      expect([name, text.includes(`\${${name}}`) || text.includes(`$${name}`)]).toEqual([name, true]);
    }
    expect(build.options?.dynamicSubstitutions).toBe(true);
    expect(Object.keys(build.substitutions)).toEqual(expect.arrayContaining(['_REGION', '_AUDIENCE_MODE', '_AUDIENCE']));
  });

  it('installs, tests with the emulators, builds, then deploys', () => {
    const ids = build.steps.map((s) => s.id);
    const order = ['install', 'test', 'build', 'stage-source', 'deploy-chat-events', 'deploy-chat-worker', 'worker-subscription'];
    expect(order.map((id) => ids.indexOf(id))).toEqual([...order.map((id) => ids.indexOf(id))].sort((a, b) => a - b));
    expect(ids.indexOf('install')).toBeGreaterThanOrEqual(0);
    const test = build.steps.find((s) => s.id === 'test');
    const script = (test?.args ?? []).join('\n');
    for (const pkg of ['google-cloud-cli-firestore-emulator', 'google-cloud-cli-pubsub-emulator', 'openjdk-17-jre-headless', 'terraform', 'npm test']) {
      expect([pkg, script.includes(pkg)]).toEqual([pkg, true]);
    }
    expect(test?.name).toMatch(/^node:22/);
    const stage = build.steps.find((s) => s.id === 'stage-source');
    expect(stage?.args).toEqual(['scripts/deploy.mjs', '--stage-only', '--source-dir=/workspace/.deploy-source']);
  });

  it('deploys both functions with the same settings as Terraform', () => {
    const commands = deploys(gcloudSteps());
    expect(commands.map((c) => c.words[2])).toEqual(['chat-events', 'chat-worker']);
    const mode = values()._AUDIENCE_MODE;
    expect(asDeployed(commands[0])).toEqual(fromTerraform('chatEvents', mode));
    expect(asDeployed(commands[1])).toEqual(fromTerraform('chatWorker', mode));
    checkTriggers(commands[0], commands[1]);
    for (const c of commands) {
      expect(c.flags.region).toBe(values()._REGION);
      expect(c.flags.source).toBe('/workspace/.deploy-source');
    }
  });

  it('sets every variable shared/config.ts requires, with values it accepts', () => {
    const [events, worker] = deploys(gcloudSteps()).map((c) => envVarsFlag(c.flags['set-env-vars']));
    expect(requiredVariables(loadEventsConfig, events).missing).toEqual([]);
    expect(requiredVariables(loadWorkerConfig, worker).missing).toEqual([]);
    expect(() => loadEventsConfig(events)).not.toThrow();
    expect(() => loadWorkerConfig(worker)).not.toThrow();
    const reads = readEnvContract().reads;
    for (const name of Object.keys(events)) expect([name, reads.events.has(name)]).toEqual([name, true]);
    for (const name of Object.keys(worker)) expect([name, reads.worker.has(name)]).toEqual([name, true]);
  });

  it('grants the invokers and configures the dead-letter policy like Terraform', () => {
    const bindings = gcloudSteps().filter((c) => c.words[1] === 'add-invoker-policy-binding');
    expect(bindings.map((b) => [b.words[2], b.flags.member])).toEqual([
      ['chat-events', new TerraformEvaluator(tf, { project_id: PROJECT, chat_audience_mode: values()._AUDIENCE_MODE }).local('events_invoker_member')],
      ['chat-worker', `serviceAccount:chat-worker-trigger@${PROJECT}.iam.gserviceaccount.com`],
    ]);
    const script = substitute((build.steps.find((s) => s.id === 'worker-subscription')?.args ?? []).join('\n'), values());
    const ev = new TerraformEvaluator(tf, { project_id: PROJECT, chat_audience_mode: 'endpoint-url' });
    expect(script).toContain(`--dead-letter-topic=projects/${PROJECT}/topics/${ev.variable('dead_letter_topic')}`);
    expect(script).toContain(`--max-delivery-attempts=${ev.variable('dead_letter_max_delivery_attempts')}`);
    expect(script).toContain(`--min-retry-delay=${ev.variable('retry_minimum_backoff_seconds')}s`);
    expect(script).toContain(`--max-retry-delay=${ev.variable('retry_maximum_backoff_seconds')}s`);
    expect(script).toContain('--role=roles/pubsub.subscriber');
  });
});

describe('scripts/deploy.mjs --dry-run', () => {
  it.each([
    ['endpoint-url', []],
    ['project-number', [`--audience=${NUMBER}`]],
    ['addon', [`--project-number=${NUMBER}`]],
    ['endpoint-url', ['--invoker=chat-only']],
    ['addon', [`--project-number=${NUMBER}`, '--invoker=chat-only']],
  ])('%s mode %j: prints the same deploys as Terraform', (mode, extra) => {
    const commands = deployDryRun([`--project=${PROJECT}`, `--audience-mode=${mode}`, ...extra]);
    const deployed = deploys(commands);
    expect(deployed.map((c) => c.words[2])).toEqual(['chat-events', 'chat-worker']);
    const source = deployed[0].flags.source;
    expect(asDeployed(deployed[0])).toEqual(fromTerraform('chatEvents', mode));
    expect(asDeployed(deployed[1])).toEqual(fromTerraform('chatWorker', mode));
    checkTriggers(deployed[0], deployed[1]);
    expect(deployed[1].flags.source).toBe(source);

    const invoker = commands.find((c) => c.words[1] === 'add-invoker-policy-binding' && c.words[2] === 'chat-events');
    const inputs = { project_id: PROJECT, chat_audience_mode: mode, ...(extra.includes('--invoker=chat-only') ? { events_invoker: 'chat-only' } : {}) };
    const ev = new TerraformEvaluator(tf, inputs, { 'google_project.this.number': NUMBER });
    expect(invoker?.flags.member).toBe(ev.local('events_invoker_member'));
    const env = envVarsFlag(deployed[0].flags['set-env-vars']);
    expect(() => loadEventsConfig(env)).not.toThrow();
  });

  it('takes settings from the environment, and flags over the environment', () => {
    const [events, worker] = deploys(
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
