/**
 * Who may administer a space (change its settings, create or revoke its webhooks, show voters'
 * names): its managers, as Chat says, read with app authentication (`spaces.members.get`,
 * docs/chat-protocol.md §12). The one rule, used by every admin route (`managers-only.ts`) and by
 * App Home's "spaces you manage".
 *
 * Where Chat cannot answer, the rule decides, and it fails closed:
 * - a DM with the app: its one person manages their own settings (no call is made);
 * - a group chat (unnamed): Chat gives everyone `ROLE_MEMBER`, so nobody manages it (no call);
 * - a named space: `ROLE_MANAGER` (Owner) or `ROLE_ASSISTANT_MANAGER` (Manager) manage; any other
 *   role, including `MEMBERSHIP_ROLE_UNSPECIFIED` and values Google adds later, and a 404 (not a
 *   member) do not;
 * - the Chat API failing (error, timeout, 403 because app authentication is not available, e.g.
 *   an add-on deployment without it [U]) gives `unknown`: the action is refused and the person
 *   asked to try again. Such an answer is not cached.
 * Nothing stored by the app (who added it, `addedBy`) counts, so a space the app joined before it
 * learnt roles follows the same rule with no migration.
 *
 * Cache: per instance, per space and person, for ROLE_CACHE_TTL_MS. A settings dialog makes two
 * checks seconds apart (open, save) and App Home one per listed space; a minute keeps those to one
 * read each (reads count against the space's 900 a minute, docs/chat-protocol.md §7.3) while a demoted manager keeps
 * their rights for at most that minute, which is also how long Chat's own UI can lag.
 */
import { BoundedMap } from '../bounded-map';
import type { ChatApi } from '../chat-api/client';
import { ChatApiError, errorMessage } from '../errors';
import type { ChatSpace, ChatUser } from '../events/model';
import type { Logger } from '../log';

export const ROLE_CACHE_TTL_MS = 60_000;
/** A hostile flood of distinct people cannot grow the cache past this (oldest entries go first). */
const ROLE_CACHE_MAX_ENTRIES = 10_000;
/** The read must leave the handler time to answer within its budget. */
export const ROLE_CHECK_TIMEOUT_MS = 5_000;

const MANAGER_ROLES = new Set(['ROLE_MANAGER', 'ROLE_ASSISTANT_MANAGER']);

export type Standing =
  | { verdict: 'manager'; why: 'dm' | 'role' }
  | { verdict: 'member'; why: 'groupChat' | 'role' | 'notMember' }
  /** Chat could not be asked: refuse, and say to try again. */
  | { verdict: 'unknown' };

export type SpaceRef = Pick<ChatSpace, 'name' | 'kind'>;

export interface RoleChecker {
  standing(space: SpaceRef, user: ChatUser, log: Logger): Promise<Standing>;
}

export function createRoleChecker(deps: { chatApi: ChatApi; now?: () => number; ttlMs?: number }): RoleChecker {
  const now = deps.now ?? Date.now;
  const ttlMs = deps.ttlMs ?? ROLE_CACHE_TTL_MS;
  const cache = new BoundedMap<string, { standing: Standing; until: number }>(ROLE_CACHE_MAX_ENTRIES);

  const ask = async (space: SpaceRef, user: ChatUser, log: Logger): Promise<Standing> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${ROLE_CHECK_TIMEOUT_MS} ms`)), ROLE_CHECK_TIMEOUT_MS);
    });
    try {
      const { role } = await Promise.race([deps.chatApi.getMembership(`${space.name}/members/${user.name}`), timeout]);
      return MANAGER_ROLES.has(role) ? { verdict: 'manager', why: 'role' } : { verdict: 'member', why: 'role' };
    } catch (err) {
      if (err instanceof ChatApiError && err.status === 404) return { verdict: 'member', why: 'notMember' };
      log.warn('could not read a member role; refusing the admin action', {
        error: errorMessage(err).slice(0, 200),
        status: err instanceof ChatApiError ? (err.status ?? null) : null,
      });
      return { verdict: 'unknown' };
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async standing(space, user, log) {
      if (space.kind === 'DM') return { verdict: 'manager', why: 'dm' };
      if (space.kind === 'GROUP_CHAT') return { verdict: 'member', why: 'groupChat' };
      const key = `${space.name} ${user.name}`;
      const hit = cache.get(key);
      if (hit && hit.until > now()) return hit.standing;
      const standing = await ask(space, user, log);
      if (standing.verdict !== 'unknown') {
        cache.set(key, { standing, until: now() + ttlMs });
      }
      return standing;
    },
  };
}
