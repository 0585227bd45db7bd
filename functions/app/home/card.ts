/** The App Home card: a person's open polls, the spaces they manage and the webhooks they created. */
import { action, button, buttonList, card, decoratedText, section, textParagraph, type Card, type Section } from '../../../shared/replies/cards';
import { APP_NAME } from '../about';
import type { HomeData } from './data';

export const HOME_CLOSE_POLL = 'homeClosePoll';
export const HOME_SETTINGS = 'homeSettings';
export const HOME_SETTINGS_SAVE = 'homeSettingsSave';
export const HOME_REFRESH = 'homeRefresh';

/**
 * A link into Chat for a space [U: the `https://chat.google.com/room/{id}` form of `Space.spaceUri`];
 * the poll's message is not known to the app (a synchronous answer names none), so its space is linked.
 */
export const spaceLink = (spaceId: string) => `https://chat.google.com/room/${encodeURIComponent(spaceId)}`;

const nameOf = (name: string | null) => name ?? 'a conversation';

export function homeCard(firstName: string, data: HomeData): Card {
  const polls: Section = section(
    data.polls.length === 0
      ? [textParagraph('You have no open polls. Start one with /poll in any space.')]
      : data.polls.map((p) =>
          decoratedText(p.question, {
            topLabel: nameOf(p.spaceName),
            bottomLabel: `${p.votes} vote${p.votes === 1 ? '' : 's'}`,
            wrapText: true,
            button: button('Close', action(HOME_CLOSE_POLL, { space: p.space, poll: p.id })),
          }),
        ),
    'Your open polls',
  );
  const managed: Section = section(
    [
      ...(data.managed.length === 0
        ? [textParagraph('Spaces you manage in Chat (as owner or manager) where I am appear here, with their settings.')]
        : data.managed.map((s) => decoratedText(nameOf(s.name), { button: button('Settings', action(HOME_SETTINGS, { space: s.id }, { openDialog: true })) }))),
      ...(data.rolesUnchecked > 0 ? [textParagraph(`I couldn't check your role in ${data.rolesUnchecked} space${data.rolesUnchecked === 1 ? '' : 's'} just now; refresh to try again.`)] : []),
    ],
    'Spaces you manage',
  );
  const webhooks: Section = section(
    data.webhooks.length === 0
      ? [textParagraph('Incoming webhooks you create with /notify appear here.')]
      : data.webhooks.map((w) =>
          decoratedText(`Webhook …${w.hookId.slice(-6)}`, {
            topLabel: nameOf(w.spaceName),
            bottomLabel: `created ${w.createdAt.toISOString().slice(0, 10)}`,
            button: button('Open space', { url: spaceLink(w.space) }),
          }),
        ),
    'Your incoming webhooks',
  );
  return card({
    title: `${APP_NAME}`,
    subtitle: `Hi ${firstName}: what I keep for you`,
    sections: [polls, managed, webhooks, section([buttonList(button('Refresh', action(HOME_REFRESH)))])],
  });
}
