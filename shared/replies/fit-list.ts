/**
 * Lists whose length comes from the data (a space's open polls, a poll's voters) end with
 * "and N more" where showing them all would take a card past Chat's limits (widgets per card,
 * bytes per message): the cut is found with the same check the answers and the worker's writes
 * go through (`limitViolation`, limits.ts), so a card built this way always passes it.
 */
import { limitViolation } from './limits';
import { renderChatResponse } from './render-chat';
import type { Reply } from './responses';

/**
 * Room kept for what the wire format adds around a message (the add-on envelope, App Home's
 * render actions): the fitted reply is measured as a classic message.
 */
const ENVELOPE_BYTES = 2_000;

/** Whether a reply stays inside Chat's limits in every wire format. */
export const fitsChatLimits = (r: Reply): boolean =>
  limitViolation(r, Buffer.byteLength(JSON.stringify(renderChatResponse(r))) + ENVELOPE_BYTES) === undefined;

/**
 * The most items (at most `cap`) that `build(shown)` can show and still fit Chat's limits. `build`
 * must grow with `shown`; bisection, so a long list costs a few builds.
 */
export function fitCount(cap: number, build: (shown: number) => Reply): number {
  if (fitsChatLimits(build(cap))) return cap;
  let lo = 0;
  let hi = cap;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fitsChatLimits(build(mid))) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The first `shown` items, then "and N more" for the rest (nothing added when all are shown). */
export function withMore<T>(items: readonly T[], shown: number, more: (text: string) => T): T[] {
  const hidden = items.length - shown;
  return hidden > 0 ? [...items.slice(0, shown), more(`and ${hidden} more`)] : [...items];
}
