/** Module load time alone: `require` of each function's module in a fresh process, median of `runs`. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Target } from '../process';
import { median, round } from '../stats';
import type { System } from '../systems';

const PROBE = join(__dirname, '..', 'probes', 'module-load.js');

export interface ModuleLoad {
  runsMs: number[];
  medianMs: number;
}

async function loadOnce(system: System, target: Target): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [PROBE, system.source], {
    env: { ...process.env, ...system.env, FUNCTION_TARGET: target },
    timeout: 60_000,
  });
  return round(JSON.parse(stdout.trim().split('\n').pop() ?? '{}').ms);
}

/** Runs alternate between the systems, so that a burst of load on the machine hits both alike. */
export async function measureModuleLoad(systems: System[], runs: number): Promise<Map<string, Record<Target, ModuleLoad>>> {
  const samples = new Map(systems.map((s) => [s.name, { chatEvents: [] as number[], chatWorker: [] as number[] }]));
  for (let i = 0; i < runs; i++) {
    for (const system of systems) {
      for (const target of ['chatEvents', 'chatWorker'] as const) samples.get(system.name)![target].push(await loadOnce(system, target));
    }
  }
  const result = new Map<string, Record<Target, ModuleLoad>>();
  for (const [name, s] of samples) {
    result.set(name, {
      chatEvents: { runsMs: s.chatEvents, medianMs: median(s.chatEvents) },
      chatWorker: { runsMs: s.chatWorker, medianMs: median(s.chatWorker) },
    });
  }
  return result;
}
