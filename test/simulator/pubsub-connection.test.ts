/**
 * `npm start -- --connection=pubsub`: the simulator publishes its events to the emulator's events
 * topic instead of POSTing them, chatPubsub (a process under the functions-framework) answers through
 * the local Chat API, and the simulator's timeline shows those answers as they arrive.
 */
import { startLocalStack, type LocalStack } from '../../local/simulator/stack';
import { randomProjectId } from '../helpers/chat-events';
import { captureLogLine } from '../helpers/log-capture';
import { until } from '../helpers/until';

jest.setTimeout(90_000);

let stack: LocalStack;
const logs: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    projectId: randomProjectId('sim-pubsub'),
    connection: 'pubsub',
    ports: { events: 0, worker: 0, chatApi: 0, certs: 0, simulator: 0, firestore: 0, pubsub: 0 },
    emulators: { firestore: process.env.FIRESTORE_EMULATOR_HOST!, pubsub: process.env.PUBSUB_EMULATOR_HOST! },
    env: { PROGRESS_INTERVAL_MS: '0', NODE_ENV: 'test' },
    output: (line) => {
      captureLogLine('local stack', line);
      logs.push(line);
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});

type TimelineMessage = { name: string; text?: string; cardsV2?: { cardId: string }[] };
const api = async (path: string, body?: unknown) => {
  const res = await fetch(`${stack.simulator.url}api/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as unknown };
};
const timeline = async () => (await api('timeline?space=spaces/RELEASE&viewer=users/1111')).json as TimelineMessage[];

test('the simulator publishes to Pub/Sub, and the answers come back through the Chat API into its timeline', async () => {
  expect(stack.connection).toBe('pubsub');
  const sent = await api('interact', { kind: 'message', space: 'spaces/RELEASE', user: 'users/1111', text: '/about' });
  expect(sent.status).toBe(200);
  const about = await until('the /about card in the timeline', async () => (await timeline()).find((m) => m.cardsV2?.[0]?.cardId === 'about'), 30_000);
  expect(about.name).toMatch(/^spaces\/RELEASE\/messages\//);
  // Nothing came back synchronously: the inspector shows the publication, the answer came through the API.
  const inspector = (await api('inspector')).json as { label: string; status: number; response: unknown }[];
  expect(inspector.filter((e) => e.label.includes('/about'))).toEqual([expect.objectContaining({ status: 200, response: {} })]);
  expect(stack.chatApi.calls().some((c) => c.method === 'create' && c.space === 'spaces/RELEASE')).toBe(true);
  // The door logs the message once its answer is posted: that line may follow the card by a moment.
  await until('chatPubsub\'s log line for the message', () => logs.some((l) => l.includes('[chatPubsub]') && l.includes('"door":"pubsub"')), 10_000);
});

test('/config, which opens a dialog over HTTP, says what it does instead, only to the person', async () => {
  await api('interact', { kind: 'message', space: 'spaces/RELEASE', user: 'users/1111', text: '/config' });
  await until('the private answer', async () => (await timeline()).find((m) => m.text?.includes('no dialogs')), 30_000);
  const grace = (await api('timeline?space=spaces/RELEASE&viewer=users/2222')).json as TimelineMessage[];
  expect(grace.find((m) => m.text?.includes('no dialogs'))).toBeUndefined();
});
