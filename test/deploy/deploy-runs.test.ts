/**
 * The two gcloud paths run for real, with gcloud replaced by the recorder: cloudbuild.yaml through
 * the local Cloud Build runner, and `npm run deploy` without --dry-run. Each must make exactly the
 * calls `npm run deploy -- --dry-run` prints for the same settings, and a redeploy over an existing
 * public chat-events must never leave it without an invoker Chat can use.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecord, recorderBin, runCloudBuild, type RecordedCall } from './cloud-build';
import { deployDryRun, REPO_ROOT, type GcloudCommand } from './support';

const PROJECT = 'my-chat-project';
const NUMBER = '123456789012';
const REGION = 'us-central1';
const ADDON = `service-${NUMBER}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`;
const BUILT_INS = { PROJECT_ID: PROJECT, PROJECT_NUMBER: NUMBER, BUILD_ID: 'b-1', LOCATION: REGION };
const SKIP = ['install', 'test'];
/** What the recorder answers for a function's trigger and its subscription. */
const triggerId = (fn: string) => `${fn}-123456`;
const subscription = (fn: string) => `projects/${PROJECT}/subscriptions/eventarc-${REGION}-${triggerId(fn)}-sub-789`;

/** Per mode: Cloud Build substitutions, and the same settings as deploy.mjs flags. */
const MODES = {
  'endpoint-url': { subs: { _AUDIENCE_MODE: 'endpoint-url' }, flags: ['--audience-mode=endpoint-url'] },
  'project-number': { subs: { _AUDIENCE_MODE: 'project-number', _AUDIENCE: NUMBER }, flags: ['--audience-mode=project-number', `--audience=${NUMBER}`] },
  addon: { subs: { _AUDIENCE_MODE: 'addon', _ADDON_SERVICE_ACCOUNT: ADDON }, flags: ['--audience-mode=addon', `--addon-service-account=${ADDON}`] },
} as const;
type Mode = keyof typeof MODES;
/** Chat's Cloud Pub/Sub connection: no audience, no chat-events. */
const PUBSUB = { subs: { _CONNECTION: 'pubsub' }, flags: ['--connection=pubsub'] } as const;
type Settings = { subs: Readonly<Record<string, string>>; flags: readonly string[] };

/** Who Chat calls chat-events as, in each mode: what must be allowed to invoke it at every moment. */
const CHAT_CALLER: Record<Mode, string[]> = {
  'endpoint-url': ['allUsers', 'serviceAccount:chat@system.gserviceaccount.com'],
  'project-number': ['allUsers'],
  addon: ['allUsers', `serviceAccount:${ADDON}`],
};

const asLine = (c: GcloudCommand) => [...c.words, ...Object.entries(c.flags).map(([k, v]) => (v === true ? `--${k}` : `--${k}=${v}`))].join(' ');
const recorded = (calls: RecordedCall[]) => calls.map((c) => c.args.join(' '));

/** The dry run's lines with its placeholders replaced by what the recorder answers for the function described last. */
function dryRun(mode: Mode | Settings, extra: string[] = []): string[] {
  const settings = typeof mode === 'string' ? MODES[mode] : mode;
  const commands = deployDryRun([`--project=${PROJECT}`, `--region=${REGION}`, `--project-number=${NUMBER}`, ...settings.flags, '--source-dir=/deploy-source', ...extra]);
  let fn = '';
  return commands.map((c) => {
    if (c.words[0] === 'functions' && c.words[1] === 'describe') fn = c.words[2];
    return asLine(c).replace('<TRIGGER>', triggerId(fn)).replace('<SUBSCRIPTION>', subscription(fn));
  });
}

/** A project where the app was deployed before, public, as every earlier version deployed it. */
const EXISTING_PUBLIC = {
  functions: {
    'chat-events': { labels: {}, invokers: ['allUsers'] },
    'chat-worker': { labels: {}, invokers: [`serviceAccount:chat-worker-trigger@${PROJECT}.iam.gserviceaccount.com`] },
  },
};

/** Runs `node scripts/deploy.mjs` (no --dry-run) with the recorder as gcloud. */
function deployForReal(mode: Mode | Settings, state: unknown, extra: string[] = []) {
  const settings = typeof mode === 'string' ? MODES[mode] : mode;
  const root = mkdtempSync(join(tmpdir(), 'deploy-run-'));
  try {
    const bin = recorderBin(root);
    writeFileSync(join(root, 'state.json'), JSON.stringify(state));
    const result = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'scripts', 'deploy.mjs'), `--project=${PROJECT}`, `--region=${REGION}`, `--project-number=${NUMBER}`, ...settings.flags, `--source-dir=${join(root, 'source')}`, ...extra],
      {
        encoding: 'utf8',
        env: { PATH: `${bin}:${process.env.PATH}`, GCLOUD_RECORD: join(root, 'calls.jsonl'), GCLOUD_STATE: join(root, 'state.json'), GCLOUD_PROJECT_NUMBER: NUMBER },
      },
    );
    const calls = readRecord(join(root, 'calls.jsonl')).map((c) => ({ ...c, args: c.args.map((a) => a.replace(join(root, 'source'), '/deploy-source')) }));
    return { status: result.status, output: result.stdout + result.stderr, calls };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe.each(Object.keys(MODES) as Mode[])('%s mode', (mode) => {
  it('Cloud Build runs every step (install and test aside) and makes exactly the dry run\'s gcloud calls', () => {
    const build = runCloudBuild({ builtIns: BUILT_INS, substitutions: { _REGION: REGION, ...MODES[mode].subs }, skip: SKIP });
    expect(recorded(build.calls)).toEqual(dryRun(mode));
  });

  it('npm run deploy makes exactly the calls its dry run prints', () => {
    const run = deployForReal(mode, { functions: {} });
    expect([run.status, run.output]).toEqual([0, expect.any(String)]);
    // After the deploy it reads the URL chat-events got, to warn if it is not the predicted one.
    expect(recorded(run.calls)).toEqual([...dryRun(mode), `functions describe chat-events --project=${PROJECT} --region=${REGION} --format=value(url)`]);
  });

  it.each(['Cloud Build', 'npm run deploy'])('%s over an existing public chat-events never leaves Chat without an invoker', (path) => {
    const calls = path === 'Cloud Build'
      ? runCloudBuild({ builtIns: BUILT_INS, substitutions: { _REGION: REGION, ...MODES[mode].subs }, skip: SKIP, state: EXISTING_PUBLIC }).calls
      : deployForReal(mode, EXISTING_PUBLIC).calls;
    const cutOff = calls.filter((c) => !(c.invokers['chat-events'] ?? []).some((m) => CHAT_CALLER[mode].includes(m)));
    expect(cutOff.map((c) => c.args.join(' '))).toEqual([]);
    // And it ends as the mode wants: only Chat in endpoint-url and addon modes, public otherwise;
    // the webhooks door public in every mode.
    const last = calls[calls.length - 1].invokers;
    expect(last['chat-events']).toEqual(mode === 'project-number' ? ['allUsers'] : [CHAT_CALLER[mode][1]]);
    expect(last['chat-webhooks']).toEqual(['allUsers']);
  });

  it.each(['Cloud Build', 'npm run deploy'])('%s refuses to deploy over functions Terraform deploys', (path) => {
    const state = { functions: { ...EXISTING_PUBLIC.functions, 'chat-events': { labels: { 'deployed-by': 'terraform' }, invokers: ['allUsers'] } } };
    if (path === 'Cloud Build') {
      expect(() => runCloudBuild({ builtIns: BUILT_INS, substitutions: { _REGION: REGION, ...MODES[mode].subs }, skip: SKIP, state })).toThrow(
        /step "check-owner" failed[\s\S]*Terraform deploys projects\/my-chat-project\/locations\/us-central1\/functions\/chat-events/,
      );
    } else {
      const run = deployForReal(mode, state);
      expect(run.status).toBe(2);
      expect(run.output).toMatch(/Terraform deploys .*chat-events/);
      expect(run.calls.filter((c) => c.args[1] === 'deploy')).toEqual([]);
    }
  });
});

describe('Cloud Pub/Sub connection', () => {
  const trigger = `serviceAccount:chat-worker-trigger@${PROJECT}.iam.gserviceaccount.com`;

  it("Cloud Build makes exactly the dry run's calls: chat-pubsub in place of chat-events, both subscriptions dead-lettered", () => {
    const build = runCloudBuild({ builtIns: BUILT_INS, substitutions: { _REGION: REGION, ...PUBSUB.subs }, skip: SKIP });
    const calls = recorded(build.calls);
    expect(calls).toEqual(dryRun(PUBSUB));
    expect(calls.filter((c) => c.startsWith('functions deploy')).map((c) => c.split(' ')[2])).toEqual(['chat-pubsub', 'chat-webhooks', 'chat-worker']);
    expect(calls.filter((c) => c.startsWith('pubsub subscriptions update')).map((c) => c.split(' ')[3])).toEqual([subscription('chat-worker'), subscription('chat-pubsub')]);
    // Only the trigger may invoke chat-pubsub; nothing is public but the webhooks door.
    const last = build.calls[build.calls.length - 1].invokers;
    expect(last['chat-pubsub']).toEqual([trigger]);
    expect(last['chat-events']).toBeUndefined();
  });

  it('npm run deploy makes exactly the calls its dry run prints', () => {
    const run = deployForReal(PUBSUB, { functions: {} });
    expect([run.status, run.output]).toEqual([0, expect.stringContaining('Cloud Pub/Sub, topic projects/my-chat-project/topics/chat-events')]);
    expect(recorded(run.calls)).toEqual(dryRun(PUBSUB));
  });
});
