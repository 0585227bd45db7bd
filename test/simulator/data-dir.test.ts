/**
 * `npm start -- --data-dir=DIR` (issue 19, item 5), as the README runs it (`node dist/local/start.js`):
 * a person and a space made in the page, a poll posted and voted on, SIGTERM; started again on the
 * same directory, the page shows the person, the space, its messages and the vote, and the poll
 * is still in Firestore (a second vote counts on top of the first). A directory holding other
 * things, or a corrupt state file, stops it with a message and no stack trace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, until } from './browser';
import { sendText } from './stack-page';

jest.setTimeout(240_000);

const START = join(__dirname, '..', '..', 'dist', 'local', 'start.js');
const PORTS = ['EVENTS_PORT', 'WORKER_PORT', 'CHAT_API_PORT', 'CERTS_PORT', 'SIMULATOR_PORT', 'FIRESTORE_PORT', 'PUBSUB_PORT'];

function npmStart(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const env: NodeJS.ProcessEnv = { ...process.env, ...Object.fromEntries(PORTS.map((n) => [n, '0'])), GOOGLE_CLOUD_PROJECT: 'data-dir-test', PROGRESS_INTERVAL_MS: '0' };
  delete env.FIRESTORE_EMULATOR_HOST;
  delete env.PUBSUB_EMULATOR_HOST;
  const child = spawn(process.execPath, [START, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

async function started(run: ReturnType<typeof npmStart>): Promise<string> {
  return until('the simulator URL', () => /Google Chat simulator\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.output())?.[1], 120_000).catch((err: Error) => {
    throw new Error(`${err.message}; output:\n${run.output().slice(-3000)}`);
  });
}

const dirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-data-'));
  dirs.push(dir);
  return dir;
};
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const pollCard = (page: Page) => page.locator('.message.from-app [data-card-id^="poll-"]').last();
const openPage = async (url: string, hash: string) => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${url}#${hash}`);
  await page.waitForSelector('body.ready');
  return page;
};

test('the state survives a restart: person, space, messages and the poll with its vote (Firestore)', async () => {
  const dir = newDir();
  const first = npmStart([`--data-dir=${dir}`]);
  let url = '';
  try {
    url = await started(first);
    expect(first.output()).toContain(`Data: kept in ${dir}`);
    const page = await openPage(url, 'as=users/1111&space=spaces/RELEASE');
    await page.locator('.inspector .tabs button', { hasText: 'People' }).click();
    await page.fill('[data-people="name"]', 'Mary Shelley');
    await page.click('[data-tool="add-person"]');
    await until('Mary added', async () => (await page.locator('[data-result="person"]').innerText()).includes('added'));
    await page.fill('[data-people="space-name"]', 'Poetry club');
    await page.check('[data-member-pick="users/2222"]');
    await page.click('[data-tool="create-space"]');
    await until('Poetry club open', async () => (await page.locator('.space-header .space-name').innerText()) === 'Poetry club');
    await page.click('[data-action="add-app"]');
    await page.waitForSelector('[data-action="remove-app"]');
    await sendText(page, '/poll "Lunch?" "Pizza" "Sushi"');
    await pollCard(page).waitFor({ timeout: 60_000 });
    await pollCard(page).locator('[data-path="c0.s0.w0.btn"]').click();
    await until('the vote', async () => (await pollCard(page).innerText()).includes('1 vote'), 60_000);
    await page.close();
  } finally {
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  }
  expect(readdirSync(dir).filter((e) => e.startsWith('firestore-'))).toHaveLength(1);

  const second = npmStart([`--data-dir=${dir}`]);
  try {
    url = await started(second);
    const state = (await (await fetch(`${url}api/state`)).json()) as { people: { name: string; displayName: string }[]; spaces: { name: string; displayName: string }[] };
    expect(state.people.map((p) => p.displayName)).toContain('Mary Shelley');
    const poetry = state.spaces.find((s) => s.displayName === 'Poetry club')!;
    expect(poetry).toBeDefined();
    // Grace votes too: the app finds the poll and Ada's vote in Firestore, so the count is 2.
    const page = await openPage(url, `as=users/2222&space=${poetry.name}`);
    expect(await page.locator('.nav-item', { hasText: 'Poetry club' }).count()).toBe(1);
    expect(await page.locator('.message', { hasText: '/poll "Lunch?"' }).count()).toBe(1);
    expect(await pollCard(page).innerText()).toContain('1 vote');
    expect(await page.locator('#person-select option', { hasText: 'Mary Shelley' }).count()).toBe(1);
    await pollCard(page).locator('[data-path="c0.s0.w0.btn"]').click();
    await until('the second vote', async () => (await pollCard(page).innerText()).includes('2 votes'), 60_000);
    await screenshot(page, 'data-dir-restarted');
    await page.close();
  } finally {
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }
});

test.each([
  { what: 'a directory holding other things', prepare: (dir: string) => writeFileSync(join(dir, 'notes.txt'), 'mine'), error: 'is not a data directory of npm start (it holds notes.txt' },
  { what: 'a corrupt state file', prepare: (dir: string) => writeFileSync(join(dir, 'chat-app-state.json'), '{"format": "npm-start-data-dir", "version": 1, "chatApi": [{"info": 3}]'), error: 'chat-app-state.json is corrupt' },
  { what: 'a state file of the wrong shape', prepare: (dir: string) => writeFileSync(join(dir, 'chat-app-state.json'), '{"format": "npm-start-data-dir", "version": 1, "chatApi": [{"info": 3}], "simulator": {}}'), error: 'space #0 is not an object with info' },
])('$what stops npm start with a message, no stack trace', async ({ prepare, error }) => {
  const dir = newDir();
  prepare(dir);
  const run = npmStart([`--data-dir=${dir}`]);
  expect(await run.exited).toBe(1);
  expect(run.output()).toContain(error);
  expect(run.output()).not.toMatch(/\n\s+at /);
});
