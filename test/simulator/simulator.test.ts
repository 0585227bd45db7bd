/**
 * The simulator end to end in a real headless browser, against the whole local stack: chatEvents
 * and chatWorker as processes under the functions-framework, the emulators of the test run, the
 * local Chat API, every event signed and verified. One person's session, step by step, once with
 * the simulator playing a classic Chat app and once playing a Google Workspace add-on (the same
 * steps: only the events' names in the inspector differ).
 */
import type { Page } from 'playwright-core';
import { FEATURES } from '../../functions/app';
import type { LocalStack } from '../../local/simulator/stack';
import { EVENT_FORMATS } from '../../local/simulator/wire-event';
import { ACTIVITY } from '../../shared/stores/activity';
import { commandsOf } from '../../shared/routing/feature';
import { SPACES } from '../../shared/stores/spaces';
import { addonPayloadKey } from '../helpers/addon-events';
import { randomProjectId } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';
import { until } from './browser';
import { sendText, useStackPage } from './stack-page';

jest.setTimeout(60_000);

const SPACE = 'spaces/RELEASE';

describe.each(EVENT_FORMATS)('the simulator in the %s format', (format) => {
  const projectId = randomProjectId(`sim-${format}`);
  const db = testFirestore(projectId);
  const ctx = useStackPage({ projectId, format, space: SPACE });
  let stack: LocalStack;
  let page: Page;

  beforeAll(() => {
    ({ stack, page } = ctx);
  });

  afterAll(async () => {
    await db.terminate();
  });

  const send = (text: string) => sendText(page, text);
  /** Runs in the page (a string: these tests are typed for Node, not the DOM). */
  const RECORD_WORKER_TEXTS = `
    window.seen = [];
    new MutationObserver(() => {
      for (const m of document.querySelectorAll('.message.from-app')) {
        const text = m.getAttribute('data-message-name') + '|' + (m.querySelector('.message-text')?.textContent ?? '');
        if (!window.seen.includes(text)) window.seen.push(text);
      }
    }).observe(document.getElementById('timeline'), { childList: true, subtree: true });
  `;
  const events = () => stack.simulator.inspector.list().filter((e) => e.kind === 'event');
  const lastEvent = async () => events().pop();
  /** The inspector's label in this format: an add-on's events are named by their payload (`MESSAGE /about` → `appCommandPayload /about`). */
  const label = (classic: string): string => {
    if (format === 'chat') return classic;
    const [type, ...detail] = classic.split(' ');
    return [addonPayloadKey(type, detail[0]?.startsWith('/')), ...detail].join(' ');
  };
  const pollCard = () => page.locator('.message.from-app [data-card-id^="poll-"]').last();
  const rows = () => pollCard().locator('.decorated-text').allInnerTexts();

  test('the header says which kind of Chat app the simulator plays', async () => {
    const kind = page.locator('#mode .mode-kind');
    expect(await kind.getAttribute('data-format')).toBe(format);
    expect(await kind.innerText()).toBe(format === 'addon' ? 'Google Workspace add-on' : 'Classic Chat app');
    expect(await page.locator('#mode').innerText()).toContain(`audience ${format === 'addon' ? 'addon' : 'project-number'}`);
  });

  test('adding the app to a space shows its onboarding message', async () => {
    await page.click('[data-action="add-app"]');
    await page.waitForSelector('.note:has-text("Ada Lovelace added Team Assistant")');
    const onboarding = page.locator('.message.from-app .message-text').first();
    await onboarding.waitFor({ timeout: 15_000 });
    expect(await onboarding.innerText()).toContain('Thanks for adding me to Release team, Ada!');
    expect(await page.locator('[data-action="remove-app"]').count()).toBe(1);
    expect(await lastEvent()).toMatchObject({ label: label('ADDED_TO_SPACE'), status: 200 });
  });

  test('/about is suggested in the composer and answers with its card', async () => {
    await page.fill('.composer-input', '/ab');
    await page.waitForSelector('.command-option[data-command="/about"]');
    await page.press('.composer-input', 'Enter'); // picks the suggestion
    expect(await page.inputValue('.composer-input')).toBe('/about ');
    await page.press('.composer-input', 'Enter');
    const card = page.locator('[data-card-id="about"]').last();
    await card.waitFor();
    expect(await card.locator('.card-title').innerText()).toBe('Team Assistant');
    expect(await card.locator('.decorated-main').allInnerTexts()).toEqual(commandsOf(FEATURES).map((c) => c.name));
    expect(await lastEvent()).toMatchObject({ label: label('MESSAGE /about'), status: 200, outcome: expect.stringContaining('new message') });

    // Its Settings button opens a dialog (REQUEST_DIALOG); Escape closes it without an event.
    await card.locator('button:has-text("Settings")').click();
    const dialog = page.locator('.dialog');
    await dialog.waitFor();
    expect(await dialog.locator('.card-title').first().innerText()).toBe('Space settings');
    expect(await lastEvent()).toMatchObject({ label: label('CARD_CLICKED configOpen'), status: 200, outcome: expect.stringMatching(/^dialog .* shown$/) });
    const sent = events().length;
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(events()).toHaveLength(sent);
  });

  test('a poll: vote, the count changes in place, change the vote; its link gets a preview', async () => {
    await send('/poll "Where do we eat?" "Pizza" "Sushi"');
    await pollCard().waitFor();
    const name = await page.locator('.message.from-app').last().getAttribute('data-message-name');
    expect(await rows()).toEqual([expect.stringContaining('0 votes'), expect.stringContaining('0 votes')]);
    await pollCard().locator('[data-path="c0.s0.w0.btn"]').click();
    await until('the vote to show', async () => (await rows())[0].includes('1 vote (100%)'));
    await pollCard().locator('[data-path="c0.s0.w1.btn"]').click();
    await until('the changed vote to show', async () => (await rows())[1].includes('1 vote (100%)') && (await rows())[0].includes('0 votes'));
    // Still the same message, updated twice (UPDATE_MESSAGE), not a new one.
    expect(await page.locator('.message.from-app').last().getAttribute('data-message-name')).toBe(name);
    expect(await page.locator('.message.from-app').last().getAttribute('data-update-count')).toBe('2');
    expect(await lastEvent()).toMatchObject({ label: label('CARD_CLICKED pollVote'), status: 200, outcome: expect.stringContaining('updated') });

    const pollId = (await pollCard().getAttribute('data-card-id'))!.replace('poll-', '');
    await send(`Vote here: ${stack.eventsUrl}polls/RELEASE/${pollId}`);
    const preview = page.locator('.message:not(.from-app)').last().locator('[data-card-id^="poll-"]');
    await preview.waitFor();
    expect(await preview.locator('.card-title').innerText()).toBe('Where do we eat?');
    expect(await lastEvent()).toMatchObject({ label: label('MESSAGE link preview'), status: 200 });
  });

  test('/config: an invalid submit shows the error in the dialog, a valid one is saved', async () => {
    await send('/config');
    const dialog = page.locator('.dialog');
    await dialog.waitFor();
    expect(await dialog.locator('.card-title').first().innerText()).toBe('Space settings');
    // No time zone: invalid.
    await dialog.locator('.chip-remove').click();
    await dialog.locator('[data-path="footer.primary"]').click();
    await dialog.locator('.dialog-error').waitFor();
    expect(await dialog.locator('.dialog-error').innerText()).toContain('Choose one time zone');
    // Autocomplete (WIDGET_UPDATED) offers zones; pick one and save.
    await dialog.locator('.multi-query').fill('paris');
    await dialog.locator('.suggestion[data-value="Europe/Paris"]').click();
    expect(await lastEvent()).toMatchObject({ label: label('WIDGET_UPDATED configTimeZones "paris"'), status: 200, outcome: expect.stringMatching(/^\d+ suggestions$/) });
    await dialog.locator('[data-path="footer.primary"]').click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForSelector('.toast:has-text("Settings saved")');
    expect(await lastEvent()).toMatchObject({ label: label('CARD_CLICKED configSave (SUBMIT_DIALOG)'), status: 200, outcome: 'dialog closed' });
    const saved = await until('the settings in Firestore', async () => (await db.collection(SPACES).doc('RELEASE').get()).get('settings'));
    expect(saved).toMatchObject({ timeZone: 'Europe/Paris', webhooksAllowed: true });

    // Opened again, the close icon cancels (CANCEL_DIALOG) and changes nothing.
    await send('/config');
    await dialog.waitFor();
    await dialog.locator('.dialog-close').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await lastEvent()).toMatchObject({ label: label('CARD_CLICKED configSave (CANCEL_DIALOG)'), status: 200, outcome: 'dialog closed' });
    expect((await db.collection(SPACES).doc('RELEASE').get()).get('settings')).toMatchObject({ timeZone: 'Europe/Paris' });
  });

  test('/report shows progress, then one final card in place', async () => {
    const batch = db.batch();
    for (let d = 0; d < 45; d++) {
      const day = new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
      batch.set(db.collection(SPACES).doc('RELEASE').collection(ACTIVITY).doc(day), { day, total: 2, byRoute: { command_3: 2 }, byUser: { users_1111: 2 }, userNames: { users_1111: 'Ada Lovelace' } });
    }
    await batch.commit();
    // Record every text the worker's message shows, however briefly.
    await page.evaluate(RECORD_WORKER_TEXTS);
    await send('/report');
    const report = page.locator('.message.from-app:has([data-card-id="activity-report"])');
    await report.waitFor({ timeout: 30_000 });
    const name = await report.getAttribute('data-message-name');
    const seen = (await page.evaluate('window.seen')) as string[];
    const mine = seen.filter((s) => s.startsWith(`${name}|`));
    expect(mine.some((s) => s.includes('Building the activity report'))).toBe(true);
    expect(mine[mine.length - 1]).toContain('Activity report: 9');
    // One reply for the job, in the /report message's thread.
    const worker = stack.chatApi.messages(SPACE).filter((m) => m.clientAssignedMessageId?.startsWith('client-'));
    expect(worker).toHaveLength(1);
    expect(await page.locator(`.thread .replies [data-message-name="${name}"]`).count()).toBe(1);
  });

  test('removing the app deletes the space data', async () => {
    expect((await db.collection(SPACES).doc('RELEASE').get()).exists).toBe(true);
    await page.click('[data-action="remove-app"]');
    await page.waitForSelector('.note:has-text("Ada Lovelace removed Team Assistant")');
    await page.click('.tabs button:has-text("Data")');
    await page.waitForSelector('.data-title:has-text("Firestore: 0 documents")', { timeout: 15_000 });
    const left = await db.collection(SPACES).doc('RELEASE').listCollections();
    expect((await db.collection(SPACES).doc('RELEASE').get()).exists).toBe(false);
    expect(left).toHaveLength(0);
    // Listed when it leaves (pending), complete when its answer comes.
    const removed = await until('the removal event answered', async () => {
      const last = await lastEvent();
      return last?.label === label('REMOVED_FROM_SPACE') && !last.pending && last;
    });
    expect(removed).toMatchObject({ status: 200, outcome: 'acknowledged' });
  });

  test('an @mention adds the app to a space: the onboarding and the answer each show once', async () => {
    await page.click('[data-space="spaces/DESIGN"]');
    await page.waitForSelector('[data-action="add-app"]');
    const before = events().length;
    await send('@Team Assistant what can you do?');
    await page.waitForSelector('.note:has-text("Ada Lovelace added Team Assistant")');
    const texts = () => page.locator('.message.from-app .message-text').allInnerTexts();
    const shown = await until('the answer to the mention', async () => {
      const all = await texts();
      return all.some((t) => t.includes('It sounds like you want /about')) && all;
    });
    // A classic app gets one ADDED_TO_SPACE carrying the message; an add-on gets the add, then the message.
    const sent = format === 'chat' ? ['ADDED_TO_SPACE @mention'] : ['addedToSpacePayload @mention', 'messagePayload @mention'];
    expect(events().slice(before).map((e) => [e.label, e.status])).toEqual(sent.map((l) => [l, 200]));
    const count = (part: string) => shown.filter((t) => t.includes(part)).length;
    expect(count('Thanks for adding me to Design reviews, Ada!')).toBe(1);
    expect(count('It sounds like you want /about')).toBe(1);
    expect(stack.chatApi.messages('spaces/DESIGN').filter((m) => m.sender.type === 'BOT')).toHaveLength(format === 'chat' ? 1 : 2);
  });
});
