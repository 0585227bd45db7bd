/**
 * One busy space: 64 voters on one poll in one space, against the same 64 voters each on a poll of
 * their own space. Every vote writes (each voter flips its choice), so the first run shows what
 * the documents one space and one poll share (its counters, its votes) cost under load, and the
 * second the same load with nothing shared (README, Capacity).
 */
import { userNumber, voteClick } from '../events';
import type { Stack } from '../stack';
import { createPoll, newSpace, type WarmSystem } from '../systems';
import { load, measureLatency, type LatencyLevel, type LoadPlan } from './latency';

export const BUSY_VOTERS = 64;

export interface BusySpace {
  /** 64 voters on one poll in one space. */
  oneSpace: LatencyLevel;
  /** The same voters, each on a poll in a space of its own. */
  spread: LatencyLevel;
}

type Poll = { space: string; pollId: string };

/** Voter n % 64 votes on `pollOf(n)`, flipping between the first two options. */
function votes(pollOf: (n: number) => Poll, first: number): (i: number) => string {
  let k = 0;
  return () => {
    const n = k++;
    const poll = pollOf(n);
    return voteClick(poll.space, poll.pollId, Math.floor(n / BUSY_VOTERS) % 2, userNumber(first + (n % BUSY_VOTERS)));
  };
}

async function newPoll(stack: Stack, system: WarmSystem): Promise<Poll> {
  const url = `${system.events.url}/`;
  const space = await newSpace(stack, url);
  return { space, pollId: await createPoll(stack, url, space) };
}

export async function measureBusySpace(stack: Stack, systems: WarmSystem[], plan: LoadPlan): Promise<Map<string, BusySpace>> {
  const busy = new Map<string, Poll>();
  const spread = new Map<string, Poll[]>();
  for (const system of systems) {
    busy.set(system.name, await newPoll(stack, system));
    const polls: Poll[] = [];
    for (let i = 0; i < BUSY_VOTERS; i++) polls.push(await newPoll(stack, system));
    spread.set(system.name, polls);
  }
  // Voters no other phase uses, so every vote changes something.
  const oneSources = new Map(systems.map((s) => [s.name, votes(() => busy.get(s.name)!, 700_000)]));
  const apartSources = new Map(systems.map((s) => [s.name, votes((n) => spread.get(s.name)![n % BUSY_VOTERS], 800_000)]));
  // Untimed: every voter votes twice first, so both runs measure polls and spaces in use (the
  // first vote of a poll's shard, or of a space's counter shard, writes one more document).
  for (const system of systems) {
    for (const sources of [oneSources, apartSources]) {
      await load(stack, system, 'vote', { concurrency: 16, requests: 2 * BUSY_VOTERS, maxMs: 30_000 }, sources.get(system.name));
    }
  }
  const oneSpace = await measureLatency(stack, systems, 'vote', [plan], oneSources);
  const apart = await measureLatency(stack, systems, 'vote', [plan], apartSources);
  return new Map(systems.map((s) => [s.name, { oneSpace: oneSpace.get(s.name)![0], spread: apart.get(s.name)![0] }]));
}
