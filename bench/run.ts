/**
 * `npm run bench`: this app and the baseline (`bench/baseline`), side by side in one run, against
 * the emulators and the local Chat API on loopback. Prints a Markdown table and the targets, and
 * writes `bench-results/bench-<time>.json`, `latest.json` and `latest.md`. Every load run is
 * bounded by a request count and a time limit; everything started here is stopped here.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, type Options } from './cli';
import { compareRuns } from './compare';
import { measureColdStarts } from './phases/cold-start';
import { measureBusySpace } from './phases/busy-space';
import { measureDuplicates } from './phases/duplicates';
import { measureFirestoreRoundTrips } from './phases/firestore-rtt';
import { measureJobs } from './phases/jobs';
import { eventSource, load, LOAD_KINDS, measureLatency, type LoadKind } from './phases/latency';
import { measureModuleLoad } from './phases/module-load';
import { measureReferenceColdStart, warmFloor } from './phases/reference';
import { deployNodeMajor, markdownReport } from './report';
import type { BenchResult, SystemResult } from './results';
import { startStack } from './stack';
import { defineSystem, SYSTEM_NAMES, warmUp, type SystemName, type WarmSystem } from './systems';
import { msSince } from './stats';
import { evaluateTargets } from './targets';

const started = process.hrtime.bigint();
/** Stops whatever this run started; also called on Ctrl-C, since the emulators run in process groups of their own. */
let stopAll: (() => Promise<void>) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void (stopAll?.() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

const step = (what: string) => process.stderr.write(`[bench ${(msSince(started) / 1000).toFixed(0).padStart(3)} s] ${what}\n`);

function commit(): string | null {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha}+changes` : sha;
  } catch {
    return null;
  }
}

async function measure(options: Options, logDir: string): Promise<BenchResult> {
  const { profile } = options;
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadavg();
  const deploy = deployNodeMajor();
  step(`Node ${process.versions.node} runs the bench and every function process it starts${deploy && Number(process.versions.node.split('.')[0]) !== deploy ? `; the deploy runtime is nodejs${deploy}, so figures may differ there` : ''}`);
  if (loadAverageAtStart[0] > cpus().length / 2) {
    step(`warning: load average ${loadAverageAtStart[0].toFixed(1)} on ${cpus().length} cores; other work on this machine will show as noise`);
  }
  step('starting the emulators, the local Chat API and the certs server');
  const stack = await startStack();
  const warm: WarmSystem[] = [];
  stopAll = async () => {
    await Promise.allSettled(warm.flatMap((s) => [s.events.stop(), s.worker.stop()]));
    await stack.stop();
  };
  try {
    // The emulator's first writes take seconds (JVM warm-up): paid here, before anything is timed.
    await (await stack.firestoreClient('bench-warm')).collection('warm').doc('up').set({ ok: true });
    const systems = SYSTEM_NAMES.map((name) => defineSystem(stack, name, logDir));
    step('starting the warm processes of both systems, their job topics, spaces and polls');
    for (const system of systems) warm.push(await warmUp(stack, system));
    step(`module load, ${profile.moduleLoadRuns} fresh processes per function and system`);
    const moduleLoad = await measureModuleLoad(systems, profile.moduleLoadRuns);
    step(`cold starts, ${profile.coldRuns} fresh processes per figure and system`);
    const cold = await measureColdStarts(stack, warm, profile.coldRuns);
    step('the framework floor: a hello-world function, cold');
    const referenceCold = await measureReferenceColdStart(stack, logDir, profile.coldRuns);
    step('warming up the warm processes');
    const sources = new Map(LOAD_KINDS.map((kind) => [kind, new Map(warm.map((s) => [s.name, eventSource(s, kind)]))]));
    for (const system of warm) {
      for (const kind of LOAD_KINDS) {
        await load(stack, system, kind, { concurrency: 4, requests: profile.warmUpRequests, maxMs: 30_000 }, sources.get(kind)!.get(system.name));
      }
    }
    await measureJobs(stack, warm, 2);
    const rssWarm = new Map(warm.map((s) => [s.name, s.events.rssMb()]));
    step('the emulator’s own round trips');
    const emulator = await measureFirestoreRoundTrips(stack, profile.roundTrips);
    const latency = new Map<LoadKind, Awaited<ReturnType<typeof measureLatency>>>();
    for (const kind of LOAD_KINDS) {
      step(`latency of ${kind === 'about' ? '/about (and the framework floor, warm)' : 'a vote'} at concurrency ${profile.latency.map((p) => p.concurrency).join(', ')}`);
      // The floor takes its turn in /about's slices, so its tails are taken under the same load.
      const floor = kind === 'about' ? await warmFloor(stack, logDir, warm[0]) : undefined;
      try {
        const systems = floor ? [...warm, floor] : warm;
        const kindSources = new Map([...sources.get(kind)!, ...(floor ? [[floor.name, eventSource(floor, kind)] as const] : [])]);
        latency.set(kind, await measureLatency(stack, systems, kind, profile.latency, kindSources));
      } finally {
        await floor?.events.stop();
      }
    }
    const reference = { coldStart: referenceCold, latency: latency.get('about')!.get('floor')! };
    const rssLoad = new Map(warm.map((s) => [s.name, s.events.rssMb()]));
    step('one busy space: 64 voters on one poll, then spread over 64 spaces');
    const busySpace = await measureBusySpace(stack, warm, profile.busySpace);
    step(`jobs end to end, ${profile.jobs} per system`);
    const jobs = await measureJobs(stack, warm, profile.jobs);
    const rssWorker = new Map(warm.map((s) => [s.name, s.worker.rssMb()]));
    step('duplicate deliveries');
    const duplicates = new Map<string, Awaited<ReturnType<typeof measureDuplicates>>>();
    for (const system of warm) duplicates.set(system.name, await measureDuplicates(stack, system, profile.duplicates));

    const result = (name: SystemName): SystemResult => {
      const levels = (kind: LoadKind) => latency.get(kind)!.get(name)!;
      const top = (kind: LoadKind) => levels(kind)[levels(kind).length - 1].eventsPerSecond;
      return {
        moduleLoad: moduleLoad.get(name)!,
        coldStart: cold.get(name)!,
        latency: { about: levels('about'), vote: levels('vote') },
        eventsPerSecond: { about: top('about'), vote: top('vote') },
        job: jobs.get(name)!,
        duplicate: duplicates.get(name)!,
        rssMb: { chatEventsAfterWarmUp: rssWarm.get(name)!, chatEventsAfterLoad: rssLoad.get(name)!, chatWorkerAfterJobs: rssWorker.get(name)! },
        busySpace: busySpace.get(name)!,
      };
    };
    const partial: Omit<BenchResult, 'targets'> = {
      schema: 1,
      startedAt,
      durationS: Math.round(msSince(started) / 1000),
      profile: profile.name,
      machine: {
        node: process.versions.node,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        loadAverageAtStart,
        loadAverageAtEnd: loadavg(),
      },
      commit: commit(),
      emulator,
      reference,
      systems: { app: result('app'), baseline: result('baseline') },
    };
    return { ...partial, targets: evaluateTargets(partial) };
  } finally {
    step('stopping everything');
    await stopAll();
    stopAll = undefined;
  }
}

function compare(options: Options, now: BenchResult): boolean {
  const old = JSON.parse(readFileSync(options.compare!, 'utf8')) as BenchResult;
  const { regressions, improvements, lines } = compareRuns(old, now, options.threshold);
  process.stdout.write(`\nCompared with ${options.compare} (noise threshold ${options.threshold * 100}%, tails ${options.threshold * 200}%):\n\n${lines.join('\n')}\n\n`);
  process.stdout.write(`${improvements.length} improved, ${regressions.length} regressed${regressions.length ? `: ${regressions.join('; ')}` : ''}.\n`);
  return regressions.length === 0;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (options.compare && options.against) {
    return compare(options, JSON.parse(readFileSync(options.against, 'utf8')) as BenchResult) ? 0 : 1;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logDir = resolve(options.outDir, 'logs', stamp);
  mkdirSync(logDir, { recursive: true });
  const result = await measure(options, logDir);
  const file = join(options.outDir, `bench-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  copyFileSync(file, join(options.outDir, 'latest.json'));
  const report = markdownReport(result);
  writeFileSync(join(options.outDir, 'latest.md'), report);
  process.stdout.write(`\n${report}\nWritten: ${file} (and latest.json, latest.md); process logs in ${logDir}\n`);
  return options.compare && !compare(options, result) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
