/**
 * The cost of a duplicate delivery (Chat redelivers an event it thinks failed):
 * - a vote delivered again after the first answer: its latency, and whether the answer is the same bytes;
 * - a vote delivered twice at once: the latency of the later of the two;
 * - a `/report` delivered twice: how many report messages the space ends up with.
 */
import { COMMANDS, slashCommand, userNumber, voteClick } from '../events';
import { post } from '../http';
import type { Stack } from '../stack';
import { sleep, summarize, type Summary } from '../stats';
import { newSpace, type WarmSystem } from '../systems';

export interface DuplicateCost {
  /** First deliveries of the votes that were then repeated. */
  firstMs: Summary;
  /** The repeat, sent after the first was answered. */
  repeatMs: Summary;
  /** Repeats answered with exactly the first answer's bytes, out of `repeatMs.n`. */
  sameAnswer: number;
  /** Two deliveries of one vote at once: the slower of the pair. */
  concurrentPairMs: Summary;
  /** Report messages in the space per `/report` delivered twice (1 = the duplicate had no effect). */
  reportMessagesPerDuplicatedEvent: number;
}

let voter = 500_000;

export async function measureDuplicates(stack: Stack, system: WarmSystem, plan: { votes: number; reports: number }): Promise<DuplicateCost> {
  const url = `${system.events.url}/`;
  const send = (body: string, i: number) => post({ url, body, headers: stack.authHeader(i) });
  const poll = system.polls[0];
  const first: number[] = [];
  const repeat: number[] = [];
  let sameAnswer = 0;
  for (let i = 0; i < plan.votes; i++) {
    const body = voteClick(poll.space, poll.pollId, 1, userNumber(voter++));
    const a = await send(body, i);
    const b = await send(body, i + 1);
    first.push(a.ms);
    repeat.push(b.ms);
    if (b.status === 200 && b.body === a.body) sameAnswer++;
  }
  const pairs: number[] = [];
  for (let i = 0; i < Math.ceil(plan.votes / 3); i++) {
    const body = voteClick(poll.space, poll.pollId, 1, userNumber(voter++));
    const [a, b] = await Promise.all([send(body, i), send(body, i + 1)]);
    pairs.push(Math.max(a.ms, b.ms));
  }
  const spaces: string[] = [];
  for (let i = 0; i < plan.reports; i++) {
    const space = await newSpace(stack, url);
    spaces.push(space);
    const body = slashCommand(space, COMMANDS.report);
    await send(body, i);
    await send(body, i + 1);
  }
  // Long enough for every job (and any second one) to be done: a job takes well under a second here.
  await sleep(2000);
  const reports = spaces.reduce((n, s) => n + stack.chatApi.messages(s).filter((m) => /Activity report|No activity/.test(m.text ?? '')).length, 0);
  return {
    firstMs: summarize(first),
    repeatMs: summarize(repeat),
    sameAnswer,
    concurrentPairMs: summarize(pairs),
    reportMessagesPerDuplicatedEvent: Math.round((reports / Math.max(1, plan.reports)) * 100) / 100,
  };
}
