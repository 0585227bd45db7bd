/** A tiny element builder: `h('div', { class: 'x', onclick }, child, 'text')`. No innerHTML anywhere. */
type Attrs = Record<string, string | number | boolean | undefined | null | EventListener>;
export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** An inline SVG icon from a path (24×24 viewBox, Material-style). */
export function icon(path: string, className = 'icon'): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', path);
  svg.appendChild(p);
  return svg;
}

export const ICONS = {
  send: 'M3 20v-6l8-2-8-2V4l19 8z',
  close: 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z',
  add: 'M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6z',
  menu: 'M3 18h18v-2H3zm0-5h18v-2H3zm0-7v2h18V6z',
  search: 'M15.5 14h-.8l-.3-.3A6.5 6.5 0 1 0 14 15.5l.3.3v.8l5 5 1.5-1.5zm-6 0A4.5 4.5 0 1 1 14 9.5 4.5 4.5 0 0 1 9.5 14',
  apps: 'M4 8h4V4H4zm6 12h4v-4h-4zm-6 0h4v-4H4zm0-6h4v-4H4zm6 0h4v-4h-4zm6-10v4h4V4zm-6 4h4V4h-4zm6 6h4v-4h-4zm0 6h4v-4h-4z',
  eyeOff: 'M12 7a5 5 0 0 1 4.6 6.9l2.9 2.9A11.8 11.8 0 0 0 23 12a11.8 11.8 0 0 0-14.9-6.9l2.2 2.2A4.9 4.9 0 0 1 12 7M2 4.3l2.7 2.7A11.8 11.8 0 0 0 1 12a11.8 11.8 0 0 0 15.3 6.7l.4.4 2.9 2.9 1.3-1.3L3.3 3zM7.5 9.8l1.6 1.5A2.8 2.8 0 0 0 9 12a3 3 0 0 0 3 3l.7-.1 1.5 1.6A5 5 0 0 1 7.5 9.8m4.3-.8 3.2 3.2V12a3 3 0 0 0-3-3z',
  code: 'M9.4 16.6 4.8 12l4.6-4.6L8 6l-6 6 6 6zm5.2 0 4.6-4.6-4.6-4.6L16 6l6 6-6 6z',
  reply: 'M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11',
  chevron: 'M7.4 8.6 12 13.2l4.6-4.6L18 10l-6 6-6-6z',
  check: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z',
  bot: 'M20 9V7c0-1.1-.9-2-2-2h-3c0-1.7-1.3-3-3-3S9 3.3 9 5H6c-1.1 0-2 .9-2 2v2c-1.7 0-3 1.3-3 3s1.3 3 3 3v4c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2v-4c1.7 0 3-1.3 3-3s-1.3-3-3-3M7.5 11.5c0-.8.7-1.5 1.5-1.5s1.5.7 1.5 1.5S9.8 13 9 13s-1.5-.7-1.5-1.5M16 17H8v-2h8zm-1-4c-.8 0-1.5-.7-1.5-1.5S14.2 10 15 10s1.5.7 1.5 1.5S15.8 13 15 13',
  people: 'M16 11c1.7 0 3-1.3 3-3s-1.3-3-3-3-3 1.3-3 3 1.3 3 3 3m-8 0c1.7 0 3-1.3 3-3S9.7 5 8 5 5 6.3 5 8s1.3 3 3 3m0 2c-2.3 0-7 1.2-7 3.5V19h14v-2.5c0-2.3-4.7-3.5-7-3.5m8 0h-1c1.2.9 2 2 2 3.5V19h6v-2.5c0-2.3-4.7-3.5-7-3.5',
  terminal: 'M20 4H4a2 2 0 0 0-2 2v12c0 1.1.9 2 2 2h16a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2m0 14H4V8h16zM6.5 16l4-4-4-4L5 9.5 7.5 12 5 14.5zm5.5 0h6v-2h-6z',
  dot: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8',
} as const;

export function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]?.toUpperCase() ?? '').join('');
}

/** A round avatar with initials (people) or the app's robot (apps). */
export function avatar(name: string, color: string, kind: 'person' | 'app' | 'space' = 'person', size = 32): HTMLElement {
  const el = h('span', { class: `avatar avatar-${kind}`, style: `--avatar-bg:${color};width:${size}px;height:${size}px;font-size:${Math.round(size * 0.42)}px`, title: name });
  if (kind === 'app') el.appendChild(icon(ICONS.bot, 'avatar-icon'));
  else el.textContent = initials(name);
  return el;
}

export function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
