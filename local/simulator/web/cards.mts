/**
 * cardsV2 as Chat draws them (docs/chat-protocol.md §5): header, sections (collapsible), text paragraphs,
 * decorated text (icon, labels, button or switch), button lists, images, dividers, grids,
 * columns, chip lists, carousels and the form widgets of inputs.mts. Each clickable element
 * carries its path (see WidgetPath in ../protocol.ts); the host turns a click into an event.
 */
import { openOverflowMenu } from './overflow-menu.mjs';
import { h, icon, ICONS, type Child } from './dom.mjs';
import { dateTimePicker, selectionInput, textInput, type Autocomplete } from './inputs.mjs';
import { formatCardText } from './text-format.mjs';

export interface CardHost {
  /** A click on an element whose onClick is an action (or a switch with onChangeAction). */
  click(path: string): void;
  autocomplete: Autocomplete;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj).filter((x): x is Json => x !== undefined) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Material icon names the app may use, drawn with the few glyphs this page has. */
const KNOWN_ICONS: Record<string, string> = { terminal: ICONS.terminal, description: ICONS.terminal, person: ICONS.people, people: ICONS.people, check: ICONS.check };

function iconOf(spec: unknown): Child {
  const s = obj(spec);
  if (!s) return null;
  const url = str(s.iconUrl);
  if (url) return h('img', { class: 'widget-icon', src: url, alt: str(s.altText) });
  const name = str(obj(s.materialIcon)?.name) || str(s.knownIcon).toLowerCase();
  return h('span', { class: 'widget-icon', title: name }, icon(KNOWN_ICONS[name] ?? ICONS.dot));
}

/** Runs what an onClick asks: open a link here, hand an action to the host, or open an overflow menu under the element clicked. */
function clickHandler(onClick: unknown, path: string, host: CardHost): ((e?: Event) => void) | undefined {
  const o = obj(onClick);
  if (!o) return undefined;
  const url = str(obj(o.openLink)?.url);
  if (url) return () => window.open(url, '_blank', 'noopener');
  if (obj(o.action)) return () => host.click(path);
  const menu = list(obj(o.overflowMenu)?.items);
  if (menu.length) {
    return (e) =>
      openOverflowMenu(e?.currentTarget instanceof Element ? e.currentTarget : null,
        menu.map((m, i) => ({ text: str(m.text), disabled: m.disabled === true, run: clickHandler(m.onClick, `${path}.m${i}`, host) })));
  }
  return undefined;
}

export function button(b: Json, path: string, host: CardHost): HTMLButtonElement {
  const color = obj(b.color);
  const type = color ? 'FILLED' : str(b.type) || 'OUTLINED';
  const handler = clickHandler(b.onClick, path, host);
  const el = h('button', { type: 'button', class: `card-button card-button-${type.toLowerCase()}`, 'data-path': path, disabled: b.disabled === true, title: str(b.altText) || undefined }, iconOf(b.icon), str(b.text));
  if (color) el.style.background = `rgb(${Math.round(Number(color.red ?? 0) * 255)}, ${Math.round(Number(color.green ?? 0) * 255)}, ${Math.round(Number(color.blue ?? 0) * 255)})`;
  if (handler) el.addEventListener('click', (e) => {
    if (!obj(obj(b.onClick)?.overflowMenu)) el.classList.add('busy');
    handler(e);
  });
  return el;
}

function decoratedText(d: Json, path: string, host: CardHost): HTMLElement {
  const sw = obj(d.switchControl);
  let end: Child = null;
  if (obj(d.button)) end = button(obj(d.button)!, `${path}.btn`, host);
  else if (sw) {
    const input = h('input', { type: 'checkbox', class: sw.controlType === 'SWITCH' || !sw.controlType ? 'switch' : 'checkbox', 'data-form-name': str(sw.name), 'data-form-kind': 'switch', value: str(sw.value), checked: sw.selected === true, 'aria-label': str(d.text).replace(/<[^>]+>/g, '') });
    if (obj(sw.onChangeAction)) input.addEventListener('change', () => host.click(`${path}.sw`));
    end = input;
  } else if (d.endIcon) end = iconOf(d.endIcon);
  const handler = clickHandler(d.onClick, `${path}.dt`, host);
  const el = h('div', { class: `decorated-text${d.wrapText ? ' wrap' : ''}${handler ? ' clickable' : ''}` },
    iconOf(d.startIcon),
    h('div', { class: 'decorated-body' },
      d.topLabel ? h('div', { class: 'top-label' }, formatCardText(str(d.topLabel))) : null,
      h('div', { class: 'decorated-main' }, formatCardText(str(d.text))),
      d.bottomLabel ? h('div', { class: 'bottom-label' }, formatCardText(str(d.bottomLabel))) : null),
    end ? h('div', { class: 'decorated-end' }, end) : null);
  if (handler) el.addEventListener('click', (e) => { if (!(e.target instanceof HTMLButtonElement || e.target instanceof HTMLInputElement)) handler(e); });
  return el;
}

function image(i: Json, path: string, host: CardHost): HTMLElement {
  const img = h('img', { class: 'card-image', src: str(i.imageUrl || i.imageUri), alt: str(i.altText) });
  // No network here: a picture that cannot load shows its alt text instead.
  img.addEventListener('error', () => img.replaceWith(h('div', { class: 'image-placeholder' }, str(i.altText) || 'Image')));
  const handler = clickHandler(i.onClick, `${path}.img`, host);
  if (handler) img.addEventListener('click', handler);
  return img;
}

function grid(g: Json, path: string, host: CardHost): HTMLElement {
  const columns = typeof g.columnCount === 'number' ? g.columnCount : 2;
  const handler = (i: number) => clickHandler(g.onClick, `${path}.g${i}`, host);
  return h('div', { class: 'card-grid-wrap' }, g.title ? h('div', { class: 'grid-title' }, str(g.title)) : null,
    h('div', { class: 'card-grid', style: `grid-template-columns: repeat(${columns}, 1fr)` },
      ...list(g.items).map((item, i) => {
        const el = h('div', { class: 'grid-item' }, obj(item.image) ? image(obj(item.image)!, `${path}.g${i}`, host) : null, h('div', { class: 'grid-item-title' }, str(item.title)), item.subtitle ? h('div', { class: 'bottom-label' }, str(item.subtitle)) : null);
        const click = handler(i);
        if (click) el.addEventListener('click', click);
        return el;
      })));
}

export function widget(w: Json, path: string, host: CardHost): Child {
  if (obj(w.textParagraph)) {
    const t = obj(w.textParagraph)!;
    return h('div', { class: 'text-paragraph' }, formatCardText(str(t.text)));
  }
  if (obj(w.decoratedText)) return decoratedText(obj(w.decoratedText)!, path, host);
  if (obj(w.buttonList)) return h('div', { class: 'button-list' }, ...list(obj(w.buttonList)!.buttons).map((b, i) => button(b, `${path}.b${i}`, host)));
  if (obj(w.image)) return image(obj(w.image)!, path, host);
  if (obj(w.divider)) return h('hr', { class: 'card-divider' });
  if (obj(w.textInput)) return textInput(obj(w.textInput)!);
  if (obj(w.selectionInput)) return selectionInput(obj(w.selectionInput)!, path, host.autocomplete);
  if (obj(w.dateTimePicker)) return dateTimePicker(obj(w.dateTimePicker)!);
  if (obj(w.grid)) return grid(obj(w.grid)!, path, host);
  if (obj(w.columns)) {
    return h('div', { class: 'card-columns' }, ...list(obj(w.columns)!.columnItems).map((c, ci) =>
      h('div', { class: `card-column ${str(c.horizontalSizeStyle).toLowerCase()}` }, ...list(c.widgets).map((cw, wi) => widget(cw, `${path}.col${ci}.w${wi}`, host)))));
  }
  if (obj(w.chipList)) {
    return h('div', { class: 'chip-list' }, ...list(obj(w.chipList)!.chips).map((c, i) => {
      const handler = clickHandler(c.onClick, `${path}.chip${i}`, host);
      return h('button', { type: 'button', class: 'card-chip', disabled: c.disabled === true, onclick: handler }, iconOf(c.icon), str(c.label));
    }));
  }
  if (obj(w.carousel)) {
    return h('div', { class: 'carousel' }, ...list(obj(w.carousel)!.carouselCards).map((cc, ci) =>
      h('div', { class: 'carousel-card' }, ...list(cc.widgets).map((cw, wi) => widget(cw, `${path}.car${ci}.w${wi}`, host)))));
  }
  return h('div', { class: 'unknown-widget' }, `(${Object.keys(w).join(', ')} is not drawn by the simulator)`);
}

function section(s: Json, path: string, host: CardHost): HTMLElement {
  const widgets = list(s.widgets).map((w, i) => widget(w, `${path}.w${i}`, host));
  const keep = s.collapsible === true ? (typeof s.uncollapsibleWidgetsCount === 'number' ? s.uncollapsibleWidgetsCount : 0) : widgets.length;
  const el = h('div', { class: 'card-section' }, s.header ? h('div', { class: 'section-header' }, formatCardText(str(s.header))) : null, ...widgets.slice(0, keep));
  if (keep < widgets.length) {
    const rest = h('div', { class: 'collapsed', hidden: true }, ...widgets.slice(keep));
    const toggle = h('button', { type: 'button', class: 'show-more' }, 'Show more', icon(ICONS.chevron));
    toggle.addEventListener('click', () => {
      rest.hidden = !rest.hidden;
      toggle.firstChild!.textContent = rest.hidden ? 'Show more' : 'Show less';
    });
    el.append(rest, toggle);
  }
  return el;
}

/** A card's header and sections; `path` is `c0` for a message's first card, `` for a dialog. */
export function cardBody(card: Json, path: string, host: CardHost): HTMLElement[] {
  const header = obj(card.header);
  const join = (p: string) => (path ? `${path}.${p}` : p);
  return [
    header
      ? h('div', { class: 'card-header' },
          header.imageUrl ? h('img', { class: `card-header-image ${str(header.imageType).toLowerCase()}`, src: str(header.imageUrl), alt: str(header.imageAltText) }) : null,
          h('div', {}, h('div', { class: 'card-title' }, str(header.title)), header.subtitle ? h('div', { class: 'card-subtitle' }, str(header.subtitle)) : null))
      : null,
    ...list(card.sections).map((s, i) => section(s, join(`s${i}`), host)),
  ].filter((x): x is HTMLDivElement => x !== null);
}

export function renderCards(cardsV2: unknown[], host: CardHost): HTMLElement[] {
  return list(cardsV2).map((withId, i) => h('div', { class: 'card', 'data-card-id': str(withId.cardId) }, ...cardBody(obj(withId.card) ?? {}, `c${i}`, host)));
}

export function renderAccessoryWidgets(widgets: unknown[], host: CardHost): HTMLElement {
  return h('div', { class: 'accessory' }, ...list(widgets).map((w, i) => widget(w, `a${i}`, host)));
}
