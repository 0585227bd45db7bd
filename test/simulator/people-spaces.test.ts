/**
 * People and spaces of one's own (issue 19, item 5), made in the page in headless Chromium against
 * the whole local stack: a person; a named space with that person as a plain member and others as
 * managers, in the local Chat API where the app reads roles, so the app refuses the plain
 * member's /notify and takes the manager's; the events carry the new person and space as Chat
 * would; roles and members change; bad input is refused with a message (and a 400).
 */
import type { PersonInfo, SpaceInfo } from '../../local/simulator/protocol';
import { randomProjectId } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';
import { screenshot, until } from './browser';
import { openAs, sendText, useStackPage } from './stack-page';

jest.setTimeout(90_000);

const projectId = randomProjectId('sim-people');
const ctx = useStackPage({ projectId, screenshotPrefix: 'people-' });
const db = testFirestore(projectId);
afterAll(() => db.terminate());
afterEach(() => expect(ctx.logs.filter((line) => line.startsWith('pageerror'))).toEqual([]));

const peopleTab = () => ctx.page.locator('.inspector .tabs button', { hasText: 'People' }).click();
const open = (space: string, as: string) => openAs(ctx, space, as);
const result = (which: string) => ctx.page.locator(`[data-result="${which}"]`);
const lastEvent = () => ctx.stack.simulator.inspector.list().filter((e) => e.kind === 'event' && !e.pending).at(-1)!;
const state = async () => (await (await fetch(`${ctx.stack.simulator.url}api/state`)).json()) as { people: PersonInfo[]; spaces: SpaceInfo[] };
let mary: PersonInfo;
let poetry: SpaceInfo;

test('a person of your own: added in the page; an empty, long or taken name is refused with a message and a 400', async () => {
  await peopleTab();
  const add = async (name: string, email = '') => {
    await ctx.page.fill('[data-people="name"]', name);
    await ctx.page.fill('[data-people="email"]', email);
    await ctx.page.click('[data-tool="add-person"]');
  };
  await add('Mary Shelley', 'mary@example.com');
  await until('Mary added', async () => (await result('person').innerText()).includes('Mary Shelley ('));
  mary = (await state()).people.find((p) => p.displayName === 'Mary Shelley')!;
  expect(mary).toMatchObject({ name: expect.stringMatching(/^users\/[A-Za-z0-9_-]+$/), email: 'mary@example.com' });
  // The page says "added" before it redraws the person picker (seen missing under load): wait for it.
  await until('Mary in the person picker', async () => (await ctx.page.locator('#person-select option', { hasText: 'Mary Shelley' }).count()) === 1);

  for (const [name, email, message] of [
    ['   ', '', 'a name is required'],
    ['x'.repeat(129), '', 'longer than 128 characters'],
    ['mary shelley', '', 'Mary Shelley already exists'],
    ['Percy', 'mary@example.com', "already someone's email"],
    ['Percy', 'not an email', 'is not an email address'],
  ]) {
    await add(name, email);
    await until(`"${message}"`, async () => (await result('person').innerText()).includes(message));
  }
  expect((await state()).people).toHaveLength(4);
  for (const body of ['[]', '{"displayName": 3}', 'not json']) {
    const res = await fetch(`${ctx.stack.simulator.url}api/people`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
  }
  const badSpace = await fetch(`${ctx.stack.simulator.url}api/spaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ spaceType: 'SPACE', displayName: 'X', creator: 'users/1111', members: [{ user: 'users/nobody' }] }) });
  expect(badSpace.status).toBe(400);
});

test('a named space with Mary a plain member and Grace a manager: the app refuses her /notify and takes the managers\'', async () => {
  await peopleTab();
  await ctx.page.selectOption('[data-people="space-kind"]', 'SPACE');
  await ctx.page.fill('[data-people="space-name"]', 'Release team');
  await ctx.page.click('[data-tool="create-space"]');
  await until('the taken name refused', async () => (await result('space').innerText()).includes('a space named Release team already exists'));

  await ctx.page.fill('[data-people="space-name"]', 'Poetry club');
  await ctx.page.check(`[data-member-pick="${mary.name}"]`);
  await ctx.page.check('[data-member-pick="users/2222"]');
  await ctx.page.selectOption('[data-member-role="users/2222"]', 'ROLE_MANAGER');
  await ctx.page.click('[data-tool="create-space"]');
  await until('Poetry club open', async () => (await ctx.page.locator('.space-header .space-name').innerText()) === 'Poetry club');
  poetry = (await state()).spaces.find((s) => s.displayName === 'Poetry club')!;
  expect(poetry.name.slice('spaces/'.length)).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
  expect(ctx.stack.chatApi.members(poetry.name)).toEqual([
    { name: 'users/1111', role: 'ROLE_MANAGER' },
    { name: 'users/2222', role: 'ROLE_MANAGER' },
    { name: mary.name, role: 'ROLE_MEMBER' },
  ]);
  expect(await ctx.page.locator('.space-roles .managed-by').innerText()).toBe('Managed by Ada Lovelace, Grace Hopper');
  // Over HTTP, as the app asks (spaces.members.get), once the app is in the space.
  await ctx.page.click('[data-action="add-app"]');
  await ctx.page.waitForSelector('[data-action="remove-app"]');
  const membership = await fetch(`${ctx.stack.chatApi.url}v1/${poetry.name}/members/${mary.name}`).then((r) => r.json());
  expect(membership).toMatchObject({ role: 'ROLE_MEMBER', member: { name: mary.name, type: 'HUMAN' } });
  expect(await fetch(`${ctx.stack.chatApi.url}v1/${poetry.name}`).then((r) => r.json())).toMatchObject({ name: poetry.name, spaceType: 'SPACE', displayName: 'Poetry club' });
  const list = (await fetch(`${ctx.stack.chatApi.url}v1/${poetry.name}/members`).then((r) => r.json())) as { memberships: { role: string; member: { name: string } }[] };
  expect(list.memberships.map((m) => [m.member.name, m.role])).toEqual([['users/1111', 'ROLE_MANAGER'], ['users/2222', 'ROLE_MANAGER'], [mary.name, 'ROLE_MEMBER']]);

  await open(poetry.name, mary.name);
  await sendText(ctx.page, '/notify');
  await ctx.page.waitForSelector('.message.from-app:has-text("Only managers of this space")');
  const event = lastEvent().event as { user: unknown; space: unknown };
  expect(event.user).toEqual({ name: mary.name, displayName: 'Mary Shelley', email: 'mary@example.com', type: 'HUMAN', domainId: 'local' });
  expect(event.space).toMatchObject({ name: poetry.name, type: 'ROOM', spaceType: 'SPACE', displayName: 'Poetry club' });
  const webhooks = () => db.collection('spaces').doc(poetry.name.slice('spaces/'.length)).collection('webhooks').get().then((s) => s.size);
  expect(await webhooks()).toBe(0);

  await open(poetry.name, 'users/2222');
  await sendText(ctx.page, '/notify');
  await until('Grace\'s webhook', async () => (await webhooks()) === 1);
});

test('members and roles change in the page; a DM of your own with the app; no event for a person added', async () => {
  await open(poetry.name, 'users/1111');
  await peopleTab();
  await ctx.page.locator(`[data-space-member="${mary.name}"]`).waitFor();
  // The README's picture of the People tab (docs/simulator-people.png is copied from it).
  await screenshot(ctx.page, 'people-tab');
  const eventsBefore = ctx.stack.simulator.inspector.list().length;
  await ctx.page.selectOption(`[data-space-member="${mary.name}"]`, 'ROLE_MANAGER');
  await until('Mary a manager', () => ctx.stack.chatApi.members(poetry.name).find((m) => m.name === mary.name)?.role === 'ROLE_MANAGER');
  await ctx.page.click(`[data-remove-member="${mary.name}"]`);
  await until('Mary out', () => !ctx.stack.chatApi.members(poetry.name).some((m) => m.name === mary.name));
  await ctx.page.selectOption('[data-people="add-member"]', 'users/3333');
  await ctx.page.click('[data-tool="add-member"]');
  await until('Alan in', () => ctx.stack.chatApi.members(poetry.name).find((m) => m.name === 'users/3333')?.role === 'ROLE_MEMBER');
  await until('the header', async () => (await ctx.page.locator('.space-members').innerText()).startsWith('3 members'));
  expect(ctx.stack.simulator.inspector.list().length).toBe(eventsBefore);

  await open('spaces/RELEASE', mary.name);
  expect(await ctx.page.locator('.nav-item').count()).toBe(0);
  await peopleTab();
  await ctx.page.selectOption('[data-people="space-kind"]', 'DIRECT_MESSAGE');
  await ctx.page.click('[data-tool="create-space"]');
  await until('Mary\'s DM open', async () => (await ctx.page.locator('[data-action="add-app"]').innerText()) === 'Start chat');
  await ctx.page.click('[data-tool="create-space"]');
  await until('a second DM refused', async () => (await result('space').innerText()).includes('Mary Shelley already has a DM with'));
  await ctx.page.click('[data-action="add-app"]');
  await ctx.page.waitForSelector('[data-action="remove-app"]');
  const added = lastEvent();
  expect(added.label).toContain('ADDED_TO_SPACE');
  const event = added.event as { user: unknown; space: Record<string, unknown> };
  expect(event.user).toMatchObject({ name: mary.name, displayName: 'Mary Shelley', type: 'HUMAN' });
  expect(event.space).toMatchObject({ type: 'DM', spaceType: 'DIRECT_MESSAGE', singleUserBotDm: true });
});
