/**
 * Chat's Cloud Pub/Sub connection as it runs for real: the built `chatPubsub` under the
 * functions-framework CLI in its own process, the events topic with a push subscription to it
 * (retries with backoff, a dead-letter policy, as the deployment sets them), the dead-letter topic
 * with a pull subscription to read it, `chatWorker` for the jobs, and the local Chat API.
 */
import { PubSub, type Message, type Topic } from '@google-cloud/pubsub';
import { startLocalChatApi, type LocalChatApi, type StoredMessage } from '../../local/chat-api';
import { startFunctionProcess, type FunctionProcess } from './worker-process';
import { until } from './until';

export const EVENTS_TOPIC = 'chat-events';
export const JOBS_TOPIC = 'chat-jobs';
export const DEAD_LETTER_TOPIC = 'chat-jobs-dead-letter';
export const MAX_DELIVERY_ATTEMPTS = 5;

export interface PubsubDoor {
  api: LocalChatApi;
  door: FunctionProcess;
  worker: FunctionProcess;
  /** Publishes an event as Chat does: the event JSON as the message data. */
  publish(event: unknown): Promise<string>;
  publishRaw(data: Buffer, attributes?: Record<string, string>): Promise<string>;
  /** Messages set aside on the dead-letter topic so far. */
  deadLetters(): Message[];
  /** What the app posted in the space (people's own messages left out). */
  appMessages(space: string): StoredMessage[];
  /** Waits until the door logged `count` lines for messages with this outcome. */
  outcomes(outcome: string, count?: number): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

/**
 * `backoffSeconds`: the push subscription's retry backoff [min, max]. Short by default so a failing
 * message reaches the dead-letter topic in seconds; a test that restarts the door needs enough of
 * it to span a restart within MAX_DELIVERY_ATTEMPTS (as production's 10–600 s does).
 */
export async function startPubsubDoor(projectId: string, options: { backoffSeconds?: [number, number] } = {}): Promise<PubsubDoor> {
  const [minBackoff, maxBackoff] = options.backoffSeconds ?? [0, 1];
  const api = await startLocalChatApi();
  const common = { GOOGLE_CLOUD_PROJECT: projectId, CHAT_API_ROOT_URL: api.url, JOBS_TOPIC, PROGRESS_INTERVAL_MS: '0', JOB_LEASE_MS: '1500' };
  const door = await startFunctionProcess('chatPubsub', {
    ...common,
    CHAT_EVENTS_TOPIC: EVENTS_TOPIC,
    DEAD_LETTER_TOPIC,
    CHAT_WEBHOOKS_URL: 'https://chat-app.example.com/chatWebhooks/',
    CHAT_API_TIMEOUT_MS: '2000',
  });
  const worker = await startFunctionProcess('chatWorker', common);
  const pubsub = new PubSub({ projectId });
  const [events] = await pubsub.createTopic(EVENTS_TOPIC);
  const [jobs] = await pubsub.createTopic(JOBS_TOPIC);
  const [dead] = await pubsub.createTopic(DEAD_LETTER_TOPIC);
  const push = (port: number, topic: string) => ({
    pushConfig: { pushEndpoint: `http://127.0.0.1:${port}/projects/${projectId}/topics/${topic}` },
    ackDeadlineSeconds: 10,
    retryPolicy: { minimumBackoff: { seconds: minBackoff }, maximumBackoff: { seconds: maxBackoff } },
    deadLetterPolicy: { deadLetterTopic: dead.name, maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS },
  });
  await events.createSubscription(`${EVENTS_TOPIC}-door`, push(door.port, EVENTS_TOPIC));
  await jobs.createSubscription(`${JOBS_TOPIC}-worker`, push(worker.port, JOBS_TOPIC));
  const [inspect] = await dead.createSubscription(`${DEAD_LETTER_TOPIC}-inspect`);
  const dead_letters: Message[] = [];
  inspect.on('message', (m: Message) => {
    dead_letters.push(m);
    m.ack();
  });
  const publisher: Topic = pubsub.topic(EVENTS_TOPIC, { batching: { maxMessages: 1, maxMilliseconds: 0 } });
  const context = () => `door logs: ${JSON.stringify(door.logs().slice(-6))}`;
  return {
    api,
    door,
    worker,
    publish: (event) => publisher.publishMessage({ data: Buffer.from(JSON.stringify(event)) }),
    publishRaw: (data, attributes = {}) => publisher.publishMessage({ data, attributes }),
    deadLetters: () => [...dead_letters],
    appMessages: (space) => api.messages(space).filter((m) => m.sender.type === 'BOT'),
    outcomes: (outcome, count = 1) =>
      until(
        `${count} "${outcome}" line(s) of chatPubsub`,
        () => {
          const lines = door.logs().filter((l) => l.message === 'chat event' && l.outcome === outcome);
          return lines.length >= count ? lines : undefined;
        },
        30_000,
        context,
      ),
    async stop() {
      await inspect.close();
      await door.stop();
      await worker.stop();
      await pubsub.close();
      await api.stop();
    },
  };
}
