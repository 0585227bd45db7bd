/**
 * `/report` (command 4): the space's activity report, built as a long task. The command answers
 * at once; the worker pages through the space's daily activity counters, showing progress, and
 * ends with one card in the thread.
 */
import type { CommandEvent } from '../../shared/events/model';
import type { JobRecord, } from '../../shared/jobs/model';
import type { TaskContext } from '../../shared/jobs/worker';
import { card, decoratedText, section, textParagraph, withId } from '../../shared/replies/cards';
import { reply, type OutMessage, type Reply } from '../../shared/replies/responses';
import type { HandlerContext } from '../../shared/routing/context';
import { ACTIVITY } from '../../shared/stores/activity';
import { SPACES } from '../../shared/stores/spaces';

export const REPORT_JOB = 'report';
const PAGE_SIZE = 20;
const TOP = 10;

export async function onReportCommand(_event: CommandEvent, ctx: HandlerContext): Promise<Reply> {
  await ctx.enqueue({ kind: REPORT_JOB });
  return reply.text('📊 Working on the activity report for this space. I will post it in this thread.');
}

type Counts = Record<string, number>;

function add(into: Counts, from: unknown): void {
  if (typeof from !== 'object' || from === null) return;
  for (const [k, v] of Object.entries(from)) if (typeof v === 'number') into[k] = (into[k] ?? 0) + v;
}

const top = (counts: Counts) => Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TOP);

/** `command:4` → `/report`; other routes keep their name. */
const routeLabel = (route: string, commandNames: Record<number, string>) => {
  const m = /^command_(\d+)$/.exec(route);
  return m ? (commandNames[Number(m[1])] ?? `command ${m[1]}`) : route.replace('_', ' ');
};

export function reportTask(commandNames: Record<number, string>) {
  return async function report(job: JobRecord, ctx: TaskContext): Promise<OutMessage> {
    const db = await ctx.firestore();
    const spaceId = job.space.slice('spaces/'.length);
    const collection = db.collection(SPACES).doc(spaceId).collection(ACTIVITY).orderBy('day');
    const byRoute: Counts = {};
    const byUser: Counts = {};
    const names: Record<string, string> = {};
    let total = 0;
    let days = 0;
    let first: string | undefined;
    let last: string | undefined;
    for (let page = await collection.limit(PAGE_SIZE).get(); ; ) {
      for (const doc of page.docs) {
        const d = doc.data();
        total += typeof d.total === 'number' ? d.total : 0;
        add(byRoute, d.byRoute);
        add(byUser, d.byUser);
        Object.assign(names, d.userNames);
        first ??= d.day;
        last = d.day;
        days++;
      }
      if (page.docs.length < PAGE_SIZE) break;
      await ctx.progress(`📊 Building the activity report… ${days} days read so far.`);
      page = await collection.startAfter(page.docs[page.docs.length - 1]).limit(PAGE_SIZE).get();
    }
    if (total === 0) return { text: '📊 No activity recorded in this space yet.' };
    const routeWidgets = top(byRoute).map(([route, n]) => decoratedText(`${n}`, { topLabel: routeLabel(route, commandNames) }));
    const userWidgets = top(byUser).map(([user, n]) => decoratedText(`${n}`, { topLabel: names[user] ?? user }));
    return {
      text: `📊 Activity report: ${total} interactions over ${days} day${days === 1 ? '' : 's'}.`,
      cardsV2: [
        withId(
          'activity-report',
          card({
            title: 'Activity report',
            subtitle: first === last ? `${first}` : `${first} to ${last}`,
            sections: [
              section([textParagraph(`<b>${total}</b> interactions on <b>${days}</b> active day${days === 1 ? '' : 's'}.`)]),
              section(routeWidgets, 'By command'),
              section(userWidgets, 'By person'),
            ],
          }),
        ),
      ],
    };
  };
}
