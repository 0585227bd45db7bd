/**
 * A recorded session as a jest test (Session → Export as jest test): saved under `test/sessions/`,
 * it starts the whole local stack in the test harness (the run's emulators, both functions under
 * the functions-framework, the local Chat API), replays every step in the order it was sent and
 * compares each answer with the recording, ids, times and tokens masked (transcript.ts, mask.ts).
 */
import type { Transcript } from './protocol';
import type { EventFormat } from './wire-event';

/** Where the file is meant to live, for its imports. */
export const EXPORT_DIR = 'test/sessions';

export function exportAsJestTest(transcript: Transcript, format: EventFormat): string {
  const name = `session of ${transcript.savedAt.slice(0, 19).replace('T', ' ')}`;
  return `/**
 * A Chat simulator ${name} (${transcript.steps.length} steps, ${format === 'addon' ? 'a Google Workspace add-on' : 'a classic Chat app'}),
 * exported from its Session tab. Save it under ${EXPORT_DIR}/ and run \`npx jest ${EXPORT_DIR}/<file>\`:
 * every step is sent again in the order it was sent, and each answer must match the recording
 * (ids, times and tokens masked).
 */
import { startLocalStack, type LocalStack } from '../../local/simulator/stack';
import { readTranscript, replayTranscript } from '../../local/simulator/transcript';
import { randomProjectId } from '../helpers/chat-events';
import { captureLogLine } from '../helpers/log-capture';

jest.setTimeout(120_000);

const TRANSCRIPT: unknown = ${JSON.stringify(transcript, null, 2)};

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({
    projectId: randomProjectId('session'),
    format: ${JSON.stringify(format)},
    ports: { events: 0, worker: 0, chatApi: 0, certs: 0, simulator: 0, firestore: 0, pubsub: 0 },
    emulators: { firestore: process.env.FIRESTORE_EMULATOR_HOST!, pubsub: process.env.PUBSUB_EMULATOR_HOST! },
    env: { PROGRESS_INTERVAL_MS: '0', NODE_ENV: 'test' },
    output: (line) => captureLogLine('session replay', line),
  });
});
afterAll(() => stack?.stop());

test(${JSON.stringify(`${name}: every answer as recorded, in the order sent`)}, async () => {
  const transcript = readTranscript(TRANSCRIPT);
  const report = await replayTranscript(stack.simulator.session, transcript);
  expect(report.steps.filter((s) => !s.ok)).toEqual([]);
  expect(report.passed).toBe(transcript.steps.length);
});
`;
}
