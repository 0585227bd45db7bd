/**
 * The page's files: HTML, CSS, and the browser code, written in TypeScript as `.mts` (ES modules,
 * typed against the DOM by `web/tsconfig.json`, outside the Node build) and served as `.mjs`,
 * transpiled on first request with the project's own `typescript`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';

/** The source folder both from `local/simulator` (ts-jest) and from `dist/local/simulator` (the build). */
export function webRoot(): string {
  const beside = join(__dirname, 'web');
  return existsSync(beside) ? beside : join(__dirname, '..', '..', '..', 'local', 'simulator', 'web');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const SAFE_NAME = /^[a-z0-9-]+\.(html|css|mjs|svg|png)$/;

export interface StaticFile {
  type: string;
  body: Buffer | string;
}

export function createStaticFiles(root = webRoot()) {
  const cache = new Map<string, { mtimeMs: number; file: StaticFile }>();
  // Loaded on first use: the server starts without paying for the compiler.
  let ts: typeof import('typescript') | undefined;

  function transpile(source: string, fileName: string): string {
    ts ??= require('typescript') as typeof import('typescript');
    return ts.transpileModule(source, {
      fileName,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, sourceMap: false, verbatimModuleSyntax: false },
    }).outputText;
  }

  /** The file for a URL path (`/` is the page), or undefined. */
  return function get(urlPath: string): StaticFile | undefined {
    const name = urlPath === '/' ? 'index.html' : normalize(urlPath).replace(/^\/+/, '');
    if (!SAFE_NAME.test(name)) return undefined;
    const ext = extname(name);
    const sourceName = ext === '.mjs' ? name.replace(/\.mjs$/, '.mts') : name;
    const path = join(root, sourceName);
    if (!existsSync(path)) return undefined;
    const { mtimeMs } = statSync(path);
    const hit = cache.get(name);
    if (hit && hit.mtimeMs === mtimeMs) return hit.file;
    const raw = readFileSync(path);
    const file: StaticFile = { type: TYPES[ext] ?? 'application/octet-stream', body: ext === '.mjs' ? transpile(raw.toString('utf8'), sourceName) : raw };
    cache.set(name, { mtimeMs, file });
    return file;
  };
}
