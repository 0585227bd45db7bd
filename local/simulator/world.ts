/**
 * Who and what the simulator plays: the people one can act as, the spaces they share, and the
 * app as configured on the Chat API's configuration page (name, commands, link previews). The
 * commands are the app's own, derived from its FEATURES, as `npm run generate` derives what the
 * console is given.
 */
import { APP_NAME } from '../../functions/app/about';
import { FEATURES } from '../../functions/app';
import { commandsOf, type Feature } from '../../shared/routing/feature';
import type { CommandInfo, PersonInfo, SpaceInfo } from './protocol';

export interface World {
  app: AppProfile;
  people: PersonInfo[];
  /** Spaces the simulator creates; `appIsMember` is the starting state; `creator` manages a named space (else its first member). */
  spaces: (SpaceInfo & { creator?: string })[];
}

export interface AppProfile {
  name: string;
  /** The app's user in events (mentions, slash command annotations, the sender of its messages). */
  userName: string;
  commands: CommandInfo[];
  /** Link previews: a URL whose host and path start match gets `matchedUrl` (docs/chat-protocol.md §8). */
  linkPreviews: { host: string; pathPrefix: string }[];
}

/** The app's user as the local Chat API names the sender of the app's messages. */
export const APP_USER_NAME = 'users/app';

/** The command menu the configuration page would hold for these features. */
export const commandMenu = (features: readonly Feature[]): CommandInfo[] =>
  commandsOf(features).map(({ id, name, description, opensDialog }) => ({ id, name, description, opensDialog: opensDialog ?? false }));

export const PEOPLE: PersonInfo[] = [
  { name: 'users/1111', displayName: 'Ada Lovelace', email: 'ada@example.com', color: '#1a73e8' },
  { name: 'users/2222', displayName: 'Grace Hopper', email: 'grace@example.com', color: '#188038' },
  { name: 'users/3333', displayName: 'Alan Turing', email: 'alan@example.com', color: '#e37400' },
];

/** A DM with the app for each person, and a named space everyone is in; the app starts outside all of them. */
export function defaultWorld(eventsUrl: string, features: readonly Feature[] = FEATURES): World {
  const url = new URL(eventsUrl);
  const prefix = `${url.pathname.replace(/^\/|\/$/g, '')}${url.pathname.length > 1 ? '/' : ''}polls/`;
  return {
    app: {
      name: APP_NAME,
      userName: APP_USER_NAME,
      commands: commandMenu(features),
      linkPreviews: [
        { host: url.host, pathPrefix: prefix },
        { host: `localhost:${url.port}`, pathPrefix: prefix },
      ],
    },
    // A copy: people made in the page join this world only.
    people: PEOPLE.map((p) => ({ ...p })),
    spaces: [
      ...PEOPLE.map((p) => ({
        name: `spaces/DM_${p.displayName.split(' ')[0].toUpperCase()}`,
        displayName: '',
        spaceType: 'DIRECT_MESSAGE' as const,
        members: [p.name],
        appIsMember: false,
      })),
      { name: 'spaces/RELEASE', displayName: 'Release team', spaceType: 'SPACE', members: PEOPLE.map((p) => p.name), appIsMember: false },
      // Grace created Design reviews: there Ada is a plain member.
      { name: 'spaces/DESIGN', displayName: 'Design reviews', spaceType: 'SPACE', members: [PEOPLE[0].name, PEOPLE[1].name], creator: PEOPLE[1].name, appIsMember: false },
    ],
  };
}

/** The first URL in `text` that a link preview pattern matches (Chat previews one link per message). */
export function matchPreviewUrl(app: AppProfile, text: string): string | undefined {
  for (const candidate of text.match(URL_IN_TEXT) ?? []) {
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      continue;
    }
    const path = url.pathname.replace(/^\//, '');
    if (app.linkPreviews.some((p) => p.host === url.host && path.startsWith(p.pathPrefix))) return candidate;
  }
  return undefined;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>|]+/g;
