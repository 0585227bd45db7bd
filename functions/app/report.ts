/**
 * `/report` (command 4): the space's activity report, built as a long task. The command answers
 * at once; the worker pages through the space's daily activity counters, showing progress, and
 * ends with one card in the thread.
 */
import type { CommandEvent } from '../../shared/events/model';
import type { JobRecord } from '../../shared/jobs/model';
import type { TaskContext } from '../../shared/jobs/worker';
import { cardText } from '../../shared/replies/escape';
import { fitCount, withMore } from '../../shared/replies/fit-list';
import { card, decoratedText, section, textParagraph, withId } from '../../shared/replies/cards';
import { reply, type OutMessage, type Reply } from '../../shared/replies/responses';
import type { HandlerContext } from '../../shared/routing/context';
import { ACTIVITY } from '../../shared/stores/activity';
import { defineFeature, routeLabels, type Feature } from '../../shared/routing/feature';
import { POLLS, voterCounts } from './polls/store';
import { SPACES } from '../../shared/stores/spaces';

export const REPORT_JOB = 'report';
const PAGE_SIZE = 20;
const TOP = 10;
/** Open polls listed at most (fewer if the card would pass Chat's limits). */
const MAX_OPEN_POLLS = 30;

async function onReportCommand(_event: CommandEvent, ctx: HandlerContext): Promise<Reply> {
  await ctx.enqueue({ kind: REPORT_JOB });
  return reply.text('📊 Working on the activity report for this space. I will post it as a reply to your /report message.');
}

type Counts = Record<string, number>;

function add(into: Counts, from: unknown): void {
  if (typeof from !== 'object' || from === null) return;
  for (const [k, v] of Object.entries(from)) if (typeof v === 'number') into[k] = (into[k] ?? 0) + v;
}

const top = (counts: Counts) => Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TOP);

/** Route names as the activity counters store them (`command:3` → `command_3`), for people. */
type Labels = Record<string, string>;
const LIFECYCLE_LABELS: Labels = { added: 'App added' };
const routeLabel = (labels: Labels, route: string) => labels[route] ?? route.replace(/_/g, ' ');

async function report(job: JobRecord, ctx: TaskContext, labels: Labels): Promise<OutMessage> {
  const db = await ctx.firestore();
  const spaceId = job.space.slice('spaces/'.length);
  const collection = db.collection(SPACES).doc(spaceId).collection(ACTIVITY).orderBy('day');
  // Read while the counters are paged through: each is a round trip the report would otherwise wait for.
  const openPolls = db.collection(SPACES).doc(spaceId).collection(POLLS).where('closed', '==', false).get();
  const space = db.collection(SPACES).doc(spaceId).get();
  // Awaited only on some paths: a rejection before then is handled there, not reported as unhandled.
  openPolls.catch(() => undefined);
  space.catch(() => undefined);
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
      // A day's counters are sharded over several documents, read in order of day.
      if (d.day !== last) days++;
      last = d.day;
    }
    if (page.docs.length < PAGE_SIZE) break;
    await ctx.progress(`📊 Building the activity report… ${days} days read so far.`);
    page = await collection.startAfter(page.docs[page.docs.length - 1]).limit(PAGE_SIZE).get();
  }
  const open = await openPolls;
  const voters = await voterCounts(db, open.docs);
  const allPolls = open.docs.map((p, i) => decoratedText(cardText(String(p.get('question'))), { bottomLabel: `${voters[i]} votes so far`, wrapText: true }));
  const pollsShowing = (n: number) => withMore(allPolls, n, (more) => textParagraph(more));
  if (total === 0 && allPolls.length === 0) return { text: '📊 No activity recorded in this space yet.' };
  const zone = (await space).get('settings.timeZone') ?? 'UTC';
  const generated = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date());
  const routeWidgets = top(byRoute).map(([route, n]) => decoratedText(`${n}`, { topLabel: routeLabel(labels, route) }));
  const userWidgets = top(byUser).map(([user, n]) => decoratedText(`${n}`, { topLabel: cardText(names[user] ?? user) }));
  const message = (pollWidgets: ReturnType<typeof pollsShowing>): OutMessage => ({
    text: `📊 Activity report: ${total} interactions over ${days} day${days === 1 ? '' : 's'}.`,
    cardsV2: [
      withId(
        'activity-report',
        card({
          title: 'Activity report',
          subtitle: `Generated ${generated} (${zone})`,
          sections: [
            section([
              textParagraph(
                days
                  ? `<b>${total}</b> interactions on <b>${days}</b> active day${days === 1 ? '' : 's'}, ${first === last ? first : `${first} to ${last}`} (UTC days).`
                  : 'No interactions recorded yet.',
              ),
            ]),
            // A section needs at least one widget: empty ones are left out.
            ...[section(routeWidgets, 'By command'), section(userWidgets, 'By person'), section(pollWidgets, 'Open polls')].filter((x) => x.widgets.length > 0),
          ],
        }),
      ),
    ],
  });
  // Open polls are as many as people made: the list ends with "and N more" where the card would pass Chat's limits.
  return message(pollsShowing(fitCount(Math.min(allPolls.length, MAX_OPEN_POLLS), (n) => reply.message(message(pollsShowing(n))))));
}

/**
 * The report names routes by the app's features (command names, action labels), so it takes the
 * app's feature list; a function, because the list includes this feature.
 */
export const reports = (features: () => readonly Feature[]) =>
  defineFeature({
    name: 'reports',
    command: {
      id: 4,
      name: '/report',
      description: 'Activity report for this space',
      keywords: ['report', 'stats', 'statistics', 'usage'],
      handler: onReportCommand,
    },
    tasks: { [REPORT_JOB]: (job, ctx) => report(job, ctx, { ...LIFECYCLE_LABELS, ...routeLabels(features()) }) },
  });
