/**
 * An answer as a replay compares it: what differs from one run to the next by design (message,
 * thread and space-scoped ids, random ids and secrets, times) replaced by placeholders, the rest
 * (texts, counts, card layout) kept. Written here: it is a handful of patterns over our own JSON.
 */
const PATTERNS: [RegExp, string][] = [
  // Resource names with a server-assigned last part: keep the kind, mask the id.
  [/\b(spaces\/[^/\s"']+\/(?:messages|threads))\/[^\s"'/|<>]+/g, '$1/<id>'],
  // ISO times and epoch milliseconds.
  [/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?/g, '<time>'],
  [/\b1\d{12}\b/g, '<time>'],
  // Random ids, delivery keys, secrets and tokens: long runs with both letters and digits.
  [/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{12,}(?:\.[A-Za-z0-9_-]+){0,2}/g, '<id>'],
];

function maskText(text: string): string {
  return PATTERNS.reduce((t, [pattern, to]) => t.replace(pattern, to), text);
}

/** `value` with every string masked (keys too: a poll's votes are keyed by its ids). */
export function maskAnswer(value: unknown): unknown {
  if (typeof value === 'string') return maskText(value);
  if (Array.isArray(value)) return value.map(maskAnswer);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskText(k), maskAnswer(v)]));
  return value;
}
