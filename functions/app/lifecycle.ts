/** Being added to or removed from a space, and plain messages. */
import type { AddedEvent, MessageEvent, RemovedEvent } from '../../shared/events/model';
import type { HandlerContext } from '../../shared/routing/context';
import type { CommandInfo } from '../../shared/routing/router';
import { reply, type Reply } from '../../shared/replies/responses';
import { helpText } from './about';
import { APP_NAME } from './commands';

const firstName = (displayName: string | undefined) => displayName?.split(' ')[0] ?? 'there';

export async function onAdded(event: AddedEvent, ctx: HandlerContext, commands: CommandInfo[]): Promise<Reply> {
  await ctx.spaces.recordAdded(event.space, event.user, new Date(event.eventTime));
  const names = commands.map((c) => c.name).join(', ');
  const text =
    event.space.kind === 'DM'
      ? `Hi ${firstName(event.user.displayName)}! I'm ${APP_NAME}. Here in our chat you can use my commands directly: ${names}. Try /about to start.`
      : `Thanks for adding me to ${event.space.displayName ? `*${event.space.displayName}*` : 'this conversation'}, ${firstName(event.user.displayName)}! Mention me or use ${names}. Everyone here can try /about.`;
  return reply.text(text);
}

export async function onRemoved(event: RemovedEvent, ctx: HandlerContext): Promise<Reply> {
  // Chat discards any message now (the app is no longer a member): clean up and acknowledge.
  const { deleted } = await ctx.spaces.removeAll(event.space);
  ctx.log.info('removed from space; its data was deleted', { space: event.space.name, deleted });
  return reply.ack();
}

export function onMessage(event: MessageEvent, commands: CommandInfo[]): Reply {
  return reply.text(helpText(commands, event.message.argumentText));
}
