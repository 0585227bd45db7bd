/**
 * Focused A/B experiments behind README "Targets not met: the limits", on one stack, with the two
 * variants interleaved so that other work on the machine hits both alike:
 *
 *   node dist/bench/ab.js cold [ROUNDS]        the app's cold starts (AB_KINDS, default sideEffect,worker)
 *   node dist/bench/ab.js store [ROUNDS]       the store library alone in fresh processes (probes/store-cold.ts):
 *                                              CPU and wall time of its load, first read, first commit
 *   node dist/bench/ab.js load KIND [SLICES]   warm latency of KIND (about | vote) at AB_CONCURRENCY
 *                                              (default 16), SLICES alternating slices of AB_REQUESTS (300)
 *
 * Variant B is the app as built. Variant A is the same build with AB_ENV_A added (`K=V,K2=V2`, for
 * example `NODE_DISABLE_COMPILE_CACHE=1`), or, with AB_A=floor in `load about`, the framework floor
 * (bench/reference), or with AB_A=voted the app warmed with votes too; AB_SOURCE_A=DIR serves A from
 * another build (a copy of dist/functions with one constant changed, under the repository so that
 * node_modules resolve). AB_PROFILE=DIR runs the warm processes with `--cpu-prof` into DIR. Prints
 * medians with every run (cold) or pooled percentiles with each slice's p99 and CPU per event (load).
 * Compare the variants, not the absolutes: the machine is shared.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { measureColdStarts, COLD_KINDS, type ColdKind } from './phases/cold-start';
import { eventSource, load, LOAD_KINDS, type LoadKind } from './phases/latency';
import { ROOT, spawnFunction, waitUntilServing } from './process';
import { startStack, type Stack } from './stack';
import { median, summarize } from './stats';
import { defineSystem, warmUp, type SystemName, type WarmSystem } from './systems';

function envFrom(spec: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of (spec ?? '').split(',').filter(Boolean)) {
    const [k, ...v] = pair.split('=');
    env[k] = v.join('=');
  }
  return env;
}

const profileEnv = (name: string): Record<string, string> =>
  process.env.AB_PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${resolve(process.env.AB_PROFILE, name)}` } : {};

async function cold(stack: Stack, warm: WarmSystem, logDir: string, rounds: number): Promise<void> {
  const kinds = (process.env.AB_KINDS?.split(',') ?? ['sideEffect', 'worker']) as ColdKind[];
  if (!kinds.every((k) => COLD_KINDS.includes(k))) throw new Error(`AB_KINDS: ${COLD_KINDS.join(', ')}`);
  const extra = envFrom(process.env.AB_ENV_A);
  const variant = (name: string, env: Record<string, string>): WarmSystem => ({
    ...warm,
    name: name as SystemName,
    spawn: (target, what) => spawnFunction({ source: warm.source, target, env: { ...warm.env, ...env }, logFile: join(logDir, `${name}-${what}.log`) }),
  });
  const result = await measureColdStarts(stack, [variant('A', extra), variant('B', {})], rounds, kinds);
  process.stdout.write(`A = app + ${JSON.stringify(extra)}, B = app as built; ${rounds} rounds, interleaved\n`);
  for (const kind of kinds) {
    for (const name of ['A', 'B']) {
      const c = result.get(name)![kind];
      process.stdout.write(`${kind.padEnd(10)} ${name}: wall median ${c.medianMs} ms [${c.runsMs.join(', ')}]; cpu median ${c.cpuMedianMs} ms [${c.cpuRunsMs.join(', ')}]\n`);
    }
  }
}

/** A warm `chatEvents` of the app (with `env`) or of the floor, serving the same events as the app. */
async function warmVariant(app: WarmSystem, logDir: string, name: string, env: Record<string, string>, floor: boolean): Promise<WarmSystem> {
  const events = await spawnFunction({
    source: floor ? join(ROOT, 'bench', 'reference') : name === 'A' && process.env.AB_SOURCE_A ? resolve(process.env.AB_SOURCE_A) : app.source,
    target: 'chatEvents',
    env: { ...app.env, ...env, ...profileEnv(name) },
    logFile: join(logDir, `${name}-events.log`),
  });
  await waitUntilServing(events.url, 60_000);
  return { ...app, name: name as SystemName, events };
}

async function loadAb(stack: Stack, app: WarmSystem, logDir: string, kind: LoadKind, slices: number): Promise<void> {
  if (!LOAD_KINDS.includes(kind)) throw new Error(`load KIND: ${LOAD_KINDS.join(', ')}`);
  const concurrency = Number(process.env.AB_CONCURRENCY ?? 16);
  const requests = Number(process.env.AB_REQUESTS ?? 300);
  const floor = process.env.AB_A === 'floor';
  // AB_A=voted: A is the app too, but its warm-up also casts votes, as in `npm run bench`, where one
  // process serves both kinds (the store client loaded, a bigger heap).
  const voted = process.env.AB_A === 'voted';
  if (floor && kind !== 'about') throw new Error('AB_A=floor answers /about only');
  const extra = envFrom(process.env.AB_ENV_A);
  const variants = [
    await warmVariant(app, logDir, 'A', extra, floor),
    await warmVariant(app, logDir, 'B', {}, false),
  ];
  const acc = new Map(variants.map((v) => [v.name as string, { latencies: [] as number[], p99s: [] as number[], cpu: [] as number[], errors: 0 }]));
  try {
    for (const v of variants) await load(stack, v, kind, { concurrency: 4, requests: 200, maxMs: 20_000 }, eventSource(v, kind));
    if (voted) await load(stack, variants[0], 'vote', { concurrency: 4, requests: 400, maxMs: 60_000 }, eventSource(variants[0], 'vote'));
    for (let i = 0; i < slices; i++) {
      for (const v of i % 2 === 0 ? variants : [...variants].reverse()) {
        const a = acc.get(v.name)!;
        const cpuBefore = v.events.cpuMs();
        const run = await load(stack, v, kind, { concurrency, requests, maxMs: 20_000 }, eventSource(v, kind));
        a.cpu.push((v.events.cpuMs() - cpuBefore) / Math.max(1, run.latenciesMs.length));
        a.p99s.push(summarize(run.latenciesMs).p99);
        a.latencies.push(...run.latenciesMs);
        a.errors += run.errors;
      }
    }
  } finally {
    await Promise.allSettled(variants.map((v) => v.events.stop()));
  }
  process.stdout.write(`${kind} at concurrency ${concurrency}, ${slices} alternating slices of ${requests}; A = ${floor ? 'the framework floor' : `app${voted ? ' warmed with votes' : ''} + ${JSON.stringify(extra)}`}, B = app as built\n`);
  for (const [name, a] of acc) {
    const s = summarize(a.latencies);
    const r = (x: number) => Math.round(x * 100) / 100;
    process.stdout.write(
      `${name}: pooled p50 ${s.p50} p95 ${s.p95} p99 ${s.p99} ms (n ${s.n}, errors ${a.errors}); slice p99 median ${median(a.p99s)} [${a.p99s.join(', ')}]; CPU/event median ${r(median(a.cpu))} ms [${a.cpu.map(r).join(', ')}]\n`,
    );
  }
}

/**
 * Fresh processes of probes/store-cold.js, A and B in turn; medians of each step's CPU and wall time,
 * and the modules loaded by the end of each step (the same in every run).
 */
async function storeCold(stack: Stack, rounds: number): Promise<void> {
  const extra = envFrom(process.env.AB_ENV_A);
  const env = { ...process.env, ...stack.env('bench-store-cold') };
  const runs: Record<string, Record<string, { cpuMs: number; ms: number; modules: number }>[]> = { A: [], B: [] };
  for (let i = 0; i < rounds; i++) {
    for (const name of i % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
      const out = execFileSync(process.execPath, [join(__dirname, 'probes', 'store-cold.js')], { env: { ...env, ...(name === 'A' ? extra : {}) }, encoding: 'utf8' });
      runs[name].push(JSON.parse(out.trim().split('\n').pop()!));
    }
  }
  process.stdout.write(`store alone, ${rounds} fresh processes each, alternating; A = ${JSON.stringify(extra)}, B = as built\n`);
  for (const name of ['A', 'B']) {
    const parts = Object.keys(runs[name][0]).map((k) => {
      const cpu = runs[name].map((r) => r[k].cpuMs);
      return `${k} cpu ${median(cpu)} [${Math.min(...cpu)}–${Math.max(...cpu)}] wall ${median(runs[name].map((r) => r[k].ms))} modules ${runs[name][0][k].modules}`;
    });
    const total = runs[name].map((r) => Object.values(r).reduce((s, x) => s + x.cpuMs, 0));
    process.stdout.write(`${name}: ${parts.join('; ')}; total cpu ${Math.round(median(total))} ms [${Math.round(Math.min(...total))}–${Math.round(Math.max(...total))}]\n`);
  }
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'store') {
    const stack = await startStack();
    try {
      return await storeCold(stack, Number(args[0] ?? 10));
    } finally {
      await stack.stop();
    }
  }
  const logDir = resolve('bench-results', 'logs', `ab-${Date.now()}`);
  mkdirSync(logDir, { recursive: true });
  const stack = await startStack();
  let warm: WarmSystem | undefined;
  try {
    await (await stack.firestoreClient('bench-warm')).collection('warm').doc('up').set({ ok: true });
    warm = await warmUp(stack, defineSystem(stack, 'app', logDir));
    if (mode === 'cold') await cold(stack, warm, logDir, Number(args[0] ?? 6));
    else if (mode === 'load') await loadAb(stack, warm, logDir, args[0] as LoadKind, Number(args[1] ?? 10));
    else throw new Error('usage: node dist/bench/ab.js cold [ROUNDS] | load about|vote [SLICES]');
  } finally {
    await Promise.allSettled([warm?.events.stop(), warm?.worker.stop()]);
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
