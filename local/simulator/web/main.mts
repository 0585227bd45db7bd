/**
 * The simulator page: who you are (switchable), your conversations, the open one with its
 * messages and composer, dialogs, and the inspector. Everything a person does goes to the server
 * as an intent; what changed comes back over server-sent events and is fetched again.
 */
import type { Intent, SpaceInfo, StateSnapshot, SuggestionItem, TimelineMessage, UiEffect } from '../protocol';
import { api, subscribe } from './api.mjs';
import type { CardHost } from './cards.mjs';
import { createComposer, type Composer } from './composer.mjs';
import { openDialog, type DialogView } from './dialog.mjs';
import { createHome, type HomeView } from './home.mjs';
import { avatar, h, icon, ICONS } from './dom.mjs';
import { collectFormInputs } from './inputs.mjs';
import { createInspector } from './inspector.mjs';
import { createPeople } from './people.mjs';
import { rolesLine } from './roles.mjs';
import { createTools } from './tools.mjs';
import { renderTimeline } from './timeline.mjs';

const SPACE_COLORS = ['#b3261e', '#7d5260', '#006a6a', '#8e4e00', '#4a5c92'];

let state: StateSnapshot;
let viewer = '';
let current = '';
let dialog: DialogView | undefined;
let composer: Composer;
let home: HomeView;
/** Spaces where the app is being added or removed: what the header says until the answer comes. */
const changing = new Map<string, string>();
const tools = createTools();
const people = createPeople((space) => void select(space), () => refresh());
const inspector = createInspector(() => void refresh(), { Tools: tools.element, People: people.element }, (text, kind) => toast(text, kind));

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function toast(text: string, kind: 'info' | 'error' = 'info', link?: string): void {
  const el = h('div', { class: `toast ${kind}`, role: 'status' }, text, link ? h('a', { href: link, target: '_blank', rel: 'noopener' }, ' Open') : null);
  $('toasts').appendChild(el);
  window.setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4500);
}

const spaceOf = (name: string) => state.spaces.find((s) => s.name === name);
const titleOf = (s: SpaceInfo) => (s.spaceType === 'DIRECT_MESSAGE' ? state.app.name : s.displayName || s.name);
const spaceColor = (s: SpaceInfo) => SPACE_COLORS[[...s.name].reduce((a, c) => a + c.charCodeAt(0), 0) % SPACE_COLORS.length];

/** What the header says while `intent` runs, when it adds or removes the app (a message adds it where it is not a member). */
function membershipChange(intent: Intent): string | undefined {
  const s = spaceOf(intent.space);
  if (intent.kind === 'add') return s?.spaceType === 'DIRECT_MESSAGE' ? 'Starting chat…' : `Adding ${state.app.name}…`;
  if (intent.kind === 'remove') return `Removing ${state.app.name}…`;
  if (intent.kind === 'message' && s && !s.appIsMember) return `Adding ${state.app.name}…`;
  return undefined;
}

function redrawChanging(space: string): void {
  const s = spaceOf(space);
  if (space !== current || !s) return;
  drawHeader(s);
  const why = changing.get(space);
  composer.setEnabled(!why, why);
}

async function act(intent: Intent): Promise<UiEffect | undefined> {
  const change = membershipChange(intent);
  if (change) {
    changing.set(intent.space, change);
    redrawChanging(intent.space);
  }
  try {
    const result = await api.interact(intent);
    // A dialog opened from the Home tab: closing it refreshes the home card.
    if (result.home) home.show(result.home);
    handle(result.effect);
    return result.effect;
  } catch (err) {
    toast(err instanceof Error ? err.message : String(err), 'error');
    return undefined;
  } finally {
    if (change) {
      changing.delete(intent.space);
      redrawChanging(intent.space);
    }
    document.querySelectorAll('.busy').forEach((b) => b.classList.remove('busy'));
    inspector.refreshData();
  }
}

function handle(effect: UiEffect): void {
  switch (effect.kind) {
    case 'dialog':
      dialog?.close();
      dialog = openDialog(effect.dialog, dialogHost(effect.dialog.id));
      break;
    case 'closeDialog':
      if (dialog?.id === effect.dialog) dialog.close();
      dialog = undefined;
      if (effect.notice) toast(effect.notice);
      break;
    case 'dialogError':
      dialog?.showError(effect.notice);
      break;
    case 'appError':
      toast(effect.notice, 'error');
      break;
    case 'notice':
      toast(effect.text);
      break;
    case 'requestConfig':
      toast(`${state.app.name} asks you to configure it.`, 'info', effect.url);
      break;
    default:
      break;
  }
}

function dialogHost(id: string): CardHost & { closeIcon(): void } {
  const base = { space: current, user: viewer, dialog: id };
  return {
    click: (path) => void act({ kind: 'dialogClick', ...base, path, formInputs: collectFormInputs(dialog?.element ?? document) }),
    autocomplete: (path, query) => suggestionsOf(act({ kind: 'autocomplete', ...base, path, query, formInputs: collectFormInputs(dialog?.element ?? document) })),
    closeIcon: () => void act({ kind: 'dialogClose', ...base }),
  };
}

async function suggestionsOf(effect: Promise<UiEffect | undefined>): Promise<SuggestionItem[]> {
  const e = await effect;
  return e?.kind === 'suggestions' ? e.items : [];
}

function messageHost(m: TimelineMessage): CardHost {
  const el = () => document.querySelector<HTMLElement>(`[data-message-name="${CSS.escape(m.name)}"]`) ?? document.body;
  return {
    click: (path) => void act({ kind: 'click', space: current, user: viewer, message: m.name, path, formInputs: collectFormInputs(el()) }),
    autocomplete: (path, query) => suggestionsOf(act({ kind: 'autocomplete', space: current, user: viewer, message: m.name, path, query, formInputs: collectFormInputs(el()) })),
  };
}

function drawSidebar(): void {
  const mine = state.spaces.filter((s) => s.members.includes(viewer));
  const item = (s: SpaceInfo) =>
    h('button', { type: 'button', class: `nav-item${s.name === current ? ' active' : ''}`, 'data-space': s.name, onclick: () => select(s.name) },
      s.spaceType === 'DIRECT_MESSAGE' ? avatar(state.app.name, '#0b57d0', 'app', 24) : avatar(titleOf(s), spaceColor(s), 'space', 24),
      h('span', { class: 'nav-label' }, titleOf(s)),
      s.spaceType === 'DIRECT_MESSAGE' ? h('span', { class: 'app-tag' }, 'App') : null);
  $('nav').replaceChildren(
    h('div', { class: 'nav-section' }, 'Direct messages'),
    ...mine.filter((s) => s.spaceType === 'DIRECT_MESSAGE').map(item),
    h('div', { class: 'nav-section' }, 'Spaces'),
    ...mine.filter((s) => s.spaceType !== 'DIRECT_MESSAGE').map(item));
}

function drawHeader(s: SpaceInfo): void {
  const isDm = s.spaceType === 'DIRECT_MESSAGE';
  const members = isDm ? 'App' : `${s.members.length} members${s.appIsMember ? ` · ${state.app.name}` : ''}`;
  const inFlight = changing.get(s.name);
  const action = inFlight
    ? h('button', { type: 'button', class: 'header-action pending', 'data-action': 'pending', disabled: true }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), inFlight)
    : s.appIsMember
    ? h('button', { type: 'button', class: 'header-action', 'data-action': 'remove-app', onclick: () => void act({ kind: 'remove', space: s.name, user: viewer }) }, icon(ICONS.close), isDm ? `Remove ${state.app.name}` : `Remove ${state.app.name}`)
    : h('button', { type: 'button', class: 'header-action primary', 'data-action': 'add-app', onclick: () => void act({ kind: 'add', space: s.name, user: viewer }) }, icon(ICONS.add), isDm ? 'Start chat' : `Add ${state.app.name}`);
  $('space-header').replaceChildren(
    isDm ? avatar(state.app.name, '#0b57d0', 'app', 32) : avatar(titleOf(s), spaceColor(s), 'space', 32),
    h('div', { class: 'space-title' }, h('div', { class: 'space-name' }, titleOf(s)), h('div', { class: 'space-members' }, members), rolesLine(s, viewer, state.people, (m) => toast(m, 'error'))),
    ...[home.tabs(s)].filter((t): t is HTMLElement => t !== null),
    action);
}

async function drawTimeline(): Promise<void> {
  const s = spaceOf(current);
  if (!s) return;
  const items = await api.timeline(current, viewer);
  if (s.name !== current) return;
  const container = $('timeline');
  renderTimeline(container, items, s.spaceType !== 'DIRECT_MESSAGE', {
    people: state.people,
    appName: state.app.name,
    cardHost: messageHost,
    reply: (thread) => composer.replyTo(thread),
  });
  if (items.length === 0) {
    container.appendChild(
      h('div', { class: 'empty' },
        s.spaceType === 'DIRECT_MESSAGE' ? avatar(state.app.name, '#0b57d0', 'app', 72) : avatar(titleOf(s), spaceColor(s), 'space', 72),
        h('div', { class: 'empty-title' }, titleOf(s)),
        h('p', {}, s.appIsMember ? 'No messages yet. Type / to see the commands.' : s.spaceType === 'DIRECT_MESSAGE' ? `Start a chat with ${state.app.name}: it answers your messages and commands.` : `${state.app.name} is not in this space yet. Add it, or @mention it.`)));
  }
}

async function select(space: string): Promise<void> {
  if (space !== current) home.leave();
  current = space;
  dialog?.close();
  dialog = undefined;
  composer.replyTo(undefined);
  const s = spaceOf(space);
  people.update(state, viewer, s);
  drawSidebar();
  if (!s) return;
  history.replaceState(null, '', `#as=${encodeURIComponent(viewer)}&space=${encodeURIComponent(space)}`);
  drawHeader(s);
  composer.setPlaceholder(`Message ${titleOf(s)}`, s.appIsMember);
  composer.setEnabled(!changing.has(space), changing.get(space));
  inspector.setSpace(space);
  await drawTimeline();
}

/** Refreshes issued so far: only the latest one's state is applied. */
let refreshes = 0;

async function refresh(): Promise<void> {
  // Answers can arrive out of order (a change's own refresh and the stream's): an older state
  // applied last would drop a space just made and move the page off it.
  const issued = ++refreshes;
  const next = await api.state();
  if (issued !== refreshes) return;
  state = next;
  drawPersonSwitcher();
  const s = spaceOf(current);
  if (!s || !s.members.includes(viewer)) current = state.spaces.find((x) => x.members.includes(viewer))?.name ?? '';
  await select(current);
}

function drawPersonSwitcher(): void {
  const select = h('select', { id: 'person-select', 'aria-label': 'Acting as' }, ...state.people.map((p) => h('option', { value: p.name, selected: p.name === viewer }, p.displayName)));
  const draw = () => {
    const p = state.people.find((x) => x.name === viewer)!;
    $('me').replaceChildren(h('span', { class: 'acting' }, 'Acting as'), avatar(p.displayName, p.color, 'person', 28), select);
  };
  select.addEventListener('change', () => {
    viewer = select.value;
    home.leave();
    draw();
    void refresh();
  });
  draw();
}

async function main(): Promise<void> {
  state = await api.state();
  const params = new URLSearchParams(location.hash.slice(1));
  viewer = state.people.some((p) => p.name === params.get('as')) ? params.get('as')! : state.people[0].name;
  current = params.get('space') ?? state.spaces.find((s) => s.members.includes(viewer))?.name ?? '';
  // Which kind of Chat app this is decides the events' format and how answers are read: say it first.
  const kind = state.mode.format === 'addon' ? 'Google Workspace add-on' : 'Classic Chat app';
  $('mode').replaceChildren(h('span', { class: 'mode-kind', 'data-format': state.mode.format }, kind), ` · audience ${state.mode.audience} · signed tokens`);
  home = createHome(() => ({ space: current, user: viewer }), (result) => handle(result.effect), (m) => toast(m, 'error'));
  composer = createComposer(state.app, async (text, threadName) => (await act({ kind: 'message', space: current, user: viewer, text, ...(threadName ? { threadName } : {}) })) !== undefined);
  $('composer-slot').replaceWith(composer.element);
  $('inspector-slot').replaceWith(inspector.element);
  $('toggle-inspector').addEventListener('click', () => document.body.classList.toggle('no-inspector'));
  $('main-menu').addEventListener('click', () => $('main-menu').setAttribute('aria-expanded', String(!document.body.classList.toggle('no-sidebar'))));
  tools.setSpace(() => current);
  drawPersonSwitcher();
  let pending: number | undefined;
  subscribe(
    (e) => {
      if (e.type === 'inspector') return inspector.add(e.entry);
      if (e.type === 'space' && e.space !== current) return;
      if (e.type === 'spaces' || e.type === 'reset') {
        void refresh();
        return;
      }
      window.clearTimeout(pending);
      pending = window.setTimeout(() => void drawTimeline(), 30);
    },
    (connected) => document.body.classList.toggle('offline', !connected),
  );
  await select(current);
  composer.focus();
  document.body.classList.add('ready');
}

void main();
