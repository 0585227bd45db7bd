#!/usr/bin/env node
/**
 * `npm run deploy`: deploys chatEvents, chatWebhooks and chatWorker with plain `gcloud`, with the same
 * names, runtime, entry points, environment, limits and invokers as terraform/ (test/deploy checks
 * that they agree, and runs it with gcloud replaced by a recorder).
 *
 *   node scripts/deploy.mjs --dry-run --project=my-proj --audience-mode=endpoint-url
 *   node scripts/deploy.mjs --project=my-proj --audience-mode=project-number --audience=123456789012
 *   node scripts/deploy.mjs --setup ...      also the one-time setup (APIs, service accounts, Firestore, topics)
 *   node scripts/deploy.mjs --stage-only --source-dir=DIR   only copy the deployable files to DIR
 *
 * Every option is a flag (--job-ttl-days=7) or an environment variable (JOB_TTL_DAYS=7); the flag wins.
 * --dry-run prints the exact commands and runs nothing. Plain Node, no dependencies.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deployCommands, OUR_FUNCTION, OWNER_LABEL, ownerCheckCommand, subscriptionCommands } from './deploy/deploy-commands.mjs';
import { absentBinding, alreadyExists, requireGcloud, run, shellLine } from './deploy/gcloud.mjs';
import { check, HELP, readOptions } from './deploy/options.mjs';
import { EVENTS, PUBSUB, WEBHOOKS, WORKER } from './deploy/resources.mjs';
import { resolveSettings } from './deploy/settings.mjs';
import { setupCommands } from './deploy/setup-commands.mjs';
import { SOURCE_LIST, stageSource } from './deploy/source.mjs';
import { UsageError } from './deploy/usage-error.mjs';

// The entry point also exports what its parts in scripts/deploy/ hold: the names and the command builders.
export { deployCommands, OUR_FUNCTION, ownerCheckCommand, subscriptionCommands } from './deploy/deploy-commands.mjs';
export { environment } from './deploy/environment.mjs';
export { isAbsentBinding, shellLine } from './deploy/gcloud.mjs';
export { readOptions } from './deploy/options.mjs';
export {
  BUILD_SERVICE_ACCOUNT, CHAT_INVOKER, CHAT_PUSH_PUBLISHER, DEPLOYER_SERVICE_ACCOUNT, EVENTS, PUBSUB, RUNTIME, TRIGGER_SERVICE_ACCOUNT, WEBHOOKS, WORKER,
} from './deploy/resources.mjs';
export { resolveSettings } from './deploy/settings.mjs';
export { setupCommands } from './deploy/setup-commands.mjs';
export { SOURCE_DIRS, SOURCE_FILES } from './deploy/source.mjs';

/** What to enter in the Chat API's connection settings. */
const chatApiSettings = (s) =>
  s.pubsub
    ? `Cloud Pub/Sub, topic projects/${s.project}/topics/${s['chat-events-topic']}; every "Open a dialog" off (README, Connection modes)`
    : `HTTP endpoint URL ${s.endpointUrl}; authentication audience ${s['audience-mode'] === 'project-number' ? 'Project Number' : 'HTTP endpoint URL'}; audience ${s.audience}`;

export function main(argv = process.argv.slice(2), env = process.env) {
  const options = readOptions(argv, env);
  if (options.help) {
    console.log(HELP);
    return;
  }
  if (options['stage-only']) {
    stageSource(options['source-dir']);
    console.log(`Staged ${SOURCE_LIST} in ${options['source-dir']}`);
    return;
  }
  if (!options['dry-run']) {
    const problems = check(options);
    if (problems.length > 0) throw new UsageError(problems.join('\n'));
    requireGcloud();
    // The project number names the Pub/Sub and add-on service agents.
    options['project-number'] ??= run(['gcloud', 'projects', 'describe', options.project, '--format=value(projectNumber)'], { capture: true });
  }
  const s = resolveSettings(options);
  const setup = s.setup ? setupCommands(s) : [];
  const owner = ownerCheckCommand(s);
  const deploy = deployCommands(s);
  // Each Eventarc subscription that gets a dead-letter policy: the worker's, and chat-pubsub's.
  const subscribed = s.pubsub ? [WORKER, PUBSUB] : [WORKER];

  if (s['dry-run']) {
    console.log(`# chat app deploy (dry run): project ${s.project}, region ${s.region}, ${s.pubsub ? `Cloud Pub/Sub connection (topic ${s['chat-events-topic']})` : `audience mode ${s['audience-mode']}`}`);
    console.log(`# The deployed source is ${SOURCE_LIST}, copied to ${s['source-dir']}`);
    if (setup.length > 0) {
      console.log('# one-time setup ("already exists" errors are fine)');
      setup.forEach((c) => console.log(shellLine(c)));
    }
    console.log(`# stop if Terraform deploys these functions (it prints any of ${[EVENTS, PUBSUB, WEBHOOKS, WORKER].map((f) => f.name).join(', ')})`);
    console.log(shellLine(owner));
    console.log(
      s.pubsub
        ? '# deploy the three functions and their invoker bindings (chat-pubsub in place of chat-events: only its trigger may invoke it)'
        : `# deploy the three functions and their invoker bindings (chat-events: ${s.invoker}${s.invoker === 'chat-only' ? '; "not found" on removing allUsers is fine' : ''})`,
    );
    deploy.forEach((c) => console.log(shellLine(c)));
    if (!s['skip-subscription']) {
      for (const fn of subscribed) {
        const sub = subscriptionCommands(s, undefined, undefined, fn);
        console.log(`# ack deadline, dead-letter policy and retry backoff on ${fn.name}'s Eventarc subscription`);
        console.log('# prints <TRIGGER>, then <SUBSCRIPTION>:');
        console.log(shellLine(sub.findTrigger));
        console.log(shellLine(sub.findSubscription));
        sub.configure.forEach((c) => console.log(shellLine(c)));
      }
    }
    console.log(`# Chat API configuration: ${chatApiSettings(s)}`);
    return;
  }

  stageSource(s['source-dir']);
  for (const command of setup) run(command, { tolerate: alreadyExists });
  const owned = run(owner, { capture: true }).split('\n').filter((name) => OUR_FUNCTION.test(name));
  if (owned.length > 0) {
    throw new UsageError(
      `Terraform deploys ${owned.join(', ')} (label ${OWNER_LABEL}=terraform): deploy their code with terraform apply, ` +
        'or set deploy_functions = false in Terraform first so that this script owns them (terraform/README.md, "Who deploys the code").',
    );
  }
  for (const command of deploy) run(command, { tolerate: command[2] === 'remove-invoker-policy-binding' ? absentBinding : undefined });
  for (const fn of s['skip-subscription'] ? [] : subscribed) {
    const trigger = run(subscriptionCommands(s, undefined, undefined, fn).findTrigger, { capture: true });
    const subscription = run(subscriptionCommands(s, trigger, undefined, fn).findSubscription, { capture: true });
    if (!subscription) throw new Error(`The trigger ${trigger} has no Pub/Sub subscription yet; run again in a minute.`);
    for (const command of subscriptionCommands(s, trigger, subscription, fn).configure) run(command);
  }
  console.log(`\nDone. In the Chat API configuration enter: ${chatApiSettings(s)}.`);
  if (!s.pubsub && s.endpointUrl === s.predictedEventsUrl) {
    const url = run(['gcloud', 'functions', 'describe', EVENTS.name, `--project=${s.project}`, `--region=${s.region}`, '--format=value(url)'], { capture: true });
    if (url && url !== s.predictedEventsUrl) {
      console.warn(`Warning: chat-events got the URL ${url}, not ${s.predictedEventsUrl}. Run again with --endpoint-url=${url}.`);
    }
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    console.error(`deploy: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
}
