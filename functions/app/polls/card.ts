/** The poll card: one row per option with its count, a Vote button while open, the result once closed. */
import { action, button, buttonList, card, decoratedText, section, textParagraph, withId, type CardWithId } from '../../../shared/replies/cards';
import { cardText } from '../../../shared/replies/escape';
import { fitCount, withMore } from '../../../shared/replies/fit-list';
import { reply } from '../../../shared/replies/responses';
import type { PollView } from './store';

export const VOTE = 'pollVote';
export const CLOSE = 'pollClose';

export function tally(view: PollView): { counts: number[]; total: number; names: string[][] } {
  const { poll } = view;
  const counts = poll.options.map(() => 0);
  const names: string[][] = poll.options.map(() => []);
  const votes = poll.closed ? (poll.finalVotes ?? poll.votes) : poll.votes;
  for (const [person, option] of Object.entries(votes)) {
    if (option >= 0 && option < counts.length) {
      counts[option]++;
      // A vote cast while names were hidden has none: it stays anonymous.
      const name = poll.voterNames[person];
      if (name !== undefined) names[option].push(name);
    }
  }
  return { counts, total: counts.reduce((a, b) => a + b, 0), names };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Voter names shown per option at most; more end with "and N more" (fewer if the card would pass Chat's limits). */
const MAX_NAMES = 30;

export function pollCard(view: PollView): CardWithId {
  const most = Math.max(0, ...tally(view).names.map((n) => n.length));
  const shown = fitCount(Math.min(most, MAX_NAMES), (n) => reply.cards([pollCardShowing(view, n)]));
  return pollCardShowing(view, shown);
}

function pollCardShowing(view: PollView, namesShown: number): CardWithId {
  const { poll } = view;
  const { counts, total, names } = tally(view);
  const best = Math.max(...counts);
  const rows = poll.options.map((option, i) => {
    const pct = total ? Math.round((counts[i] * 100) / total) : 0;
    const anonymous = counts[i] - names[i].length;
    const named = withMore(names[i].sort(), namesShown, (more) => more);
    const listed = [...named, ...(anonymous > 0 && names[i].length > 0 ? [`${anonymous} anonymous`] : [])];
    const who = view.votersVisible && names[i].length ? ` · ${cardText(listed.join(', '))}` : '';
    const winner = poll.closed && total > 0 && counts[i] === best ? '🏆 ' : '';
    return decoratedText(`${winner}${cardText(option)}`, {
      bottomLabel: `${plural(counts[i], 'vote')} (${pct}%)${who}`,
      wrapText: true,
      ...(poll.closed ? {} : { button: button('Vote', action(VOTE, { poll: poll.id, option: String(i) })) }),
    });
  });
  const by = poll.creator.displayName ?? 'someone';
  const footer = poll.closed
    ? [textParagraph(`<b>Closed.</b> Final result: ${plural(total, 'vote')}.`)]
    : [buttonList(button('Close poll', action(CLOSE, { poll: poll.id }), { type: 'BORDERLESS' }))];
  return withId(
    `poll-${poll.id}`,
    card({
      title: poll.question,
      subtitle: `${poll.closed ? 'Closed poll' : 'Poll'} by ${by} · ${plural(total, 'vote')}`,
      sections: [section(rows), section(footer)],
    }),
  );
}
