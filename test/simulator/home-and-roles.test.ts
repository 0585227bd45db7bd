/**
 * The simulator's Home tab (App Home) and its roles, in a real headless browser against the whole
 * local stack, once as a classic Chat app and once as a Workspace add-on: the Home tab of Ada's DM
 * sends the home event of the format and shows the card; a poll links to its message; Close
 * there closes the poll and its card in the space changes (the app's Chat API patch); Settings
 * opens the dialog, Save closes it and the home card is asked for again. Then the header shows
 * who manages each space, and "act as a plain member" makes the app refuse /notify.
 */
import type { Page } from 'playwright-core';
import type { LocalStack } from '../../local/simulator/stack';
import { EVENT_FORMATS } from '../../local/simulator/wire-event';
import { randomProjectId } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';
import { until } from './browser';
import { openAs, sendText, useStackPage } from './stack-page';

jest.setTimeout(60_000);

describe.each(EVENT_FORMATS)('App Home and roles in the simulator, %s format', (format) => {
  const projectId = randomProjectId(`simhome-${format}`);
  const db = testFirestore(projectId);
  const ctx = useStackPage({ projectId, format, screenshotPrefix: `home-${format}-` });
  let stack: LocalStack;
  let page: Page;

  beforeAll(() => {
    ({ stack, page } = ctx);
  });

  afterAll(async () => {
    await db.terminate();
  });

  afterEach(() => {
    expect(ctx.logs.filter((line) => line.startsWith('pageerror'))).toEqual([]);
  });

  const open = (space: string, as?: string) => openAs(ctx, space, as);
  const send = (text: string) => sendText(page, text);
  const homeEvents = () => stack.simulator.inspector.list().filter((e) => e.kind === 'event' && e.label.endsWith('[App Home]'));
  const pollCard = () => page.locator('.message.from-app [data-card-id^="poll-"]').last();
  const home = () => page.locator('#home .home-card');

  test('the Home tab of the DM shows the home card; a poll links to its message and closes from there, its card too', async () => {
    await open('spaces/RELEASE');
    await page.click('[data-action="add-app"]');
    await send('/poll "Lunch where?" "Pizza" "Sushi"');
    await pollCard().waitFor();
    // A vote tells the app which message the poll is.
    await pollCard().locator('[data-path="c0.s0.w0.btn"]').click();
    await until('the vote', async () => (await pollCard().locator('.decorated-text').first().innerText()).includes('1 vote'));
    const pollMessage = stack.chatApi.messages('spaces/RELEASE').find((m) => JSON.stringify(m.cardsV2 ?? []).includes('"cardId":"poll-'))!.name;

    await open('spaces/DM_ADA');
    expect(await page.locator('[data-tab="home"]').count()).toBe(0);
    await page.click('[data-action="add-app"]');
    await page.locator('[data-tab="home"]').click();
    await home().waitFor();
    expect(homeEvents().at(-1)).toMatchObject({ label: format === 'chat' ? 'APP_HOME [App Home]' : 'homepage [App Home]', status: 200, outcome: 'home card shown' });
    const sent = homeEvents().at(-1)!.event as Record<string, unknown>;
    if (format === 'chat') expect(sent.chat).toMatchObject({ type: 'APP_HOME', user: { name: 'users/1111' } });
    else expect(Object.keys(sent.chat as object).sort()).toEqual(['eventTime', 'user']);
    expect(await page.locator('.composer').isVisible()).toBe(false);
    const link = home().locator('a', { hasText: 'Lunch where?' });
    const stored = stack.chatApi.messages('spaces/RELEASE').find((m) => m.name === pollMessage)!;
    expect(await link.getAttribute('href')).toBe(`https://chat.google.com/room/RELEASE/${stored.threadName.split('/')[3]}/${pollMessage.split('/')[3]}`);

    await home().locator('[data-path="s0.w0.btn"]').click();
    await until('the refreshed home card', async () => (await home().innerText()).includes('no open polls'));
    expect(homeEvents().at(-1)).toMatchObject({ label: format === 'chat' ? 'SUBMIT_FORM homeClosePoll [App Home]' : 'buttonClickedPayload homeClosePoll [App Home]', status: 200 });
    const patched = stack.chatApi.messages('spaces/RELEASE').find((m) => m.name === pollMessage)!;
    expect(JSON.stringify(patched.cardsV2)).toContain('Closed poll');

    // Back in the space, the poll's card shows it closed (the local Chat API's change, live).
    await page.locator('[data-tab="chat"]').click();
    await page.click('[data-space="spaces/RELEASE"]');
    await until('the closed card', async () => (await pollCard().innerText()).includes('Closed poll'));
  });

  test('Settings on the home card opens the dialog; Save closes it and the home card is asked for again', async () => {
    await open('spaces/DM_ADA');
    await page.locator('[data-tab="home"]').click();
    await home().waitFor();
    expect(await home().innerText()).toContain('Release team');
    await home().locator('[data-path="s1.w0.btn"]').click();
    const dialog = page.locator('.dialog');
    await dialog.waitFor();
    expect(await dialog.locator('.card-title').first().innerText()).toBe('Space settings');
    const before = homeEvents().length;
    await dialog.locator('[data-path="footer.primary"]').click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForSelector('.toast:has-text("Settings saved")');
    const after = homeEvents().slice(before).map((e) => e.outcome);
    expect(after).toEqual(['dialog closed', 'home card shown']);
    expect(await home().isVisible()).toBe(true);
  });

  test('the header shows who manages each space; acting as a plain member, the app refuses /notify', async () => {
    await open('spaces/DESIGN');
    expect(await page.locator('.space-roles .managed-by').innerText()).toBe('Managed by Grace Hopper');
    expect(await page.locator('#act-as-member').isChecked()).toBe(true);
    await page.click('[data-space="spaces/RELEASE"]');
    await until('the roles of Release team', async () => (await page.locator('.space-roles .managed-by').innerText()) === 'Managed by Ada Lovelace');
    expect(await page.locator('#act-as-member').isChecked()).toBe(false);
    // Grace manages Design reviews; the app has not read her role there yet (it keeps one for a minute).
    await open('spaces/DESIGN', 'users/2222');
    expect(await page.locator('#act-as-member').isChecked()).toBe(false);
    await page.locator('#act-as-member').check();
    await until('Grace a plain member', async () => (await page.locator('.space-roles .managed-by').innerText()) === 'No manager');
    expect(stack.chatApi.members('spaces/DESIGN').find((m) => m.name === 'users/2222')?.role).toBe('ROLE_MEMBER');
    await page.click('[data-action="add-app"]');
    await send('/notify');
    await page.waitForSelector('.message.from-app:has-text("Only managers of this space")');
    expect(await db.collection('spaces').doc('DESIGN').collection('webhooks').get().then((s) => s.size)).toBe(0);
  });
});

