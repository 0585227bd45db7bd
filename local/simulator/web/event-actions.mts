/**
 * What a developer can do with an event in the inspector: redeliver it as Chat retries (same
 * delivery, fresh token), send it twice at once, open it as JSON to edit and send, or copy it as a
 * curl line with a fresh token. Repeats and raw sends show in the inspector with their answers.
 */
import type { InspectorEntry } from '../protocol';
import { api } from './api.mjs';
import { h } from './dom.mjs';

function editor(entry: InspectorEntry): void {
  const text = h('textarea', { class: 'raw-event', spellcheck: 'false', 'aria-label': 'Event JSON' });
  text.value = JSON.stringify(entry.event, null, 2);
  const error = h('div', { class: 'dialog-error', role: 'alert', hidden: true });
  const close = () => overlay.remove();
  const send = h('button', { type: 'button', class: 'card-button card-button-filled', 'data-raw': 'send', onclick: async () => {
    try {
      await api.sendRaw(JSON.parse(text.value), entry.space);
      close();
    } catch (err) {
      error.hidden = false;
      error.textContent = err instanceof Error ? err.message : String(err);
    }
  } }, 'Send');
  const overlay = h('div', { class: 'overlay', onclick: (e: Event) => { if (e.target === overlay) close(); } },
    h('div', { class: 'dialog raw-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Edit and send an event' },
      h('div', { class: 'dialog-title' }, h('span', { class: 'card-title' }, `Edit and send #${entry.id}`)),
      h('div', { class: 'dialog-body' }, h('p', {}, 'Sent to the app with a fresh token; its answer shows in Events (not applied to the conversation).'), text),
      error,
      h('div', { class: 'dialog-footer' }, h('button', { type: 'button', class: 'card-button card-button-borderless', onclick: close }, 'Cancel'), send)));
  overlay.addEventListener('keydown', (e) => { if (e.key === 'Escape') close(); });
  document.body.appendChild(overlay);
  text.focus();
}

/** The buttons under an answered event; `say` shows a result (a toast). */
export function eventActions(entry: InspectorEntry, say: (text: string, kind?: 'info' | 'error') => void): HTMLElement | null {
  if (entry.kind !== 'event' || entry.pending || entry.event === undefined) return null;
  const curl = h('textarea', { class: 'curl-line', readonly: true, hidden: true, 'aria-label': 'curl command' });
  const fail = (err: unknown) => say(err instanceof Error ? err.message : String(err), 'error');
  const repeat = (mode: 'once' | 'twice') => () => void api.redeliver(entry.id, mode).then((r) => say(r.summary, r.sameAnswer && r.wroteNothing ? 'info' : 'error'), fail);
  const copy = async () => {
    try {
      curl.value = (await api.curl(entry.id)).curl;
      curl.hidden = false;
      curl.select();
      await navigator.clipboard?.writeText(curl.value).then(() => say('curl line copied (token valid for an hour)'), () => undefined);
    } catch (err) {
      fail(err);
    }
  };
  const b = (label: string, action: string, onclick: () => void) => h('button', { type: 'button', class: 'text-button small', 'data-event-action': action, onclick }, label);
  return h('div', { class: 'event-actions' },
    b('Redeliver', 'redeliver', repeat('once')),
    b('Send twice at once', 'twice', repeat('twice')),
    b('Edit & send', 'edit', () => editor(entry)),
    b('Copy as curl', 'curl', () => void copy()),
    curl);
}
