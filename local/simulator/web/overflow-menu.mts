/**
 * A card's overflow menu (`onClick.overflowMenu`), opened in the page under the element clicked,
 * as Chat does: each item runs its own `onClick` (an action is `<path>.m<i>`, see card-path.ts);
 * a click elsewhere or Escape closes it.
 */
import { h } from './dom.mjs';

export interface MenuItem {
  text: string;
  disabled: boolean;
  run: (() => void) | undefined;
}

let open: HTMLElement | undefined;

function close(): void {
  open?.remove();
  open = undefined;
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') close();
});
document.addEventListener('mousedown', (e) => {
  if (open && !(e.target instanceof Node && open.contains(e.target))) close();
});

export function openOverflowMenu(anchor: Element | null, items: MenuItem[]): void {
  close();
  const menu = h('div', { class: 'overflow-menu', role: 'menu' },
    ...items.map((item, i) =>
      h('button', { type: 'button', class: 'overflow-item', role: 'menuitem', 'data-menu-item': i, disabled: item.disabled || !item.run, onclick: () => { close(); item.run?.(); } }, item.text)));
  const box = anchor?.getBoundingClientRect();
  menu.style.left = `${Math.max(8, Math.min((box?.left ?? 100), window.innerWidth - 200))}px`;
  menu.style.top = `${Math.min((box?.bottom ?? 100) + 4, window.innerHeight - 40 * items.length - 16)}px`;
  document.body.appendChild(menu);
  open = menu;
}
