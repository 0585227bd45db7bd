/**
 * The local Chat API: a stand-in for `chat.googleapis.com` (which has no emulator) that serves
 * `spaces.messages.*` to the real `@googleapis/chat` client, with test controls in-process and
 * over HTTP under `/_local/`. See README.md.
 */
import { createLogger } from '../../shared/log';
import { CallLog } from './call-log';
import type { Controls } from './control';
import { FaultQueue } from './faults';
import { listenOnLoopback, rootUrlFor } from './listen';
import { SlidingWindowQuota } from './quota';
import { createChatApiServer } from './server';
import { readSnapshot } from './snapshot';
import { ChatStore } from './store';
import type { LocalChatApi, LocalChatApiOptions } from './types';

export type * from './types';
export type { JsonObject, JsonValue } from './json';

/** Chat's documented per-space write quota (docs/chat-protocol.md §7.3). */
export const DEFAULT_WRITES_PER_MINUTE_PER_SPACE = 60;

export async function startLocalChatApi(options: LocalChatApiOptions = {}): Promise<LocalChatApi> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const writeLimit = options.writesPerMinutePerSpace ?? DEFAULT_WRITES_PER_MINUTE_PER_SPACE;
  if (!Number.isInteger(writeLimit) || writeLimit < 1) {
    throw new Error(`writesPerMinutePerSpace must be an integer ≥ 1, got ${writeLimit}`);
  }

  const store = new ChatStore(now);
  const quota = new SlidingWindowQuota(writeLimit, now);
  const faults = new FaultQueue();
  const calls = new CallLog();

  const controls: Controls = {
    addSpace: (spec) => store.addSpace(spec),
    calls: () => calls.list(),
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    injectFault: (fault) => faults.add(fault),
    messages: (space) => store.messages(space),
    postUserMessage: (spec) => store.insertUserMessage(spec),
    postAppMessage: (spec) => store.insertAppMessage(spec),
    editMessage: (name, edit, fields) => store.editMessage(name, edit, fields),
    removeSpace: (name) => store.removeSpace(name),
    reset: () => {
      faults.clear();
      calls.clear();
      quota.reset();
      store.reset();
    },
    setAppMembership: (space, isMember) => store.setAppMembership(space, isMember),
    members: (space) => store.members(space),
    setMemberRole: (space, user, role) => store.setMemberRole(space, user, role),
    spaces: () => store.spaces(),
    snapshot: () => store.snapshot(),
    restore: (spaces) => store.restore(readSnapshot(spaces)),
  };

  const { server, close } = createChatApiServer({
    api: { store, quota },
    calls,
    controls,
    faults,
    log: createLogger({ component: 'local-chat-api' }),
    now,
  });
  const port = await listenOnLoopback(server, host, options.port ?? 0);

  let stopped: Promise<void> | undefined;
  return {
    ...controls,
    url: rootUrlFor(host, port),
    onChange: (listener) => store.onChange(listener),
    stop: () => (stopped ??= close()),
  };
}
