/**
 * Saving a session as JSON and playing it back. A replay starts from fresh spaces, runs each step
 * again (new events, new tokens) and compares what the app answered with the recording. Later
 * steps name messages and dialogs of the recording; they are mapped onto the replay's own, in the
 * order each step created them.
 */
import type { Intent, ReplayReport, ReplayStepResult, Transcript, TranscriptStep } from './protocol';
import type { SimulatorSession } from './session';

export function toTranscript(steps: TranscriptStep[]): Transcript {
  return { format: 'chat-simulator-transcript', version: 1, savedAt: new Date().toISOString(), steps };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the envelope; each step's intent is checked again when it runs. */
export function readTranscript(value: unknown): Transcript {
  if (!isObject(value) || value.format !== 'chat-simulator-transcript' || value.version !== 1 || !Array.isArray(value.steps)) {
    throw new TranscriptError('not a simulator transcript (format chat-simulator-transcript, version 1)');
  }
  const steps = value.steps.map((s, i) => {
    if (!isObject(s) || !isObject(s.intent) || !Array.isArray(s.events) || !Array.isArray(s.created)) throw new TranscriptError(`step ${i} is malformed`);
    return s as unknown as TranscriptStep;
  });
  return { format: 'chat-simulator-transcript', version: 1, savedAt: String(value.savedAt ?? ''), steps };
}

export class TranscriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TranscriptError';
  }
}

class NameMap {
  private readonly map = new Map<string, string>();
  set(recorded: string, replayed: string): void {
    this.map.set(recorded, replayed);
  }
  get(recorded: string): string {
    return this.map.get(recorded) ?? recorded;
  }
}

function remap(intent: Intent, messages: NameMap, threads: NameMap, dialogs: NameMap): Intent {
  switch (intent.kind) {
    case 'message':
      return intent.threadName ? { ...intent, threadName: threads.get(intent.threadName) } : intent;
    case 'click':
      return { ...intent, message: messages.get(intent.message) };
    case 'dialogClick':
    case 'dialogClose':
      return { ...intent, dialog: dialogs.get(intent.dialog) };
    case 'autocomplete':
      return {
        ...intent,
        ...(intent.message ? { message: messages.get(intent.message) } : {}),
        ...(intent.dialog ? { dialog: dialogs.get(intent.dialog) } : {}),
      };
    default:
      return intent;
  }
}

/**
 * Each event's type, status and kind of answer, then the answer itself with ids, times and tokens
 * masked (mask.ts): a changed text or vote count is a difference. A transcript saved before answers
 * were recorded compares by shape only.
 */
export function compareStep(recorded: TranscriptStep, replayed: TranscriptStep): string | undefined {
  const shape = (s: TranscriptStep) => s.events.map((e) => `${e.label.split(' ')[0]} → ${e.status} ${e.answer}`).join('; ');
  if (shape(recorded) !== shape(replayed)) return `recorded [${shape(recorded)}], replayed [${shape(replayed)}]`;
  for (const [i, was] of recorded.events.entries()) {
    if (!('response' in was)) continue;
    const a = JSON.stringify(was.response);
    const b = JSON.stringify(replayed.events[i]?.response);
    if (a !== b) return `${was.label}: the answer differs from the recording: ${firstDifference(a, b)}`;
  }
  return undefined;
}

/** Where two JSON texts part, with a little context on each side. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  return `recorded …${a.slice(from, i + 40)}…, replayed …${b.slice(from, i + 40)}…`;
}

export async function replayTranscript(session: SimulatorSession, transcript: Transcript): Promise<ReplayReport> {
  session.reset();
  const messages = new NameMap();
  const threads = new NameMap();
  const dialogs = new NameMap();
  const results: ReplayStepResult[] = [];
  for (const [index, recorded] of transcript.steps.entries()) {
    const label = recorded.events[0]?.label ?? recorded.intent.kind;
    try {
      const { step } = await session.interact(remap(recorded.intent, messages, threads, dialogs));
      recorded.created.forEach((m, i) => {
        const replayed = step.created[i];
        if (!replayed) return;
        messages.set(m.name, replayed.name);
        threads.set(m.threadName, replayed.threadName);
      });
      if (recorded.openedDialog && step.openedDialog) dialogs.set(recorded.openedDialog, step.openedDialog);
      const difference = compareStep(recorded, step);
      results.push({ index, label, ok: difference === undefined, ...(difference ? { difference } : {}) });
    } catch (err) {
      results.push({ index, label, ok: false, difference: err instanceof Error ? err.message : String(err) });
    }
  }
  const passed = results.filter((r) => r.ok).length;
  return { steps: results, passed, failed: results.length - passed };
}
