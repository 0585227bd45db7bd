/**
 * One exchange with the app: the event built in the session's format (one request, or two for an
 * add-on added by a message), each signed and delivered, its answer read and applied to the space,
 * and both recorded (inspector entry, transcript step).
 */
import type { LocalChatApi, StoredMessage } from '../chat-api';
import { readAnswer, type Answer } from './answer';
import { applyAnswer, type AnswerContext, type Applied } from './apply-answer';
import type { CardAction } from './card-path';
import type { Conversations } from './conversations';
import { decodeToken, type Deliver } from './deliver';
import type { OpenDialogs } from './dialogs';
import { randomId } from './ids';
import type { InspectorLog } from './inspector';
import { maskAnswer } from './mask';
import { humanSender } from './messages';
import type { PersonInfo, SpaceInfo, TranscriptStep } from './protocol';
import { buildWireEvents, type EventContext, type EventFormat, type EventMessage, type Interaction, type WireRequest } from './wire-event';
import type { World } from './world';

/** What an interaction adds to the step being recorded. */
export interface StepDraft {
  created: StoredMessage[];
  events: TranscriptStep['events'];
  entries: number[];
  openedDialog?: string;
}

/** Where the answer applies, beyond the space: the interaction's message, thread and dialog. */
export type ExchangeContext = Omit<AnswerContext, 'chatApi' | 'appName' | 'space' | 'eventType' | 'showDialog' | 'closeDialog'> & {
  /** The message a dialog opened by this exchange is about. */
  origin?: EventMessage;
  /** The action that opens the dialog, named again when its close icon is clicked. */
  openedBy?: CardAction;
};

export interface ExchangeDeps {
  world: World;
  chatApi: LocalChatApi;
  conversations: Conversations;
  dialogs: OpenDialogs;
  deliver: Deliver;
  format: EventFormat;
  inspector: InspectorLog;
  configCompleteRedirectUrl: string;
  timeZone?: { id: string; offset: number };
}

/** `detail` names what the event is about in the inspector (`/about`, `pollVote`, …), after the event's name. */
export type Exchange = (space: SpaceInfo, user: PersonInfo, detail: string, interaction: Interaction, draft: StepDraft, context: ExchangeContext) => Promise<Applied>;

/** What a step shows when it took more than one request: the first failure, else the last answer that did something. */
function combined(results: Applied[]): Applied {
  const effect = results.find((r) => r.effect.kind === 'appError')?.effect ?? [...results].reverse().find((r) => r.effect.kind !== 'none')?.effect ?? { kind: 'none' };
  return { effect, created: results.flatMap((r) => r.created), outcome: results.map((r) => r.outcome).join('; ') };
}

export function createExchange(deps: ExchangeDeps): Exchange {
  const eventContext = (space: SpaceInfo, user: PersonInfo): EventContext => ({
    eventTime: new Date().toISOString(),
    space,
    user,
    timeZone: deps.timeZone ?? { id: 'UTC', offset: 0 },
    locale: 'en',
    configCompleteRedirectUrl: deps.configCompleteRedirectUrl,
  });
  // A dialog opened without a message (none in this app today) still needs one to send with its events.
  const syntheticOrigin = (space: SpaceInfo, user: PersonInfo): EventMessage => ({
    name: `${space.name}/messages/${randomId()}`,
    sender: humanSender(user),
    createTime: new Date().toISOString(),
    threadName: `${space.name}/threads/${randomId()}`,
    threadReply: false,
  });

  async function send(request: WireRequest, space: SpaceInfo, user: PersonInfo, label: string, draft: StepDraft, context: ExchangeContext): Promise<Applied> {
    // Listed as it leaves, so the inspector shows an event in flight; completed when the answer comes.
    const entry = deps.inspector.add({ kind: 'event', label, space: space.name, event: request.body, pending: true });
    draft.entries.push(entry.id);
    const delivery = await deps.deliver(request.body, request.to);
    const answer: Answer = delivery.failure ? { kind: 'invalid', reason: delivery.failure } : readAnswer(deps.format, delivery.status, delivery.body);
    const { origin, openedBy, ...rest } = context;
    const applied = deps.conversations.own(() =>
      applyAnswer(answer, {
        ...rest,
        chatApi: deps.chatApi,
        appName: deps.world.app.name,
        space: space.name,
        eventType: request.eventType,
        showDialog: (card) => {
          const id = context.dialogId ?? `dialog-${randomId()}`;
          deps.dialogs.show({ id, card, space: space.name, user: user.name, origin: origin ?? syntheticOrigin(space, user), ...(rest.target ? { target: rest.target } : {}), openedBy });
          draft.openedDialog = id;
          return id;
        },
        closeDialog: (id) => void deps.dialogs.close(id),
      }),
    );
    draft.created.push(...applied.created);
    deps.inspector.update(entry.id, {
      token: decodeToken(delivery.token),
      status: delivery.status,
      response: delivery.failure ?? delivery.body,
      latencyMs: delivery.latencyMs,
      outcome: applied.outcome,
      pending: false,
    });
    draft.events.push({ label, status: delivery.status, answer: answer.kind, response: maskAnswer(delivery.failure ?? delivery.body) });
    return applied;
  }

  return async (space, user, detail, interaction, draft, context) => {
    const requests = buildWireEvents(deps.format, eventContext(space, user), interaction);
    // An add-on added by a message gets two requests, one after the other, as Chat sends them.
    const results: Applied[] = [];
    for (const request of requests) results.push(await send(request, space, user, detail ? `${request.name} ${detail}` : request.name, draft, context));
    return results.length === 1 ? results[0] : combined(results);
  };
}
