/** The targets, each checked against figures of the same run (ratios to the baseline). */
import type { BenchResult, TargetResult } from './results';

const fmt = (x: number, unit = 'ms') => `${x.toFixed(x < 10 ? 2 : 0)} ${unit}`;
const level = (levels: { concurrency: number; p99: number }[], c: number) => levels.find((l) => l.concurrency === c);

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
      id: 'pure-p99-c16',
      description: 'pure command touches no database: p99 < 5 ms at concurrency 16',
      measured: `${fmt(pureP99)} (framework floor ${fmt(floorP99)})`,
      pass: pureP99 < 5,
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
  ];
}
