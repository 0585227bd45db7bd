/**
 * The right-hand panel: "Events" (every event sent and answer received, with status and latency,
 * and the app's own Chat API writes), "Data" (what Firestore holds for the space) and "Session"
 * (save the transcript, replay one, start over).
 */
import type { InspectorEntry, ReplayReport, Transcript } from '../protocol';
import { api } from './api.mjs';
import { h } from './dom.mjs';
import { eventActions } from './event-actions.mjs';

function json(value: unknown): HTMLElement {
  return h('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

let say: (text: string, kind?: 'info' | 'error') => void = () => undefined;

function entryRow(e: InspectorEntry): HTMLElement {
  const ok = e.status === undefined || (e.status >= 200 && e.status < 300);
  const status = e.pending ? '…' : e.kind === 'chat-api' ? 'API' : e.status === 0 ? 'ERR' : String(e.status ?? '');
  const details = h('details', { class: `entry entry-${e.kind}${ok ? '' : ' failed'}${e.pending ? ' pending' : ''}`, 'data-entry-id': e.id, title: e.pending ? 'Sent; waiting for the answer' : undefined },
    h('summary', {},
      h('span', { class: `status ${ok ? 'ok' : 'bad'}` }, status),
      h('span', { class: 'entry-label' }, e.label),
      e.latencyMs !== undefined ? h('span', { class: 'latency' }, `${Math.round(e.latencyMs)} ms`) : null,
      h('span', { class: 'entry-time' }, new Date(e.time).toLocaleTimeString())),
    e.outcome ? h('div', { class: 'outcome' }, e.outcome) : null,
    eventActions(e, say),
    e.event !== undefined ? h('div', {}, h('div', { class: 'json-title' }, 'Event (POST body)'), json(e.event)) : null,
    e.token ? h('div', {}, h('div', { class: 'json-title' }, 'Authorization: Bearer token (header and claims; signed with the simulator key)'), json(e.token)) : null,
    e.response !== undefined ? h('div', {}, h('div', { class: 'json-title' }, e.kind === 'chat-api' ? 'Message as the Chat API returns it' : `Response ${e.status ?? ''}`), json(e.response)) : null);
  return details;
}

export interface Inspector {
  element: HTMLElement;
  add(entry: InspectorEntry): void;
  setSpace(space: string): void;
  refreshData(): void;
}

/** `extra`: more tabs after Events, Data and Session (see tools.mts). */
export function createInspector(onReplayed: () => void, extra: Record<string, HTMLElement> = {}, toast?: (text: string, kind?: 'info' | 'error') => void): Inspector {
  if (toast) say = toast;
  const events = h('div', { class: 'entries', 'aria-label': 'Events' });
  const data = h('div', { class: 'data' });
  const report = h('div', { class: 'replay-report' });
  let space = '';
  const file = h('input', { type: 'file', accept: 'application/json,.json', class: 'replay-file', 'aria-label': 'Transcript to replay' });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    report.replaceChildren(h('p', {}, 'Replaying…'));
    try {
      const result = await api.replay(JSON.parse(await f.text()) as Transcript);
      showReport(result);
      onReplayed();
    } catch (err) {
      report.replaceChildren(h('p', { class: 'bad' }, String(err instanceof Error ? err.message : err)));
    }
    file.value = '';
  });
  const showReport = (r: ReplayReport) =>
    report.replaceChildren(
      h('p', { class: r.failed ? 'bad' : 'ok' }, `Replay: ${r.passed} passed, ${r.failed} failed`),
      h('ol', {}, ...r.steps.map((s) => h('li', { class: s.ok ? 'ok' : 'bad' }, `${s.ok ? '✓' : '✗'} ${s.label}`, s.difference ? h('div', { class: 'difference' }, s.difference) : null))));
  const session = h('div', { class: 'session' },
    h('p', {}, 'Everything done in this session, with what the app answered, as JSON. Replay starts the spaces afresh and compares every answer.'),
    h('a', { class: 'card-button card-button-filled', href: '/api/transcript', download: 'chat-transcript.json' }, 'Save transcript'),
    h('a', { class: 'card-button card-button-outlined', href: '/api/transcript.test.ts', download: 'session.test.ts', 'data-session': 'export-test', title: 'A jest test that replays this session against the app in the test harness (save it under test/sessions/)' }, 'Export as jest test'),
    h('label', { class: 'card-button card-button-outlined' }, 'Replay a transcript…', file),
    h('button', { type: 'button', class: 'card-button card-button-borderless', onclick: async () => { await api.reset(); onReplayed(); } }, 'Start over'),
    report);
  const panels: Record<string, HTMLElement> = { Events: events, Data: data, Session: session, ...extra };
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const body = h('div', { class: 'inspector-body' });
  const select = (name: string) => {
    for (const b of Array.from(tabs.children)) b.classList.toggle('active', b.textContent === name);
    body.replaceChildren(panels[name]);
    if (name === 'Data') void loadData();
  };
  for (const name of Object.keys(panels)) tabs.appendChild(h('button', { type: 'button', role: 'tab', onclick: () => select(name) }, name));
  const loadData = async () => {
    if (!space) return;
    const docs = await api.data(space).catch(() => []);
    data.replaceChildren(
      h('p', { class: 'data-title' }, `Firestore: ${docs.length} document${docs.length === 1 ? '' : 's'} under spaces/${space.replace(/^spaces\//, '')}`),
      ...docs.map((d) => h('details', { class: 'entry' }, h('summary', {}, d.path), json(d.data))));
  };
  select('Events');
  void api.inspector().then((all) => all.forEach((e) => events.appendChild(entryRow(e))));
  return {
    element: h('aside', { class: 'inspector', 'aria-label': 'Inspector' }, h('div', { class: 'inspector-head' }, h('span', { class: 'inspector-title' }, 'Inspector'), tabs), body),
    add(entry) {
      // An entry listed in flight comes again with its answer: it takes the same row, kept open if it was.
      const old = events.querySelector<HTMLDetailsElement>(`[data-entry-id="${entry.id}"]`);
      const row = entryRow(entry);
      if (old) {
        (row as HTMLDetailsElement).open = old.open;
        old.replaceWith(row);
        return;
      }
      events.appendChild(row);
      events.scrollTop = events.scrollHeight;
    },
    setSpace(name) {
      space = name;
      if (data.isConnected) void loadData();
    },
    refreshData() {
      if (data.isConnected) void loadData();
    },
  };
}
