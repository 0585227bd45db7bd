#!/usr/bin/env node
/**
 * Stands in for `gcloud` in the deploy tests (installed on PATH under the name gcloud). It appends
 * each call to $GCLOUD_RECORD as a JSON line and plays the little of Google Cloud the deploy paths
 * depend on, kept in $GCLOUD_STATE: which functions exist, their labels, and who may invoke them,
 * with gcloud's own rules for the invoker flags (googlecloudsdk/command_lib/functions/v2/deploy/
 * command.py: --allow-unauthenticated adds allUsers; --no-allow-unauthenticated on an existing
 * function removes it; neither leaves an existing function's policy alone and a new one closed) and
 * for remove-invoker-policy-binding (an absent binding is an error). Each record carries the invoker
 * policies after the call, so a test can see every state a deploy passes through.
 * Plain JavaScript: it runs as a separate program, thousands of times faster than ts-node would start.
 */
const { appendFileSync, existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const args = process.argv.slice(2);
if (args[0] === '--version') {
  process.stdout.write('Google Cloud SDK 0.0.0 (test recorder)\n');
  process.exit(0);
}

const statePath = process.env.GCLOUD_STATE;
const state = statePath && existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : { functions: {} };
const words = args.filter((a) => !a.startsWith('--'));
const flags = Object.fromEntries(
  args.filter((a) => a.startsWith('--')).map((a) => (a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), true])),
);
const project = flags.project ?? words[2];
const region = flags.region ?? flags.location ?? 'us-central1';
const command = words.slice(0, 2).join(' ');
let stdout = '';
let failure;

function fn(name) {
  const f = state.functions[name];
  if (!f) failure = `ERROR: (gcloud.${command.replace(' ', '.')}) NOT_FOUND: Resource 'projects/${project}/locations/${region}/functions/${name}' was not found`;
  return f;
}

if (command === 'projects describe') {
  stdout = process.env.GCLOUD_PROJECT_NUMBER ?? '123456789012';
} else if (command === 'functions describe') {
  const f = fn(words[2]);
  if (f && flags.format === 'value(eventTrigger.trigger)') stdout = `projects/${project}/locations/${region}/triggers/${words[2]}-123456`;
  if (f && flags.format === 'value(url)') stdout = `https://${region}-${project}.cloudfunctions.net/${words[2]}`;
} else if (command === 'eventarc triggers') {
  stdout = `projects/${project}/subscriptions/eventarc-${region}-${words[3]}-sub-789`;
} else if (command === 'functions list') {
  const label = /labels\.([\w-]+)\s*=\s*([\w-]+)/.exec(flags.filter ?? '');
  stdout = Object.entries(state.functions)
    .filter(([, f]) => !label || f.labels[label[1]] === label[2])
    .map(([name]) => `projects/${project}/locations/${region}/functions/${name}`)
    .join('\n');
} else if (command === 'functions deploy') {
  const name = words[2];
  const existing = state.functions[name];
  const source = flags.source;
  if (typeof source === 'string' && !source.startsWith('gs://') && !existsSync(join(source, 'package.json'))) {
    failure = `ERROR: (gcloud.functions.deploy) the source folder ${source} has no package.json`;
  } else {
    const f = existing ?? { labels: {}, invokers: [] };
    for (const pair of String(flags['update-labels'] ?? '').split(',').filter(Boolean)) f.labels[pair.split('=')[0]] = pair.split('=')[1];
    f.source = source;
    if (flags['allow-unauthenticated'] === true && !f.invokers.includes('allUsers')) f.invokers.push('allUsers');
    if (existing && flags['no-allow-unauthenticated'] === true) f.invokers = f.invokers.filter((m) => m !== 'allUsers');
    state.functions[name] = f;
  }
} else if (command === 'functions add-invoker-policy-binding') {
  const f = fn(words[2]);
  if (f && !f.invokers.includes(flags.member)) f.invokers.push(flags.member);
} else if (command === 'functions remove-invoker-policy-binding') {
  const f = fn(words[2]);
  if (f && !f.invokers.includes(flags.member)) failure = 'ERROR: Policy binding with the specified principal and role not found!';
  else if (f) f.invokers = f.invokers.filter((m) => m !== flags.member);
}

if (statePath) writeFileSync(statePath, JSON.stringify(state));
const invokers = Object.fromEntries(Object.entries(state.functions).map(([name, f]) => [name, [...f.invokers]]));
if (process.env.GCLOUD_RECORD) appendFileSync(process.env.GCLOUD_RECORD, `${JSON.stringify({ args, invokers, failed: Boolean(failure) })}\n`);
if (failure) {
  process.stderr.write(`${failure}\n`);
  process.exit(1);
}
if (stdout) process.stdout.write(`${stdout}\n`);
