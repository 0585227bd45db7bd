/** The App Home card: a person's open polls, the spaces they manage and the webhooks they created. */
import { action, button, buttonList, card, decoratedText, section, textParagraph, type Card, type Section } from '../../../shared/replies/cards';
import { cardText } from '../../../shared/replies/escape';
import { APP_NAME } from '../about';
import type { HomeData } from './data';

export const HOME_CLOSE_POLL = 'homeClosePoll';
export const HOME_SETTINGS = 'homeSettings';
export const HOME_SETTINGS_SAVE = 'homeSettingsSave';
export const HOME_REFRESH = 'homeRefresh';

/** A link into Chat for a space [U: the `https://chat.google.com/room/{id}` form of `Space.spaceUri`, docs/chat-protocol.md §3.6]. */
export const spaceLink = (spaceId: string) => `https://chat.google.com/room/${encodeURIComponent(spaceId)}`;

/**
 * A link to a message: `https://chat.google.com/room/{space}/{thread}/{message}` [U: the form Chat's
 * "Copy link" gives, docs/chat-protocol.md §3.6], from the message's and its thread's resource names; a
 * message id `T.M` names its thread `T` when the thread is not known.
 */
export function messageLink(message: { name: string; thread: string | null }): string {
  const [, spaceId, , messageId] = message.name.split('/');
  const threadId = message.thread?.split('/')[3] ?? messageId.split('.')[0];
  return `${spaceLink(spaceId)}/${encodeURIComponent(threadId)}/${encodeURIComponent(messageId)}`;
}

const nameOf = (name: string | null) => name ?? 'a conversation';

export function homeCard(firstName: string, data: HomeData): Card {
  const polls: Section = section(
    data.polls.length === 0
      ? [textParagraph('You have no open polls. Start one with /poll in any space.')]
      : data.polls.map((p) =>
          // The question links to the poll's message once the app knows it (from a click on the card).
          decoratedText(p.message ? `<a href="${messageLink(p.message)}">${cardText(p.question)}</a>` : cardText(p.question), {
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
