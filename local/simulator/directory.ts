/**
 * People and spaces made in the page: a person (display name, optional email), a space (a named
 * space, a group chat, or a DM between a person and the app) with its members and their roles,
 * and later changes to who is in a space and as what. Spaces and memberships live in the local
 * Chat API, where the app reads roles (`spaces.members.get`); people live in the world, where
 * events take their `User` from. Adding or removing a person is not an app event in Chat (only
 * the app's own membership is), so none is sent.
 */
import type { LocalChatApi, MembershipRole } from '../chat-api';
import { isDocumentId } from '../../shared/ids';
import { randomId } from './ids';
import type { PersonInfo, SpaceInfo } from './protocol';
import { UserError } from './user-error';
import type { World } from './world';

/** Chat's limit on a space's display name; people's names are held to the same. */
export const NAME_MAX = 128;
/** The page can make this many of each (a bound on what a request can grow). */
const MAKE_MAX = 200;
const COLORS = ['#8430ce', '#c5221f', '#007b83', '#b06000', '#3f51b5', '#5f6368'];
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

export type NewSpaceKind = SpaceInfo['spaceType'];
export interface NewMember {
  user: string;
  role: 'ROLE_MANAGER' | 'ROLE_MEMBER';
}
export interface NewSpace {
  spaceType: NewSpaceKind;
  /** A named space's name; group chats and DMs have none. */
  displayName?: string;
  /** Who creates it (the person acting in the page): a named space's manager unless told otherwise. */
  creator: string;
  /** Everyone in it, the creator included, with their roles (named spaces only have managers). */
  members: NewMember[];
}

type Own = <T>(write: () => T) => T;

function readName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UserError(`${what} is required`);
  const name = value.trim();
  if (name.length > NAME_MAX) throw new UserError(`${what} is longer than ${NAME_MAX} characters`);
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new UserError(`${what} has control characters`);
  return name;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A new person, or a UserError saying what is wrong with the input. */
export function addPerson(world: World, input: { displayName?: unknown; email?: unknown }): PersonInfo {
  if (world.people.length >= MAKE_MAX) throw new UserError(`the simulator holds at most ${MAKE_MAX} people`);
  const displayName = readName(input.displayName, 'a name');
  const taken = world.people.find((p) => same(p.displayName, displayName));
  if (taken) throw new UserError(`${taken.displayName} already exists`);
  const email = typeof input.email === 'string' ? input.email.trim() : '';
  if (input.email !== undefined && typeof input.email !== 'string') throw new UserError('the email must be text');
  if (email && (email.length > 254 || !EMAIL.test(email))) throw new UserError(`${email} is not an email address`);
  if (email && world.people.some((p) => p.email && same(p.email, email))) throw new UserError(`${email} is already someone's email`);
  const person: PersonInfo = { name: `users/${randomId()}`, displayName, ...(email ? { email } : {}), color: COLORS[world.people.length % COLORS.length] };
  world.people.push(person);
  return person;
}

function mustBePerson(world: World, user: unknown): PersonInfo {
  const p = typeof user === 'string' ? world.people.find((x) => x.name === user) : undefined;
  if (!p) throw new UserError(`unknown person ${JSON.stringify(user)}`);
  return p;
}

/** Checks a new space against the people and the spaces there are; returns its members in order, the creator first. */
function checkSpace(world: World, spaces: SpaceInfo[], input: NewSpace): { displayName: string; members: NewMember[] } {
  if (spaces.length >= MAKE_MAX + world.spaces.length) throw new UserError(`the simulator holds at most ${MAKE_MAX} spaces of your own`);
  if (!['SPACE', 'GROUP_CHAT', 'DIRECT_MESSAGE'].includes(input.spaceType)) throw new UserError('a space is a named space (SPACE), a group chat (GROUP_CHAT) or a DM with the app (DIRECT_MESSAGE)');
  if (!Array.isArray(input.members)) throw new UserError('members must be a list of { user, role }');
  const creator = mustBePerson(world, input.creator);
  const members = input.members.map((m) => {
    const person = mustBePerson(world, (m as Partial<NewMember> | null)?.user);
    const role = (m as Partial<NewMember>).role ?? 'ROLE_MEMBER';
    if (role !== 'ROLE_MANAGER' && role !== 'ROLE_MEMBER') throw new UserError('a role is ROLE_MANAGER or ROLE_MEMBER');
    if (role === 'ROLE_MANAGER' && input.spaceType !== 'SPACE') throw new UserError('only named spaces have managers');
    return { user: person.name, role };
  });
  if (!members.some((m) => m.user === creator.name)) members.unshift({ user: creator.name, role: input.spaceType === 'SPACE' ? 'ROLE_MANAGER' : 'ROLE_MEMBER' });
  if (new Set(members.map((m) => m.user)).size !== members.length) throw new UserError('a person is in the list twice');
  const ordered = [members.find((m) => m.user === creator.name)!, ...members.filter((m) => m.user !== creator.name)];
  if (input.spaceType === 'SPACE') {
    const displayName = readName(input.displayName, "a space's name");
    if (spaces.some((s) => s.spaceType === 'SPACE' && same(s.displayName, displayName))) throw new UserError(`a space named ${displayName} already exists`);
    return { displayName, members: ordered };
  }
  if (input.displayName !== undefined && input.displayName !== '') throw new UserError('only named spaces have a name');
  if (input.spaceType === 'GROUP_CHAT' && ordered.length < 2) throw new UserError('a group chat has at least two people');
  if (input.spaceType === 'DIRECT_MESSAGE') {
    if (ordered.length !== 1) throw new UserError('a DM with the app has one person');
    if (spaces.some((s) => s.spaceType === 'DIRECT_MESSAGE' && s.members.includes(creator.name))) throw new UserError(`${creator.displayName} already has a DM with ${world.app.name}`);
  }
  return { displayName: '', members: ordered };
}

/** Creates the space in the local Chat API, the app not in it (as every space starts here); returns its name. */
export function createSpace(world: World, chatApi: LocalChatApi, own: Own, spaces: SpaceInfo[], input: NewSpace): string {
  const { displayName, members } = checkSpace(world, spaces, input);
  let name: string;
  do name = `spaces/${randomId()}`;
  while (!isDocumentId(name.slice('spaces/'.length)) || spaces.some((s) => s.name === name));
  const [creator, ...others] = members;
  own(() => {
    // The creator manages a named space unless they chose otherwise; the others' roles follow.
    chatApi.addSpace({ name, displayName, spaceType: input.spaceType, appIsMember: false, creator: creator.user, members: others.map((m) => m.user) });
    for (const m of members) if (input.spaceType === 'SPACE' && chatApi.members(name).find((x) => x.name === m.user)?.role !== m.role) chatApi.setMemberRole(name, m.user, m.role);
  });
  return name;
}

/** Adds `user` to the space, changes their role, or (`null`) removes them. A DM's one person stays. */
export function setMember(world: World, chatApi: LocalChatApi, own: Own, space: SpaceInfo, user: unknown, role: unknown): void {
  const person = mustBePerson(world, user);
  if (space.spaceType === 'DIRECT_MESSAGE') throw new UserError("a DM's members do not change");
  if (role !== null && role !== 'ROLE_MANAGER' && role !== 'ROLE_MEMBER') throw new UserError('role is ROLE_MANAGER, ROLE_MEMBER or null (remove)');
  if (role === 'ROLE_MANAGER' && space.spaceType !== 'SPACE') throw new UserError('only named spaces have managers');
  const isMember = space.members.includes(person.name);
  if (role === null && !isMember) throw new UserError(`${person.displayName} is not in this space`);
  if (role === null && space.members.length === 1) throw new UserError('a space keeps at least one person');
  own(() => chatApi.setMemberRole(space.name, person.name, role as MembershipRole | null));
}
