/**
 * What Chat makes of the text a person sends: a slash command of the app, an @mention of it, a
 * link to preview, or plain text; with the annotations and `argumentText` the event carries
 * (docs/chat-protocol.md §2.5, §2.6).
 */
import type { CommandInfo } from './protocol';
import { matchPreviewUrl, type AppProfile } from './world';

export interface Annotation {
  type: 'USER_MENTION' | 'SLASH_COMMAND';
  startIndex: number;
  length: number;
  userMention?: { user: AppUser; type: 'ADD' | 'MENTION' };
  slashCommand?: { bot: AppUser; type: 'ADD' | 'INVOKE'; commandName: string; commandId: string; triggersDialog: boolean };
}

interface AppUser {
  name: string;
  displayName: string;
  type: 'BOT';
}

export interface ComposedMessage {
  text: string;
  /** The text without the app's mention, as Chat sends it (may keep a leading space). */
  argumentText: string;
  annotations: Annotation[];
  command?: CommandInfo;
  mentionsApp: boolean;
  matchedUrl?: string;
}

/**
 * `appIsMember` false means this message adds the app (annotation type ADD), as an @mention or a
 * slash command of an app that is not in the space does.
 */
export function composeMessage(app: AppProfile, text: string, appIsMember: boolean): ComposedMessage {
  const bot: AppUser = { name: app.userName, displayName: app.name, type: 'BOT' };
  const annotations: Annotation[] = [];
  const slash = /^\/(\S+)/.exec(text);
  const command = slash ? app.commands.find((c) => c.name === `/${slash[1]}`) : undefined;
  if (command) {
    annotations.push({
      type: 'SLASH_COMMAND',
      startIndex: 0,
      length: command.name.length,
      slashCommand: {
        bot,
        type: appIsMember ? 'INVOKE' : 'ADD',
        commandName: command.name,
        commandId: String(command.id),
        triggersDialog: command.opensDialog,
      },
    });
    const rest = text.slice(command.name.length);
    return { text, argumentText: rest, annotations, command, mentionsApp: false, ...preview(app, text) };
  }
  const mention = `@${app.name}`;
  const at = text.indexOf(mention);
  if (at >= 0) {
    annotations.push({ type: 'USER_MENTION', startIndex: at, length: mention.length, userMention: { user: bot, type: appIsMember ? 'MENTION' : 'ADD' } });
    const argumentText = text.slice(0, at) + text.slice(at + mention.length);
    return { text, argumentText, annotations, mentionsApp: true, ...preview(app, text) };
  }
  return { text, argumentText: text, annotations, mentionsApp: false, ...preview(app, text) };
}

function preview(app: AppProfile, text: string): { matchedUrl?: string } {
  const url = matchPreviewUrl(app, text);
  return url ? { matchedUrl: url } : {};
}
