/**
 * Card form widgets (docs/chat-protocol.md §5.2): text inputs, selection inputs (check boxes, radio buttons,
 * switches, dropdowns, and multi-selects with autocomplete), date-time pickers; and reading them
 * back as `formInputs` in the documented shape (docs/chat-protocol.md §2.7).
 */
import type { FormInputs, SuggestionItem } from '../protocol';
import { h, icon, ICONS } from './dom.mjs';

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : []);

export type Autocomplete = (path: string, query: string) => Promise<SuggestionItem[]>;

function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('label', { class: 'field' }, label ? h('span', { class: 'field-label' }, label) : null, control, hint ? h('span', { class: 'field-hint' }, hint) : null);
}

export function textInput(w: Json): HTMLElement {
  const multiline = w.type === 'MULTIPLE_LINE';
  const attrs = { class: 'text-input', 'data-form-name': str(w.name), 'data-form-kind': 'text', placeholder: str(w.placeholderText) || str(w.hintText), 'aria-label': str(w.label) || str(w.hintText) };
  const control = multiline ? h('textarea', { ...attrs, rows: 3 }) : h('input', { ...attrs, type: 'text' });
  control.value = str(w.value);
  const limit = (w.validation as Json | undefined)?.characterLimit;
  if (typeof limit === 'number') control.setAttribute('maxlength', String(limit));
  return field(str(w.label), control, str(w.hintText) && str(w.label) ? str(w.hintText) : undefined);
}

export function selectionInput(w: Json, path: string, autocomplete: Autocomplete): HTMLElement {
  const name = str(w.name);
  const items = list(w.items);
  const type = str(w.type) || 'CHECK_BOX';
  if (type === 'DROPDOWN') {
    const select = h('select', { class: 'dropdown', 'data-form-name': name, 'data-form-kind': 'select', 'aria-label': str(w.label) }, ...items.map((i) => h('option', { value: str(i.value), selected: i.selected === true }, str(i.text))));
    return field(str(w.label), select);
  }
  if (type === 'MULTI_SELECT') return multiSelect(w, path, autocomplete);
  const kind = type === 'RADIO_BUTTON' ? 'radio' : 'checkbox';
  const group = h('div', { class: `choice-group choice-${type.toLowerCase()}`, 'data-form-name': name, 'data-form-kind': 'choices' },
    ...items.map((i) => h('label', { class: 'choice' },
      h('input', { type: kind, name: `${path}-${name}`, value: str(i.value), checked: i.selected === true, class: type === 'SWITCH' ? 'switch' : undefined }),
      h('span', {}, str(i.text)))));
  return h('fieldset', { class: 'field' }, h('legend', { class: 'field-label' }, str(w.label)), group);
}

/** Chips of the chosen items, a query box, and suggestions from the app (WIDGET_UPDATED) or the static items. */
function multiSelect(w: Json, path: string, autocomplete: Autocomplete): HTMLElement {
  const name = str(w.name);
  const max = typeof w.multiSelectMaxSelectedItems === 'number' ? w.multiSelectMaxSelectedItems : 3;
  const minQuery = typeof w.multiSelectMinQueryLength === 'number' ? w.multiSelectMinQueryLength : 0;
  const external = typeof w.externalDataSource === 'object' && w.externalDataSource !== null;
  const chips = h('span', { class: 'chips', 'data-form-name': name, 'data-form-kind': 'multi' });
  const query = h('input', { type: 'text', class: 'multi-query', placeholder: 'Search', 'aria-label': str(w.label), autocomplete: 'off' });
  const menu = h('div', { class: 'suggestions', role: 'listbox', hidden: true });
  const addChip = (item: SuggestionItem) => {
    if (max === 1) chips.replaceChildren();
    else if (chips.children.length >= max) return;
    if (chips.querySelector(`[data-value="${CSS.escape(item.value)}"]`)) return;
    const chip = h('span', { class: 'chip', 'data-value': item.value }, item.text, h('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${item.text}`, onclick: () => chip.remove() }, icon(ICONS.close)));
    chips.appendChild(chip);
  };
  for (const i of list(w.items)) if (i.selected === true) addChip({ text: str(i.text), value: str(i.value) });
  const show = (items: SuggestionItem[]) => {
    menu.replaceChildren(...items.map((item) =>
      h('div', { class: 'suggestion', role: 'option', tabindex: 0, 'data-value': item.value, onmousedown: (e: Event) => { e.preventDefault(); addChip(item); query.value = ''; menu.hidden = true; } },
        h('span', {}, item.text), item.bottomText ? h('span', { class: 'suggestion-bottom' }, item.bottomText) : null)));
    if (items.length === 0) menu.replaceChildren(h('div', { class: 'suggestion-empty' }, 'No matches'));
    menu.hidden = false;
  };
  let timer: number | undefined;
  let asked = 0;
  query.addEventListener('input', () => {
    window.clearTimeout(timer);
    const q = query.value;
    if (q.length < Math.max(minQuery, external ? 1 : 0)) {
      menu.hidden = true;
      return;
    }
    if (!external) {
      show(list(w.items).filter((i) => str(i.text).toLowerCase().includes(q.toLowerCase())).map((i) => ({ text: str(i.text), value: str(i.value) })));
      return;
    }
    timer = window.setTimeout(async () => {
      const mine = ++asked;
      menu.replaceChildren(h('div', { class: 'suggestion-empty' }, 'Searching…'));
      menu.hidden = false;
      const items = await autocomplete(path, q).catch(() => []);
      if (mine === asked && query.value === q) show(items);
    }, 250);
  });
  query.addEventListener('blur', () => window.setTimeout(() => (menu.hidden = true), 150));
  return field(str(w.label), h('div', { class: 'multi-select' }, chips, query, menu));
}

export function dateTimePicker(w: Json): HTMLElement {
  const type = str(w.type) || 'DATE_AND_TIME';
  const inputType = type === 'DATE_ONLY' ? 'date' : type === 'TIME_ONLY' ? 'time' : 'datetime-local';
  const input = h('input', { type: inputType, class: 'text-input', 'data-form-name': str(w.name), 'data-form-kind': inputType, 'aria-label': str(w.label) });
  const ms = Number(str(w.valueMsEpoch));
  if (Number.isFinite(ms) && ms > 0) {
    const iso = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString();
    input.value = inputType === 'date' ? iso.slice(0, 10) : inputType === 'time' ? iso.slice(11, 16) : iso.slice(0, 16);
  }
  return field(str(w.label), input);
}

/** Everything filled in under `root`, keyed by widget name, as Chat sends it. */
export function collectFormInputs(root: ParentNode): FormInputs {
  const out: FormInputs = {};
  const strings = (name: string, values: string[]) => {
    const prev = out[name];
    const before = prev && 'stringInputs' in prev ? prev.stringInputs.value : [];
    out[name] = { stringInputs: { value: [...before, ...values] } };
  };
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('[data-form-name]'))) {
    const name = el.dataset.formName ?? '';
    const value = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement ? el.value : '';
    switch (el.dataset.formKind) {
      case 'text':
      case 'select':
        if (value !== '') strings(name, [value]);
        break;
      case 'switch':
        // A switch control gives its value when on and is absent when off.
        if ((el as HTMLInputElement).checked) strings(name, [value]);
        break;
      case 'choices': {
        const checked = Array.from(el.querySelectorAll<HTMLInputElement>('input:checked')).map((i) => i.value);
        if (checked.length) strings(name, checked);
        break;
      }
      case 'multi': {
        const chosen = Array.from(el.querySelectorAll<HTMLElement>('[data-value]')).map((c) => c.dataset.value ?? '');
        if (chosen.length) strings(name, chosen);
        break;
      }
      case 'date':
        if (value) out[name] = { dateInput: { msSinceEpoch: String(Date.parse(`${value}T00:00:00Z`)) } };
        break;
      case 'time':
        if (value) out[name] = { timeInput: { hours: Number(value.slice(0, 2)), minutes: Number(value.slice(3, 5)) } };
        break;
      case 'datetime-local':
        if (value) out[name] = { dateTimeInput: { msSinceEpoch: String(new Date(value).getTime()), hasDate: true, hasTime: true } };
        break;
    }
  }
  return out;
}
