/** The one-time setup: the APIs, roles and Firestore fields it sets, and its gcloud commands. */
import {
  BUILD_SERVICE_ACCOUNT, CHAT_PUSH_PUBLISHER, DEPLOYER_SERVICE_ACCOUNT, EVENTS, pubsubAgent, serviceAccountEmail, TRIGGER_SERVICE_ACCOUNT, WEBHOOKS, WORKER,
} from './resources.mjs';

const BUILD_ROLES = ['roles/logging.logWriter', 'roles/storage.objectViewer', 'roles/artifactregistry.writer'];
const DEPLOYER_ROLES = ['roles/cloudfunctions.developer', 'roles/run.admin', 'roles/eventarc.viewer', 'roles/pubsub.admin', 'roles/logging.logWriter'];
const APIS = [
  'artifactregistry.googleapis.com',
  'chat.googleapis.com',
  'cloudbuild.googleapis.com',
  'cloudfunctions.googleapis.com',
  'cloudresourcemanager.googleapis.com',
  'eventarc.googleapis.com',
  'firestore.googleapis.com',
  'iam.googleapis.com',
  'logging.googleapis.com',
  'pubsub.googleapis.com',
  'run.googleapis.com',
  'storage.googleapis.com',
];
const TTL_FIELDS = [
  { collection: 'deliveries', field: 'expireAt' },
  { collection: 'jobs', field: 'expireAt' },
];
/** Fields nothing queries whose indexes only cost writes (terraform/firestore.tf says why), TTL fields included. */
const UNINDEXED_FIELDS = [
  ...TTL_FIELDS,
  ...['createdAt', 'completedAt', 'leaseUntil', 'response'].map((field) => ({ collection: 'deliveries', field })),
  ...['createdAt', 'updatedAt', 'leaseUntil'].map((field) => ({ collection: 'jobs', field })),
];

/** Firestore roles hold on the app's database only (as terraform/locals.tf's firestore_condition). */
const firestoreCondition = (s) =>
  `--condition=expression=resource.name=="projects/${s.project}/databases/(default)",title=chat-app-database,description=Only the chat app's Firestore database`;

/** One-time setup for the gcloud paths (what terraform/ otherwise creates). "Already exists" is fine. */
export function setupCommands(s) {
  const p = `--project=${s.project}`;
  const sa = (name) => serviceAccountEmail(s, name);
  const member = (name) => `--member=serviceAccount:${sa(name)}`;
  const projectRole = (name, role, ...extra) => ['gcloud', 'projects', 'add-iam-policy-binding', s.project, member(name), `--role=${role}`, ...extra];
  const accounts = [
    [EVENTS.serviceAccount, 'Chat app: chat-events (HTTP endpoint)'],
    [WORKER.serviceAccount, 'Chat app: chat-worker (job runner)'],
    [WEBHOOKS.serviceAccount, 'Chat app: chat-webhooks (incoming webhooks)'],
    [TRIGGER_SERVICE_ACCOUNT, 'Chat app: Eventarc trigger of chat-worker'],
    [BUILD_SERVICE_ACCOUNT, "Chat app: builds the functions' images"],
    [DEPLOYER_SERVICE_ACCOUNT, 'Chat app: runs cloudbuild.yaml'],
  ];
  return [
    ['gcloud', 'services', 'enable', ...APIS, p],
    ...accounts.map(([name, title]) => ['gcloud', 'iam', 'service-accounts', 'create', name, p, `--display-name=${title}`]),
    ['gcloud', 'firestore', 'databases', 'create', '--database=(default)', `--location=${s['firestore-location']}`, '--type=firestore-native', p],
    ...TTL_FIELDS.map(({ collection, field }) => [
      'gcloud', 'firestore', 'fields', 'ttls', 'update', field, `--collection-group=${collection}`, '--enable-ttl', '--database=(default)', p,
    ]),
    ...UNINDEXED_FIELDS.map(({ collection, field }) => [
      'gcloud', 'firestore', 'indexes', 'fields', 'update', field, `--collection-group=${collection}`, '--disable-indexes', '--database=(default)', p,
    ]),
    ['gcloud', 'pubsub', 'topics', 'create', s['jobs-topic'], p],
    ['gcloud', 'pubsub', 'topics', 'create', s['dead-letter-topic'], p],
    [
      'gcloud', 'pubsub', 'subscriptions', 'create', `${s['dead-letter-topic']}-inspect`, `--topic=${s['dead-letter-topic']}`,
      '--ack-deadline=60', '--message-retention-duration=7d', '--retain-acked-messages', '--expiration-period=never', p,
    ],
    ...(s.pubsub
      ? [
          // Chat publishes each event here; chat-events' account sets aside what is not one.
          ['gcloud', 'pubsub', 'topics', 'create', s['chat-events-topic'], p],
          ['gcloud', 'pubsub', 'topics', 'add-iam-policy-binding', s['chat-events-topic'], `--member=${CHAT_PUSH_PUBLISHER}`, '--role=roles/pubsub.publisher', p],
          ['gcloud', 'pubsub', 'topics', 'add-iam-policy-binding', s['dead-letter-topic'], member(EVENTS.serviceAccount), '--role=roles/pubsub.publisher', p],
        ]
      : []),
    ...[EVENTS, WORKER, WEBHOOKS].map((fn) => projectRole(fn.serviceAccount, 'roles/datastore.user', firestoreCondition(s))),
    ...[EVENTS, WEBHOOKS].map((fn) => ['gcloud', 'pubsub', 'topics', 'add-iam-policy-binding', s['jobs-topic'], member(fn.serviceAccount), '--role=roles/pubsub.publisher', p]),
    ['gcloud', 'beta', 'services', 'identity', 'create', '--service=pubsub.googleapis.com', p],
    ['gcloud', 'pubsub', 'topics', 'add-iam-policy-binding', s['dead-letter-topic'], `--member=${pubsubAgent(s)}`, '--role=roles/pubsub.publisher', p],
    ['gcloud', 'iam', 'service-accounts', 'add-iam-policy-binding', sa(TRIGGER_SERVICE_ACCOUNT), `--member=${pubsubAgent(s)}`, '--role=roles/iam.serviceAccountTokenCreator', p],
    ...BUILD_ROLES.map((role) => projectRole(BUILD_SERVICE_ACCOUNT, role, '--condition=None')),
    ...DEPLOYER_ROLES.map((role) => projectRole(DEPLOYER_SERVICE_ACCOUNT, role, '--condition=None')),
    ...[EVENTS.serviceAccount, WORKER.serviceAccount, WEBHOOKS.serviceAccount, TRIGGER_SERVICE_ACCOUNT, BUILD_SERVICE_ACCOUNT].map((name) => [
      'gcloud', 'iam', 'service-accounts', 'add-iam-policy-binding', sa(name), member(DEPLOYER_SERVICE_ACCOUNT), '--role=roles/iam.serviceAccountUser', p,
    ]),
  ];
}
