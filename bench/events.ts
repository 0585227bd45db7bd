/**
 * The classic Chat interaction events the bench sends (docs/chat-protocol.md §2.8), built as JSON strings ready
 * to post. Every event is a new interaction: its message name or its (user, eventTime) pair is
 * fresh, so the app's dedupe never mistakes two of them for one delivery; posting the same string
 * twice is a duplicate delivery.
 */
import { randomBytes } from 'node:crypto';

export const COMMANDS = { about: { id: 1, name: '/about' }, poll: { id: 3, name: '/poll' }, report: { id: 4, name: '/report' } } as const;

const RUN = randomBytes(3).toString('hex');
let sequence = 0;
const next = () => `${RUN}${(sequence++).toString(36)}`;
/** Event times: now, one millisecond apart, so that no two clicks of one person share one. */
const startMs = Date.now();
const eventTime = () => new Date(startMs + sequence++).toISOString();

export interface BenchUser {
  name: string;
  displayName: string;
}

export const userNumber = (n: number): BenchUser => ({ name: `users/${100000 + n}`, displayName: `Voter ${n}` });
export const newSpaceName = (): string => `spaces/B${next()}`;

const space = (name: string) => ({ name, type: 'ROOM', spaceType: 'SPACE', displayName: 'Bench space' });

export function slashCommand(spaceName: string, command: { id: number; name: string }, args = '', user = userNumber(0)): string {
  const id = next();
  const thread = { name: `${spaceName}/threads/T${id}` };
  const text = `${command.name}${args ? ` ${args}` : ''}`;
  return JSON.stringify({
    type: 'MESSAGE',
    eventTime: eventTime(),
    space: space(spaceName),
    user: { ...user, type: 'HUMAN' },
    message: {
      name: `${spaceName}/messages/M${id}`,
      sender: { ...user, type: 'HUMAN' },
      createTime: eventTime(),
      text,
      argumentText: args ? ` ${args}` : '',
      thread,
      space: { name: spaceName },
      slashCommand: { commandId: String(command.id) },
      annotations: [{ type: 'SLASH_COMMAND', startIndex: 0, length: command.name.length, slashCommand: { commandName: command.name, commandId: String(command.id), type: 'INVOKE' } }],
    },
    thread,
    appCommandMetadata: { appCommandId: command.id, appCommandType: 'SLASH_COMMAND' },
  });
}

/** The app is added to a space (as it is before anyone there can use it). */
export function addedToSpace(spaceName: string, user = userNumber(0)): string {
  return JSON.stringify({ type: 'ADDED_TO_SPACE', eventTime: eventTime(), space: space(spaceName), user: { ...user, type: 'HUMAN' } });
}

/** A click on a poll's Vote button, on the app's own card message. */
export function voteClick(spaceName: string, pollId: string, option: number, user: BenchUser): string {
  const parameters = { poll: pollId, option: String(option) };
  return JSON.stringify({
    type: 'CARD_CLICKED',
    eventTime: eventTime(),
    space: space(spaceName),
    user: { ...user, type: 'HUMAN' },
    message: { name: `${spaceName}/messages/P${pollId}`, sender: { name: 'users/app', displayName: 'Team Assistant', type: 'BOT' }, thread: { name: `${spaceName}/threads/P${pollId}` } },
    action: { actionMethodName: 'pollVote', parameters: Object.entries(parameters).map(([key, value]) => ({ key, value })) },
    common: { hostApp: 'CHAT', invokedFunction: 'pollVote', parameters },
  });
}

/** The poll id in a `/poll` answer: the `poll` parameter of its first Vote button, in either system's card. */
export function pollIdIn(answer: string): string {
  const match = /"key":"poll","value":"([^"]+)"/.exec(answer);
  if (!match) throw new Error(`no poll id in the /poll answer: ${answer.slice(0, 300)}`);
  return match[1];
}

/** The body Pub/Sub push sends for one message (what the functions-framework turns into a CloudEvent). */
export function pushEnvelope(projectId: string, data: object): string {
  const id = next();
  return JSON.stringify({
    message: { data: Buffer.from(JSON.stringify(data)).toString('base64'), attributes: {}, messageId: id, publishTime: new Date().toISOString() },
    subscription: `projects/${projectId}/subscriptions/bench-${id}`,
  });
}
