/**
 * The gate every admin route goes through (`managersOnly` on a route, applied by the router): the
 * handler runs only for a manager of the target space (`roles.ts`); anyone else gets a private
 * answer in the shape the interaction expects, and nothing changes. Never a 5xx: a role that
 * cannot be read is a refusal with "try again".
 */
import { isDocumentId } from '../ids';
import { NO_SPACE, type ChatEvent } from '../events/model';
import { reply, type Reply } from '../replies/responses';
import type { Handler } from '../routing/router';
import type { SpaceRef, Standing } from './roles';

/**
 * Which space an admin route changes: the event's own (`true`), or one named by a card parameter
 * (App Home acts on other spaces), whose kind the app takes to be a named space: Chat's answer for
 * a DM or a group chat (`ROLE_MEMBER`) then refuses it.
 */
export type ManagersOnly = true | { spaceParameter: string };

export const NOT_A_MANAGER = 'Only managers of this space can change its settings or its incoming webhooks. Ask one of them.';
export const GROUP_CHAT_HAS_NO_MANAGERS =
  'Group chats have no managers in Chat, so nobody can change my settings or webhooks here. Turn it into a named space first.';
export const ROLE_UNKNOWN = "I couldn't check your role in this space just now, so nothing changed. Please try again in a moment.";

function targetOf(event: ChatEvent, rule: ManagersOnly): SpaceRef | undefined {
  if (rule === true) return event.space.id === NO_SPACE.id ? undefined : event.space;
  const id = event.kind === 'action' ? event.action.parameters[rule.spaceParameter] : undefined;
  return isDocumentId(id) ? { name: `spaces/${id}`, kind: 'SPACE' } : undefined;
}

/** A refusal where the person acted: inside a dialog it keeps the dialog open, on App Home a notification, otherwise a private message. */
function refusal(event: ChatEvent, text: string): Reply {
  if (event.kind === 'action' && event.dialog === 'SUBMIT_DIALOG') return reply.dialogError('PERMISSION_DENIED', text);
  if (event.kind === 'action' && event.surface === 'home') return reply.text(text);
  return reply.private(event.user.name, { text });
}

const textFor = (standing: Exclude<Standing, { verdict: 'manager' }>): string =>
  standing.verdict === 'unknown' ? ROLE_UNKNOWN : standing.why === 'groupChat' ? GROUP_CHAT_HAS_NO_MANAGERS : NOT_A_MANAGER;

export function managersOnly<E extends ChatEvent>(handler: Handler<E>, rule: ManagersOnly): Handler<E> {
  return async (event, ctx) => {
    const space = targetOf(event, rule);
    if (!space) return refusal(event, NOT_A_MANAGER);
    const standing = await ctx.roles.standing(space, event.user, ctx.log);
    if (standing.verdict !== 'manager') {
      ctx.log.info('admin action refused', { verdict: standing.verdict, why: 'why' in standing ? standing.why : null });
      return refusal(event, textFor(standing));
    }
    return handler(event, ctx);
  };
}
