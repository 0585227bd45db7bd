/** The issues' targets, each checked against figures of the same run (ratios to the baseline). */
import type { LatencyLevel } from './phases/latency';
import { cpuPerEvent, type BenchResult, type SystemResult, type TargetResult } from './results';

const fmt = (x: number, unit = 'ms') => `${x.toFixed(x < 10 ? 2 : 0)} ${unit}`;
const level = (levels: { concurrency: number; p99: number }[], c: number) => levels.find((l) => l.concurrency === c);

/** Side-effect figures where the app must be at least as good as the baseline: the ones where it is not. */
function sideEffectShortfalls(app: SystemResult, baseline: SystemResult): string[] {
  const worse: string[] = [];
  const check = (what: string, a: number, b: number, better: 'lower' | 'higher' = 'lower') => {
    if (better === 'lower' ? a > b : a < b) worse.push(`${what} ${fmt(a, '').trim()} vs ${fmt(b, '').trim()}`);
  };
  app.latency.vote.forEach((l: LatencyLevel, i) => {
    const b = baseline.latency.vote[i];
    check(`p50 c${l.concurrency}`, l.p50, b.p50);
    check(`p99 c${l.concurrency}`, l.p99, b.p99);
  });
  check('votes/s', app.eventsPerSecond.vote, baseline.eventsPerSecond.vote, 'higher');
  check('CPU/vote', cpuPerEvent(app, 'vote'), cpuPerEvent(baseline, 'vote'));
  check('job p50', app.job.endToEnd.p50, baseline.job.endToEnd.p50);
  check('job p95', app.job.endToEnd.p95, baseline.job.endToEnd.p95);
  check('duplicate p50', app.duplicate.repeatMs.p50, baseline.duplicate.repeatMs.p50);
  check('pair p50', app.duplicate.concurrentPairMs.p50, baseline.duplicate.concurrentPairMs.p50);
  return worse;
}

export function evaluateTargets(r: Omit<BenchResult, 'targets'>): TargetResult[] {
  const { app, baseline } = r.systems;
  const pureRatio = baseline.coldStart.pure.medianMs / app.coldStart.pure.medianMs;
  const sideRatio = baseline.coldStart.sideEffect.medianMs / app.coldStart.sideEffect.medianMs;
  const pureP99 = level(app.latency.about, 16)?.p99 ?? Number.NaN;
  const voteP99 = level(app.latency.vote, 1)?.p99 ?? Number.NaN;
  const write = r.emulator.write.p99;
  const floorCold = r.reference.coldStart.medianMs;
  const floorP99 = level(r.reference.latency, 16)?.p99 ?? Number.NaN;
  const job = app.job.endToEnd.p50;
  const shortfalls = sideEffectShortfalls(app, baseline);
  return [
    {
      id: 'cold-pure-ratio',
      description: 'cold start, pure command: ≥ 5× faster than the baseline',
      measured: `${pureRatio.toFixed(1)}× (${fmt(app.coldStart.pure.medianMs)} vs ${fmt(baseline.coldStart.pure.medianMs)})`,
      pass: pureRatio >= 5,
    },
    {
      id: 'cold-pure-abs',
      description: 'cold start, pure command: under 400 ms',
      measured: `${fmt(app.coldStart.pure.medianMs)} (framework floor ${fmt(floorCold)})`,
      pass: app.coldStart.pure.medianMs < 400,
    },
    {
      id: 'cold-side-ratio',
      description: 'cold start, side-effect command: ≥ 3× faster than the baseline',
      measured: `${sideRatio.toFixed(1)}× (${fmt(app.coldStart.sideEffect.medianMs)} vs ${fmt(baseline.coldStart.sideEffect.medianMs)})`,
      pass: sideRatio >= 3,
    },
    {
      id: 'pure-p99-c16-floor',
      description: 'pure command: p99 at concurrency 16 within 1.25× of the framework floor',
      measured: `${(pureP99 / floorP99).toFixed(2)}× (${fmt(pureP99)} vs ${fmt(floorP99)})`,
      pass: pureP99 <= 1.25 * floorP99,
    },
    {
      id: 'vote-p99',
      description: "side-effect command: p99 (concurrency 1) ≤ 3× the emulator's single-write round trip (its p99)",
      measured: `${(voteP99 / write).toFixed(1)}× (${fmt(voteP99)} vs ${fmt(write)})`,
      pass: voteP99 <= 3 * write,
    },
    {
      id: 'job-e2e-p50',
      description: 'job end to end (answered → final message): p50 < 150 ms',
      measured: fmt(job),
      pass: job < 150,
    },
    {
      id: 'side-effect-vs-baseline',
      description: 'side effects (vote p50 and p99 at each concurrency, votes/s, CPU per vote, job p50 and p95, duplicates) at least as good as the baseline',
      measured: shortfalls.length ? `worse: ${shortfalls.join('; ')}` : 'all as good or better',
      pass: shortfalls.length === 0,
    },
    ...(app.busySpace
      ? [
          {
            id: 'busy-space',
            description: 'one busy space (64 voters, one poll): ≥ 80 % of the votes/s of the same voters over 64 spaces',
            measured: `${Math.round((app.busySpace.oneSpace.eventsPerSecond * 100) / app.busySpace.spread.eventsPerSecond)} % (${app.busySpace.oneSpace.eventsPerSecond} vs ${app.busySpace.spread.eventsPerSecond} votes/s)`,
            pass: app.busySpace.oneSpace.eventsPerSecond >= 0.8 * app.busySpace.spread.eventsPerSecond,
          },
        ]
      : []),
  ];
}
