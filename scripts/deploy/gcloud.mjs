/** Running gcloud: each call echoed as a shell line, the failures that are fine, and the check that gcloud is there. */
import { spawnSync } from 'node:child_process';
import { UsageError } from './usage-error.mjs';

/** A command as one line that a POSIX shell would run unchanged. */
export function shellLine(args) {
  return args.map((arg) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The failures a deploy takes as done: the resource is there already, or the binding to remove is not. */
export const isAbsentBinding = (stderr) => /binding with the specified principal.*not found/i.test(stderr);
export const alreadyExists = (stderr) => (/already exists|ALREADY_EXISTS/i.test(stderr) ? 'already exists: kept' : undefined);
export const absentBinding = (stderr) => (isAbsentBinding(stderr) ? 'no such binding: nothing to remove' : undefined);

/** Runs one gcloud call; `tolerate(stderr)` names a failure that is fine (else it throws). Prompts off: a deploy never waits on a question. */
export function run(args, { tolerate = () => undefined, capture = false } = {}) {
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

/** Before a real deploy: say how to get gcloud rather than fail on the first call. */
export function requireGcloud() {
  const probe = spawnSync('gcloud', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new UsageError(
      'gcloud (the Google Cloud CLI) is not installed or not on PATH. Install it (https://cloud.google.com/sdk/docs/install), ' +
        'run `gcloud auth login`, and try again; or add --dry-run to only print the commands.',
    );
  }
}
