/**
 * `/config` (command 2): a dialog with the space's settings. The time zone is a selection input
 * whose suggestions come from autocomplete (`WIDGET_UPDATED`); Save validates and stores them in
 * `spaces/{id}`, invalid input keeps the dialog open with a message saying what to fix; Cancel
 * changes nothing. Only the space's managers (in a DM, its person) may open or save it
 * (`managersOnly`, shared/permissions/roles.ts).
 */
import type { ActionEvent, ChatEvent } from '../../shared/events/model';
import {
  action,
  button,
  buttonList,
  card,
  dialogCard,
  section,
  selectionInput,
  switchToggle,
  SWITCH_ON,
  textParagraph,
  type CardAction,
  type SelectionItem,
} from '../../shared/replies/cards';
import { reply, type Reply } from '../../shared/replies/responses';
import type { HandlerContext } from '../../shared/routing/context';
import { defineFeature } from '../../shared/routing/feature';
import { DEFAULT_SETTINGS, type SpaceSettings } from '../../shared/stores/spaces';

export const OPEN_CONFIG = 'configOpen';
const SAVE = 'configSave';
export const CANCEL_CONFIG = 'configCancel';
const TIME_ZONES = 'configTimeZones';
const MAX_SUGGESTIONS = 20;

const ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');
const ZONE_SET = new Set([...ZONES, 'UTC']);

export function timeZoneSuggestions(query: string): SelectionItem[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '_');
  const matches = q ? ZONES.filter((z) => z.toLowerCase().includes(q)) : ZONES;
  // Zones that start with the query first (typing "par" should offer Europe/Paris early).
  const ranked = [...matches].sort((a, b) => Number(!a.toLowerCase().split('/').some((p) => p.startsWith(q))) - Number(!b.toLowerCase().split('/').some((p) => p.startsWith(q))));
  return ranked.slice(0, MAX_SUGGESTIONS).map((z) => ({ text: z.replace(/_/g, ' '), value: z }));
}

/** The settings dialog; App Home opens it for another space, with its own Save (`home/index.ts`). */
export function settingsDialog(settings: SpaceSettings, spaceName: string | undefined, saveAction: CardAction = action(SAVE)): Reply {
  return reply.dialog(
    dialogCard(
      card({
        title: 'Space settings',
        subtitle: spaceName ?? 'This conversation',
        sections: [
          section([
            selectionInput('timeZone', 'Time zone for reports', 'MULTI_SELECT', [{ text: settings.timeZone.replace(/_/g, ' '), value: settings.timeZone, selected: true }], {
              autocomplete: action(TIME_ZONES),
              maxSelected: 1,
              minQueryLength: 1,
            }),
            switchToggle('webhooksAllowed', 'Allow incoming webhooks (/notify)', settings.webhooksAllowed, 'Other systems can post into this space'),
            switchToggle('pollVotersVisible', "Show voters' names on polls", settings.pollVotersVisible),
          ]),
        ],
      }),
      button('Save', saveAction, { type: 'FILLED' }),
      button('Cancel', action(CANCEL_CONFIG)),
    ),
  );
}

async function openDialog(event: ChatEvent, ctx: HandlerContext): Promise<Reply> {
  const space = await ctx.spaces.get(event.space.id);
  return settingsDialog(space?.settings ?? DEFAULT_SETTINGS, event.space.displayName ?? space?.displayName ?? undefined);
}

/** The submitted form as settings, or a message saying what to fix. */
export function readSettingsForm(event: ActionEvent): SpaceSettings | { error: string } {
  const inputs = event.common.formInputs;
  const values = (name: string) => {
    const input = inputs[name];
    return input?.kind === 'strings' ? input.values : [];
  };
  const zones = values('timeZone');
  if (zones.length !== 1) return { error: 'Choose one time zone from the list (start typing, e.g. "Paris").' };
  if (!ZONE_SET.has(zones[0])) return { error: `"${zones[0].slice(0, 50)}" is not a time zone. Choose one from the list (e.g. Europe/Paris).` };
  return {
    timeZone: zones[0],
    webhooksAllowed: values('webhooksAllowed').includes(SWITCH_ON),
    pollVotersVisible: values('pollVotersVisible').includes(SWITCH_ON),
  };
}

async function save(event: ActionEvent, ctx: HandlerContext): Promise<Reply> {
  const settings = readSettingsForm(event);
  if ('error' in settings) return reply.dialogError('INVALID_ARGUMENT', settings.error);
  await ctx.spaces.updateSettings(event.space.id, settings);
  return reply.closeDialog(`Settings saved: reports in ${settings.timeZone}.`);
}

export const config = defineFeature({
  name: 'config',
  command: {
    id: 2,
    name: '/config',
    description: 'Space settings',
    opensDialog: true,
    withoutDialogs:
      'Chat shows no dialogs to this app (it is connected through Cloud Pub/Sub), so /config cannot open the settings form here: this space keeps its current settings. To change them, whoever deployed the app can switch it to its HTTP endpoint.',
    keywords: ['config', 'settings', 'timezone', 'time zone', 'configure', 'preferences'],
    pure: true,
    managersOnly: true,
    handler: (event, ctx) =>
      event.dialog === 'REQUEST_DIALOG'
        ? openDialog(event, ctx)
        : // Without "Open a dialog" in the Chat API configuration a command cannot open one: offer a button that does.
          reply.private(event.user.name, {
            cardsV2: [
              {
                cardId: 'config-open',
                card: card({ sections: [section([textParagraph('Change how I work in this space.'), buttonList(button('Open settings', action(OPEN_CONFIG, {}, { openDialog: true })))])] }),
              },
            ],
          }),
  },
  actions: {
    [OPEN_CONFIG]: { handler: openDialog, pure: true, managersOnly: true },
    [SAVE]: { handler: save, label: 'Settings saved', managersOnly: true },
    [CANCEL_CONFIG]: { handler: () => reply.closeDialog(), pure: true },
  },
  widgets: {
    [TIME_ZONES]: (event) => reply.suggestions('timeZone', timeZoneSuggestions(event.widget.query)),
  },
});
