/**
 * A job end to end: `/report` is answered by `chatEvents`, then the job travels through Pub/Sub
 * (the emulator pushes it to the warm worker) and its final message appears in the local Chat
 * API. Timed from the answer's last byte to the message, in this process, where the local Chat
 * API runs. One space per job, since a space takes 60 writes a minute.
 */
import { COMMANDS, slashCommand } from '../events';
import { post } from '../http';
import type { Stack } from '../stack';
import { summarize, type Summary } from '../stats';
import { newSpace, type WarmSystem } from '../systems';

export interface JobLatency {
  /** Event answered → final message posted. */
  endToEnd: Summary;
  /** Event sent → final message posted. */
  fromEvent: Summary;
  failures: number;
  firstError?: string;
}

const FINAL = /Activity report|No activity/;

/** Resolves with the hrtime at which a final report message shows in `space`, or rejects after `timeoutMs`. */
export function finalMessageIn(stack: Stack, space: string, timeoutMs: number): Promise<bigint> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no report in ${space} within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = stack.chatApi.onChange((change) => {
      if ((change.type === 'create' || change.type === 'update') && change.message.space === space && FINAL.test(change.message.text ?? '')) {
        const at = process.hrtime.bigint();
        clearTimeout(timer);
        unsubscribe();
        resolve(at);
      }
    });
  });
}

async function oneJob(stack: Stack, system: WarmSystem, i: number): Promise<{ endToEnd: number; fromEvent: number }> {
  const space = await newSpace(stack, `${system.events.url}/`);
  const posted = finalMessageIn(stack, space, 15_000);
  const sent = process.hrtime.bigint();
  const answer = await post({ url: `${system.events.url}/`, body: slashCommand(space, COMMANDS.report), headers: stack.authHeader(i) });
  const answered = process.hrtime.bigint();
  if (answer.status !== 200) throw new Error(`${system.name} /report: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
  const at = await posted;
  return { endToEnd: Number(at - answered) / 1e6, fromEvent: Number(at - sent) / 1e6 };
}

export async function measureJobs(stack: Stack, systems: WarmSystem[], jobs: number): Promise<Map<string, JobLatency>> {
  const samples = new Map(systems.map((s) => [s.name, { endToEnd: [] as number[], fromEvent: [] as number[], failures: 0, firstError: undefined as string | undefined }]));
  for (let i = 0; i < jobs; i++) {
    for (const system of systems) {
      const s = samples.get(system.name)!;
      try {
        const r = await oneJob(stack, system, i);
        s.endToEnd.push(r.endToEnd);
        s.fromEvent.push(r.fromEvent);
      } catch (err) {
        s.failures++;
        s.firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  }
  return new Map([...samples].map(([name, s]) => [name, { endToEnd: summarize(s.endToEnd), fromEvent: summarize(s.fromEvent), failures: s.failures, ...(s.firstError ? { firstError: s.firstError } : {}) }]));
}
