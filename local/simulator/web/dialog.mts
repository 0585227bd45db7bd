/**
 * Dialogs as Chat shows them: a modal card with a title bar and close icon, a scrolling body and
 * the fixed footer's buttons. The close icon sends CANCEL_DIALOG; Escape closes without an event
 * (docs/chat-protocol.md §2.1); an error status keeps the dialog open with the app's message.
 */
import type { OpenDialog } from '../protocol';
import { button, cardBody, type CardHost } from './cards.mjs';
import { h, icon, ICONS } from './dom.mjs';

export interface DialogView {
  id: string;
  element: HTMLElement;
  showError(message: string): void;
  close(): void;
}

type Json = Record<string, unknown>;

export function openDialog(dialog: OpenDialog, host: CardHost & { closeIcon(): void }): DialogView {
  const card = (dialog.card ?? {}) as Json;
  const header = (card.header ?? {}) as Json;
  const footer = (card.fixedFooter ?? {}) as Json;
  const error = h('div', { class: 'dialog-error', role: 'alert', hidden: true });
  const footerButtons = [
    footer.secondaryButton ? button(footer.secondaryButton as Json, 'footer.secondary', host) : null,
    footer.primaryButton ? button({ type: 'FILLED', ...(footer.primaryButton as Json) }, 'footer.primary', host) : null,
  ].filter((b): b is HTMLButtonElement => b !== null);
  const body = cardBody({ ...card, header: undefined }, '', host);
  const box = h('div', { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': String(header.title ?? 'Dialog'), 'data-dialog-id': dialog.id },
    h('div', { class: 'dialog-title' },
      h('div', {}, h('div', { class: 'card-title' }, String(header.title ?? '')), header.subtitle ? h('div', { class: 'card-subtitle' }, String(header.subtitle)) : null),
      h('button', { type: 'button', class: 'icon-button dialog-close', 'aria-label': 'Close dialog', onclick: () => host.closeIcon() }, icon(ICONS.close))),
    error,
    h('div', { class: 'dialog-body' }, ...body),
    footerButtons.length ? h('div', { class: 'dialog-footer' }, ...footerButtons) : null);
  const overlay = h('div', { class: 'overlay' }, box);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') view.close();
  };
  document.addEventListener('keydown', onKey);
  document.body.appendChild(overlay);
  const view: DialogView = {
    id: dialog.id,
    element: box,
    showError(message) {
      error.textContent = message;
      error.hidden = false;
      box.querySelectorAll('.busy').forEach((b) => b.classList.remove('busy'));
    },
    close() {
      document.removeEventListener('keydown', onKey);
      overlay.remove();
    },
  };
  return view;
}
