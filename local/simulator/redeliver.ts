/**
 * Chat's retries on demand, from the inspector: an event sent again as Chat retries it (the same
 * body, a fresh token), once or twice at the same time. Each answer is compared with the first
 * one, and what the app wrote meanwhile (the space's documents in Firestore, its Chat API calls)
 * is compared too: with exactly-once delivery, a repeat gets the same answer and writes nothing.
 * The repeats' answers are listed in the inspector, not applied to the conversation (Chat shows
 * one answer per event).
 */
import type { LocalChatApi } from '../chat-api';
import { decodeToken, type Deliver } from './deliver';
import type { FirestoreView } from './firestore-view';
import type { InspectorLog } from './inspector';
import type { InspectorEntry, RedeliveryMode, RedeliveryReport } from './protocol';
import { UserError } from './user-error';

export interface RedeliverDeps {
  inspector: InspectorLog;
  deliver: Deliver;
  data: FirestoreView;
  chatApi: LocalChatApi;
}

/** The event entry `id`, answered: a repeat needs the first answer to compare with. */
export function answeredEvent(inspector: InspectorLog, id: number): InspectorEntry & { event: unknown } {
  const entry = inspector.get(id);
  if (!entry || entry.kind !== 'event' || entry.event === undefined) throw new UserError(`no event #${id} in the inspector`);
  if (entry.pending) throw new UserError(`event #${id} has no answer yet`);
  return entry as InspectorEntry & { event: unknown };
}

const spaceId = (space: string | undefined) => (space ?? '').replace(/^spaces\//, '');

export async function redeliver(deps: RedeliverDeps, id: number, mode: RedeliveryMode): Promise<RedeliveryReport> {
  const original = answeredEvent(deps.inspector, id);
  const documents = async () => JSON.stringify(await deps.data.spaceDocuments(spaceId(original.space)));
  const before = await documents();
  const callsBefore = deps.chatApi.calls().length;
  const count = mode === 'twice' ? 2 : 1;
  const label = (i: number) => (mode === 'twice' ? `${original.label} ⇉ twice at once ${i + 1}/2 (of #${id})` : `${original.label} ↻ redelivered (of #${id})`);
  const entries = Array.from({ length: count }, (_, i) => deps.inspector.add({ kind: 'event', label: label(i), space: original.space, event: original.event, pending: true }));
  const deliveries = await Promise.all(entries.map(() => deps.deliver(original.event)));
  const first = JSON.stringify(original.response);
  const attempts = deliveries.map((d, i) => {
    const sameAnswer = d.status === original.status && JSON.stringify(d.failure ?? d.body) === first;
    deps.inspector.update(entries[i].id, {
      token: decodeToken(d.token),
      status: d.status,
      response: d.failure ?? d.body,
      latencyMs: d.latencyMs,
      outcome: sameAnswer ? `same answer as #${id}` : `a different answer from #${id}`,
      pending: false,
    });
    return { entry: entries[i].id, status: d.status, sameAnswer };
  });
  const after = await documents();
  const chatApiCalls = deps.chatApi.calls().length - callsBefore;
  const wroteNothing = before === after && chatApiCalls === 0;
  const same = attempts.every((a) => a.sameAnswer);
  const summary = `${mode === 'twice' ? 'Sent twice at once' : 'Redelivered'} #${id}: ${same ? 'the same answer' : 'a different answer'}${count > 1 ? ' both times' : ''}; ${wroteNothing ? 'wrote nothing' : `wrote: ${before === after ? '' : 'Firestore documents changed'}${before !== after && chatApiCalls ? ', ' : ''}${chatApiCalls ? `${chatApiCalls} Chat API call(s)` : ''}`}`;
  deps.inspector.add({ kind: 'note', label: summary, space: original.space, outcome: summary });
  return { original: id, mode, attempts, wroteNothing, chatApiCalls, sameAnswer: same, summary };
}
