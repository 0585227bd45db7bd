/** `/poll "Question?" "Option A" "Option B" …`: the arguments, checked, or what is wrong with them. */

export const POLL_LIMITS = { minOptions: 2, maxOptions: 10, questionChars: 200, optionChars: 80 } as const;

export const POLL_USAGE =
  'Usage: /poll "Question?" "Option A" "Option B" … (2 to 10 options, each in quotes; ' +
  `question up to ${POLL_LIMITS.questionChars} characters, options up to ${POLL_LIMITS.optionChars}).`;

export type PollArgs = { question: string; options: string[] } | { error: string };

/** Straight or typographic double quotes, as phones often type them. */
const QUOTED = /\s*(?:"([^"]*)"|“([^”]*)”|„([^“”]*)[“”])\s*/y;

export function parsePollArgs(text: string): PollArgs {
  const parts: string[] = [];
  const input = text.trim();
  QUOTED.lastIndex = 0;
  while (QUOTED.lastIndex < input.length) {
    const start = QUOTED.lastIndex;
    const m = QUOTED.exec(input);
    if (!m) return { error: `Put the question and each option in double quotes (near "${input.slice(start, start + 20)}").` };
    parts.push((m[1] ?? m[2] ?? m[3] ?? '').trim().replace(/\s+/g, ' '));
  }
  if (parts.length === 0) return { error: 'A poll needs a question and at least two options.' };
  const [question, ...options] = parts;
  if (!question) return { error: 'The question is empty.' };
  if (question.length > POLL_LIMITS.questionChars) return { error: `The question is over ${POLL_LIMITS.questionChars} characters.` };
  if (options.length < POLL_LIMITS.minOptions) return { error: `A poll needs at least ${POLL_LIMITS.minOptions} options.` };
  if (options.length > POLL_LIMITS.maxOptions) return { error: `A poll can have at most ${POLL_LIMITS.maxOptions} options.` };
  if (options.some((o) => o.length === 0)) return { error: 'An option is empty.' };
  const long = options.find((o) => o.length > POLL_LIMITS.optionChars);
  if (long) return { error: `The option "${long.slice(0, 20)}…" is over ${POLL_LIMITS.optionChars} characters.` };
  const seen = new Set<string>();
  for (const o of options) {
    if (seen.has(o.toLowerCase())) return { error: `The option "${o}" is there twice.` };
    seen.add(o.toLowerCase());
  }
  return { question, options };
}
