/**
 * Chat's text markup (docs/chat-protocol.md §3.1) and the simple HTML of card text (§5.2), turned into DOM
 * nodes, never into innerHTML: `*bold*`, `_italic_`, `~strike~`, `` `code` ``, ```` ```block``` ````,
 * `<url|label>`, `<users/…>` mentions, bare links; and in cards `<b> <i> <u> <s> <font color> <a href> <br>`.
 */
import { h } from './dom.mjs';

/** Markers that wrap inline text, and the element each makes. */
const INLINE: Record<string, keyof HTMLElementTagNameMap> = { '*': 'b', _: 'i', '~': 's' };
// Not into ‹ › or |: an app that neutralises `<url|label>` into `‹url|label›` shows its label, not a longer link.
const URL_START = /^https?:\/\/[^\s<>‹›|]+/;

function link(url: string, label: string): HTMLAnchorElement {
  const safe = /^https?:\/\//.test(url) ? url : '#';
  return h('a', { href: safe, target: '_blank', rel: 'noopener noreferrer' }, label);
}

/** Inline markup of one run of text (no code blocks inside). */
function inline(text: string, names: (user: string) => string): Node[] {
  const out: Node[] = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push(document.createTextNode(plain));
    plain = '';
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    const rest = text.slice(i);
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push(h('code', { class: 'inline-code' }, text.slice(i + 1, end)));
        i = end + 1;
        continue;
      }
    }
    if (c === '<') {
      const end = text.indexOf('>', i + 1);
      const inner = end > 0 ? text.slice(i + 1, end) : '';
      if (/^users\/[^\s>]+$/.test(inner)) {
        flush();
        out.push(h('span', { class: 'mention' }, `@${inner === 'users/all' ? 'all' : names(inner)}`));
        i = end + 1;
        continue;
      }
      const m = /^(https?:\/\/[^|\s>]+)(?:\|([^>]*))?$/.exec(inner);
      if (m) {
        flush();
        out.push(link(m[1], m[2] || m[1]));
        i = end + 1;
        continue;
      }
    }
    const url = URL_START.exec(rest);
    if (url && (i === 0 || /\s|\(/.test(text[i - 1]))) {
      flush();
      out.push(link(url[0], url[0]));
      i += url[0].length;
      continue;
    }
    const tag = INLINE[c];
    // A marker opens at a word start and closes before a word end, on the same line.
    if (tag && (i === 0 || /[\s(]/.test(text[i - 1])) && text[i + 1] && !/\s/.test(text[i + 1])) {
      const end = text.indexOf(c, i + 1);
      const body = end > 0 ? text.slice(i + 1, end) : '';
      if (end > 0 && !body.includes('\n') && !/\s/.test(text[end - 1]) && (end + 1 >= text.length || /[\s.,!?;:)]/.test(text[end + 1]))) {
        flush();
        out.push(h(tag, {}, ...inline(body, names)));
        i = end + 1;
        continue;
      }
    }
    plain += c;
    i++;
  }
  flush();
  return out;
}

/** A message's `text` as Chat shows it. */
export function formatChatText(text: string, names: (user: string) => string): DocumentFragment {
  const frag = document.createDocumentFragment();
  const parts = text.split('```');
  parts.forEach((part, i) => {
    // Odd parts sit between ``` fences: monospace blocks, shown as typed.
    if (i % 2 === 1 && i < parts.length - 1) frag.appendChild(h('pre', { class: 'code-block' }, part.replace(/^\n/, '')));
    else frag.append(...inline(i % 2 === 1 ? `\`\`\`${part}` : part, names));
  });
  return frag;
}

const ALLOWED = new Set(['B', 'I', 'U', 'S', 'STRIKE', 'EM', 'STRONG', 'A', 'BR', 'FONT', 'P', 'UL', 'OL', 'LI', 'CODE', 'PRE']);

/** Card text: the HTML subset Chat allows, everything else kept as text. */
export function formatCardText(html: string): DocumentFragment {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const frag = document.createDocumentFragment();
  const copy = (from: Node, into: Node) => {
    for (const node of Array.from(from.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE) {
        into.appendChild(document.createTextNode(node.textContent ?? ''));
      } else if (node instanceof Element && ALLOWED.has(node.tagName)) {
        const tag = node.tagName === 'FONT' ? 'span' : node.tagName === 'STRIKE' ? 's' : node.tagName.toLowerCase();
        const el = document.createElement(tag);
        if (node.tagName === 'A') {
          const href = node.getAttribute('href') ?? '';
          el.setAttribute('href', /^https?:\/\//.test(href) ? href : '#');
          el.setAttribute('target', '_blank');
          el.setAttribute('rel', 'noopener noreferrer');
        }
        const color = node.getAttribute('color');
        if (node.tagName === 'FONT' && color && /^#?[0-9a-zA-Z]+$/.test(color)) el.style.color = color;
        copy(node, el);
        into.appendChild(el);
      } else {
        copy(node, into);
      }
    }
  };
  copy(doc.body, frag);
  return frag;
}
