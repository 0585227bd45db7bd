/**
 * `/poll` (command 3): posts a poll card; a click records one vote per person (a person may change
 * it) and updates the card in place; the creator can close the poll, which then takes no more votes.
 */
import type { ActionEvent } from '../../../shared/events/model';
import { isDocumentId } from '../../../shared/ids';
import { reply, type Reply } from '../../../shared/replies/responses';
import type { HandlerContext } from '../../../shared/routing/context';
import { defineFeature } from '../../../shared/routing/feature';
import { CLOSE, pollCard, VOTE } from './card';
import { parsePollArgs, POLL_USAGE } from './parse';
import { closePoll, createPoll, pollMessageOf, prepareVote, type Poll, type PollChange, type PollView } from './store';

/** The card replaces the clicked message: the app's own message, or the person's one for a link preview. */
function showUpdated(event: ActionEvent, view: PollView): Reply {
  const cards = [pollCard(view)];
  return event.messageSenderType === 'HUMAN' ? reply.updateUserMessageCards(cards) : reply.updateMessage({ cardsV2: cards, fallbackText: `Poll: ${view.poll.question}` });
}

function answerChange(event: ActionEvent, result: PollChange, notAllowed: string): Reply {
  if (result.outcome === 'missing') return reply.refusal(event.user.name, 'This poll no longer exists.');
  if (result.outcome === 'notAllowed') return reply.refusal(event.user.name, notAllowed);
  return showUpdated(event, result.view);
}

async function onVote(event: ActionEvent, ctx: HandlerContext): Promise<Reply> {
  const { poll: pollId, option: raw } = event.action.parameters;
  if (!isDocumentId(pollId) || !/^\d{1,2}$/.test(raw ?? '')) return reply.refusal(event.user.name, 'That vote button is broken; try the poll again.');
  const message = pollMessageOf(event.space.id, event.message, event.messageSenderType);
  // Through ctx.read: a repeated click is answered from this one read (the poll is read with the delivery's record).
  const result = await prepareVote(await ctx.firestore(), ctx.read, event.space.id, pollId, event.user, Number(raw), message);
  if (result.write) ctx.stage(result.write);
  return answerChange(event, result, 'That option is not on this poll.');
}

async function onClose(event: ActionEvent, ctx: HandlerContext): Promise<Reply> {
  const pollId = event.action.parameters.poll;
  if (!isDocumentId(pollId)) return reply.refusal(event.user.name, 'That button is broken; try the poll again.');
  const result = await closePoll(await ctx.firestore(), event.space.id, pollId, event.user, pollMessageOf(event.space.id, event.message, event.messageSenderType));
  const creator = result.outcome === 'missing' ? 'its creator' : (result.view.poll.creator.displayName ?? 'its creator');
  return answerChange(event, result, `Only ${creator} can close this poll.`);
}

export const polls = defineFeature({
  name: 'polls',
  command: {
    id: 3,
    name: '/poll',
    description: 'Start a poll',
    keywords: ['poll', 'polls', 'vote', 'voting', 'survey'],
    async handler(event, ctx) {
      const args = parsePollArgs(event.command.argumentText);
      if ('error' in args) return reply.refusal(event.user.name, `${args.error}\n${POLL_USAGE}`);
      const poll: Poll = {
        // From the delivery key: a retried /poll finds the same poll instead of making a second one.
        id: ctx.deliveryKey.slice(0, 20),
        space: event.space.name,
        question: args.question,
        options: args.options,
        creator: { name: event.user.name, displayName: event.user.displayName ?? null },
        createdAt: new Date(event.eventTime),
        closed: false,
        votes: {},
        voterNames: {},
      };
      await createPoll(await ctx.firestore(), event.space.id, poll);
      const settings = (await ctx.spaces.get(event.space.id))?.settings;
      return reply.message({ cardsV2: [pollCard({ poll, votersVisible: settings?.pollVotersVisible ?? false })], fallbackText: `Poll: ${poll.question}` });
    },
  },
  actions: {
    // One read (with the delivery's record), then the vote and the delivery record in one batch.
    [VOTE]: { handler: onVote, batched: true, label: 'Poll votes' },
    [CLOSE]: { handler: onClose, label: 'Polls closed' },
  },
});
