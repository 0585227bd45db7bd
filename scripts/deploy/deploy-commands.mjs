/**
 * The gcloud commands of every deploy: the owner check, the functions and their invokers, and the
 * dead-letter policy on their Eventarc subscriptions.
 */
import { envFlag, environment } from './environment.mjs';
import { EVENTS, PUBSUB, pubsubAgent, RUNTIME, serviceAccountEmail, TRIGGER_SERVICE_ACCOUNT, WEBHOOKS, WORKER } from './resources.mjs';

/** Functions whose code Terraform deploys carry this label; the gcloud paths leave them alone. */
export const OWNER_LABEL = 'deployed-by';

/** Lists the functions Terraform deploys (their label): the gcloud paths refuse to deploy over them. */
export function ownerCheckCommand(s) {
  return ['gcloud', 'functions', 'list', `--project=${s.project}`, `--regions=${s.region}`, `--filter=labels.${OWNER_LABEL}=terraform`, '--format=value(name)'];
}
export const OUR_FUNCTION = new RegExp(`(^|/)(${[EVENTS, WORKER, WEBHOOKS, PUBSUB].map((f) => f.name).join('|')})$`);

/**
 * gcloud deploy of one function. The invoker flag follows gcloud's rules (its functions/v2/deploy
 * command.py): --allow-unauthenticated adds allUsers; --no-allow-unauthenticated on an existing
 * function removes it, which would lock Chat out of a public chat-events until a later step; no flag
 * leaves an existing function's policy alone and a new one closed. So public functions get
 * --allow-unauthenticated and chat-only chat-events gets no flag (deployCommands grants Chat first).
 */
function deployCommand(s, fn, vars, kind) {
  const p = kind === 'pubsub' ? 'events' : kind;
  const args = [
    'gcloud', 'functions', 'deploy', fn.name,
    '--gen2',
    `--project=${s.project}`,
    `--region=${s.region}`,
    `--runtime=${RUNTIME}`,
    `--source=${s['source-dir']}`,
    `--entry-point=${fn.entryPoint}`,
  ];
  if (kind === 'events' || kind === 'webhooks') {
    args.push('--trigger-http', '--ingress-settings=all');
    if (kind === 'webhooks' || s.invoker === 'public') args.push('--allow-unauthenticated');
  } else {
    args.push(
      `--trigger-topic=${fn === PUBSUB ? s['chat-events-topic'] : s['jobs-topic']}`,
      '--retry',
      `--trigger-service-account=${serviceAccountEmail(s, TRIGGER_SERVICE_ACCOUNT)}`,
      '--ingress-settings=internal-only',
    );
  }
  args.push(
    `--service-account=${serviceAccountEmail(s, fn.serviceAccount)}`,
    `--memory=${s[`${p}-memory`]}`,
    `--cpu=${s[`${p}-cpu`]}`,
    `--timeout=${s[`${p}-timeout-seconds`]}s`,
    `--min-instances=${s[`${p}-min-instances`]}`,
    `--max-instances=${s[`${p}-max-instances`]}`,
    `--concurrency=${s[`${p}-concurrency`]}`,
    envFlag(vars),
    `--build-service-account=${s.buildServiceAccount}`,
    `--update-labels=${OWNER_LABEL}=gcloud`,
  );
  return args;
}

/**
 * Deploy the three functions and grant who may invoke them, in an order that never leaves Chat
 * without an invoker on chat-events: public, it is deployed with --allow-unauthenticated (which never
 * removes allUsers); chat-only, it is deployed with no invoker flag, then Chat's identity is granted,
 * then allUsers (left by an older public deploy) is removed: "not found" there is fine.
 */
export function deployCommands(s) {
  const vars = environment(s);
  const where = [`--project=${s.project}`, `--region=${s.region}`];
  const trigger = `--member=serviceAccount:${serviceAccountEmail(s, TRIGGER_SERVICE_ACCOUNT)}`;
  // Pub/Sub connection: no chat-events at all; chat-pubsub is invoked by the trigger's account only.
  const events = s.pubsub
    ? [deployCommand(s, PUBSUB, vars.pubsub, 'pubsub'), ['gcloud', 'functions', 'add-invoker-policy-binding', PUBSUB.name, ...where, trigger]]
    : [deployCommand(s, EVENTS, vars.events, 'events')];
  if (s.invoker === 'chat-only') {
    events.push(
      ['gcloud', 'functions', 'add-invoker-policy-binding', EVENTS.name, ...where, `--member=${s.invokerMember}`],
      ['gcloud', 'functions', 'remove-invoker-policy-binding', EVENTS.name, ...where, '--member=allUsers'],
    );
  }
  return [
    ...events,
    deployCommand(s, WEBHOOKS, vars.webhooks, 'webhooks'),
    deployCommand(s, WORKER, vars.worker, 'worker'),
    ['gcloud', 'functions', 'add-invoker-policy-binding', WORKER.name, ...where, trigger],
  ];
}

/**
 * The dead-letter policy and retry backoff go on the push subscription Eventarc created for the
 * worker's trigger; its name is only known after the deploy, hence <TRIGGER> and <SUBSCRIPTION>.
 */
export function subscriptionCommands(s, trigger = '<TRIGGER>', subscription = '<SUBSCRIPTION>', fn = WORKER) {
  const p = `--project=${s.project}`;
  const [, , , location = s.region, , triggerId = trigger] = trigger.split('/');
  return {
    findTrigger: ['gcloud', 'functions', 'describe', fn.name, p, `--region=${s.region}`, '--format=value(eventTrigger.trigger)'],
    findSubscription: [
      'gcloud', 'eventarc', 'triggers', 'describe', triggerId, p, `--location=${location}`, '--format=value(transport.pubsub.subscription)',
    ],
    configure: [
      // The ack deadline covers the function's timeout: Pub/Sub must not redeliver what is still running.
      ['gcloud', 'pubsub', 'subscriptions', 'update', subscription, p,
        `--ack-deadline=${s[fn === WORKER ? 'worker-timeout-seconds' : 'events-timeout-seconds']}`,
        `--dead-letter-topic=projects/${s.project}/topics/${s['dead-letter-topic']}`,
        `--max-delivery-attempts=${s['dead-letter-max-delivery-attempts']}`,
        `--min-retry-delay=${s['retry-minimum-backoff-seconds']}s`,
        `--max-retry-delay=${s['retry-maximum-backoff-seconds']}s`],
      ['gcloud', 'pubsub', 'subscriptions', 'add-iam-policy-binding', subscription, p, `--member=${pubsubAgent(s)}`, '--role=roles/pubsub.subscriber'],
    ],
  };
}
