/**
 * The framework floor (`bench/reference`): cold start to first answer, and a warm hello-world
 * function under the same functions-framework that answers `/about`-sized requests. The warm one
 * takes its turn in the same alternating slices as the app and the baseline (latency.ts), so that
 * its tail latencies are taken under the same load as theirs: measured in a run of its own, a p99
 * at concurrency 16 moved by more than the 1.25× the target allows (README, "the limits").
 */
import { join } from 'node:path';
import { COMMANDS, slashCommand } from '../events';
import { postWhenListening, runLoad } from '../http';
import { ROOT, spawnFunction, waitUntilServing } from '../process';
import type { Stack } from '../stack';
import { median, msSince, round } from '../stats';
import type { SystemName, WarmSystem } from '../systems';
import type { LatencyLevel } from './latency';

export interface Reference {
  coldStart: { runsMs: number[]; medianMs: number };
  latency: LatencyLevel[];
}

const SOURCE = join(ROOT, 'bench', 'reference');

const spawnFloor = (stack: Stack, logDir: string) =>
  spawnFunction({ source: SOURCE, target: 'chatEvents', env: stack.env('bench-reference'), logFile: join(logDir, 'reference.log') });

export async function measureReferenceColdStart(stack: Stack, logDir: string, runs: number): Promise<Reference['coldStart']> {
  const body = () => slashCommand('spaces/REFERENCE', COMMANDS.about);
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    const proc = await spawnFloor(stack, logDir);
    try {
      await postWhenListening({ url: `${proc.url}/`, body: body(), headers: stack.authHeader(i), deadlineMs: 30_000, alive: () => proc.running() });
      cold.push(round(msSince(proc.spawnedAt)));
    } finally {
      await proc.stop();
    }
  }
  return { runsMs: cold, medianMs: median(cold) };
}

/**
 * A warm floor process dressed as a system for the `/about` latency slices (it answers any POST
 * with a card titled like `/about`'s). `like` lends it the spaces the events are addressed to.
 */
export async function warmFloor(stack: Stack, logDir: string, like: WarmSystem): Promise<WarmSystem> {
  const events = await spawnFloor(stack, logDir);
  await waitUntilServing(events.url);
  await runLoad({ url: `${events.url}/`, concurrency: 4, requests: 200, maxMs: 10_000, body: () => slashCommand(like.aboutSpace, COMMANDS.about), headers: (i) => stack.authHeader(i) });
  return { ...like, name: 'floor' as SystemName, events, worker: events };
}
