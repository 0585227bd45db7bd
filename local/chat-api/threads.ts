/**
 * Where a created message goes (docs/chat-protocol.md §7.1, `messageReplyOption`). Only the two reply options
 * look at `thread.name`/`threadKey`; the default always starts a new thread.
 */
import { invalidArgument, notFound } from './errors';
import type { ReplyOption } from './rules';
import type { ChatStore } from './store';

export interface ThreadPlacement {
  threadName: string;
  threadKey?: string;
  threadReply: boolean;
}

export interface ThreadRequest {
  name?: string;
  threadKey?: string;
}

export function placeInThread(
  store: ChatStore,
  space: string,
  option: ReplyOption,
  requested: ThreadRequest,
): ThreadPlacement {
  if (option === 'MESSAGE_REPLY_OPTION_UNSPECIFIED') return { threadName: store.newThread(space), threadReply: false };

  const { name, threadKey } = requested;
  if (name !== undefined && store.threadExists(space, name)) return { threadName: name, threadReply: true };
  if (threadKey !== undefined) {
    const keyed = store.threadForKey(space, threadKey);
    // A new key starts a thread under that key, in both reply modes.
    if (keyed !== undefined) return { threadName: keyed, threadKey, threadReply: true };
    return { threadName: store.newThread(space, threadKey), threadKey, threadReply: false };
  }
  if (option === 'REPLY_MESSAGE_OR_FAIL') {
    if (name !== undefined) throw notFound(`Thread ${name} not found.`);
    throw invalidArgument('REPLY_MESSAGE_OR_FAIL needs thread.name or thread.threadKey.');
  }
  return { threadName: store.newThread(space), threadReply: false };
}
