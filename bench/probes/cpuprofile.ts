/**
 * `node dist/bench/probes/cpuprofile.js FILE.cpuprofile [...]`: where a `--cpu-prof` profile's time
 * went, as self time per package (`node_modules/<pkg>`, the app's own `dist/…`, Node's internals,
 * GC, idle), largest first. Used for the profiles in README "Targets not met: the limits".
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function bucket(url: string, name: string): string {
  if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') return name;
  const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (mod) return mod[1];
  const app = /\/dist\/([^/]+\/[^/]+)/.exec(url);
  if (app) return `app ${app[1]}`;
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/').slice(0, 2).join('/')}`;
  return url ? url : `(${name || 'native'})`;
}

/**
 * `BY=root`: charge each sample to the outermost package on its stack below the framework (the
 * app's module that required a library is charged to that library's first frame), which adds
 * module resolution, compile and GC-free work to the library that caused it; default: self time.
 */
const FRAMEWORK = /node_modules\/(@google-cloud\/functions-framework|express|body-parser|on-finished|finalhandler|router)\//;

for (const file of process.argv.slice(2)) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const rootMost = (id: number): Node => {
    let found = byId.get(id)!;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const url = byId.get(cur)!.callFrame.url;
      if (/node_modules\//.test(url) && !FRAMEWORK.test(url)) found = byId.get(cur)!;
    }
    return found;
  };
  const totals = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const n = process.env.BY === 'root' ? rootMost(id) : byId.get(id)!;
    const key = bucket(n.callFrame.url, n.callFrame.functionName);
    totals.set(key, (totals.get(key) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  const busy = [...totals].filter(([k]) => k !== '(idle)').reduce((s, [, v]) => s + v, 0);
  process.stdout.write(`${file}: ${((p.endTime - p.startTime) / 1000).toFixed(0)} ms profiled, ${busy.toFixed(0)} ms busy\n`);
  for (const [k, v] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 25))) {
    process.stdout.write(`  ${v.toFixed(1).padStart(8)} ms ${((100 * v) / busy).toFixed(1).padStart(5)} %  ${k}\n`);
  }
}
