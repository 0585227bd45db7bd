/**
 * Reads the repository's own references: relative markdown links (with their #anchors) and the
 * "§N" references code and docs make to sections of `docs/chat-protocol.md` and
 * `docs/architecture.md`. Written here rather than taken from a markdown library because the
 * checks need only links, headings and GitHub's anchor rule, and must also read code comments.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const MAX_TEXT_BYTES = 2 * 1024 * 1024;

/**
 * Folders that are not the repository's text: Git's own, and those `.gitignore` names (installs,
 * build output, run artifacts). Read from the file rather than from git, which a source upload
 * such as Cloud Build's may not have.
 */
function skippedFolders(root: string): (path: string, name: string) => boolean {
  const ignore = existsSync(join(root, '.gitignore')) ? readFileSync(join(root, '.gitignore'), 'utf8') : '';
  const folders = ignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.endsWith('/') && !line.startsWith('#') && !line.startsWith('!'))
    .map((line) => line.replace(/^\/|\/$/g, ''));
  return (path, name) => name === '.git' || folders.some((f) => (f.includes('/') ? path === f : name === f));
}

/** Whether a file holds text (no NUL byte); false if it is gone. */
function isText(path: string): boolean {
  try {
    return !readFileSync(path).includes(0);
  } catch {
    return false;
  }
}

/** Every text file of the repository, as paths relative to `root` with `/` separators. */
export function textFiles(root: string): string[] {
  const skipped = skippedFolders(root);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (skipped(relative(root, full).split(sep).join('/'), name)) continue;
      // Other tests running beside this one may create and delete scratch files: skip the vanished.
      const stat = statSync(full, { throwIfNoEntry: false });
      if (stat?.isDirectory()) {
        walk(full);
      } else if (stat && stat.size <= MAX_TEXT_BYTES && isText(full)) {
        out.push(relative(root, full).split(sep).join('/'));
      }
    }
  };
  walk(root);
  return out.sort();
}

/** GitHub's heading anchor: lower case, punctuation dropped, each space a hyphen; repeats get -1, -2, … */
export function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text } of headings(markdown)) {
    const plain = text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    const base = plain.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** ATX headings outside code blocks. */
export function headings(markdown: string): { level: number; text: string }[] {
  return withoutCodeBlocks(markdown)
    .split('\n')
    .map((line) => /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ level: m[1].length, text: m[2] }));
}

/** The section numbers a doc's headings declare: `## 7. Chat API` → `7`, `### 7.1 Methods` → `7.1`. */
export function sectionNumbers(markdown: string): Set<string> {
  return new Set(headings(markdown).flatMap(({ text }) => /^(\d+(?:\.\d+)*)\.?\s/.exec(text)?.[1] ?? []));
}

/** Fenced blocks blanked out, line count kept, so links and headings in examples are not read. */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ''));
}

export interface Link {
  target: string;
  line: number;
}

/** Inline links and images, and reference definitions, outside code blocks and code spans. */
export function markdownLinks(markdown: string): Link[] {
  const links: Link[] = [];
  withoutCodeBlocks(markdown)
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/`[^`]*`/g, '``');
      for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: m[1], line: i + 1 });
      const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
      if (def) links.push({ target: def[1], line: i + 1 });
    });
  return links;
}

/** What is wrong with a link of `file` (relative to `root`), or undefined when it resolves. */
export function linkProblem(root: string, file: string, target: string, anchorsOf: (path: string) => Set<string>): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    return /^(https?|mailto):/i.test(target) ? undefined : 'only http(s) and mailto links may leave the repository';
  }
  if (target.startsWith('../')) return 'starts with ../ (write it relative to a path inside the repository)';
  const [path, anchor] = target.split('#', 2);
  const resolved = path === '' ? resolve(root, file) : resolve(root, dirname(file), decodeURIComponent(path));
  const inside = relative(root, resolved);
  if (inside.startsWith('..') || resolve(root, inside) !== resolved) return 'resolves outside the repository';
  if (!existsSync(resolved)) return `no such file: ${inside.split(sep).join('/')}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!resolved.endsWith('.md')) return 'an #anchor on a file that is not markdown';
  return anchorsOf(resolved).has(anchor) ? undefined : `no heading with anchor #${anchor}`;
}

/** The docs that "§N" may cite, by the name a reference uses. */
export const CITED_DOCS = { 'chat-protocol.md': 'docs/chat-protocol.md', 'architecture.md': 'docs/architecture.md' } as const;
type CitedName = keyof typeof CITED_DOCS;

/** How far before a "§N" the name of the document it cites may be (`(chat-protocol.md §4.4, §6)`). */
const CITATION_REACH = 160;

export interface SectionRef {
  section: string;
  line: number;
  /** The repository path of the cited doc; undefined when the reference names no document. */
  doc?: string;
}

/**
 * Every "§N" in `text`. Each cites the document named nearest before it (`chat-protocol.md`,
 * `architecture.md`), within a short reach; an `RFC NNNN` named nearer makes it an external
 * reference (skipped). Inside one of the docs a "§N" naming no document cites the doc itself.
 */
export function sectionRefs(file: string, text: string): SectionRef[] {
  const self = Object.values(CITED_DOCS).find((d) => d === file);
  const refs: SectionRef[] = [];
  let last: { doc?: string; at: number } | undefined;
  for (const m of text.matchAll(/(chat-protocol\.md|architecture\.md)|(RFC ?\d+)|§\s?(\d+(?:\.\d+)*)/g)) {
    const at = m.index ?? 0;
    if (m[1]) last = { doc: CITED_DOCS[m[1] as CitedName], at: at + m[0].length };
    else if (m[2]) last = { at: at + m[0].length };
    else {
      const near = last && at - last.at <= CITATION_REACH ? last : undefined;
      if (near && !near.doc) continue;
      refs.push({ section: m[3], line: text.slice(0, at).split('\n').length, doc: near?.doc ?? self });
    }
  }
  return refs;
}
