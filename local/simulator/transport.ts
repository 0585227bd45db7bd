/**
 * How the simulator hands an event to the app: the one switch between Chat's two connections.
 * - `http`: POSTed to chatEvents with a signed token, the answer read from the response (deliver.ts);
 * - `pubsub`: published to the app's events topic in the Pub/Sub emulator, as Chat publishes to it
 *   (docs/chat-protocol.md §13): no token and no synchronous answer. The app's answers arrive
 *   through the local Chat API, which the page already shows live.
 */
import { createDeliver, type Deliver } from './deliver';

export const CONNECTIONS = ['http', 'pubsub'] as const;
export type Connection = (typeof CONNECTIONS)[number];
/** The topic Chat publishes to, locally (terraform's chat_events_topic default). */
export const EVENTS_TOPIC = 'chat-events';
export const isConnection = (v: unknown): v is Connection => typeof v === 'string' && (CONNECTIONS as readonly string[]).includes(v);

export interface TransportOptions {
  connection: Connection;
  eventsUrl: string;
  token: () => string;
  /** pubsub: the project and topic Chat publishes to. */
  projectId: string;
}

export function createTransport(options: TransportOptions): Deliver & { close(): Promise<void> } {
  if (options.connection === 'http') return Object.assign(createDeliver(options), { close: async () => undefined });
  let topic: Promise<import('@google-cloud/pubsub').Topic> | undefined;
  let client: import('@google-cloud/pubsub').PubSub | undefined;
  const publisher = () =>
    (topic ??= import('@google-cloud/pubsub').then(({ PubSub }) => {
      client = new PubSub({ projectId: options.projectId });
      return client.topic(EVENTS_TOPIC, { batching: { maxMessages: 1, maxMilliseconds: 0 } });
    }));
  const deliver: Deliver = async (event) => {
    const started = performance.now();
    const latencyMs = () => Math.round((performance.now() - started) * 10) / 10;
    try {
      await (await publisher()).publishMessage({ data: Buffer.from(JSON.stringify(event)) });
      // Published: nothing comes back in this connection ({} applies nothing); the answers come through the Chat API.
      return { token: '', status: 200, body: {}, latencyMs: latencyMs() };
    } catch (err) {
      return { token: '', status: 0, body: undefined, latencyMs: latencyMs(), failure: `not published (${err instanceof Error ? err.message : String(err)})` };
    }
  };
  return Object.assign(deliver, { close: async () => void (await client?.close()) });
}
