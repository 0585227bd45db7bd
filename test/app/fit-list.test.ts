/**
 * Lists whose length comes from the data end with "and N more" where the card would otherwise
 * pass Chat's limits: the poll card's voter names, whatever the number and length of the names.
 * (The report's open polls, through the worker and the local Chat API: test/worker/jobs.test.ts.)
 */
import { pollCard } from '../../functions/app/polls/card';
import type { PollView } from '../../functions/app/polls/store';
import { fitCount, fitsChatLimits, withMore } from '../../shared/replies/fit-list';
import { card, section, textParagraph } from '../../shared/replies/cards';
import { limitViolation } from '../../shared/replies/limits';
import { renderChatResponse } from '../../shared/replies/render-chat';
import { reply } from '../../shared/replies/responses';

function pollWith(options: number, votersPerOption: number, nameChars: number): PollView {
  const votes: Record<string, number> = {};
  const voterNames: Record<string, string> = {};
  for (let o = 0; o < options; o++) {
    for (let v = 0; v < votersPerOption; v++) {
      const key = `users_${o}_${v}`;
      votes[key] = o;
      voterNames[key] = `${String(v).padStart(4, '0')} ${'x'.repeat(nameChars)}`;
    }
  }
  const poll = { id: 'a'.repeat(20), space: 'spaces/S', question: 'Which one?', options: Array.from({ length: options }, (_, i) => `Option ${i}`), creator: { name: 'users/1', displayName: 'Ada' }, createdAt: new Date(0), closed: false, votes, voterNames };
  return { poll, votersVisible: true };
}

const wireBytes = (view: PollView) => Buffer.byteLength(JSON.stringify(renderChatResponse(reply.cards([pollCard(view)]))));

test.each([
  { options: 10, voters: 2000, nameChars: 60, what: '10 options, 2000 voters each, long names' },
  { options: 2, voters: 500, nameChars: 200, what: '2 options, 500 voters each, very long names' },
])('a poll card with $what stays inside Chat limits, its names ending with "and N more"', ({ options, voters, nameChars }) => {
  const view = pollWith(options, voters, nameChars);
  const r = reply.cards([pollCard(view)]);
  expect(limitViolation(r, wireBytes(view))).toBeUndefined();
  expect(JSON.stringify(r)).toMatch(/and \d+ more/);
});

test('a poll card with few voters lists them all, with no "more"', () => {
  const view = pollWith(3, 4, 10);
  const text = JSON.stringify(pollCard(view));
  expect(text).not.toContain('more');
  expect(text).toContain('0003 xxxxxxxxxx');
});

test('fitCount finds the largest list that passes the limit check, and withMore says how many are left', () => {
  const build = (n: number) => reply.cards([{ cardId: 'c', card: card({ sections: [section(withMore(Array.from({ length: 500 }, (_, i) => textParagraph(`w${i}`)), n, textParagraph))] }) }]);
  const n = fitCount(500, build);
  expect(fitsChatLimits(build(n))).toBe(true);
  expect(fitsChatLimits(build(n + 1))).toBe(false);
  // 100 widgets a card: the list and its "and N more" line.
  expect(n).toBe(99);
  expect(JSON.stringify(build(n))).toContain('and 401 more');
});
