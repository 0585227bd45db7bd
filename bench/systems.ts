/**
 * The two systems measured side by side: this project as built (`dist/functions`) and the
 * baseline (`bench/baseline`), each with its own project id, warm processes, spaces and polls.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createJobQueue } from '../shared/jobs/queue';
import { addedToSpace, COMMANDS, newSpaceName, pollIdIn, pushEnvelope, slashCommand } from './events';
import { post } from './http';
import { ROOT, spawnFunction, waitUntilServing, type FunctionProcess, type Target } from './process';
import { createJobTopics, IDLE_TOPIC, JOBS_TOPIC, type Stack } from './stack';

export const SYSTEM_NAMES = ['app', 'baseline'] as const;
export type SystemName = (typeof SYSTEM_NAMES)[number];

/** Votes are spread over this many polls, one per space, as in several busy spaces at once. */
export const POLL_SPACES = 8;

export interface System {
  name: SystemName;
  projectId: string;
  source: string;
  env: Record<string, string>;
  /** Where each process's output is written. */
  logFile(what: string): string;
  spawn(target: Target, what: string): Promise<FunctionProcess>;
  /** A queued job for a fresh worker: the push body that delivers it, and the space its reply goes to. */
  coldJob(): Promise<{ body: string; space: string }>;
}

export interface WarmSystem extends System {
  events: FunctionProcess;
  worker: FunctionProcess;
  /** The space `/about` is asked in. */
  aboutSpace: string;
  /** One open poll per space, voted on by the latency runs. */
  polls: { space: string; pollId: string }[];
  /** A poll only cold processes vote on. */
  coldPoll: { space: string; pollId: string };
}

export function defineSystem(stack: Stack, name: SystemName, logDir: string): System {
  const projectId = `bench-${name}`;
  const source = name === 'app' ? join(ROOT, 'dist', 'functions') : join(ROOT, 'bench', 'baseline');
  const env = stack.env(projectId);
  const logFile = (what: string) => join(logDir, `${name}-${what}.log`);
  const system: System = {
    name,
    projectId,
    source,
    env,
    logFile,
    spawn: (target, what) => spawnFunction({ source, target, env, logFile: logFile(what) }),
    async coldJob() {
      const space = newSpaceName();
      stack.chatApi.addSpace({ name: space });
      const db = await stack.firestoreClient(projectId);
      if (name === 'baseline') {
        const job = await db.collection('jobs').add({ space, thread: null, status: 'QUEUED' });
        return { space, body: pushEnvelope(projectId, { jobId: job.id }) };
      }
      // The app's own queue makes the job (its document, then a publish into a topic nobody reads).
      const queue = createJobQueue({ firestore: async () => db, pubsub: () => stack.pubsubClient(projectId), topic: IDLE_TOPIC, ttlMs: 3600_000 });
      const { jobId } = await queue.enqueue({ space, thread: null, user: 'users/100000' }, randomUUID(), { kind: 'report' });
      return { space, body: pushEnvelope(projectId, { jobId, kind: 'report' }) };
    },
  };
  return system;
}

/**
 * A new space with the app in it: known to the local Chat API, and added through the system's own
 * ADDED_TO_SPACE handling, as Chat does before anyone in the space can use the app.
 */
export async function newSpace(stack: Stack, eventsUrl: string): Promise<string> {
  const space = newSpaceName();
  stack.chatApi.addSpace({ name: space });
  const answer = await post({ url: eventsUrl, body: addedToSpace(space), headers: stack.authHeader(0) });
  if (answer.status !== 200) throw new Error(`ADDED_TO_SPACE answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  return space;
}

/** Creates a poll through the system's own `/poll` command and returns its id. */
export async function createPoll(stack: Stack, url: string, space: string): Promise<string> {
  const answer = await post({ url, body: slashCommand(space, COMMANDS.poll, '"Ship it?" "Yes" "No"'), headers: stack.authHeader(0) });
  if (answer.status !== 200) throw new Error(`/poll answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  return pollIdIn(answer.body);
}

/** Starts the system's warm processes, its job topic and push subscription, its spaces and polls. */
export async function warmUp(stack: Stack, system: System): Promise<WarmSystem> {
  const worker = await system.spawn('chatWorker', 'worker');
  const events = await system.spawn('chatEvents', 'events');
  await Promise.all([waitUntilServing(worker.url, 60_000), waitUntilServing(events.url, 60_000)]);
  await createJobTopics(stack, system.projectId, worker.port);
  const aboutSpace = await newSpace(stack, `${events.url}/`);
  const polls = [];
  for (let i = 0; i < POLL_SPACES; i++) {
    const space = await newSpace(stack, `${events.url}/`);
    polls.push({ space, pollId: await createPoll(stack, `${events.url}/`, space) });
  }
  const coldSpace = await newSpace(stack, `${events.url}/`);
  const coldPoll = { space: coldSpace, pollId: await createPoll(stack, `${events.url}/`, coldSpace) };
  return { ...system, events, worker, aboutSpace, polls, coldPoll };
}

export const pushPath = (system: System) => `/projects/${system.projectId}/topics/${JOBS_TOPIC}`;
