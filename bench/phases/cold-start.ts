/**
 * Cold starts: a fresh function process per run, timed from the moment it is spawned to the
 * moment its first event is answered (the port is tried every 2 ms until it opens, so the figure
 * includes the framework's start, the module load, the first certs fetch, the first client
 * connections). Runs alternate between the systems.
 */
import { COMMANDS, slashCommand, userNumber, voteClick } from '../events';
import { postWhenListening, type Answer } from '../http';
import { median, msSince, round } from '../stats';
import type { Stack } from '../stack';
import { pushPath, type WarmSystem } from '../systems';

export const COLD_KINDS = ['pure', 'sideEffect', 'worker'] as const;
export type ColdKind = (typeof COLD_KINDS)[number];

export interface ColdStart {
  /** What the first event was. */
  event: string;
  runsMs: number[];
  medianMs: number;
  /** CPU time the process had used when the answer arrived: less sensitive to other work on the machine. */
  cpuRunsMs: number[];
  cpuMedianMs: number;
}

const FIRST_EVENT: Record<ColdKind, string> = {
  pure: 'chatEvents, first event /about',
  sideEffect: 'chatEvents, first event a poll vote',
  worker: 'chatWorker, first event a /report job (answered once its reply is posted)',
};

let coldVoter = 900_000;

async function coldOnce(stack: Stack, system: WarmSystem, kind: ColdKind): Promise<{ ms: number; cpuMs: number }> {
  const target = kind === 'worker' ? 'chatWorker' : 'chatEvents';
  const job = kind === 'worker' ? await system.coldJob() : undefined;
  const body =
    kind === 'pure'
      ? slashCommand(system.aboutSpace, COMMANDS.about)
      : kind === 'sideEffect'
        ? voteClick(system.coldPoll.space, system.coldPoll.pollId, 0, userNumber(coldVoter++))
        : job!.body;
  const proc = await system.spawn(target, `cold-${kind}`);
  let answer: Answer;
  let ms: number;
  let cpuMs: number;
  try {
    answer = await postWhenListening({
      url: `${proc.url}${kind === 'worker' ? pushPath(system) : '/'}`,
      body,
      headers: kind === 'worker' ? {} : stack.authHeader(coldVoter),
      deadlineMs: 60_000,
      alive: () => proc.running(),
    });
    ms = msSince(proc.spawnedAt);
    cpuMs = proc.cpuMs();
  } finally {
    await proc.stop();
  }
  if (answer.status < 200 || answer.status > 299) throw new Error(`${system.name} cold ${kind}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
  if (kind === 'pure' && !answer.body.includes('Team Assistant')) throw new Error(`${system.name} cold /about: unexpected answer ${answer.body.slice(0, 200)}`);
  if (kind === 'sideEffect' && !answer.body.includes('UPDATE_MESSAGE')) throw new Error(`${system.name} cold vote: unexpected answer ${answer.body.slice(0, 200)}`);
  if (job && !stack.chatApi.messages(job.space).some((m) => /Activity report|No activity/.test(m.text ?? ''))) {
    throw new Error(`${system.name} cold worker answered but posted no report in ${job.space}`);
  }
  return { ms: round(ms), cpuMs };
}

export async function measureColdStarts(
  stack: Stack,
  systems: WarmSystem[],
  runs: number,
  kinds: readonly ColdKind[] = COLD_KINDS,
): Promise<Map<string, Record<ColdKind, ColdStart>>> {
  type Runs = { ms: number; cpuMs: number }[];
  const samples = new Map(systems.map((s) => [s.name, { pure: [] as Runs, sideEffect: [] as Runs, worker: [] as Runs }]));
  for (let i = 0; i < runs; i++) {
    for (const kind of kinds) {
      for (const system of systems) samples.get(system.name)![kind].push(await coldOnce(stack, system, kind));
    }
  }
  const result = new Map<string, Record<ColdKind, ColdStart>>();
  for (const [name, s] of samples) {
    const of = (kind: ColdKind): ColdStart => {
      const runsMs = s[kind].map((r) => r.ms);
      const cpuRunsMs = s[kind].map((r) => r.cpuMs);
      return { event: FIRST_EVENT[kind], runsMs, medianMs: median(runsMs), cpuRunsMs, cpuMedianMs: median(cpuRunsMs) };
    };
    result.set(name, { pure: of('pure'), sideEffect: of('sideEffect'), worker: of('worker') });
  }
  return result;
}
