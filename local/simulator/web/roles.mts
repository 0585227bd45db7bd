/**
 * Who manages a named space, in its header, and the "act as a plain member" control: roles live in
 * the local Chat API, where the app reads them (`spaces.members.get`), so the control changes what
 * the app decides. The app caches a role for a minute (shared/permissions/roles.ts), as it would
 * in Chat: a change reaches it within that minute.
 */
import type { PersonInfo, SpaceInfo } from '../protocol';
import { api } from './api.mjs';
import { h } from './dom.mjs';

export function rolesLine(space: SpaceInfo, viewer: string, people: PersonInfo[], onError: (message: string) => void): HTMLElement | null {
  if (space.spaceType !== 'SPACE') return null;
  const managers = space.managers ?? [];
  const names = managers.map((m) => people.find((p) => p.name === m)?.displayName ?? m);
  const plain = h('input', { type: 'checkbox', id: 'act-as-member', checked: !managers.includes(viewer) });
  plain.addEventListener('change', () => {
    api.setPlainMember(space.name, viewer, (plain as HTMLInputElement).checked).catch((err: unknown) => onError(err instanceof Error ? err.message : String(err)));
  });
  return h('div', { class: 'space-roles', 'data-managers': managers.join(',') },
    h('span', { class: 'managed-by' }, names.length ? `Managed by ${names.join(', ')}` : 'No manager'),
    h('label', { class: 'act-as-member', title: 'Your role in Chat: the app lets only managers change settings and webhooks' }, plain, ' Act as a plain member'));
}
