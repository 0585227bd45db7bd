/**
 * The functions, service accounts and principals the deploy names, as terraform/ and cloudbuild.yaml
 * name them (test/deploy checks that they agree).
 */
export const RUNTIME = 'nodejs22';
export const EVENTS = { name: 'chat-events', entryPoint: 'chatEvents', serviceAccount: 'chat-events' };
export const WORKER = { name: 'chat-worker', entryPoint: 'chatWorker', serviceAccount: 'chat-worker' };
export const WEBHOOKS = { name: 'chat-webhooks', entryPoint: 'chatWebhooks', serviceAccount: 'chat-webhooks' };
/** Chat's Cloud Pub/Sub connection: in place of chat-events, as its account, with its limits (events_*). */
export const PUBSUB = { name: 'chat-pubsub', entryPoint: 'chatPubsub', serviceAccount: 'chat-events' };
/** The account Chat publishes events with (docs/chat-protocol.md §13): Publisher on the events topic. */
export const CHAT_PUSH_PUBLISHER = 'serviceAccount:chat-api-push@system.gserviceaccount.com';
export const TRIGGER_SERVICE_ACCOUNT = 'chat-worker-trigger';
/** Builds the functions (BUILD_ROLES), and runs cloudbuild.yaml (DEPLOYER_ROLES); as terraform/build_accounts.tf. */
export const BUILD_SERVICE_ACCOUNT = 'chat-build';
export const DEPLOYER_SERVICE_ACCOUNT = 'chat-deployer';
export const CHAT_INVOKER = 'serviceAccount:chat@system.gserviceaccount.com';

export const serviceAccountEmail = (s, name) => `${name}@${s.project}.iam.gserviceaccount.com`;
export const pubsubAgent = (s) => `serviceAccount:service-${s.projectNumber ?? '<PROJECT_NUMBER>'}@gcp-sa-pubsub.iam.gserviceaccount.com`;
