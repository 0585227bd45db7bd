/**
 * The simulator's developer tools (issue 19), in headless Chromium against the whole local stack:
 * Chat's retries on demand (redeliver, send twice at once: the same answer, nothing written), raw
 * events (edit and send, copy as curl with a fresh token) and the local Chat API's faults.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import type { InspectorEntry } from '../../local/simulator/protocol';
import type { LocalStack } from '../../local/simulator/stack';
import { randomProjectId } from '../helpers/chat-events';
import { rememberSecret } from '../helpers/log-capture';
import { until } from './browser';
import { sendText, useStackPage } from './stack-page';

jest.setTimeout(90_000);

const ctx = useStackPage({ projectId: randomProjectId('sim-tools'), screenshotPrefix: 'tools-' });
let stack: LocalStack;
let page: Page;
beforeAll(async () => {
  ({ stack, page } = ctx);
  await page.click('[data-action="add-app"]');
  await page.waitForSelector('[data-action="remove-app"]');
});

const entries = () => stack.simulator.inspector.list();
const events = () => entries().filter((e) => e.kind === 'event');
const send = (text: string) => sendText(page, text);
const row = (e: InspectorEntry) => page.locator(`[data-entry-id="${e.id}"]`);
const open = async (e: InspectorEntry) => {
  await row(e).locator('summary').click();
  await row(e).locator('.event-actions').waitFor();
};
const pollCard = () => page.locator('.message.from-app [data-card-id^="poll-"]').last();

test('redeliver a vote, and send a poll twice at once: the same answers, nothing written', async () => {
  await send('/poll "Lunch?" "Pizza" "Sushi"');
  await pollCard().waitFor();
  await pollCard().locator('[data-path="c0.s0.w0.btn"]').click();
  await until('the vote to show', async () => (await pollCard().locator('.decorated-text').first().innerText()).includes('1 vote'));
  const vote = await until('the vote event', () => events().find((e) => e.label === 'CARD_CLICKED pollVote' && !e.pending));
  const poll = events().find((e) => e.label === 'MESSAGE /poll')!;

  await open(vote);
  await row(vote).locator('[data-event-action="redeliver"]').click();
  await page.waitForSelector(`.toast:has-text("Redelivered #${vote.id}: the same answer; wrote nothing")`);
  const again = entries().find((e) => e.label.includes(`redelivered (of #${vote.id})`))!;
  expect(again).toMatchObject({ status: 200, outcome: `same answer as #${vote.id}` });
  expect(again.token).toBeDefined();
  expect(await row(again).locator('.outcome').textContent()).toBe(`same answer as #${vote.id}`);

  await open(poll);
  await row(poll).locator('[data-event-action="twice"]').click();
  await page.waitForSelector(`.toast:has-text("Sent twice at once #${poll.id}: the same answer both times; wrote nothing")`);
  const twice = entries().filter((e) => e.label.includes(`twice at once`) && e.label.includes(`(of #${poll.id})`));
  expect(twice.map((e) => [e.status, e.outcome])).toEqual([[200, `same answer as #${poll.id}`], [200, `same answer as #${poll.id}`]]);
  // Each request carried a token of its own, signed when it left.
  expect(twice.every((e) => (e.token?.claims as { iat: number }).iat >= (poll.token?.claims as { iat: number }).iat)).toBe(true);
  expect(await page.locator('.entry-note .entry-label', { hasText: `Sent twice at once #${poll.id}` }).count()).toBe(1);
  // Still one poll, with one vote.
  expect(await page.locator('.message.from-app [data-card-id^="poll-"]').count()).toBe(1);
  expect(await pollCard().locator('.decorated-text').first().innerText()).toContain('1 vote');
});

test('an event opened as JSON, edited and sent: the app answers the edited event', async () => {
  const vote = events().find((e) => e.label === 'CARD_CLICKED pollVote')!;
  if (!(await row(vote).locator('.event-actions').isVisible())) await open(vote);
  await row(vote).locator('[data-event-action="edit"]').click();
  const text = page.locator('.raw-event');
  await text.waitFor();
  const event = JSON.parse(await text.inputValue()) as { eventTime: string; common: { parameters: Record<string, string> }; action: { parameters: { key: string; value: string }[] } };
  // Another moment (a new delivery) and the other option: a changed vote.
  event.eventTime = new Date().toISOString();
  event.action.parameters = event.action.parameters.map((p) => (p.key === 'option' ? { ...p, value: '1' } : p));
  if (event.common?.parameters) event.common.parameters.option = '1';
  await text.fill(JSON.stringify(event));
  await page.click('[data-raw="send"]');
  await page.locator('.raw-dialog').waitFor({ state: 'detached' });
  const raw = await until('the raw event', () => entries().find((e) => e.label.includes('edited, sent raw') && !e.pending));
  expect(raw.status).toBe(200);
  const rows = JSON.stringify(raw.response);
  expect(rows).toContain('Sushi');
  expect(rows).toMatch(/1 vote \(100%\)/);
  // Malformed JSON is refused in the editor, and nothing is sent.
  await row(vote).locator('[data-event-action="edit"]').click();
  await page.locator('.raw-event').fill('{ not json');
  const before = entries().length;
  await page.click('[data-raw="send"]');
  await page.waitForSelector('.raw-dialog .dialog-error:not([hidden])');
  expect(entries()).toHaveLength(before);
  await page.keyboard.press('Escape');
});

test('copy as curl: a line with a fresh token that chatEvents accepts', async () => {
  const about = events().find((e) => e.label === 'MESSAGE /poll')!;
  if (!(await row(about).locator('.event-actions').isVisible())) await open(about);
  await row(about).locator('[data-event-action="curl"]').click();
  const line = page.locator(`[data-entry-id="${about.id}"] .curl-line`);
  await line.waitFor();
  const curl = await line.inputValue();
  expect(curl).toMatch(new RegExp(`^curl -s ${stack.eventsUrl.replace(/[.]/g, '\\.')} .*-H 'authorization: Bearer ey[^']+' -d '\\{`));
  const token = /Bearer ([^']+)/.exec(curl)![1];
  rememberSecret(token);
  expect(JSON.stringify(about.token)).not.toContain(token.split('.')[2]);
  const { stdout } = await promisify(execFile)('bash', ['-c', curl]);
  // A retry of the same delivery: chatEvents verified the token and answered as the first time.
  expect(JSON.parse(stdout)).toEqual(about.response);
});

test('faults of the local Chat API from the page: a failed create, and the worker retries it', async () => {
  await page.click('.tabs button:has-text("Tools")');
  await page.selectOption('[data-fault="method"]', 'create');
  await page.selectOption('[data-fault="kind"]', 'status');
  await page.fill('[data-fault="status"]', '503');
  await page.click('[data-tool="add-fault"]');
  await page.waitForSelector('[data-result="faults"] li:has-text("create ×1: status 503")');
  expect(stack.chatApi.faults()).toEqual([{ method: 'create', count: 1, status: 503 }]);
  await page.click('.tabs button:has-text("Events")');
  await send('/report');
  await until('a faulted create, then one that succeeds', () => {
    const creates = stack.chatApi.calls().filter((c) => c.method === 'create');
    return creates.some((c) => c.faulted && c.status === 503) && creates.some((c) => !c.faulted && c.status === 200);
  }, 60_000);
  expect(stack.chatApi.faults()).toEqual([]);
  // A delay only: slower, then served.
  await page.click('.tabs button:has-text("Tools")');
  await page.selectOption('[data-fault="kind"]', 'delay');
  await page.fill('[data-fault="ms"]', '300');
  await page.click('[data-tool="add-fault"]');
  await page.waitForSelector('[data-result="faults"] li:has-text("create ×1: 300 ms slower")');
  await page.click('[data-tool="clear-faults"]');
  await page.waitForSelector('[data-result="faults"] li:has-text("No faults")');
  expect(stack.chatApi.faults()).toEqual([]);
});

test('a session exported as a jest test replays against the app in the test harness', async () => {
  await page.click('.tabs button:has-text("Session")');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-session="export-test"]')]);
  const dir = join(__dirname, '..', 'sessions');
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `exported-${process.pid}.test.ts`);
  await download.saveAs(file);
  try {
    const source = readFileSync(file, 'utf8');
    const steps = stack.simulator.session.recordedSteps();
    expect(steps.map((s) => s.intent.kind)).toEqual(expect.arrayContaining(['add', 'message', 'click']));
    expect(source).toContain(`(${steps.length} steps, a classic Chat app)`);
    // Its own jest run: its own emulators, the whole stack, the replay.
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of ['FIRESTORE_EMULATOR_HOST', 'PUBSUB_EMULATOR_HOST', 'JEST_WORKER_ID']) delete env[k];
    const run = await promisify(execFile)(process.execPath, [join(__dirname, '..', '..', 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', file], { cwd: join(__dirname, '..', '..'), env, maxBuffer: 16 * 1024 * 1024 }).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`the exported test failed:\n${err.stderr ?? ''}${err.stdout ?? ''}`.slice(0, 4000));
    });
    expect(run.stderr).toMatch(/Tests: +1 passed, 1 total/);
    // Changed, the same session fails its replay: the exported test compares answers, not only their shape.
    writeFileSync(file, source.replace(/Poll by Ada Lovelace/g, 'Poll by Grace Hopper'));
    const failed = await promisify(execFile)(process.execPath, [join(__dirname, '..', '..', 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', file], { cwd: join(__dirname, '..', '..'), env, maxBuffer: 16 * 1024 * 1024 }).then(
      () => '',
      (err: { stderr?: string }) => err.stderr ?? '',
    );
    expect(failed).toMatch(/the answer differs from the recording/);
  } finally {
    rmSync(created ? dir : file, { recursive: true, force: true });
  }
}, 400_000);
