/** `npm run bench -- [--quick] [--compare OLD.json [NEW.json]] [--threshold 0.5] [--out DIR]` */
import type { LoadPlan } from './phases/latency';

export interface Profile {
  name: 'full' | 'quick';
  /** Fresh processes per cold-start figure (the issue asks for at least 5). */
  coldRuns: number;
  moduleLoadRuns: number;
  warmUpRequests: number;
  latency: LoadPlan[];
  /** One busy space against the same voters spread over spaces (concurrency 64). */
  busySpace: LoadPlan;
  jobs: number;
  duplicates: { votes: number; reports: number };
  roundTrips: number;
}

export const PROFILES: Record<Profile['name'], Profile> = {
  full: {
    name: 'full',
    coldRuns: 5,
    moduleLoadRuns: 5,
    warmUpRequests: 150,
    latency: [
      { concurrency: 1, requests: 300, maxMs: 5000 },
      { concurrency: 16, requests: 1000, maxMs: 6000 },
      { concurrency: 64, requests: 2000, maxMs: 6000 },
    ],
    busySpace: { concurrency: 64, requests: 1000, maxMs: 6000 },
    jobs: 20,
    duplicates: { votes: 30, reports: 4 },
    roundTrips: 300,
  },
  quick: {
    name: 'quick',
    coldRuns: 2,
    moduleLoadRuns: 2,
    warmUpRequests: 50,
    latency: [
      { concurrency: 1, requests: 60, maxMs: 2000 },
      { concurrency: 16, requests: 200, maxMs: 2000 },
      { concurrency: 64, requests: 400, maxMs: 2000 },
    ],
    busySpace: { concurrency: 64, requests: 300, maxMs: 2000 },
    jobs: 5,
    duplicates: { votes: 6, reports: 2 },
    roundTrips: 60,
  },
};

export interface Options {
  profile: Profile;
  outDir: string;
  /** Compare with this earlier run after measuring, or… */
  compare?: string;
  /** …compare `compare` with this run instead of measuring. */
  against?: string;
  /** Relative noise threshold for medians (tails get twice this). */
  threshold: number;
}

export const USAGE = `npm run bench -- [options]
  --quick                 fewer samples (a few tens of seconds; to try the bench, not to publish)
  --compare OLD.json      after the run, compare it with an earlier one (exit 1 on a regression)
  --compare OLD.json NEW.json   compare two saved runs without measuring
  --threshold F           noise threshold, relative (default 0.5; tail percentiles get 2 × F)
  --out DIR               where results go (default bench-results)`;

export function parseArgs(argv: string[]): Options {
  const options: Options = { profile: PROFILES.full, outDir: 'bench-results', threshold: 0.5 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--quick') options.profile = PROFILES.quick;
    else if (arg === '--out') options.outDir = value();
    else if (arg === '--threshold') {
      options.threshold = Number(value());
      if (!(options.threshold > 0 && options.threshold < 10)) throw new Error(`--threshold must be a fraction such as 0.5\n${USAGE}`);
    } else if (arg === '--compare') {
      options.compare = value();
      if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) options.against = argv[++i];
    } else if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return options;
}
