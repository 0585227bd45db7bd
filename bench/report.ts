/** The side-by-side table and the targets, as Markdown (printed, written next to the JSON, pasted in the README). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './process';
import { cpuPerEvent, type BenchResult, type SystemResult } from './results';

type Better = 'lower' | 'higher';

interface Row {
  figure: string;
  app: string;
  baseline: string;
  /** The hello-world function's figure, where one applies. */
  floor?: string;
  /** How many times better the app is (> 1: better); absent where a ratio says nothing. */
  advantage?: number;
}

const ms = (x: number) => (Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const triple = (a: number, b: number, c: number) => `${ms(a)} / ${ms(b)} / ${ms(c)}`;
const coldCpu = (s: SystemResult) => `${s.coldStart.pure.cpuMedianMs} / ${s.coldStart.sideEffect.cpuMedianMs} / ${s.coldStart.worker.cpuMedianMs}`;
const advantage = (app: number, base: number, better: Better) => (better === 'lower' ? base / app : app / base);

function row(figure: string, pick: (s: SystemResult) => number, r: BenchResult, better: Better = 'lower', show = ms): Row {
  const a = pick(r.systems.app);
  const b = pick(r.systems.baseline);
  return { figure, app: show(a), baseline: show(b), advantage: advantage(a, b, better) };
}

function latencyRows(r: BenchResult, kind: 'about' | 'vote', label: string): Row[] {
  return r.systems.app.latency[kind].map((level, i) => {
    const base = r.systems.baseline.latency[kind][i];
    const floor = kind === 'about' ? r.reference.latency.find((l) => l.concurrency === level.concurrency) : undefined;
    const errors = level.errors + base.errors ? ` (errors: app ${level.errors}, baseline ${base.errors})` : '';
    return {
      figure: `${label} latency p50 / p95 / p99, concurrency ${level.concurrency}, ms${errors}`,
      app: triple(level.p50, level.p95, level.p99),
      baseline: triple(base.p50, base.p95, base.p99),
      ...(floor ? { floor: triple(floor.p50, floor.p95, floor.p99) } : {}),
      advantage: base.p99 / level.p99,
    };
  });
}

export function figureRows(r: BenchResult): Row[] {
  const runs = r.systems.app.coldStart.pure.runsMs.length;
  const dup = (s: SystemResult) => s.duplicate;
  return [
    { ...row(`cold start \`chatEvents\`, first event \`/about\` (median of ${runs}), ms`, (s) => s.coldStart.pure.medianMs, r), floor: ms(r.reference.coldStart.medianMs) },
    row(`cold start \`chatEvents\`, first event a vote (median of ${runs}), ms`, (s) => s.coldStart.sideEffect.medianMs, r),
    row(`cold start \`chatWorker\`, first job done (median of ${runs}), ms`, (s) => s.coldStart.worker.medianMs, r),
    {
      figure: 'CPU time used by the cold process when its first answer arrived: `/about` / vote / job, ms (less sensitive to other load)',
      app: `${coldCpu(r.systems.app)}`,
      baseline: `${coldCpu(r.systems.baseline)}`,
      advantage: r.systems.baseline.coldStart.pure.cpuMedianMs / r.systems.app.coldStart.pure.cpuMedianMs,
    },
    row('module load alone, `chatEvents`, ms', (s) => s.moduleLoad.chatEvents.medianMs, r),
    row('module load alone, `chatWorker`, ms', (s) => s.moduleLoad.chatWorker.medianMs, r),
    ...latencyRows(r, 'about', '`/about`'),
    ...latencyRows(r, 'vote', 'vote'),
    row('events/s on one process, `/about`', (s) => s.eventsPerSecond.about, r, 'higher', String),
    row('events/s on one process, vote', (s) => s.eventsPerSecond.vote, r, 'higher', String),
    row('CPU time per event of `chatEvents`, `/about`, ms', (s) => cpuPerEvent(s, 'about'), r),
    row('CPU time per event of `chatEvents`, vote, ms', (s) => cpuPerEvent(s, 'vote'), r),
    {
      figure: 'job end to end (answered → final message) p50 / p95, ms',
      app: `${ms(r.systems.app.job.endToEnd.p50)} / ${ms(r.systems.app.job.endToEnd.p95)}`,
      baseline: `${ms(r.systems.baseline.job.endToEnd.p50)} / ${ms(r.systems.baseline.job.endToEnd.p95)}`,
      advantage: r.systems.baseline.job.endToEnd.p50 / r.systems.app.job.endToEnd.p50,
    },
    row('duplicate vote after the answer: p50, ms (first delivery p50 in the next row)', (s) => dup(s).repeatMs.p50, r),
    row('first delivery of those votes: p50, ms', (s) => dup(s).firstMs.p50, r),
    {
      figure: 'duplicate answered with the same bytes',
      app: `${dup(r.systems.app).sameAnswer} of ${dup(r.systems.app).repeatMs.n}`,
      baseline: `${dup(r.systems.baseline).sameAnswer} of ${dup(r.systems.baseline).repeatMs.n}`,
    },
    row('vote delivered twice at once: slower of the pair p50, ms', (s) => dup(s).concurrentPairMs.p50, r),
    row('report messages per `/report` delivered twice', (s) => dup(s).reportMessagesPerDuplicatedEvent, r, 'lower', String),
    row('RSS after warm-up, `chatEvents`, MiB', (s) => s.rssMb.chatEventsAfterWarmUp, r),
    row('RSS after the load runs, `chatEvents`, MiB', (s) => s.rssMb.chatEventsAfterLoad, r),
    row('RSS after the jobs, `chatWorker`, MiB', (s) => s.rssMb.chatWorkerAfterJobs, r),
    ...busySpaceRows(r),
  ];
}

/** Votes/s of one busy space and of the same voters spread over spaces (runs before this row existed have none). */
function busySpaceRows(r: BenchResult): Row[] {
  const { app, baseline } = r.systems;
  if (!app.busySpace || !baseline.busySpace) return [];
  const share = (s: SystemResult) => s.busySpace!.oneSpace.eventsPerSecond / s.busySpace!.spread.eventsPerSecond;
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  return [
    row('votes/s, 64 voters on one poll in one space', (s) => s.busySpace!.oneSpace.eventsPerSecond, r, 'higher', String),
    row('votes/s, the same 64 voters spread over 64 spaces', (s) => s.busySpace!.spread.eventsPerSecond, r, 'higher', String),
    row('vote p99 in the busy space, ms', (s) => s.busySpace!.oneSpace.p99, r),
    { figure: 'one busy space, as a share of spread spaces (votes/s)', app: pct(share(app)), baseline: pct(share(baseline)) },
  ];
}

const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((cells) => `| ${cells.join(' | ')} |`)].join('\n');

/** The deploy runtime's Node major (terraform/locals.tf), to say whether the run used it. */
export function deployNodeMajor(): number | undefined {
  try {
    const match = /runtime\s*=\s*"nodejs(\d+)"/.exec(readFileSync(join(ROOT, 'terraform', 'locals.tf'), 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function markdownReport(r: BenchResult): string {
  const figures = table(
    ['figure', 'this app', 'baseline', 'app advantage¹', 'framework floor²'],
    figureRows(r).map((x) => [
      x.figure,
      x.app,
      x.baseline,
      x.advantage === undefined || !Number.isFinite(x.advantage) ? '' : `${x.advantage.toFixed(1)}×`,
      x.floor ?? '',
    ]),
  );
  const notes = [
    '¹ How many times better the app is than the baseline (baseline ÷ app; app ÷ baseline for events/s; at p99 for latencies; for the cold CPU row, on `/about`).',
    '² A hello-world function under the same functions-framework (`bench/reference`): what no app can beat on this machine.',
  ].join('\n');
  const { write, read } = r.emulator;
  const emulator = `Emulator's own round trips from a warm client, one at a time: write p50 ${ms(write.p50)} ms (p99 ${ms(write.p99)}), read p50 ${ms(read.p50)} ms (p99 ${ms(read.p99)}).`;
  const targets = table(
    ['target', 'measured', ''],
    r.targets.map((t) => [t.description, t.measured, t.pass ? '✅ pass' : '❌ fail']),
  );
  const m = r.machine;
  const deploy = deployNodeMajor();
  const runtime = deploy === undefined ? '' : Number(m.node.split('.')[0]) === deploy ? ` (the deploy runtime, nodejs${deploy})` : ` (not the deploy runtime, nodejs${deploy})`;
  const where = `${r.profile} run, ${r.startedAt}, ${r.durationS} s; ${m.cpus} × ${m.cpuModel}, Node ${m.node}${runtime} for the bench and every function process; load average at start ${m.loadAverageAtStart.map((x) => x.toFixed(1)).join(' ')}; commit ${r.commit ?? 'unknown'}.`;
  return [figures, '', notes, '', emulator, '', targets, '', where, ''].join('\n');
}
