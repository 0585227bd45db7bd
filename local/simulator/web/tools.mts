/**
 * The inspector's "Tools" tab: what a developer changes while trying the app. The network (hold
 * each event before it leaves, to watch it in flight) and data (seed weeks of activity so
 * `/report` has something to build).
 */
import type { FaultInfo } from '../protocol';
import { api } from './api.mjs';
import { h } from './dom.mjs';

export interface Tools {
  element: HTMLElement;
  /** Where "this space" is, for the tools that act on the open conversation. */
  setSpace(current: () => string): void;
}

/**
 * The local Chat API's injected faults (its `/_local/faults`): the next N calls of a method are
 * slowed down, fail with a status, or hang and drop the connection. Watch the worker retry.
 */
function chatApiFaults(): HTMLElement {
  const method = h('select', { 'data-fault': 'method', 'aria-label': 'Method' }, ...['*', 'create', 'get', 'patch', 'update', 'delete'].map((m) => h('option', { value: m }, m === '*' ? 'any call' : m)));
  const kind = h('select', { 'data-fault': 'kind', 'aria-label': 'Fault' },
    h('option', { value: 'delay' }, 'slow: wait, then answer'),
    h('option', { value: 'status' }, 'fail with a status'),
    h('option', { value: 'hang' }, 'wait, then drop the connection'));
  const ms = h('input', { type: 'number', min: 0, step: 100, value: 2000, 'data-fault': 'ms', 'aria-label': 'Wait (ms)' });
  const status = h('input', { type: 'number', min: 400, max: 599, value: 503, 'data-fault': 'status', 'aria-label': 'Status' });
  const count = h('input', { type: 'number', min: 1, value: 1, 'data-fault': 'count', 'aria-label': 'Calls' });
  const list = h('ul', { class: 'result', 'data-result': 'faults' });
  const show = (all: FaultInfo[]) =>
    list.replaceChildren(...(all.length ? all.map((f) => h('li', {}, `${f.method === '*' ? 'any call' : f.method} ×${f.count}: ${f.delayOnly ? `${f.hangMs} ms slower` : f.status ? `${f.hangMs ? `after ${f.hangMs} ms, ` : ''}status ${f.status}` : `dropped after ${f.hangMs} ms`}`)) : [h('li', {}, 'No faults: the Chat API answers at once.')]));
  const add = async () => {
    const m = method.value as FaultInfo['method'];
    const fault: FaultInfo = kind.value === 'delay' ? { method: m, count: Number(count.value), hangMs: Number(ms.value), delayOnly: true }
      : kind.value === 'status' ? { method: m, count: Number(count.value), status: Number(status.value) }
      : { method: m, count: Number(count.value), hangMs: Number(ms.value) };
    try {
      show(await api.addFault(fault));
    } catch (err) {
      list.replaceChildren(h('li', { class: 'bad' }, err instanceof Error ? err.message : String(err)));
    }
  };
  void api.faults().then(show, () => undefined);
  return h('div', { class: 'faults' },
    h('h3', {}, 'Local Chat API'),
    h('p', {}, "Slow down or fail the app's next Chat API calls (the worker's replies), to watch its retries."),
    h('label', {}, 'Next', count, 'call(s) of', method),
    h('label', {}, kind, ms, 'ms', status, 'status'),
    h('button', { type: 'button', class: 'card-button card-button-outlined', 'data-tool': 'add-fault', onclick: () => void add() }, 'Add fault'),
    h('button', { type: 'button', class: 'card-button card-button-borderless', 'data-tool': 'clear-faults', onclick: async () => show(await api.clearFaults()) }, 'Clear'),
    list);
}

export function createTools(): Tools {
  let space = () => '';
  const delay = h('input', { type: 'number', min: 0, max: 20000, step: 100, value: 0, 'data-setting': 'eventDelayMs', 'aria-label': 'Hold each event (ms)' });
  const delayResult = h('span', { class: 'result' });
  delay.addEventListener('change', async () => {
    try {
      const s = await api.settings({ eventDelayMs: Number(delay.value) });
      delayResult.textContent = s.eventDelayMs ? `each event waits ${s.eventDelayMs} ms` : 'events leave at once';
    } catch (err) {
      delayResult.textContent = err instanceof Error ? err.message : String(err);
    }
  });
  const seedResult = h('div', { class: 'result', 'data-result': 'seed' });
  const seed = h('button', { type: 'button', class: 'card-button card-button-outlined', 'data-tool': 'seed-activity', onclick: async () => {
    try {
      const { days } = await api.seedActivity(space());
      seedResult.textContent = `${days} days of activity written for ${space()}: /report now has something to report.`;
    } catch (err) {
      seedResult.textContent = err instanceof Error ? err.message : String(err);
    }
  } }, 'Seed 45 days of activity');
  const endpoint = h('input', { type: 'url', placeholder: 'the local chatEvents', 'data-setting': 'endpointUrl', 'aria-label': 'Endpoint URL', size: 28 });
  const endpointResult = h('div', { class: 'result', 'data-result': 'endpoint' });
  const applyEndpoint = async () => {
    try {
      const s = await api.settings({ endpointUrl: endpoint.value });
      endpointResult.textContent = s.endpointUrl ? `Events now go to ${s.endpointUrl}. It must trust the simulator's certs and audience (npm start prints them).` : 'Events go to the local chatEvents.';
    } catch (err) {
      endpointResult.textContent = err instanceof Error ? err.message : String(err);
    }
  };
  void api.settings().then((s) => {
    delay.value = String(s.eventDelayMs);
    endpoint.value = s.endpointUrl;
  });
  const faults = chatApiFaults();
  const element = h('div', { class: 'tools' },
    h('h3', {}, 'Network'),
    h('p', {}, 'Hold each event before it goes to the app, to watch it in flight (pending in Events, the header and composer waiting).'),
    h('label', {}, 'Hold each event', delay, 'ms', delayResult),
    h('h3', {}, 'Endpoint'),
    h('p', {}, 'Send the events to another Chat app on this machine (another language, another build); empty for the local chatEvents.'),
    h('label', {}, endpoint, h('button', { type: 'button', class: 'card-button card-button-outlined', 'data-tool': 'set-endpoint', onclick: () => void applyEndpoint() }, 'Use')),
    endpointResult,
    faults,
    h('h3', {}, 'Data'),
    h('p', {}, '/report needs weeks of activity. Write daily counters for this space, as the app writes them.'),
    seed, seedResult);
  return { element, setSpace: (current) => void (space = current) };
}
