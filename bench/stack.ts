/**
 * What both systems run against, on loopback: the Firestore and Pub/Sub emulators, the local Chat
 * API, a token signer with its certs server. Each system gets its own project id, so their data
 * and topics never mix.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import { startCertsServer, type CertsServer } from '../local/certs-server';
import { startLocalChatApi, type LocalChatApi } from '../local/chat-api';
import { startTestEmulators } from '../local/emulators';
import { chatTokenClaims, createSigner, type Signer } from '../local/signing';

export const AUDIENCE = '123456789012';
export const JOBS_TOPIC = 'bench-jobs';
/** A topic nobody subscribes to: jobs made for worker cold starts are published into it and dropped. */
export const IDLE_TOPIC = 'bench-idle-jobs';

export interface Stack {
  chatApi: LocalChatApi;
  certs: CertsServer;
  signer: Signer;
  /** The environment of a function of the project `projectId` (README's configuration table). */
  env(projectId: string): Record<string, string>;
  /** A pool of valid tokens (each request takes the next: verification is paid every time). */
  authHeader(i: number): Record<string, string>;
  /** Clients in the bench process (for seeding and the emulator's own round trips). */
  firestoreClient(projectId: string): Promise<Firestore>;
  pubsubClient(projectId: string): Promise<PubSub>;
  stop(): Promise<void>;
}

const TOKEN_POOL = 32;

export async function startStack(): Promise<Stack> {
  const emulators = await startTestEmulators();
  // The bench process's own clients must reach the emulators and never the metadata server.
  Object.assign(process.env, emulators.env);
  const chatApi = await startLocalChatApi();
  const signer = createSigner();
  const certs = await startCertsServer(() => signer.certs());
  const tokens = Array.from({ length: TOKEN_POOL }, () => `Bearer ${signer.sign(chatTokenClaims('project-number', AUDIENCE))}`);

  const firestores = new Map<string, Promise<Firestore>>();
  const pubsubs = new Map<string, Promise<PubSub>>();
  const firestoreClient = (projectId: string) => {
    if (!firestores.has(projectId)) firestores.set(projectId, import('@google-cloud/firestore').then(({ Firestore: F }) => new F({ projectId })));
    return firestores.get(projectId)!;
  };
  const pubsubClient = (projectId: string) => {
    if (!pubsubs.has(projectId)) pubsubs.set(projectId, import('@google-cloud/pubsub').then(({ PubSub: P }) => new P({ projectId })));
    return pubsubs.get(projectId)!;
  };

  return {
    chatApi,
    certs,
    signer,
    env: (projectId) => ({
      GOOGLE_CLOUD_PROJECT: projectId,
      ...emulators.env,
      METADATA_SERVER_DETECTION: 'none',
      CHAT_AUDIENCE_MODE: 'project-number',
      CHAT_AUDIENCE: AUDIENCE,
      CHAT_CERTS_URL: certs.url,
      CHAT_API_ROOT_URL: chatApi.url,
      JOBS_TOPIC,
      // As on Cloud Functions: Express in production mode, no framework banner.
      NODE_ENV: 'production',
    }),
    authHeader: (i) => ({ authorization: tokens[i % TOKEN_POOL] }),
    firestoreClient,
    pubsubClient,
    async stop() {
      await Promise.allSettled([...firestores.values()].map(async (c) => (await c).terminate()));
      await Promise.allSettled([...pubsubs.values()].map(async (c) => (await c).close()));
      await Promise.allSettled([chatApi.stop(), certs.stop(), emulators.stop()]);
    },
  };
}

/** The jobs topic with a push subscription to the worker at `workerPort`, as Eventarc sets it up; and the idle topic. */
export async function createJobTopics(stack: Stack, projectId: string, workerPort: number): Promise<void> {
  const pubsub = await stack.pubsubClient(projectId);
  const [topic] = await pubsub.createTopic(JOBS_TOPIC);
  await topic.createSubscription(`${JOBS_TOPIC}-worker`, {
    pushConfig: { pushEndpoint: `http://127.0.0.1:${workerPort}/projects/${projectId}/topics/${JOBS_TOPIC}` },
    ackDeadlineSeconds: 10,
    retryPolicy: { minimumBackoff: { seconds: 0 }, maximumBackoff: { seconds: 1 } },
  });
  await pubsub.createTopic(IDLE_TOPIC);
}
