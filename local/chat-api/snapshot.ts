/**
 * The local Chat API's spaces, members, threads and messages as plain JSON, and back: what a data
 * directory keeps between two runs of `npm start` (local/simulator/data-dir.ts). Message names,
 * thread names and times are kept as they were, so what the app stored about them (a poll's
 * message, in Firestore) still names them. Reading checks the shape and says what is wrong.
 */
import { isJsonObject } from './json';
import { MEMBERSHIP_ROLES, SPACE_TYPES, type MembershipRole, type Space, type StoredMessage } from './types';

export interface SpaceSnapshot {
  info: Space;
  /** Oldest first. */
  messages: StoredMessage[];
  threads: string[];
  threadKeys: [string, string][];
  /** In the order they joined. */
  members: [string, MembershipRole][];
}

const SPACE_NAME = /^spaces\/[A-Za-z0-9_-]+$/;
const USER_NAME = /^users\/[A-Za-z0-9_-]+$/;

class SnapshotError extends Error {}
const fail = (what: string): never => {
  throw new SnapshotError(what);
};
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const pairs = (v: unknown): v is [string, string][] => Array.isArray(v) && v.every((p) => strings(p) && p.length === 2);

function readSpace(value: unknown, i: number): SpaceSnapshot {
  if (!isJsonObject(value) || !isJsonObject(value.info)) return fail(`space #${i} is not an object with info`);
  const info = value.info as unknown as Space;
  if (typeof info.name !== 'string' || !SPACE_NAME.test(info.name)) return fail(`space #${i} has no valid name`);
  if (!SPACE_TYPES.includes(info.spaceType) || typeof info.appIsMember !== 'boolean') return fail(`${info.name} has no valid spaceType or appIsMember`);
  if (!Array.isArray(value.messages) || !strings(value.threads) || !pairs(value.threadKeys) || !pairs(value.members)) return fail(`${info.name} lacks messages, threads, threadKeys or members`);
  for (const [user, role] of value.members) if (!USER_NAME.test(user) || !MEMBERSHIP_ROLES.includes(role as MembershipRole)) return fail(`${info.name} has a bad membership ${user} ${role}`);
  for (const m of value.messages as unknown[]) {
    const message = m as Partial<StoredMessage> | null;
    const ok = isJsonObject(m) && typeof message?.name === 'string' && message.name.startsWith(`${info.name}/messages/`) && message.space === info.name
      && typeof message.threadName === 'string' && typeof message.createTime === 'string' && typeof message.updateCount === 'number' && isJsonObject(message.sender);
    if (!ok) return fail(`${info.name} has a message that is not one`);
  }
  return value as unknown as SpaceSnapshot;
}

/** The spaces of a snapshot, or an Error saying what is wrong with it. */
export function readSnapshot(value: unknown): SpaceSnapshot[] {
  if (!Array.isArray(value)) throw new SnapshotError('the Chat API state is not a list of spaces');
  const spaces = value.map(readSpace);
  if (new Set(spaces.map((s) => s.info.name)).size !== spaces.length) throw new SnapshotError('a space is there twice');
  return spaces;
}
