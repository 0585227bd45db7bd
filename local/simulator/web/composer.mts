/**
 * The message box: Enter sends, Shift+Enter breaks the line; typing `/` lists the app's commands
 * and `@` offers to mention it, as Chat does. Replying in a thread shows above the box.
 */
import type { AppInfo, CommandInfo } from '../protocol';
import { avatar, h, icon, ICONS } from './dom.mjs';

export interface Composer {
  element: HTMLElement;
  setPlaceholder(text: string, appIsMember: boolean): void;
  replyTo(threadName: string | undefined, label?: string): void;
  /** Off while the app is being added to or removed from the conversation. */
  setEnabled(enabled: boolean, why?: string): void;
  focus(): void;
}

/** `send` resolves to false when the message did not go out: the text comes back into the box. */
export function createComposer(app: AppInfo, send: (text: string, threadName: string | undefined) => Promise<boolean>): Composer {
  const input = h('textarea', { class: 'composer-input', rows: 1, 'aria-label': 'Message', placeholder: 'Message' });
  const menu = h('div', { class: 'command-menu', role: 'listbox', hidden: true });
  const replying = h('div', { class: 'replying', hidden: true });
  let thread: string | undefined;
  let options: { label: string; insert: string; command?: CommandInfo }[] = [];
  let active = 0;
  let member = true;

  const choose = (i: number) => {
    const o = options[i];
    if (!o) return;
    input.value = o.insert;
    menu.hidden = true;
    input.focus();
  };
  const draw = () => {
    menu.replaceChildren(
      h('div', { class: 'menu-title' }, member ? app.name : `${app.name} · not in this conversation: using it adds it`),
      ...options.map((o, i) =>
        h('div', { class: `command-option${i === active ? ' active' : ''}`, role: 'option', 'data-command': o.command?.name ?? o.label, onmousedown: (e: Event) => { e.preventDefault(); choose(i); } },
          avatar(app.name, '#0b57d0', 'app', 24),
          h('span', { class: 'command-name' }, o.label),
          o.command ? h('span', { class: 'command-description' }, o.command.description) : null)));
  };
  const suggest = () => {
    const text = input.value;
    if (/^\/\S*$/.test(text)) options = app.commands.filter((c) => c.name.startsWith(text)).map((c) => ({ label: c.name, insert: `${c.name} `, command: c }));
    else if (/(^|\s)@[\w ]{0,20}$/.test(text) && `@${app.name}`.toLowerCase().startsWith(text.slice(text.lastIndexOf('@')).toLowerCase())) options = [{ label: `@${app.name}`, insert: `${text.slice(0, text.lastIndexOf('@'))}@${app.name} ` }];
    else options = [];
    active = 0;
    menu.hidden = options.length === 0;
    if (!menu.hidden) draw();
  };
  const submit = async () => {
    const text = input.value.trim();
    if (!text || input.disabled) return;
    const typed = input.value;
    input.value = '';
    menu.hidden = true;
    const t = thread;
    element.classList.add('sending');
    try {
      // Nothing typed meanwhile: give the failed message back to edit and send again.
      if (!(await send(text, t)) && input.value === '') input.value = typed;
    } finally {
      element.classList.remove('sending');
      input.style.height = '';
    }
  };
  input.addEventListener('input', () => {
    input.style.height = '';
    input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
    suggest();
  });
  input.addEventListener('keydown', (e) => {
    if (!menu.hidden && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      active = (active + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length;
      draw();
      e.preventDefault();
    } else if (!menu.hidden && (e.key === 'Tab' || (e.key === 'Enter' && !input.value.includes(' ')))) {
      choose(active);
      e.preventDefault();
    } else if (e.key === 'Escape') {
      menu.hidden = true;
    } else if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void submit();
    }
  });
  input.addEventListener('blur', () => window.setTimeout(() => (menu.hidden = true), 150));
  const sendButton = h('button', { type: 'button', class: 'send-button', 'aria-label': 'Send message', onclick: () => void submit() }, icon(ICONS.send));
  const element = h('div', { class: 'composer' }, menu, replying, h('div', { class: 'composer-box' }, input, sendButton));

  return {
    element,
    setPlaceholder(text, appIsMember) {
      input.placeholder = text;
      member = appIsMember;
    },
    replyTo(threadName, label) {
      thread = threadName;
      replying.hidden = !threadName;
      replying.replaceChildren(h('span', {}, `Replying in thread${label ? `: ${label}` : ''}`), h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Cancel reply', onclick: () => this.replyTo(undefined) }, icon(ICONS.close)));
      input.focus();
    },
    setEnabled(enabled, why) {
      input.disabled = !enabled;
      sendButton.disabled = !enabled;
      element.classList.toggle('disabled', !enabled);
      element.title = enabled ? '' : (why ?? '');
    },
    focus: () => input.focus(),
  };
}
