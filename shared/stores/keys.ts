/**
 * Keys a store builds from what an event carries: map fields keyed by a person or a route, and
 * documents keyed by day. Both come from the event, never from the clock, so a retried delivery
 * writes under the same key as the first.
 */
import type { SpaceStore } from './spaces';

/** Field-path-safe form of a key (`users/123` → `users_123`), for maps keyed by route or person. */
export const fieldKey = (key: string) => key.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * Which of `count` shard documents a key writes to: the same key always picks the same shard.
 * FNV-1a, written here because it is 5 lines and a digest of `node:crypto` costs more per call;
 * it only has to spread keys, not resist anyone choosing them.
 */
export function shardOf(key: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % count;
}

const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone (building one costs more than formatting with it). */
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = DAY_FORMATS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, era: 'short', year: 'numeric', month: '2-digit', day: '2-digit' });
    DAY_FORMATS.set(timeZone, format);
  }
  return format;
}

/**
 * `yyyy-mm-dd` from the parts, not from a locale's date pattern (which ICU updates may change). The
 * formatter counts years by era (ISO year 0 is 1 BC). An event's RFC 3339 year is 0000 to 9999, but
 * its offset or the space's zone can put the day in year -1, which ISO 8601 writes `-0001`.
 */
function formatDay(format: Intl.DateTimeFormat, at: Date): string {
  // Asked for them, the formatter always returns the era, year, month and day parts.
  const part: Record<string, string> = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const year = part.era === 'BC' ? 1 - Number(part.year) : Number(part.year);
  return `${year < 0 ? '-' : ''}${String(Math.abs(year)).padStart(4, '0')}-${part.month}-${part.day}`;
}

/**
 * The calendar day (`yyyy-mm-dd`) of the event's own time in `timeZone`: Chat's retries carry the
 * first delivery's `eventTime`, so they land on the same day even across midnight. An unknown zone
 * counts in UTC rather than failing the event (settings are validated when saved; this is the
 * fallback for older or hand-edited ones).
 */
export function dayKey(event: { eventTime: string }, timeZone = 'UTC'): string {
  const at = new Date(event.eventTime);
  let format: Intl.DateTimeFormat;
  try {
    format = dayFormat(timeZone);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    format = dayFormat('UTC');
  }
  return formatDay(format, at);
}

/** `dayKey` in the space's own time zone (its `/config` setting, UTC by default); one read of `spaces/{id}`. */
export async function spaceDayKey(event: { eventTime: string; space: { id: string } }, spaces: SpaceStore): Promise<string> {
  const settings = (await spaces.get(event.space.id))?.settings;
  return dayKey(event, settings?.timeZone);
}
