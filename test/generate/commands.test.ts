/**
 * FEATURES is the one declaration of the app's commands: the files derived from it are current
 * (`npm run generate` rewrites them), and a feature added to it shows up in everything that lists
 * commands: the simulator's menu, the data Terraform reads, the README tables, the report's labels
 * and the help answer's hint. No command is named here: the cases read FEATURES.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURES } from '../../functions/app';
import { suggestCommand } from '../../functions/app/lifecycle';
import { REPORT_JOB } from '../../functions/app/report';
import { defaultWorld } from '../../local/simulator/world';
import { BEGIN_MARKER, END_MARKER, generatedFiles, replaceSection, terraformCommands } from '../../local/generate/commands';
import type { JobRecord } from '../../shared/jobs/model';
import { createLogger } from '../../shared/log';
import { reply } from '../../shared/replies/responses';
import { commandsOf, defineFeature, tasksOf, type Feature } from '../../shared/routing/feature';
import { ACTIVITY } from '../../shared/stores/activity';
import { SPACES } from '../../shared/stores/spaces';
import { randomProjectId } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const staleFiles = (features: readonly Feature[]) => generatedFiles(features, read).filter((f) => f.content !== read(f.path)).map((f) => f.path);

test('the generated files are current (else: npm run generate)', () => {
  expect(staleFiles(FEATURES)).toEqual([]);
});

test('a generated section needs exactly one pair of markers', () => {
  const section = `${BEGIN_MARKER}\nold\n${END_MARKER}`;
  expect(replaceSection(`intro\n${section}\noutro`, 'new', 'X')).toBe(`intro\n${BEGIN_MARKER}\nnew\n${END_MARKER}\noutro`);
  expect(() => replaceSection('no markers', 'new', 'X.md')).toThrow(/X\.md: expected one generated commands section/);
  expect(() => replaceSection(`${section}\n${section}`, 'new', 'X.md')).toThrow(/expected one/);
});

describe('a throwaway feature added to FEATURES in-process', () => {
  const id = Math.max(...commandsOf(FEATURES).map((c) => c.id)) + 1;
  const ACTION = 'throwawayDone';
  const throwaway = defineFeature({
    name: 'throwaway',
    command: { id, name: '/throwaway', description: 'Thrown away after the test', opensDialog: true, withoutDialogs: 'Frobnicates without asking.', keywords: ['frobnicate'], handler: () => reply.text('ok') },
    actions: { [ACTION]: { handler: () => reply.closeDialog(), label: 'Throwaways done' } },
  });
  beforeAll(() => FEATURES.push(throwaway));
  afterAll(() => FEATURES.splice(FEATURES.indexOf(throwaway), 1));

  test("is in the simulator's command menu, opening a dialog", () => {
    expect(defaultWorld('http://127.0.0.1:1/').app.commands).toContainEqual({ id, name: '/throwaway', description: 'Thrown away after the test', opensDialog: true });
  });

  test('is in the data Terraform reads, and makes the checked-in file stale', () => {
    const data = JSON.parse(terraformCommands(FEATURES)) as { commands: unknown[] };
    expect(data.commands).toContainEqual({ id, name: '/throwaway', description: 'Thrown away after the test', open_dialog: true });
    expect(staleFiles(FEATURES)).toEqual(expect.arrayContaining(['terraform/commands.json', 'README.md', 'terraform/README.md']));
  });

  test('is a row of both README command tables', () => {
    for (const file of generatedFiles(FEATURES, read).filter((f) => f.path.endsWith('README.md'))) {
      const section = file.content.slice(file.content.indexOf(BEGIN_MARKER), file.content.indexOf(END_MARKER));
      expect([file.path, section]).toEqual([file.path, expect.stringContaining(`| ${id} | Slash command | \`/throwaway\` | Thrown away after the test | yes |`)]);
    }
  });

  test("is the help answer's hint for its keywords", () => {
    expect(suggestCommand('can you frobnicate this?', commandsOf(FEATURES))?.name).toBe('/throwaway');
  });

  test("is named by its labels in the activity report (the worker's report task)", async () => {
    const projectId = randomProjectId('labels');
    const db = testFirestore(projectId);
    try {
      const space = 'SLABELS';
      await db.collection(SPACES).doc(space).collection(ACTIVITY).doc('2026-01-01').set({
        day: '2026-01-01',
        total: 3,
        byRoute: { [`command_${id}`]: 2, [`action_${ACTION}`]: 1 },
        byUser: { users_1111: 3 },
        userNames: { users_1111: 'Ada Lovelace' },
      });
      const job = { jobId: 'j', kind: REPORT_JOB, args: {}, space: `spaces/${space}`, thread: null, user: 'users/1111' } as unknown as JobRecord;
      const task = tasksOf(FEATURES)[REPORT_JOB];
      const out = await task(job, { firestore: async () => db, log: createLogger({}, () => undefined), progress: async () => undefined });
      const labels = JSON.stringify(out.cardsV2).match(/"topLabel":"[^"]*"/g);
      expect(labels).toEqual(expect.arrayContaining(['"topLabel":"/throwaway"', '"topLabel":"Throwaways done"']));
    } finally {
      await db.terminate();
    }
  });
});
