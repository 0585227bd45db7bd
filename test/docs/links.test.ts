/**
 * The repository stands alone: every relative link in its markdown resolves to a file inside it
 * (and to a heading, when it names an #anchor), and every "§N" in code and docs names a section
 * heading of the doc it cites. Reads files only; needs no emulator.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { headingAnchors, linkProblem, markdownLinks, sectionNumbers, sectionRefs, textFiles } from './doc-refs';

const ROOT = resolve(__dirname, '../..');
const files = textFiles(ROOT);
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');

const anchorCache = new Map<string, Set<string>>();
const anchorsOf = (absolute: string) => {
  let anchors = anchorCache.get(absolute);
  if (!anchors) anchorCache.set(absolute, (anchors = headingAnchors(readFileSync(absolute, 'utf8'))));
  return anchors;
};

/** Problems with the links of the given markdown files, one line each. */
function linkProblems(root: string, markdown: Record<string, string>, anchors: (path: string) => Set<string>): string[] {
  return Object.entries(markdown).flatMap(([file, text]) =>
    markdownLinks(text).flatMap(({ target, line }) => {
      const problem = linkProblem(root, file, target, anchors);
      return problem ? [`${file}:${line} (${target}): ${problem}`] : [];
    }),
  );
}

/** Problems with the "§N" references of the given files, against the sections of the docs. */
function sectionProblems(sources: Record<string, string>, sectionsOf: (doc: string) => Set<string> | undefined): string[] {
  return Object.entries(sources).flatMap(([file, text]) =>
    sectionRefs(file, text).flatMap(({ section, line, doc }) => {
      if (!doc) return [`${file}:${line} §${section}: names no document (write "docs/chat-protocol.md §N" or "docs/architecture.md §N")`];
      const sections = sectionsOf(doc);
      if (!sections) return [`${file}:${line} §${section}: ${doc} does not exist`];
      return sections.has(section) ? [] : [`${file}:${line} §${section}: ${doc} has no section ${section}`];
    }),
  );
}

const docSections = (doc: string) => (files.includes(doc) ? sectionNumbers(read(doc)) : undefined);

describe('the repository stands alone', () => {
  const markdown = Object.fromEntries(files.filter((f) => f.endsWith('.md')).map((f) => [f, read(f)]));

  it('has its own architecture and protocol notes', () => {
    expect(files).toEqual(expect.arrayContaining(['docs/architecture.md', 'docs/chat-protocol.md']));
  });

  it('every relative markdown link resolves to a file in the repository, and its #anchor to a heading', () => {
    expect(Object.keys(markdown)).toEqual(expect.arrayContaining(['README.md', 'terraform/README.md']));
    expect(linkProblems(ROOT, markdown, anchorsOf)).toEqual([]);
  });

  it('every "§N" in code and docs names a section heading of the doc it cites', () => {
    // This folder's own files hold made-up references, to show the checker at work.
    const sources = Object.fromEntries(files.filter((f) => !f.startsWith('test/docs/')).map((f) => [f, read(f)]));
    expect(sectionRefs('x', Object.values(sources).join('\n')).length).toBeGreaterThan(20);
    expect(sectionProblems(sources, docSections)).toEqual([]);
  });

  it('nothing points at the design notes outside the repository', () => {
    const outside = ['shared', 'docs'].join('/');
    const offenders = files.filter((f) => f !== 'test/docs/links.test.ts' && read(f).includes(outside));
    expect(offenders).toEqual([]);
  });
});

describe('the checks catch what they look for', () => {
  const doc = ['# Notes', '## 1. Transport', '### 1.1 Which format', '## 2. The classic event', 'See §1.1 and §3.'].join('\n');
  const sectionsOf = (d: string) => (d === 'docs/chat-protocol.md' ? sectionNumbers(doc) : undefined);
  // A repository of one doc, so these cases do not depend on this repository's docs.
  const scratch = mkdtempSync(join(tmpdir(), 'doc-refs-'));
  beforeAll(() => {
    mkdirSync(join(scratch, 'docs'));
    writeFileSync(join(scratch, 'docs/chat-protocol.md'), doc);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('reads GitHub anchors and section numbers from headings', () => {
    expect([...headingAnchors(doc)]).toEqual(['notes', '1-transport', '11-which-format', '2-the-classic-event']);
    expect([...sectionNumbers(doc)]).toEqual(['1', '1.1', '2']);
  });

  it('refuses links that leave the repository, miss their file or their anchor', () => {
    const md = {
      'README.md': [
        '[a](../shared/notes.md) [b](docs/missing.md) [c](docs/chat-protocol.md#9-nothing)',
        '[d](docs/chat-protocol.md#11-which-format) [e](https://example.com/x) `[f](../in-code.md)`',
        '```', '[g](../in-a-block.md)', '```',
      ].join('\n'),
    };
    const anchors = () => headingAnchors(doc);
    expect(linkProblems(scratch, md, anchors)).toEqual([
      'README.md:1 (../shared/notes.md): starts with ../ (write it relative to a path inside the repository)',
      'README.md:1 (docs/missing.md): no such file: docs/missing.md',
      'README.md:1 (docs/chat-protocol.md#9-nothing): no heading with anchor #9-nothing',
    ]);
  });

  it('refuses a "§N" that names no document, or a section its document lacks', () => {
    const sources = {
      'shared/a.ts': '// (docs/chat-protocol.md §1.1, §2) and protocol §1\n// RFC 7515 §4.1.11',
      'shared/b.ts': '// docs/chat-protocol.md §7.1',
      'docs/chat-protocol.md': doc,
    };
    expect(sectionProblems(sources, sectionsOf)).toEqual([
      'shared/b.ts:1 §7.1: docs/chat-protocol.md has no section 7.1',
      'docs/chat-protocol.md:5 §3: docs/chat-protocol.md has no section 3',
    ]);
    expect(sectionProblems({ 'shared/c.ts': '// protocol §1' }, sectionsOf)).toEqual([
      'shared/c.ts:1 §1: names no document (write "docs/chat-protocol.md §N" or "docs/architecture.md §N")',
    ]);
  });
});
