/**
 * Secrets at rest, over the whole reliability run: this case runs last (sequencer.js). It issues
 * webhook secrets the ways a delivery can carry one (a plain /notify, /notify as the command that
 * adds the app, each delivered many times at once, as Chat's retries can be), then reads back
 * every document the run wrote, in every project, and searches each for every secret any answer
 * showed, and for anything shaped like a secret (test/helpers/at-rest.ts). The global teardown
 * repeats the scan after the very last write.
 */
import { createAppRouter } from '../../functions/app';
import { secretsShown } from '../../local/schema/conformance';
import { addedEvent, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { noteSecrets, scanAtRest } from '../helpers/at-rest';
import { startEventsServer } from '../helpers/events-server';
import { record } from './record';

const COPIES = 10;

test('no webhook secret is stored anywhere the run wrote', async () => {
  const projectId = randomProjectId('atrest');
  const server = await startEventsServer({ projectId, router: createAppRouter(), env: { CHAT_WEBHOOKS_URL: 'https://chat-app.example.com/chatWebhooks/' } });
  try {
    for (let i = 0; i < 5; i++) {
      const space = newSpace();
      const command = slashCommandEvent(space, 5, '/notify');
      const adding = addedEvent(space, { message: command.message, appCommandMetadata: command.appCommandMetadata });
      // Each delivered COPIES times at once, then once more after the first answer is stored.
      for (const event of [adding, slashCommandEvent(space, 5, '/notify')]) {
        const answers = await Promise.all(Array.from({ length: COPIES }, () => server.post(event)));
        answers.push(await server.post(event));
        expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
      }
    }
  } finally {
    await server.stop();
  }
  // This file's answers are noted by the schema setup after the file: note them now for the scan.
  const shown = secretsShown();
  noteSecrets(shown);
  expect(shown.length).toBeGreaterThanOrEqual(10);
  const scan = await scanAtRest();
  record({
    case: 'secrets at rest (every document the run wrote, every secret an answer showed)',
    tried: scan.secrets,
    survived: scan.secrets - scan.found.length,
    lost: 0,
    doubled: 0,
    notes: `secrets found at rest: ${scan.found.length}; ${scan.documents} documents in ${scan.projects} projects searched`,
  });
  expect(scan.found).toEqual([]);
}, 120_000);
