/**
 * Every gcloud call the three deploy paths make, parsed by the installed gcloud: offline, with an
 * empty configuration and no credentials, so gcloud checks the command, its flags and their values
 * and then stops at "no active account" before any request. That error is a pass; anything else
 * (an unknown flag, a bad value, a missing argument) fails. Nothing can leave the machine: every
 * proxy setting points at 127.0.0.1:9 (the discard port) and so does the metadata server's address
 * (gcloud otherwise resolves metadata.google.internal while looking for credentials).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecord, recorderBin } from './cloud-build';
import { loadTerraform, REPO_ROOT, shellWords, TerraformEvaluator } from './support';

const PROJECT = 'my-chat-project';
const NUMBER = '123456789012';
const REGION = 'us-central1';
const ADDON = `service-${NUMBER}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`;
const TRIGGER_ID = 'chat-worker-123456';
const SUBSCRIPTION = `projects/${PROJECT}/subscriptions/eventarc-${REGION}-${TRIGGER_ID}-sub-789`;
const AUTH_ERROR = /You do not currently have an active account selected/;

const gcloudVersion = spawnSync('gcloud', ['--version'], { encoding: 'utf8' });
const HAVE_GCLOUD = !gcloudVersion.error && gcloudVersion.status === 0;

/**
 * Every distinct call shape: the dry runs (with --setup) in each mode and Terraform's local-exec.
 * Calls that differ only in a positional name (a field, an account) are parsed once: gcloud checks
 * flags and their values, and those are kept in the key.
 */
async function allCalls(): Promise<Map<string, string[]>> {
  const calls = new Map<string, string[]>();
  const add = (args: string[], from: string) => {
    const key = args.filter((a, i) => a.startsWith('--') || i < 3).map((a) => a.replace(/^(--(?:member|display-name)=).*/, '$1')).join('\u0000');
    if (!calls.has(key)) calls.set(key, [from, ...args]);
  };
  for (const flags of [
    ['--audience-mode=endpoint-url'],
    ['--audience-mode=endpoint-url', '--invoker=public'],
    ['--audience-mode=project-number', `--audience=${NUMBER}`],
    ['--audience-mode=addon', `--addon-service-account=${ADDON}`],
    ['--connection=pubsub'],
  ]) {
    const output = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'deploy.mjs'), '--dry-run', '--setup', `--project=${PROJECT}`, `--project-number=${NUMBER}`, ...flags], { encoding: 'utf8' });
    if (output.status !== 0) throw new Error(output.stderr);
    for (const line of output.stdout.split('\n').filter((l) => l.startsWith('gcloud '))) {
      add(shellWords(line.replace('<TRIGGER>', TRIGGER_ID).replace('<SUBSCRIPTION>', SUBSCRIPTION)).slice(1), `npm run deploy -- --dry-run --setup ${flags.join(' ')}`);
    }
  }
  // cloudbuild.yaml makes exactly the dry run's calls (deploy-runs.test.ts), so they are covered here.
  for (const args of await terraformCalls()) add(args, 'terraform/worker_subscription.tf');
  return calls;
}

/** Runs Terraform's local-exec script with its interpolations filled in, and gcloud = the recorder. */
async function terraformCalls(): Promise<string[][]> {
  const tf = await loadTerraform();
  const ev = new TerraformEvaluator(tf, { project_id: PROJECT, chat_audience_mode: 'endpoint-url' }, { 'google_project.this.number': NUMBER });
  // Known only after apply: the values the platform gives them.
  const applied: Record<string, string> = {
    'local.subscribed_triggers': `${TRIGGER_ID}:${REGION}:${ev.variable('worker_timeout_seconds')}`,
    'google_pubsub_topic.dead_letter.id': `projects/${PROJECT}/topics/${ev.variable('dead_letter_topic')}`,
    'local.pubsub_service_agent': `serviceAccount:service-${NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com`,
  };
  const script = (tf.locals.worker_subscription_script as string).replace(/\$\{([^}]+)\}/g, (_, e: string) => applied[e.trim()] ?? String(ev.expression(e)));
  const root = mkdtempSync(join(tmpdir(), 'tf-exec-'));
  try {
    const bin = recorderBin(root);
    writeFileSync(join(root, 'state.json'), JSON.stringify({ functions: { 'chat-worker': { labels: {}, invokers: [] } } }));
    const result = spawnSync('bash', ['-c', script], {
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, GCLOUD_RECORD: join(root, 'calls.jsonl'), GCLOUD_STATE: join(root, 'state.json') },
    });
    if (result.status !== 0) throw new Error(`terraform's script failed: ${result.stderr}`);
    return readRecord(join(root, 'calls.jsonl')).map((c) => c.args);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function parseWithGcloud(args: string[], config: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('gcloud', args, {
      env: {
        PATH: process.env.PATH,
        CLOUDSDK_CONFIG: config,
        CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
        CLOUDSDK_CORE_CHECK_GCE_METADATA: 'false',
        CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: 'true',
        CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: 'true',
        CLOUDSDK_PROXY_TYPE: 'http',
        CLOUDSDK_PROXY_ADDRESS: '127.0.0.1',
        CLOUDSDK_PROXY_PORT: '9',
        HTTPS_PROXY: 'http://127.0.0.1:9',
        HTTP_PROXY: 'http://127.0.0.1:9',
        GCE_METADATA_ROOT: '127.0.0.1:9',
        GCE_METADATA_IP: '127.0.0.1:9',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

(HAVE_GCLOUD ? describe : describe.skip)(`every gcloud call, parsed by the installed gcloud${HAVE_GCLOUD ? '' : ' (skipped: gcloud is not installed)'}`, () => {
  it('is accepted up to the missing credentials', async () => {
    const calls = [...(await allCalls()).values()];
    expect(calls.length).toBeGreaterThan(20);
    const config = mkdtempSync(join(tmpdir(), 'gcloud-config-'));
    const problems: string[] = [];
    try {
      // Four at a time: each gcloud start costs a second or two of CPU.
      const queue = [...calls];
      await Promise.all(
        [0, 1, 2, 3].map(async () => {
          for (let next = queue.shift(); next; next = queue.shift()) {
            const [from, ...args] = next;
            const result = await parseWithGcloud(args, config);
            if (!AUTH_ERROR.test(result.stderr)) problems.push(`${from}: gcloud ${args.join(' ')}\n  -> exit ${result.status}: ${result.stderr.trim().split('\n')[0]}`);
          }
        }),
      );
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
    expect(problems).toEqual([]);
  }, 1_200_000);
});
