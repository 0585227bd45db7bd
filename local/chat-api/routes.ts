/**
 * Maps a request line to what serves it. API paths are those the generated client builds
 * (`{rootUrl}v1/{+parent}/messages`, `{rootUrl}v1/{+name}`: `+` keeps the slashes of the name).
 * Controls live under `/_local/`, which no Google API path can start with.
 */
import type { ApiMethod } from './types';

export const CONTROL_PREFIX = '_local';

export interface ApiRoute {
  kind: 'api';
  method: ApiMethod;
  /** `spaces/<id>`. */
  space: string;
  messageId?: string;
  /** `users/<id>` (or `users/app`) for `spaces.members.get`. */
  member?: string;
}

export type Route =
  | ApiRoute
  | { kind: 'unimplemented'; what: string }
  | { kind: 'control'; segments: string[] }
  | { kind: 'unknown' };

const MESSAGE_METHODS: Record<string, ApiMethod> = { GET: 'get', PATCH: 'patch', PUT: 'update', DELETE: 'delete' };

/** `segments` are the decoded path segments, without the leading empty one. */
export function routeRequest(httpMethod: string, segments: string[]): Route {
  if (segments[0] === CONTROL_PREFIX) return { kind: 'control', segments: segments.slice(1) };
  const [version, spaces, spaceId, messages, messageId, ...rest] = segments;
  // `spaces.members.get`: `v1/spaces/{s}/members/users/{id}` (docs/chat-protocol.md §12).
  if (version === 'v1' && spaces === 'spaces' && spaceId && messages === 'members') {
    // `spaces.members.list`: `v1/spaces/{s}/members`.
    if (httpMethod === 'GET' && messageId === undefined) return { kind: 'api', method: 'listMembers', space: `spaces/${spaceId}` };
    if (httpMethod !== 'GET' || messageId !== 'users' || rest.length !== 1 || !rest[0]) return { kind: 'unknown' };
    return { kind: 'api', method: 'getMember', space: `spaces/${spaceId}`, member: `users/${rest[0]}` };
  }
  // `spaces.get`: `v1/spaces/{s}`.
  if (version === 'v1' && spaces === 'spaces' && spaceId && messages === undefined && httpMethod === 'GET') return { kind: 'api', method: 'getSpace', space: `spaces/${spaceId}` };
  if (version !== 'v1' || spaces !== 'spaces' || !spaceId || messages !== 'messages' || rest.length > 0) {
    return { kind: 'unknown' };
  }
  const space = `spaces/${spaceId}`;
  if (messageId === undefined) {
    if (httpMethod === 'POST') return { kind: 'api', method: 'create', space };
    if (httpMethod === 'GET') return { kind: 'unimplemented', what: 'spaces.messages.list' };
    return { kind: 'unknown' };
  }
  const method = MESSAGE_METHODS[httpMethod];
  if (!method || messageId === '') return { kind: 'unknown' };
  return { kind: 'api', method, space, messageId };
}

/** Path segments, decoded; undefined when the percent-encoding is broken. */
export function splitPath(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}
