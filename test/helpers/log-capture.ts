/**
 * Every log line the app writes in a test file's runs (in-process chatEvents, the functions'
 * processes, the local stack), checked after the file by test/log-hygiene.setup.ts: no token, no
 * secret, no message text, in any line. The harnesses report what they capture and what they
 * know to be secret (the tokens they sign, the texts they send, the secrets the app answers with).
 */

interface Captured {
  source: string;
  line: string;
}

const captured: Captured[] = [];
const remembered = new Set<string>();

export function captureLogLine(source: string, line: string): void {
  captured.push({ source, line });
}

/** A value no log line may contain (a token, a secret). */
export function rememberSecret(value: string): void {
  if (value.length >= 8) remembered.add(value);
}

/** Keys whose values are a message's text, in events and in answers. */
const TEXT_KEYS = new Set(['text', 'argumentText', 'formattedText']);
/** Short texts ("hi", "/about") are also route names and ordinary words: only longer ones are telling. */
const MIN_TEXT_CHARS = 8;
/** A secret the app shows (a webhook secret: 24 random bytes in base64url). */
const SECRET_WORD = /^[A-Za-z0-9_-]{24,}$/;

/** The message texts of an event or answer, and any secret-looking word in them. */
export function rememberTexts(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(rememberTexts);
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (TEXT_KEYS.has(key) && typeof v === 'string') {
      if (v.trim().length >= MIN_TEXT_CHARS) remembered.add(v.trim());
      for (const word of v.split(/[\s`'"*_]+/)) if (SECRET_WORD.test(word)) remembered.add(word);
    } else {
      rememberTexts(v);
    }
  }
}

/** Keys that name a secret or a message's text: no log line has them, whatever their value. */
const FORBIDDEN_KEYS = new Set(['authorization', 'token', 'idtoken', 'secret', 'password', 'x-webhook-secret', ...[...TEXT_KEYS].map((k) => k.toLowerCase())]);
const PATTERNS: [string, RegExp][] = [
  ['a JWT', /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./],
  ['a bearer token', /Bearer [A-Za-z0-9._~+/-]{8,}/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
];

function forbiddenKeys(value: unknown, path: string[] = []): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => forbiddenKeys(v, [...path, String(i)]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(FORBIDDEN_KEYS.has(k.toLowerCase()) ? [[...path, k].join('.')] : []),
    ...forbiddenKeys(v, [...path, k]),
  ]);
}

/**
 * Whether the line holds the value as a whole word: a button label "Settings" the test saw is not
 * the route name `action:homeSettings`.
 */
function holds(line: string, value: string): boolean {
  const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  for (let at = line.indexOf(value); at !== -1; at = line.indexOf(value, at + 1)) {
    if (!(isWordChar(line[at - 1]) && isWordChar(value[0])) && !(isWordChar(line[at + value.length]) && isWordChar(value[value.length - 1]))) return true;
  }
  return false;
}

/** What is wrong with one line (empty when nothing is). */
export function lineProblems(line: string, secrets: Iterable<string> = remembered): string[] {
  const problems: string[] = [];
  const json = line.slice(Math.max(0, line.indexOf('{')));
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  for (const key of forbiddenKeys(parsed)) problems.push(`has the key ${key}`);
  for (const [what, pattern] of PATTERNS) if (pattern.test(line)) problems.push(`holds ${what}`);
  for (const secret of secrets) if (holds(line, secret) || holds(line, JSON.stringify(secret).slice(1, -1))) problems.push(`holds "${secret.slice(0, 12)}…" (a token, secret or message text the test used)`);
  return problems;
}

/** Every problem in every line captured so far in this test file. */
export function logHygieneProblems(): string[] {
  return captured.flatMap(({ source, line }) => lineProblems(line).map((p) => `${source}: a log line ${p}: ${line.slice(0, 300)}`));
}

export const capturedLineCount = () => captured.length;
