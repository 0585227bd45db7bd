/**
 * App Home: the home tab of a person's DM with the app (both formats; `replies/render-home.ts`
 * renders it). Opening the tab and every action here only read, or change what is idempotent
 * (closing a poll and patching its card, saving settings), so all routes are pure: a repeated
 * delivery answers the same.
 */
import type { ActionEvent, ChatEvent } from '../../../shared/events/model';
import { action } from '../../../shared/replies/cards';
import { reply, type Reply } from '../../../shared/replies/responses';
import type { HandlerContext } from '../../../shared/routing/context';
import { defineFeature } from '../../../shared/routing/feature';
import { DEFAULT_SETTINGS } from '../../../shared/stores/spaces';
import { readSettingsForm, settingsDialog } from '../config';
import { withRetry } from '../../../shared/chat-api/retry';
import { errorMessage } from '../../../shared/errors';
import { isDocumentId } from '../../../shared/ids';
import { toWireMessage } from '../../../shared/replies/render-chat';
import { pollCard } from '../polls/card';
import { closePoll, type PollView } from '../polls/store';
import { HOME_CLOSE_POLL, HOME_REFRESH, HOME_SETTINGS, HOME_SETTINGS_SAVE, homeCard } from './card';
import { readHomeData } from './data';


async function showHome(event: ChatEvent, ctx: HandlerContext): Promise<Reply> {
  const data = await readHomeData(await ctx.firestore(), event.user, ctx.roles, ctx.log);
  return reply.home(homeCard(event.user.displayName?.split(' ')[0] ?? 'there', data));
}

/**
 * The poll's card in its space shows it closed: the app patches its own message through the Chat
 * API (a home click's answer can only change the home card). A patch sets the same card however
 * often it runs, and creates no message, so a repeated delivery changes nothing more. A poll whose
 * message the app has not learnt yet, or a patch that fails after retries, leaves the card as it
 * was until its next click, which shows the closed poll (logged, not an error for the person).
 */
async function updatePollCard(view: PollView, ctx: HandlerContext): Promise<void> {
  const message = view.poll.message;
  if (!message) return;
  try {
    await withRetry(() => ctx.chat.patchMessage(message.name, toWireMessage({ cardsV2: [pollCard(view)] }), 'cardsV2'));
  } catch (err) {
    ctx.log.warn('could not update the poll card after closing it from App Home', { error: errorMessage(err).slice(0, 200) });
  }
}

async function onClosePoll(event: ActionEvent, ctx: HandlerContext): Promise<Reply> {
  const { space, poll } = event.action.parameters;
  if (!isDocumentId(space) || !isDocumentId(poll)) return reply.text('That button is broken; refresh the home tab.');
  const result = await closePoll(await ctx.firestore(), space, poll, event.user);
  if (result.outcome === 'notAllowed') return reply.text('Only the poll’s creator can close it.');
  if (result.outcome !== 'missing') await updatePollCard(result.view, ctx);
  return showHome(event, ctx);
}

/** Settings of another space: the router lets only its managers through (`managersOnly`), like `/config` in the space. */
const MANAGED_SPACE = { spaceParameter: 'space' } as const;

async function onSettings(event: ActionEvent, ctx: HandlerContext): Promise<Reply> {
  const space = event.action.parameters.space;
  const record = await ctx.spaces.get(space);
  return settingsDialog(record?.settings ?? DEFAULT_SETTINGS, record?.displayName ?? undefined, action(HOME_SETTINGS_SAVE, { space }));
}

async function onSettingsSave(event: ActionEvent, ctx: HandlerContext): Promise<Reply> {
  const settings = readSettingsForm(event);
  if ('error' in settings) return reply.dialogError('INVALID_ARGUMENT', settings.error);
  await ctx.spaces.updateSettings(event.action.parameters.space, settings);
  // Closing the dialog from App Home also refreshes the home card (CLOSE_DIALOG_AND_EXECUTE).
  return reply.closeDialog(`Settings saved: reports in ${settings.timeZone}.`);
}

export const home = defineFeature({
  name: 'home',
  home: { handler: showHome, pure: true },
  actions: {
    [HOME_REFRESH]: { handler: showHome, pure: true },
    [HOME_CLOSE_POLL]: { handler: onClosePoll, pure: true },
    [HOME_SETTINGS]: { handler: onSettings, pure: true, managersOnly: MANAGED_SPACE },
    [HOME_SETTINGS_SAVE]: { handler: onSettingsSave, pure: true, managersOnly: MANAGED_SPACE },
  },
});
