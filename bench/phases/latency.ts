/**
 * Answer latency of a warm `chatEvents` at several concurrencies, for a pure command (`/about`)
 * and a side-effect command (a poll vote), and the events per second one process sustains.
 * Each vote is a real change (every voter flips between two options), so every vote writes.
 */
import { COMMANDS, slashCommand, userNumber, voteClick } from '../events';
import { runLoad, type LoadResult } from '../http';
import type { Stack } from '../stack';
import { summarize, type Summary } from '../stats';
import type { WarmSystem } from '../systems';

export const LOAD_KINDS = ['about', 'vote'] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];

export interface LatencyLevel extends Summary {
  concurrency: number;
  eventsPerSecond: number;
  /** CPU time the `chatEvents` process spent per answered event (user + system; 10 ms ticks over the run). */
  cpuMsPerEvent: number;
  errors: number;
  firstError?: string;
}

export interface LoadPlan {
  concurrency: number;
  requests: number;
  maxMs: number;
}

/** Voters per system; each one always votes on the same poll and flips its choice every time. */
const VOTERS = 256;

export function eventSource(system: WarmSystem, kind: LoadKind): (i: number) => string {
  if (kind === 'about') return () => slashCommand(system.aboutSpace, COMMANDS.about);
  let k = 0;
  return () => {
    const n = k++;
    const poll = system.polls[n % system.polls.length];
    return voteClick(poll.space, poll.pollId, Math.floor(n / VOTERS) % 2, userNumber(n % VOTERS));
  };
}

const expected: Record<LoadKind, string> = { about: 'Team Assistant', vote: 'UPDATE_MESSAGE' };

export function load(stack: Stack, system: WarmSystem, kind: LoadKind, plan: LoadPlan, source = eventSource(system, kind)): Promise<LoadResult> {
  return runLoad({
    url: `${system.events.url}/`,
    ...plan,
    body: source,
    headers: (i) => stack.authHeader(i),
    ok: (a) => a.status === 200 && a.body.includes(expected[kind]),
  });
}

/**
 * Slices per level: each system's run is cut into this many slices, sent alternately with the
 * other system's, so that a change of load on the machine during a level hits both alike.
 */
const SLICES = 3;

/** Every plan for one kind: at each level the systems take turns, one slice at a time. */
export async function measureLatency(
  stack: Stack,
  systems: WarmSystem[],
  kind: LoadKind,
  plans: LoadPlan[],
  sources: Map<string, (i: number) => string>,
): Promise<Map<string, LatencyLevel[]>> {
  const result = new Map<string, LatencyLevel[]>(systems.map((s) => [s.name, []]));
  for (const plan of plans) {
    const slice = { concurrency: plan.concurrency, requests: Math.ceil(plan.requests / SLICES), maxMs: plan.maxMs / SLICES };
    const runs = new Map(systems.map((s) => [s.name, { latencies: [] as number[], elapsedMs: 0, errors: 0, cpuMs: 0, firstError: undefined as string | undefined }]));
    for (let i = 0; i < SLICES; i++) {
      for (const system of i % 2 === 0 ? systems : [...systems].reverse()) {
        const acc = runs.get(system.name)!;
        const cpuBefore = system.events.cpuMs();
        const run = await load(stack, system, kind, slice, sources.get(system.name));
        acc.cpuMs += system.events.cpuMs() - cpuBefore;
        acc.latencies.push(...run.latenciesMs);
        acc.elapsedMs += run.elapsedMs;
        acc.errors += run.errors;
        acc.firstError ??= run.firstError;
      }
    }
    for (const system of systems) {
      const acc = runs.get(system.name)!;
      result.get(system.name)!.push({
        concurrency: plan.concurrency,
        ...summarize(acc.latencies),
        eventsPerSecond: Math.round((acc.latencies.length * 1000) / acc.elapsedMs),
        cpuMsPerEvent: Math.round((acc.cpuMs / Math.max(1, acc.latencies.length)) * 1000) / 1000,
        errors: acc.errors,
        ...(acc.firstError ? { firstError: acc.firstError } : {}),
      });
    }
  }
  return result;
}
