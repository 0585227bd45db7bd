/**
 * The simulator as a developer's daily tool (issue 19), its bugs: each case drives the page in
 * headless Chromium against the whole local stack, and each failed before its fix.
 */
import type { Page } from 'playwright-core';
import type { JsonObject } from '../../local/chat-api/json';
import type { Transcript } from '../../local/simulator/protocol';
import type { LocalStack } from '../../local/simulator/stack';
import { ACTIVITY } from '../../shared/stores/activity';
import { SPACES } from '../../shared/stores/spaces';
import { randomProjectId } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';
import { rememberSecret } from '../helpers/log-capture';
import { screenshot, until } from './browser';
import { sendText, useStackPage } from './stack-page';

jest.setTimeout(90_000);

const projectId = randomProjectId('sim-daily');
const db = testFirestore(projectId);
const ctx = useStackPage({ projectId, screenshotPrefix: 'daily-' });
let stack: LocalStack;
let page: Page;
beforeAll(() => void ({ stack, page } = ctx));
afterAll(() => db.terminate());

const events = () => stack.simulator.inspector.list().filter((e) => e.kind === 'event');
const send = (text: string) => sendText(page, text);
const openSpace = async (space: string) => {
  await page.click(`[data-space="${space}"]`);
  await page.waitForSelector(`.nav-item.active[data-space="${space}"]`);
};
const tab = (name: string) => page.click(`.tabs button:has-text("${name}")`);
const setDelay = async (ms: number) => {
  const res = await page.request.post(`${stack.simulator.url}api/tools/settings`, { data: { eventDelayMs: ms } });
  expect(res.status()).toBe(200);
};
const activityToday = async (space: string) => {
  const day = new Date().toISOString().slice(0, 10);
  // The day's counters are sharded over several documents (shared/stores/activity.ts): add them up.
  const shards = await db.collection(SPACES).doc(space).collection(ACTIVITY).where('day', '==', day).get();
  const byRoute: Record<string, number> = {};
  for (const shard of shards.docs) for (const [route, n] of Object.entries((shard.get('byRoute') ?? {}) as Record<string, number>)) byRoute[route] = (byRoute[route] ?? 0) + n;
  return byRoute;
};

test('the store client is warmed when chatEvents starts, before any event', async () => {
  expect(events()).toHaveLength(0);
  await until('the warm-up line', () => ctx.logs.some((l) => l.startsWith('[chatEvents]') && l.includes('store client ready')));
  expect(events()).toHaveLength(0);
});

test('an event in flight shows: pending in the inspector, the header and composer wait for ADDED_TO_SPACE', async () => {
  await tab('Tools');
  await page.fill('[data-setting="eventDelayMs"]', '2500');
  await page.press('[data-setting="eventDelayMs"]', 'Tab');
  await page.waitForSelector('.tools .result:has-text("each event waits 2500 ms")');
  await tab('Events');
  await page.click('[data-action="add-app"]');
  const pending = page.locator('[data-action="pending"]');
  await pending.waitFor();
  expect(await pending.innerText()).toContain('Adding Team Assistant');
  expect(await page.locator('[data-action="remove-app"]').count()).toBe(0);
  expect(await page.locator('.composer-input').isDisabled()).toBe(true);
  const entry = page.locator('.entry.pending .entry-label:has-text("ADDED_TO_SPACE")');
  await entry.waitFor();
  // The answer comes: the same row completes, the header offers Remove, the composer works again.
  await page.waitForSelector('[data-action="remove-app"]', { timeout: 20_000 });
  expect(await page.locator('.composer-input').isDisabled()).toBe(false);
  await until('the entry to complete', async () => (await page.locator('.entry.pending').count()) === 0);
  const id = events().find((e) => e.label === 'ADDED_TO_SPACE')!.id;
  expect(await page.locator(`[data-entry-id="${id}"] .status`).innerText()).toBe('200');
  expect(await page.locator(`[data-entry-id="${id}"]`).count()).toBe(1);
  await setDelay(0);
});

test('a saved session keeps the order of sending, and a replay compares the answers themselves', async () => {
  // A slow add in one space, a quick command in another sent meanwhile: the add answers last.
  await setDelay(3000);
  await openSpace('spaces/DESIGN');
  await page.click('[data-action="add-app"]');
  await page.locator('[data-action="pending"]').waitFor();
  await setDelay(0);
  await openSpace('spaces/RELEASE');
  await send('/about');
  await page.locator('[data-card-id="about"]').last().waitFor();
  await until('the add to finish', () => events().every((e) => !e.pending) && events().length === 3);
  const saved = (await (await page.request.get(`${stack.simulator.url}api/transcript`)).json()) as Transcript;
  expect(saved.steps.map((s) => `${s.intent.kind} ${s.intent.space}`)).toEqual(['add spaces/RELEASE', 'add spaces/DESIGN', 'message spaces/RELEASE']);

  const replay = async (transcript: Transcript) => {
    await tab('Session');
    await page.setInputFiles('.replay-file', { name: 't.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(transcript)) });
    await page.waitForSelector('.replay-report p:has-text("Replay:")', { timeout: 30_000 });
    return page.locator('.replay-report').innerText();
  };
  expect(await replay(saved)).toContain('Replay: 3 passed, 0 failed');
  // The same session with another answer recorded for /about: the replay says so.
  const changed = JSON.parse(JSON.stringify(saved).replace(/Start a poll/g, 'Start a vote')) as Transcript;
  const report = await replay(changed);
  expect(report).toContain('Replay: 2 passed, 1 failed');
  expect(report).toMatch(/the answer differs from the recording/);
  await tab('Events');
});

test('the composer keeps its text when the send fails', async () => {
  await page.route('**/api/interact', (route) => route.abort());
  await send('hello, does this arrive?');
  await page.waitForSelector('.toast.error');
  expect(await page.inputValue('.composer-input')).toBe('hello, does this arrive?');
  await page.unroute('**/api/interact');
  await page.press('.composer-input', 'Enter');
  await until('the composer to empty', async () => (await page.inputValue('.composer-input')) === '');
});

test('a message with a link preview is not marked "Edited"', async () => {
  await send('/poll "Lunch?" "Pizza" "Sushi"');
  const poll = page.locator('.message.from-app [data-card-id^="poll-"]').last();
  await poll.waitFor();
  const pollId = (await poll.getAttribute('data-card-id'))!.replace('poll-', '');
  await send(`Vote here: ${stack.eventsUrl}polls/RELEASE/${pollId}`);
  const mine = page.locator('.message:not(.from-app)').last();
  await mine.locator('[data-card-id^="poll-"]').waitFor();
  expect(await mine.getAttribute('data-update-count')).toBe('1');
  expect(await mine.locator('.edited').count()).toBe(0);
});

test('an overflow menu opens in the page, and its items act', async () => {
  const alerts: string[] = [];
  page.on('dialog', (d) => {
    alerts.push(d.message());
    void d.dismiss();
  });
  const menu: JsonObject = { overflowMenu: { items: [{ text: 'Docs', onClick: { openLink: { url: 'https://example.com/docs' } } }, { text: 'Vote Pizza', onClick: { action: { function: 'pollVote', parameters: [{ key: 'poll', value: 'nope' }, { key: 'option', value: '0' }] } } }] } };
  stack.chatApi.postAppMessage({ space: 'spaces/RELEASE', text: 'Menu', cardsV2: [{ cardId: 'menu', card: { sections: [{ widgets: [{ buttonList: { buttons: [{ text: 'More', onClick: menu }] } }] }] } }] });
  const more = page.locator('[data-card-id="menu"] button:has-text("More")');
  await more.waitFor();
  await more.click();
  const items = page.locator('.overflow-menu .overflow-item');
  await items.first().waitFor();
  expect(await items.allInnerTexts()).toEqual(['Docs', 'Vote Pizza']);
  expect(alerts).toEqual([]);
  await page.keyboard.press('Escape');
  expect(await page.locator('.overflow-menu').count()).toBe(0);
  const before = events().length;
  await more.click();
  await page.click('.overflow-item:has-text("Vote Pizza")');
  await until('the menu item event', () => events().length > before && !events()[before].pending && events()[before]);
  expect(events()[before].label).toBe('CARD_CLICKED pollVote');
  expect(await page.locator('.overflow-menu').count()).toBe(0);
});

test('no dead controls: no fake search or "New chat"; the menu button hides and shows the conversations', async () => {
  expect(await page.locator('.search, .new-chat').count()).toBe(0);
  expect(await page.locator('text=Search in chat').count()).toBe(0);
  await page.click('#main-menu');
  expect(await page.locator('.sidebar').isVisible()).toBe(false);
  await page.click('#main-menu');
  expect(await page.locator('.sidebar').isVisible()).toBe(true);
});

/** Where an element shows on screen: its box, and its content where it spills over (unless clipped). Runs in the page. */
const EXTENT = `(e) => {
  const box = e.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(e);
  const content = range.getBoundingClientRect();
  const clipped = getComputedStyle(e).overflowX !== 'visible';
  return { what: e.className || e.id || e.tagName, left: clipped ? box.left : Math.min(box.left, content.left || box.left), right: clipped ? box.right : Math.max(box.right, content.right) };
}`;

test('at 1024 px nothing in the headers overlaps or leaves the window', async () => {
  await page.setViewportSize({ width: 1024, height: 768 });
  try {
    for (const row of ['.topbar', '.space-header']) {
      const boxes = (await page.evaluate(`[...document.querySelectorAll('${row} > *')].map(${EXTENT}).filter((b) => b.right > b.left)`)) as { left: number; right: number; what: string }[];
      const overlaps = boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => !(a.right <= b.left + 0.5 || b.right <= a.left + 0.5)).map((b) => `${row}: ${JSON.stringify(a)} and ${JSON.stringify(b)}`));
      expect(overlaps).toEqual([]);
      expect(Math.max(...boxes.map((b) => b.right))).toBeLessThanOrEqual(1024);
    }
    await screenshot(page, 'daily-1024');
    // The header's button stays on one line.
    expect((await page.locator('.space-header .header-action').boundingBox())!.height).toBeLessThan(44);
  } finally {
    await page.setViewportSize({ width: 1440, height: 900 });
  }
});

test('/report: its answer says where the report goes, and seeded activity shows its progress and card locally', async () => {
  await page.evaluate(`
    window.seen = [];
    new MutationObserver(() => {
      for (const m of document.querySelectorAll('.message.from-app')) {
        const t = m.getAttribute('data-message-name') + '|' + (m.querySelector('.message-text')?.textContent ?? '');
        if (!window.seen.includes(t)) window.seen.push(t);
      }
    }).observe(document.getElementById('timeline'), { childList: true, subtree: true });`);
  await tab('Tools');
  await page.click('[data-tool="seed-activity"]');
  await page.waitForSelector('[data-result="seed"]:has-text("45 days of activity written")');
  await tab('Events');
  await send('/report');
  const card = page.locator('.message.from-app:has([data-card-id="activity-report"])');
  await card.waitFor({ timeout: 30_000 });
  const name = await card.getAttribute('data-message-name');
  const seen = (await page.evaluate('window.seen')) as string[];
  expect(seen.some((s) => s.startsWith(`${name}|`) && s.includes('Building the activity report'))).toBe(true);
  // The card is a reply to the /report message, and the answer says so.
  const command = page.locator('.thread', { has: page.locator('.message-text', { hasText: /^\/report$/ }) });
  expect(await command.locator(`.replies [data-message-name="${name}"]`).count()).toBe(1);
  const ack = await page.locator('.message.from-app .message-text', { hasText: 'Working on the activity report' }).last().innerText();
  expect(ack).toContain('as a reply to your /report message');
  expect(ack).not.toContain('in this thread');
});

test('the report counts what succeeded: not a refused close, not a failed save', async () => {
  const space = 'RELEASE';
  const poll = page.locator('.message.from-app [data-card-id^="poll-"]').first();
  const before = await activityToday(space);
  // Grace may not close Ada's poll.
  await page.selectOption('#person-select', 'users/2222');
  await poll.locator('button:has-text("Close poll")').click();
  await page.waitForSelector('.message.private .message-text:has-text("can close this poll")');
  await page.selectOption('#person-select', 'users/1111');
  // A /config save without a time zone is refused in the dialog.
  await send('/config');
  const dialog = page.locator('.dialog');
  await dialog.waitFor();
  await dialog.locator('.chip-remove').click();
  await dialog.locator('[data-path="footer.primary"]').click();
  await dialog.locator('.dialog-error').waitFor();
  await page.keyboard.press('Escape');
  // A vote that counts, to show the counters are written (in the batch that completes each delivery, before its answer).
  await poll.locator('[data-path="c0.s0.w1.btn"]').click();
  const after = await until('the vote to be counted', async () => {
    const now = await activityToday(space);
    return (now.action_pollVote ?? 0) > (before.action_pollVote ?? 0) && now;
  });
  expect(after.action_pollClose ?? 0).toBe(before.action_pollClose ?? 0);
  expect(after.action_configSave ?? 0).toBe(before.action_configSave ?? 0);
});

test('webhook text shows with Chat markup: bold, and a link neutralised by the app still readable', async () => {
  await send('/notify');
  const own = await until('the webhook message', () => stack.chatApi.messages('spaces/RELEASE').find((m) => m.privateMessageViewer && m.text?.includes('Incoming webhook created')));
  const url = /URL: (\S+)/.exec(own.text!)![1];
  const secret = /Secret: `([^`]+)`/.exec(own.text!)![1];
  rememberSecret(secret);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-secret': secret },
    body: JSON.stringify({ title: 'CI', text: 'Deployed *v1.2*, notes: <https://example.com/notes|release notes>', url: 'https://ci.example.com/42' }),
  });
  expect(res.status).toBeLessThan(300);
  const posted = page.locator('.message.from-app', { hasText: 'Deployed' }).last();
  await posted.waitFor({ timeout: 30_000 });
  expect(await posted.locator('.message-text b').allInnerTexts()).toEqual(['CI', 'v1.2']);
  const text = await posted.locator('.message-text').innerText();
  expect(text).not.toContain('*');
  expect(text).toContain('release notes');
  expect(await posted.locator('button:has-text("Open")').count()).toBe(1);
});
