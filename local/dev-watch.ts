/**
 * `npm run dev`: `npm start`, and on every saved change under functions/ or shared/ the changed
 * files are transpiled into dist/ and the functions restart on their ports. The emulators, the
 * local Chat API, the simulator and everything they hold stay; the page keeps its conversations.
 *
 * Transpiled one file at a time with the project's own TypeScript (its compiler options, no type
 * check): a full `tsc` takes many seconds, a file a few milliseconds. Type errors are for
 * `npm run typecheck` and `npm test`; a syntax error is printed and the functions keep running.
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, rm, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

/** Edits arrive as bursts (an editor writes, renames, touches): one reload per burst. */
const SETTLE_MS = 100;
const WATCHED = ['functions', 'shared'];

export interface DevWatchOptions {
  /** The project folder (package.json, tsconfig.json, dist/). */
  root: string;
  restart: () => Promise<void>;
  /** Each line for the terminal. */
  say: (line: string) => void;
}

function compilerOptions(root: string): ts.CompilerOptions {
  const file = join(root, 'tsconfig.json');
  const { config } = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
  return ts.parseJsonConfigFileContent(config, ts.sys, root).options;
}

/** Writes `dist/<file>.js` for a changed source file, removes it for a deleted one; false on a syntax error. */
async function emit(root: string, options: ts.CompilerOptions, file: string, say: (line: string) => void): Promise<boolean> {
  const out = join(root, 'dist', file.replace(/\.ts$/, '.js'));
  let source: string;
  try {
    source = await readFile(join(root, file), 'utf8');
  } catch {
    await rm(out, { force: true });
    return true;
  }
  const result = ts.transpileModule(source, { compilerOptions: { ...options, sourceMap: false, declaration: false }, fileName: join(root, file), reportDiagnostics: true });
  const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    for (const d of errors) say(`  ${file}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    return false;
  }
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, result.outputText);
  return true;
}

/** Starts watching; returns the function that stops it. */
export function watchSources(o: DevWatchOptions): () => void {
  const options = compilerOptions(o.root);
  const changed = new Set<string>();
  let firstSaveAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const reload = async () => {
    const files = [...changed];
    const savedAt = firstSaveAt;
    changed.clear();
    firstSaveAt = 0;
    const emitted = await Promise.all(files.map((f) => emit(o.root, options, f, o.say)));
    if (emitted.includes(false)) return o.say(`✗ ${files.join(', ')}: not reloaded (fix the error above and save again)`);
    try {
      await o.restart();
      o.say(`↻ ${files.join(', ')} → functions restarted, ready ${Math.round(performance.now() - savedAt)} ms after the save`);
    } catch (err) {
      o.say(`✗ the functions did not restart: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const onChange = (dir: string) => (_event: string, name: string | Buffer | null) => {
    const file = name ? join(dir, name.toString()) : '';
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) return;
    changed.add(relative(o.root, join(o.root, file)));
    firstSaveAt ||= performance.now();
    clearTimeout(timer);
    // One reload at a time: a save during a reload waits for it, then reloads again.
    timer = setTimeout(() => void (running = running.then(reload)), SETTLE_MS);
  };
  // An 'error' event with no listener would end `npm run dev` with exit code 1 (say why instead).
  const watchers: FSWatcher[] = WATCHED.map((dir) =>
    watch(join(o.root, dir), { recursive: true }, onChange(dir)).on('error', (err) => o.say(`✗ watching ${dir}/ failed: ${err.message}`)),
  );
  o.say(`Watching ${WATCHED.map((d) => `${d}/`).join(' and ')}: a saved change restarts the functions, everything else keeps its state.`);
  return () => {
    clearTimeout(timer);
    watchers.forEach((w) => w.close());
  };
}
