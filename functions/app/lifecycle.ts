/**
 * Being added to or removed from a space, messages without a command (answered with the command
 * that matches their words, never with an error), and link previews of polls.
 */
import type { AddedEvent, LinkPreviewEvent, MessageEvent, RemovedEvent } from '../../shared/events/model';
import { card, section, textParagraph, withId } from '../../shared/replies/cards';
import { messageText } from '../../shared/replies/escape';
import { reply, type Reply } from '../../shared/replies/responses';
import type { HandlerContext } from '../../shared/routing/context';
import type { CommandInfo } from '../../shared/routing/router';
import { APP_NAME } from './about';
import { pollCard } from './polls/card';
import { isDocumentId } from '../../shared/ids';
import { readPoll } from './polls/store';

const firstName = (displayName: string | undefined) => messageText(displayName?.split(' ')[0] ?? 'there');

export async function onAdded(event: AddedEvent, ctx: HandlerContext): Promise<Reply> {
  await ctx.spaces.recordAdded(event.space, event.user, new Date(event.eventTime));
  const names = ctx.commands.map((c) => c.name).join(', ');
  const text =
    event.space.kind === 'DM'
      ? `Hi ${firstName(event.user.displayName)}! I'm ${APP_NAME}. Here in our chat you can use my commands directly: ${names}. Try /about to start.`
      : `Thanks for adding me to ${event.space.displayName ? `*${messageText(event.space.displayName)}*` : 'this conversation'}, ${firstName(event.user.displayName)}! Mention me or use ${names}. Everyone here can try /about.`;
  return reply.text(text);
}

export async function onRemoved(event: RemovedEvent, ctx: HandlerContext): Promise<Reply> {
  // Chat discards any message now (the app is no longer a member): clean up and acknowledge.
  const { deleted } = await ctx.spaces.removeAll(event.space);
  ctx.log.info('removed from space; its data was deleted', { space: event.space.name, deleted });
  return reply.ack();
}

/**
 * Keywords are plain words and phrases (no pattern characters), matched as whole words, so an
 * ordinary word that merely contains one ("options", "abouts") never suggests a command.
 */
const wholeWord = (k: string) => new RegExp(`(^|[^\\p{L}\\p{N}])${k}($|[^\\p{L}\\p{N}])`, 'iu');

/** The command whose keywords (declared with the command) the text names most, if any. */
export function suggestCommand(text: string, commands: CommandInfo[]): CommandInfo | undefined {
  let best: { command: CommandInfo; hits: number } | undefined;
  for (const command of commands) {
    const hits = (command.keywords ?? []).filter((k) => wholeWord(k).test(text)).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { command, hits };
  }
  return best?.command;
}

export function onMessage(event: MessageEvent, ctx: HandlerContext): Reply {
  const said = event.message.argumentText;
  const match = suggestCommand(said, ctx.commands);
  const list = ctx.commands.map((c) => `• *${c.name}*: ${c.description}`).join('\n');
  if (match) return reply.text(`It sounds like you want *${match.name}* (${match.description.toLowerCase()}). Type ${match.name} to use it.\nEverything I can do:\n${list}`);
  const opener = said ? `I don't have an answer for "${messageText(said.slice(0, 100))}", but here is what I can do:` : 'Here is what I can do:';
  return reply.text(`${opener}\n${list}`);
}

/**
 * A link that matches the preview pattern. A poll's permalink shows the live poll card, but only
 * in the poll's own space: a link pasted elsewhere must not reveal another space's poll.
 */
export async function onLinkPreview(event: LinkPreviewEvent, ctx: HandlerContext): Promise<Reply> {
  const match = ctx.config.linkPreviewPattern.exec(event.url);
  if (!match) return reply.ack();
  const { space, poll } = match.groups ?? {};
  if (space === event.space.id && isDocumentId(poll)) {
    const view = await readPoll(await ctx.firestore(), space, poll);
    if (view) return reply.updateUserMessageCards([pollCard(view)]);
  }
  return reply.updateUserMessageCards([
    withId('link-preview', card({ title: 'Poll', subtitle: APP_NAME, sections: [section([textParagraph('This poll lives in another conversation, or no longer exists.')])] })),
  ]);
}
