/**
 * The framework floor (`bench/reference`): cold start to first answer and `/about`-sized latency
 * of a hello-world function under the same functions-framework, measured in the same run.
 */
import { join } from 'node:path';
import { COMMANDS, slashCommand } from '../events';
import { postWhenListening, runLoad } from '../http';
import { ROOT, spawnFunction, waitUntilServing } from '../process';
import type { Stack } from '../stack';
import { median, msSince, round, summarize } from '../stats';
import type { LatencyLevel, LoadPlan } from './latency';

export interface Reference {
  coldStart: { runsMs: number[]; medianMs: number };
  latency: LatencyLevel[];
}

const SOURCE = join(ROOT, 'bench', 'reference');

export async function measureReference(stack: Stack, logDir: string, runs: number, plans: LoadPlan[]): Promise<Reference> {
  const env = stack.env('bench-reference');
  const spawn = () => spawnFunction({ source: SOURCE, target: 'chatEvents', env, logFile: join(logDir, 'reference.log') });
  const body = () => slashCommand('spaces/REFERENCE', COMMANDS.about);
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    const proc = await spawn();
    try {
      await postWhenListening({ url: `${proc.url}/`, body: body(), headers: stack.authHeader(i), deadlineMs: 30_000, alive: () => proc.running() });
      cold.push(round(msSince(proc.spawnedAt)));
    } finally {
      await proc.stop();
    }
  }
  const proc = await spawn();
  const latency: LatencyLevel[] = [];
  try {
    await waitUntilServing(proc.url);
    const load = (plan: LoadPlan) => runLoad({ url: `${proc.url}/`, ...plan, body, headers: (i) => stack.authHeader(i) });
    await load({ concurrency: 4, requests: 200, maxMs: 10_000 });
    for (const plan of plans) {
      const cpuBefore = proc.cpuMs();
      const run = await load(plan);
      latency.push({
        concurrency: plan.concurrency,
        ...summarize(run.latenciesMs),
        eventsPerSecond: run.eventsPerSecond,
        cpuMsPerEvent: Math.round(((proc.cpuMs() - cpuBefore) / Math.max(1, run.latenciesMs.length)) * 1000) / 1000,
        errors: run.errors,
        ...(run.firstError ? { firstError: run.firstError } : {}),
      });
    }
  } finally {
    await proc.stop();
  }
  return { coldStart: { runsMs: cold, medianMs: median(cold) }, latency };
}
