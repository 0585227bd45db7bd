/**
 * Compares two runs, figure by figure for the app. A figure has regressed when it is worse than
 * before by more than the noise threshold, both as measured and relative to the baseline measured
 * in the same run (so that a machine that got slower or busier, which moves the baseline as much,
 * is not taken for a regression of the code). The threshold is relative (`threshold`, twice that
 * for tail percentiles, which move more between runs) with an absolute floor per kind of figure
 * (a 0.3 ms change in a 1 ms latency is not news).
 */
import type { BenchResult, SystemResult } from './results';

interface Metric {
  key: string;
  better: 'lower' | 'higher';
  /** Changes smaller than this are noise, whatever their relative size. */
  floor: number;
  tail?: boolean;
  pick(s: SystemResult): number;
}

function metrics(r: BenchResult): Metric[] {
  const list: Metric[] = [
    { key: 'cold start /about (ms)', better: 'lower', floor: 30, pick: (s) => s.coldStart.pure.medianMs },
    { key: 'cold start vote (ms)', better: 'lower', floor: 30, pick: (s) => s.coldStart.sideEffect.medianMs },
    { key: 'cold start worker (ms)', better: 'lower', floor: 30, pick: (s) => s.coldStart.worker.medianMs },
    { key: 'module load chatEvents (ms)', better: 'lower', floor: 20, pick: (s) => s.moduleLoad.chatEvents.medianMs },
    { key: 'module load chatWorker (ms)', better: 'lower', floor: 20, pick: (s) => s.moduleLoad.chatWorker.medianMs },
    { key: 'events/s /about', better: 'higher', floor: 0, pick: (s) => s.eventsPerSecond.about },
    { key: 'events/s vote', better: 'higher', floor: 0, pick: (s) => s.eventsPerSecond.vote },
    { key: 'CPU per event /about, c=64 (ms)', better: 'lower', floor: 0.1, pick: (s) => s.latency.about[s.latency.about.length - 1]?.cpuMsPerEvent ?? Number.NaN },
    { key: 'CPU per event vote, c=64 (ms)', better: 'lower', floor: 0.3, pick: (s) => s.latency.vote[s.latency.vote.length - 1]?.cpuMsPerEvent ?? Number.NaN },
    { key: 'job end to end p50 (ms)', better: 'lower', floor: 10, pick: (s) => s.job.endToEnd.p50 },
    { key: 'job end to end p95 (ms)', better: 'lower', floor: 10, tail: true, pick: (s) => s.job.endToEnd.p95 },
    { key: 'duplicate vote p50 (ms)', better: 'lower', floor: 1, pick: (s) => s.duplicate.repeatMs.p50 },
    { key: 'report messages per duplicated /report', better: 'lower', floor: 0, pick: (s) => s.duplicate.reportMessagesPerDuplicatedEvent },
    { key: 'RSS chatEvents after warm-up (MiB)', better: 'lower', floor: 5, pick: (s) => s.rssMb.chatEventsAfterWarmUp },
    { key: 'RSS chatWorker after jobs (MiB)', better: 'lower', floor: 5, pick: (s) => s.rssMb.chatWorkerAfterJobs },
    // Absent (NaN, skipped) in runs made before the busy-space phase existed.
    { key: 'votes/s one busy space', better: 'higher', floor: 0, pick: (s) => s.busySpace?.oneSpace.eventsPerSecond ?? Number.NaN },
    { key: 'votes/s spread over 64 spaces', better: 'higher', floor: 0, pick: (s) => s.busySpace?.spread.eventsPerSecond ?? Number.NaN },
  ];
  for (const kind of ['about', 'vote'] as const) {
    r.systems.app.latency[kind].forEach((level, i) => {
      for (const p of ['p50', 'p95', 'p99'] as const) {
        list.push({
          key: `${kind} ${p} c=${level.concurrency} (ms)`,
          better: 'lower',
          floor: p === 'p50' ? 0.5 : 1,
          tail: p !== 'p50',
          pick: (s) => s.latency[kind][i]?.[p] ?? Number.NaN,
        });
      }
    });
  }
  return list;
}

export interface Comparison {
  regressions: string[];
  improvements: string[];
  lines: string[];
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;

export function compareRuns(old: BenchResult, now: BenchResult, threshold: number): Comparison {
  const regressions: string[] = [];
  const improvements: string[] = [];
  const lines = [
    '| figure (app) | before | now | change | baseline change | change relative to the baseline | verdict |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const m of metrics(now)) {
    const before = m.pick(old.systems.app);
    const after = m.pick(now.systems.app);
    if (!Number.isFinite(before) || !Number.isFinite(after)) continue;
    const change = before === 0 ? 0 : (after - before) / before;
    const worse = m.better === 'lower' ? after - before : before - after;
    const limit = Math.max(m.floor, Math.abs(before) * threshold * (m.tail ? 2 : 1));
    const bBefore = m.pick(old.systems.baseline);
    const bAfter = m.pick(now.systems.baseline);
    const hasBase = Number.isFinite(bBefore) && Number.isFinite(bAfter) && bBefore > 0 && bAfter > 0 && before > 0;
    // The app's change beyond the baseline's: 0 when both moved alike.
    const relative = hasBase ? after / before / (bAfter / bBefore) - 1 : change;
    const relativeWorse = (m.better === 'lower' ? relative : -relative) > threshold * (m.tail ? 2 : 1);
    const relativeBetter = (m.better === 'lower' ? -relative : relative) > threshold * (m.tail ? 2 : 1);
    const verdict = worse > limit && relativeWorse ? 'regressed' : -worse > limit && relativeBetter ? 'improved' : 'same (within noise)';
    if (verdict === 'regressed') regressions.push(m.key);
    if (verdict === 'improved') improvements.push(m.key);
    const baseChange = hasBase ? pct((bAfter - bBefore) / bBefore) : '';
    lines.push(`| ${m.key} | ${before} | ${after} | ${pct(change)} | ${baseChange} | ${hasBase ? pct(relative) : ''} | ${verdict} |`);
  }
  for (const t of now.targets) {
    const was = old.targets.find((x) => x.id === t.id);
    if (was?.pass && !t.pass) regressions.push(`target ${t.id} passed before and fails now`);
  }
  if (old.profile !== now.profile) lines.push('', `Note: comparing a ${old.profile} run with a ${now.profile} run; their sample sizes differ.`);
  return { regressions, improvements, lines };
}
