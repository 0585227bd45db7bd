/**
 * One exchange with the app: the event built in the session's format, signed and delivered, the
 * answer read and applied to the space, and both recorded (inspector entry, transcript step).
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
import { humanSender } from './messages';
import type { PersonInfo, SpaceInfo, TranscriptStep } from './protocol';
import { buildWireEvent, type EventContext, type EventFormat, type EventMessage, type Interaction } from './wire-event';
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

export type Exchange = (space: SpaceInfo, user: PersonInfo, label: string, interaction: Interaction, draft: StepDraft, context: ExchangeContext) => Promise<Applied>;

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

  return async (space, user, label, interaction, draft, context) => {
    const event = buildWireEvent(deps.format, eventContext(space, user), interaction);
    const delivery = await deps.deliver(event);
    const answer: Answer = delivery.failure ? { kind: 'invalid', reason: delivery.failure } : readAnswer(deps.format, delivery.status, delivery.body);
    const { origin, openedBy, ...rest } = context;
    const applied = deps.conversations.own(() =>
      applyAnswer(answer, {
        ...rest,
        chatApi: deps.chatApi,
        appName: deps.world.app.name,
        space: space.name,
        eventType: interaction.type,
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
    const entry = deps.inspector.add({
      kind: 'event',
      label,
      space: space.name,
      event,
      token: decodeToken(delivery.token),
      status: delivery.status,
      response: delivery.failure ?? delivery.body,
      latencyMs: delivery.latencyMs,
      outcome: applied.outcome,
    });
    draft.entries.push(entry.id);
    draft.events.push({ label, status: delivery.status, answer: answer.kind });
    return applied;
  };
}
