/**
 * `spaces.members.get` in the local Chat API (docs/chat-protocol.md §12): the creator of a named
 * space is its manager (ROLE_MANAGER), everyone else a member; in DMs and group chats everyone is
 * a member; someone not in the space gets 404; a space without the app, 403; faults apply; roles
 * change through the controls, in-process and over HTTP.
 */
import { apiError, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.api.stop());
beforeEach(() => h.api.reset());

const get = (name: string) => h.client.spaces.members.get({ name });

test('the creator of a named space manages it; the others are members', async () => {
  h.api.addSpace({ name: 'spaces/REL', creator: 'users/1', members: ['users/2'] });
  expect((await get('spaces/REL/members/users/1')).data).toEqual({
    name: 'spaces/REL/members/users/1',
    state: 'JOINED',
    role: 'ROLE_MANAGER',
    member: { name: 'users/1', type: 'HUMAN' },
  });
  expect((await get('spaces/REL/members/users/2')).data.role).toBe('ROLE_MEMBER');
  expect((await get('spaces/REL/members/users/app')).data).toMatchObject({ role: 'ROLE_MEMBER', member: { name: 'users/app', type: 'BOT' } });
});

test('in a DM and a group chat everyone is a member, the creator too; only named spaces take managers', async () => {
  h.api.addSpace({ name: 'spaces/DM', spaceType: 'DIRECT_MESSAGE', creator: 'users/1' });
  h.api.addSpace({ name: 'spaces/GC', spaceType: 'GROUP_CHAT', creator: 'users/1', members: ['users/2'] });
  expect((await get('spaces/DM/members/users/1')).data.role).toBe('ROLE_MEMBER');
  expect((await get('spaces/GC/members/users/1')).data.role).toBe('ROLE_MEMBER');
  expect(() => h.api.setMemberRole('spaces/GC', 'users/2', 'ROLE_MANAGER')).toThrow(/only named spaces/);
});

test('someone not in the space gets 404, a space without the app 403, an unknown space 404', async () => {
  h.api.addSpace({ name: 'spaces/REL', creator: 'users/1' });
  h.api.addSpace({ name: 'spaces/OUT', creator: 'users/1', appIsMember: false });
  expect(await apiError(get('spaces/REL/members/users/9'))).toMatchObject({ httpStatus: 404, status: 'NOT_FOUND' });
  expect(await apiError(get('spaces/OUT/members/users/1'))).toMatchObject({ httpStatus: 403, status: 'PERMISSION_DENIED' });
  expect(await apiError(get('spaces/NOPE/members/users/1'))).toMatchObject({ httpStatus: 404 });
});

test('roles change through the controls, and a fault on getMember fails the next read', async () => {
  h.api.addSpace({ name: 'spaces/REL', creator: 'users/1', members: ['users/2'] });
  h.api.setMemberRole('spaces/REL', 'users/2', 'ROLE_ASSISTANT_MANAGER');
  h.api.setMemberRole('spaces/REL', 'users/1', null);
  expect(h.api.members('spaces/REL')).toEqual([{ name: 'users/2', role: 'ROLE_ASSISTANT_MANAGER' }]);
  h.api.injectFault({ method: 'getMember', count: 1, status: 503 });
  expect(await apiError(get('spaces/REL/members/users/2'))).toMatchObject({ httpStatus: 503 });
  expect((await get('spaces/REL/members/users/2')).data.role).toBe('ROLE_ASSISTANT_MANAGER');
  expect(h.api.calls().map((c) => [c.method, c.status])).toEqual([
    ['getMember', 503],
    ['getMember', 200],
  ]);
});

test('over HTTP: list members and set a role; a bad role is a 400', async () => {
  h.api.addSpace({ name: 'spaces/REL', creator: 'users/1' });
  const put = (body: unknown) => fetch(`${h.api.url}_local/members?space=spaces/REL`, { method: 'PUT', body: JSON.stringify(body) });
  expect((await put({ user: 'users/2', role: 'ROLE_MEMBER' })).status).toBe(200);
  expect((await put({ user: 'users/2', role: 'OWNER' })).status).toBe(400);
  const listed = await (await fetch(`${h.api.url}_local/members?space=spaces/REL`)).json();
  expect(listed).toEqual([
    { name: 'users/1', role: 'ROLE_MANAGER' },
    { name: 'users/2', role: 'ROLE_MEMBER' },
  ]);
});

test('spaces.get and spaces.members.list: the space as Chat returns it, its people with their roles', async () => {
  h.api.addSpace({ name: 'spaces/REL', displayName: 'Release team', creator: 'users/1', members: ['users/2'] });
  h.api.addSpace({ name: 'spaces/DM', spaceType: 'DIRECT_MESSAGE', creator: 'users/1' });
  expect((await h.client.spaces.get({ name: 'spaces/REL' })).data).toMatchObject({ name: 'spaces/REL', type: 'ROOM', spaceType: 'SPACE', displayName: 'Release team' });
  expect((await h.client.spaces.get({ name: 'spaces/DM' })).data).toMatchObject({ type: 'DM', spaceType: 'DIRECT_MESSAGE', singleUserBotDm: true });
  h.api.setMemberRole('spaces/REL', 'users/3', 'ROLE_MANAGER');
  const { data } = await h.client.spaces.members.list({ parent: 'spaces/REL', pageSize: 100 });
  expect(data.memberships?.map((m) => [m.member?.name, m.role])).toEqual([
    ['users/1', 'ROLE_MANAGER'],
    ['users/2', 'ROLE_MEMBER'],
    ['users/3', 'ROLE_MANAGER'],
  ]);
  expect(await apiError(h.client.spaces.get({ name: 'spaces/NOPE' }))).toMatchObject({ httpStatus: 404 });
});
