/**
 * A local Cloud Build runner for the deploy tests: runs cloudbuild.yaml's steps in order the way
 * Cloud Build does (https://cloud.google.com/build/docs/build-config-file-schema), without images:
 *   - the checkout (tracked and new files, not ignored ones) is copied to a folder standing for
 *     /workspace, the only thing steps share besides the volumes they declare;
 *   - a declared volume is a folder shared by the steps that declare it; any other absolute path a
 *     step uses (a volume it did not declare, /tmp) is a fresh folder of its own, as in a container;
 *   - substitutions: the built-ins, the file's defaults overridden by the caller's, expanded in
 *     each other when dynamicSubstitutions is on; $$ is a literal $; an unknown one fails the build;
 *   - each step: `dir` under /workspace, `entrypoint` (else the image's: bash for `bash`, else the
 *     first argument), `args`, `env`; a non-zero exit stops the build.
 * gcloud is the recorder (gcloud-recorder.js) on PATH; bash and node are the machine's.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT, substitute } from './support';

export interface CloudBuildStep {
  id?: string;
  name: string;
  entrypoint?: string;
  args?: string[];
  env?: string[];
  dir?: string;
  volumes?: Array<{ name: string; path: string }>;
}

export interface CloudBuildFile {
  substitutions?: Record<string, string>;
  options?: { dynamicSubstitutions?: boolean; logging?: string; [key: string]: unknown };
  serviceAccount?: string;
  steps: CloudBuildStep[];
}

export interface RecordedCall {
  args: string[];
  invokers: Record<string, string[]>;
  failed: boolean;
}

export interface BuildRun {
  /** The ids of the steps that ran, in order. */
  ran: string[];
  /** Every gcloud call, with container paths (/workspace, volumes) as the build saw them. */
  calls: RecordedCall[];
  /** The build's top-level serviceAccount after substitution. */
  serviceAccount?: string;
}

export const RECORDER = join(__dirname, 'gcloud-recorder.js');

export function loadCloudBuildFile(): CloudBuildFile {
  return parseYaml(readFileSync(join(REPO_ROOT, 'cloudbuild.yaml'), 'utf8')) as CloudBuildFile;
}

/** A folder with `gcloud` = the recorder, to put first on PATH. */
export function recorderBin(root: string): string {
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(RECORDER, join(bin, 'gcloud')); // executable in git, `#!/usr/bin/env node`
  return bin;
}

export function readRecord(file: string): RecordedCall[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RecordedCall);
}

function copyCheckout(to: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(REPO_ROOT, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(join(REPO_ROOT, file), join(to, file));
  }
}

export function runCloudBuild(options: {
  builtIns: Record<string, string>;
  substitutions?: Record<string, string>;
  /** Step ids not to run (the install and test steps). */
  skip: string[];
  /** Recorder state, e.g. functions that exist before the build. */
  state?: unknown;
  config?: CloudBuildFile;
}): BuildRun {
  const config = options.config ?? loadCloudBuildFile();
  const root = mkdtempSync(join(tmpdir(), 'cloud-build-'));
  try {
    const workspace = join(root, 'workspace');
    mkdirSync(workspace);
    copyCheckout(workspace);
    const bin = recorderBin(root);
    const record = join(root, 'calls.jsonl');
    const statePath = join(root, 'state.json');
    writeFileSync(statePath, JSON.stringify(options.state ?? { functions: {} }));

    const values: Record<string, string> = { ...options.builtIns };
    for (const [k, v] of Object.entries({ ...config.substitutions, ...options.substitutions })) {
      if (!k.startsWith('_')) throw new Error(`user substitution ${k} must start with _`);
      values[k] = String(v);
    }
    if (config.options?.dynamicSubstitutions) {
      for (const k of Object.keys(values)) values[k] = substitute(values[k], values);
    }

    const volumes = new Map<string, string>();
    const volumePaths = new Set(config.steps.flatMap((s) => (s.volumes ?? []).map((v) => v.path)));
    const ran: string[] = [];
    const containerPaths: Array<[string, string]> = [['/workspace', workspace]];
    config.steps.forEach((step, index) => {
      const id = step.id ?? String(index);
      if (options.skip.includes(id)) return;
      // What this step's container sees: /workspace, its declared volumes, and its own scratch.
      const mounts: Array<[string, string]> = [['/workspace', workspace]];
      for (const v of step.volumes ?? []) {
        if (!volumes.has(v.name)) {
          volumes.set(v.name, join(root, 'volumes', v.name));
          mkdirSync(volumes.get(v.name) as string, { recursive: true });
        }
        mounts.push([v.path, volumes.get(v.name) as string]);
        containerPaths.push([v.path, volumes.get(v.name) as string]);
      }
      const scratch = join(root, 'scratch', id);
      // A volume path this step did not declare is a plain folder of its own container.
      for (const path of volumePaths) if (!mounts.some(([p]) => p === path)) mounts.push([path, join(scratch, path)]);
      const local = (text: string) =>
        mounts.reduce(
          (out, [path, dir]) => out.replace(new RegExp(`(^|[\\s='"])${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?=$|[/\\s'"])`, 'g'), `$1${dir}`),
          substitute(text, values),
        );
      const args = (step.args ?? []).map(String).map(local);
      const entrypoint = step.entrypoint ?? (step.name === 'bash' ? 'bash' : args.shift());
      if (!entrypoint) throw new Error(`step ${id} has neither entrypoint nor args`);
      const program = { gcloud: RECORDER, node: process.execPath, bash: '/bin/bash' }[entrypoint] ?? entrypoint;
      const env: Record<string, string> = {
        PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
        HOME: join(root, 'home'),
        GCLOUD_RECORD: record,
        GCLOUD_STATE: statePath,
        GCLOUD_PROJECT_NUMBER: values.PROJECT_NUMBER ?? '',
        BUILDER_OUTPUT: join(root, 'builder-output'),
      };
      for (const pair of step.env ?? []) {
        const resolved = local(pair);
        env[resolved.slice(0, resolved.indexOf('='))] = resolved.slice(resolved.indexOf('=') + 1);
      }
      mkdirSync(scratch, { recursive: true });
      const result = spawnSync(program, args, { cwd: join(workspace, step.dir ?? ''), env, encoding: 'utf8' });
      if (result.error) throw result.error;
      if (result.status !== 0) {
        throw new Error(`Cloud Build step "${id}" failed with exit code ${result.status}:\n${result.stdout}${result.stderr}`);
      }
      ran.push(id);
    });

    // Back to the paths the build used, so calls compare with what a person would type.
    const toContainer = (arg: string) => containerPaths.reduce((a, [path, dir]) => a.split(dir).join(path), arg);
    const calls = readRecord(record).map((c) => ({ ...c, args: c.args.map(toContainer) }));
    return { ran, calls, serviceAccount: config.serviceAccount === undefined ? undefined : substitute(config.serviceAccount, values) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
