/** `/about` (command 1) and the help answer to a DM or @mention without a command: both pure. */
import type { CommandInfo } from '../../shared/routing/router';
import { card, decoratedText, section, textParagraph, withId } from '../../shared/replies/cards';
import { reply, type Reply } from '../../shared/replies/responses';
import { APP_NAME } from './commands';

export function aboutReply(commands: CommandInfo[]): Reply {
  return reply.cards(
    [
      withId(
        'about',
        card({
          title: APP_NAME,
          subtitle: 'Commands, reports and more for this space',
          sections: [
            section([
              textParagraph(
                `${APP_NAME} answers your commands right here and runs longer work, such as reports, in the background, posting one reply in your thread when it is done.`,
              ),
            ]),
            section(
              commands.map((c) => decoratedText(`<b>${c.name}</b>`, { bottomLabel: c.description, icon: 'terminal' })),
              'Commands',
            ),
          ],
        }),
      ),
    ],
    `${APP_NAME}: type / to see my commands.`,
  );
}

export function helpText(commands: CommandInfo[], said: string): string {
  const list = commands.map((c) => `• *${c.name}*: ${c.description}`).join('\n');
  const echo = said ? `I can't answer "${said.slice(0, 100)}" directly yet, but here is what I can do:` : 'Here is what I can do:';
  return `${echo}\n${list}`;
}
