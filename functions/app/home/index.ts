/**
 * App Home: the home tab of a person's DM with the app (both formats; `replies/render-home.ts`
 * renders it). Opening the tab and every action here only read, or change what is idempotent
 * (closing a poll, saving settings), so all routes are pure: a repeated delivery answers the same.
 */
import type { ActionEvent, ChatEvent } from '../../../shared/events/model';
import { action } from '../../../shared/replies/cards';
import { reply, type Reply } from '../../../shared/replies/responses';
import type { HandlerContext } from '../../../shared/routing/context';
import { defineFeature } from '../../../shared/routing/feature';
import { DEFAULT_SETTINGS } from '../../../shared/stores/spaces';
import { readSettingsForm, settingsDialog } from '../config';
import { closePoll } from '../polls/store';
import { HOME_CLOSE_POLL, HOME_REFRESH, HOME_SETTINGS, HOME_SETTINGS_SAVE, homeCard } from './card';
import { readHomeData } from './data';

const SPACE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const POLL_ID = /^[A-Za-z0-9_-]{1,64}$/;

async function showHome(event: ChatEvent, ctx: HandlerContext): Promise<Reply> {
  const data = await readHomeData(await ctx.firestore(), event.user, ctx.roles, ctx.log);
  return reply.home(homeCard(event.user.displayName?.split(' ')[0] ?? 'there', data));
}

async function onClosePoll(event: ActionEvent, ctx: HandlerContext): Promise<Reply> {
  const { space, poll } = event.action.parameters;
  if (!SPACE_ID.test(space ?? '') || !POLL_ID.test(poll ?? '')) return reply.text('That button is broken; refresh the home tab.');
  const result = await closePoll(await ctx.firestore(), space, poll, event.user);
  if (result.outcome === 'notAllowed') return reply.text('Only the poll’s creator can close it.');
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
