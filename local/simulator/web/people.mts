/**
 * The inspector's "People" tab: people and spaces of your own. Add a person (name, optional
 * email); create a named space, a group chat or a DM with the app, picking its members and each
 * one's role (you create it, so you manage a named space unless you say otherwise); change who is
 * in the open space and as what. The server keeps spaces and roles in the local Chat API, where
 * the app reads them; it refuses bad input with a message shown here.
 */
import type { PersonInfo, SpaceInfo, StateSnapshot } from '../protocol';
import { api } from './api.mjs';
import { h } from './dom.mjs';

export interface PeopleTab {
  element: HTMLElement;
  /** Draws the parts that follow the state: the people to pick, the open space's members. */
  update(state: StateSnapshot, viewer: string, space: SpaceInfo | undefined): void;
}

const ROLES = { ROLE_MANAGER: 'Manager', ROLE_MEMBER: 'Member' } as const;
type Role = keyof typeof ROLES;
const roleSelect = (attrs: Record<string, string>, role: Role, enabled = true) =>
  h('select', { ...attrs, disabled: !enabled }, ...Object.entries(ROLES).map(([value, label]) => h('option', { value, selected: value === role }, label)));
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** `opened(space)` shows a space just made; `refresh()` fetches the state again. */
export function createPeople(opened: (space: string) => void, refresh: () => Promise<void>): PeopleTab {
  let viewer = '';
  let people: PersonInfo[] = [];
  let space: SpaceInfo | undefined;

  const name = h('input', { type: 'text', maxlength: 200, placeholder: 'Display name', 'data-people': 'name', 'aria-label': 'Display name' });
  const email = h('input', { type: 'email', placeholder: 'Email (optional)', 'data-people': 'email', 'aria-label': 'Email' });
  const personResult = h('div', { class: 'result', 'data-result': 'person' });
  const addPerson = async () => {
    try {
      const p = await api.addPerson(name.value, email.value);
      personResult.textContent = `${p.displayName} (${p.name}) added: act as them at the top right.`;
      name.value = email.value = '';
      await refresh();
    } catch (err) {
      personResult.textContent = messageOf(err);
    }
  };

  const kind = h('select', { 'data-people': 'space-kind', 'aria-label': 'Kind' },
    h('option', { value: 'SPACE' }, 'Named space'), h('option', { value: 'GROUP_CHAT' }, 'Group chat'), h('option', { value: 'DIRECT_MESSAGE' }, 'DM with the app'));
  const spaceName = h('input', { type: 'text', maxlength: 200, placeholder: 'Space name', 'data-people': 'space-name', 'aria-label': 'Space name' });
  const picks = h('div', { class: 'member-picks' });
  const spaceResult = h('div', { class: 'result', 'data-result': 'space' });
  const drawPicks = () => {
    const named = kind.value === 'SPACE';
    spaceName.disabled = !named;
    picks.replaceChildren(...people.map((p) => {
      const me = p.name === viewer;
      const pick = h('input', { type: 'checkbox', 'data-member-pick': p.name, checked: me, disabled: me || kind.value === 'DIRECT_MESSAGE' });
      return h('label', {}, pick, me ? `${p.displayName} (you)` : p.displayName, roleSelect({ 'data-member-role': p.name }, me ? 'ROLE_MANAGER' : 'ROLE_MEMBER', named));
    }));
  };
  kind.addEventListener('change', drawPicks);
  const createSpace = async () => {
    const members = people
      .filter((p) => picks.querySelector<HTMLInputElement>(`[data-member-pick="${CSS.escape(p.name)}"]`)?.checked)
      .map((p) => ({ user: p.name, role: (kind.value === 'SPACE' ? picks.querySelector<HTMLSelectElement>(`[data-member-role="${CSS.escape(p.name)}"]`)!.value : 'ROLE_MEMBER') as Role }));
    try {
      const made = await api.createSpace({ spaceType: kind.value as SpaceInfo['spaceType'], ...(kind.value === 'SPACE' ? { displayName: spaceName.value } : {}), creator: viewer, members });
      spaceResult.textContent = `${made.displayName || made.name} created.`;
      spaceName.value = '';
      await refresh();
      opened(made.name);
    } catch (err) {
      spaceResult.textContent = messageOf(err);
    }
  };

  const members = h('div', { class: 'space-members-edit', 'data-people': 'members' });
  const memberResult = h('div', { class: 'result', 'data-result': 'members' });
  const change = async (user: string, role: Role | null) => {
    if (!space) return;
    try {
      await api.setMember(space.name, user, role);
      memberResult.textContent = '';
      await refresh();
    } catch (err) {
      memberResult.textContent = messageOf(err);
    }
  };
  const drawMembers = () => {
    if (!space) return members.replaceChildren();
    const s = space;
    const fixed = s.spaceType === 'DIRECT_MESSAGE';
    const label = (p: string) => people.find((x) => x.name === p)?.displayName ?? p;
    const rows = s.members.map((m) => {
      const role = roleSelect({ 'data-space-member': m }, s.managers?.includes(m) ? 'ROLE_MANAGER' : 'ROLE_MEMBER', s.spaceType === 'SPACE');
      role.addEventListener('change', () => void change(m, role.value as Role));
      return h('li', {}, label(m), role, fixed ? null : h('button', { type: 'button', class: 'card-button card-button-borderless', 'data-remove-member': m, onclick: () => void change(m, null) }, 'Remove'));
    });
    const others = people.filter((p) => !s.members.includes(p.name));
    const who = h('select', { 'data-people': 'add-member', 'aria-label': 'Person to add' }, ...others.map((p) => h('option', { value: p.name }, p.displayName)));
    const role = roleSelect({ 'data-people': 'add-member-role', 'aria-label': 'Role' }, 'ROLE_MEMBER', s.spaceType === 'SPACE');
    members.replaceChildren(h('h3', {}, `Members of ${s.spaceType === 'DIRECT_MESSAGE' ? 'this DM' : s.displayName || 'this group chat'}`), h('ul', {}, ...rows));
    if (!fixed && others.length > 0) members.append(h('label', {}, who, role, h('button', { type: 'button', class: 'card-button card-button-outlined', 'data-tool': 'add-member', onclick: () => void change(who.value, role.value as Role) }, 'Add')));
    members.append(memberResult);
  };

  const element = h('div', { class: 'tools people' },
    h('h3', {}, 'New person'),
    h('label', {}, name), h('label', {}, email),
    h('button', { type: 'button', class: 'card-button card-button-outlined', 'data-tool': 'add-person', onclick: () => void addPerson() }, 'Add person'),
    personResult,
    h('h3', {}, 'New space'),
    h('label', {}, kind, spaceName), picks,
    h('button', { type: 'button', class: 'card-button card-button-outlined', 'data-tool': 'create-space', onclick: () => void createSpace() }, 'Create'),
    spaceResult,
    members);
  return {
    element,
    update(state, who, open) {
      const peopleChanged = who !== viewer || state.people.length !== people.length;
      [viewer, people, space] = [who, state.people, open];
      if (peopleChanged) drawPicks();
      drawMembers();
    },
  };
}
