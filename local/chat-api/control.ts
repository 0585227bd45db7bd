/**
 * The test controls over HTTP (`/_local/...`), so a test or another process can drive a server it
 * did not start. Each endpoint is a thin mapping onto the same `LocalChatApi` methods.
 */
import { ControlError } from './errors';
import { isJsonObject, parseJson, type JsonObject } from './json';
import { CONTROL_PREFIX } from './routes';
import { isApiMethod, MEMBERSHIP_ROLES, SPACE_TYPES, type FaultSpec, type LocalChatApi, type MembershipRole, type SpaceSpec } from './types';

export type Controls = Omit<LocalChatApi, 'url' | 'stop' | 'onChange'>;

export interface ControlResponse {
  status: number;
  body: unknown;
}

function readObject(bodyText: string): JsonObject {
  const parsed = parseJson(bodyText === '' ? '{}' : bodyText);
  if (!parsed.ok) throw new ControlError(`body is not JSON: ${parsed.reason}`, 'INVALID');
  if (!isJsonObject(parsed.value)) throw new ControlError('body must be a JSON object', 'INVALID');
  return parsed.value;
}

function readSpaceSpec(o: JsonObject): SpaceSpec {
  const { name, displayName, spaceType, appIsMember, creator, members } = o;
  if (typeof name !== 'string') throw new ControlError('name must be a string like spaces/AAA', 'INVALID');
  if (displayName !== undefined && typeof displayName !== 'string') throw new ControlError('displayName must be a string', 'INVALID');
  const type = SPACE_TYPES.find((t) => t === spaceType);
  if (spaceType !== undefined && !type) throw new ControlError(`spaceType must be one of ${SPACE_TYPES.join(', ')}`, 'INVALID');
  if (appIsMember !== undefined && typeof appIsMember !== 'boolean') throw new ControlError('appIsMember must be a boolean', 'INVALID');
  if (creator !== undefined && typeof creator !== 'string') throw new ControlError('creator must be a user name', 'INVALID');
  if (members !== undefined && !(Array.isArray(members) && members.every((m) => typeof m === 'string'))) throw new ControlError('members must be a list of user names', 'INVALID');
  return {
    name,
    ...(displayName !== undefined ? { displayName } : {}),
    ...(type ? { spaceType: type } : {}),
    ...(appIsMember !== undefined ? { appIsMember } : {}),
    ...(creator !== undefined ? { creator } : {}),
    ...(members !== undefined ? { members: members as string[] } : {}),
  };
}

function readFaultSpec(o: JsonObject): FaultSpec {
  const { method, count, status, hangMs, delayOnly } = o;
  if (method !== '*' && !isApiMethod(method)) throw new ControlError('method must be create, get, patch, update, delete, getMember, getSpace, listMembers or *', 'INVALID');
  if (typeof count !== 'number') throw new ControlError('count must be a number', 'INVALID');
  if (status !== undefined && typeof status !== 'number') throw new ControlError('status must be a number', 'INVALID');
  if (hangMs !== undefined && typeof hangMs !== 'number') throw new ControlError('hangMs must be a number', 'INVALID');
  if (delayOnly !== undefined && typeof delayOnly !== 'boolean') throw new ControlError('delayOnly must be true or false', 'INVALID');
  return { method, count, ...(status !== undefined ? { status } : {}), ...(hangMs !== undefined ? { hangMs } : {}), ...(delayOnly ? { delayOnly } : {}) };
}

function requiredSpace(query: URLSearchParams): string {
  const space = query.get('space');
  if (!space) throw new ControlError('query parameter space=spaces/… is required', 'INVALID');
  return space;
}

const ok = (body: unknown = {}): ControlResponse => ({ status: 200, body });

export function handleControl(
  controls: Controls,
  httpMethod: string,
  segments: string[],
  query: URLSearchParams,
  bodyText: string,
): ControlResponse {
  const [resource, id, ...rest] = segments;
  const route = `${httpMethod} ${resource ?? ''}${id !== undefined ? '/:id' : ''}`;
  if (rest.length > 0) throw new ControlError(`no control endpoint ${segments.join('/')}`, 'NOT_FOUND');
  switch (route) {
    case 'GET spaces':
      return ok(controls.spaces());
    case 'POST spaces':
      return { status: 201, body: controls.addSpace(readSpaceSpec(readObject(bodyText))) };
    case 'PATCH spaces/:id': {
      const { appIsMember } = readObject(bodyText);
      if (typeof appIsMember !== 'boolean') throw new ControlError('appIsMember must be a boolean', 'INVALID');
      controls.setAppMembership(`spaces/${id}`, appIsMember);
      return ok(controls.spaces().find((s) => s.name === `spaces/${id}`));
    }
    case 'DELETE spaces/:id':
      controls.removeSpace(`spaces/${id}`);
      return ok();
    case 'GET messages':
      return ok(controls.messages(requiredSpace(query)));
    case 'GET members':
      return ok(controls.members(requiredSpace(query)));
    case 'PUT members': {
      const { user, role } = readObject(bodyText);
      if (typeof user !== 'string') throw new ControlError('user must be a name like users/123', 'INVALID');
      if (role !== null && !MEMBERSHIP_ROLES.includes(role as MembershipRole)) throw new ControlError(`role must be one of ${MEMBERSHIP_ROLES.join(', ')} or null`, 'INVALID');
      const space = requiredSpace(query);
      controls.setMemberRole(space, user, role as MembershipRole | null);
      return ok(controls.members(space));
    }
    case 'GET calls':
      return ok(controls.calls());
    case 'GET faults':
      return ok(controls.faults());
    case 'POST faults':
      controls.injectFault(readFaultSpec(readObject(bodyText)));
      return { status: 201, body: controls.faults() };
    case 'DELETE faults':
      controls.clearFaults();
      return ok();
    case 'POST reset':
      controls.reset();
      return ok();
    default:
      throw new ControlError(`no control endpoint ${httpMethod} /${CONTROL_PREFIX}/${segments.join('/')}`, 'NOT_FOUND');
  }
}
