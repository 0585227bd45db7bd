/** `/about` (command 1): what the app does and its commands, with a button to the settings. Pure. */
import { action, button, buttonList, card, decoratedText, section, textParagraph, withId } from '../../shared/replies/cards';
import { reply } from '../../shared/replies/responses';
import { defineFeature } from '../../shared/routing/feature';
import { OPEN_CONFIG } from './config';

export const APP_NAME = 'Team Assistant';

export const about = defineFeature({
  name: 'about',
  command: {
    id: 1,
    name: '/about',
    description: 'What this app does',
    keywords: ['help', 'what can you do', 'commands'],
    pure: true,
    handler: (_event, ctx) =>
      reply.cards(
        [
          withId(
            'about',
            card({
              title: APP_NAME,
              subtitle: 'Polls, reports and notifications for this space',
              sections: [
                section([
                  textParagraph(
                    `${APP_NAME} answers your commands right here and runs longer work, such as reports, in the background, posting one reply in your thread when it is done.`,
                  ),
                ]),
                section(
                  ctx.commands.map((c) => decoratedText(`<b>${c.name}</b>`, { bottomLabel: c.description, icon: 'terminal' })),
                  'Commands',
                ),
                section([buttonList(button('Settings', action(OPEN_CONFIG, {}, { openDialog: true })))]),
              ],
            }),
          ),
        ],
        `${APP_NAME}: type / to see my commands.`,
      ),
  },
});
