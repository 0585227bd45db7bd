/** The JSON a run writes (`bench-results/*.json`): every figure of both systems, and the targets. */
import type { ColdKind, ColdStart } from './phases/cold-start';
import type { BusySpace } from './phases/busy-space';
import type { DuplicateCost } from './phases/duplicates';
import type { EmulatorRoundTrips } from './phases/firestore-rtt';
import type { JobLatency } from './phases/jobs';
import type { LatencyLevel, LoadKind } from './phases/latency';
import type { ModuleLoad } from './phases/module-load';
import type { Reference } from './phases/reference';
import type { Target } from './process';
import type { SystemName } from './systems';

/** CPU per event over every load level of the kind: the most samples, so the 10 ms ticks average out. */
export function cpuPerEvent(s: SystemResult, kind: LoadKind): number {
  const levels = s.latency[kind];
  return levels.reduce((t, l) => t + l.cpuMsPerEvent * l.n, 0) / Math.max(1, levels.reduce((n, l) => n + l.n, 0));
}

export interface SystemResult {
  moduleLoad: Record<Target, ModuleLoad>;
  coldStart: Record<ColdKind, ColdStart>;
  /** One entry per concurrency, ascending. */
  latency: Record<LoadKind, LatencyLevel[]>;
  /** At the highest concurrency, on one process. */
  eventsPerSecond: Record<LoadKind, number>;
  job: JobLatency;
  duplicate: DuplicateCost;
  rssMb: { chatEventsAfterWarmUp: number; chatEventsAfterLoad: number; chatWorkerAfterJobs: number };
  /** Absent from runs made before it was measured. */
  busySpace?: BusySpace;
}

export interface TargetResult {
  id: string;
  /** The target as the issue states it. */
  description: string;
  measured: string;
  pass: boolean;
}

export interface BenchResult {
  schema: 1;
  startedAt: string;
  durationS: number;
  /** `quick` runs are for trying the bench out; compare and publish `full` ones. */
  profile: 'full' | 'quick';
  /** `node`: the Node.js that ran the bench and every function process it spawned. */
  machine: { node: string; cpus: number; cpuModel: string; memoryGiB: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  commit: string | null;
  emulator: EmulatorRoundTrips;
  /** A hello-world function under the same framework: the floor no app can beat on this machine. */
  reference: Reference;
  systems: Record<SystemName, SystemResult>;
  targets: TargetResult[];
}
