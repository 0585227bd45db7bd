/**
 * Query parameters as Google's transcoder reads them: snake_case or lowerCamelCase, and an unknown
 * name is a 400 (so a typo such as `messageID` fails here as it would in Chat, not silently).
 */
import { invalidArgument } from './errors';
import { toCamel } from './message-input';
import type { ApiMethod } from './types';

const METHOD_PARAMS: Record<ApiMethod, readonly string[]> = {
  create: ['requestId', 'messageId', 'messageReplyOption', 'threadKey', 'createMessageNotificationOptions.notificationType'],
  get: ['markupSyntax'],
  patch: ['updateMask', 'allowMissing'],
  update: ['updateMask', 'allowMissing'],
  delete: ['force'],
  getMember: [],
  getSpace: [],
  listMembers: ['pageSize', 'pageToken', 'filter', 'showGroups', 'showInvited', 'useAdminAccess'],
};

/** Standard parameters every Google API accepts. */
const SYSTEM_PARAMS = [
  '$.xgafv', 'accessToken', 'alt', 'callback', 'fields', 'key', 'oauthToken', 'prettyPrint', 'quotaUser',
  'uploadType', 'uploadProtocol',
];

export function readQuery(method: ApiMethod, params: URLSearchParams): Record<string, string> {
  const allowed = new Set([...METHOD_PARAMS[method], ...SYSTEM_PARAMS]);
  const query: Record<string, string> = {};
  for (const [key, value] of params) {
    const name = key.split('.').map(toCamel).join('.');
    if (!allowed.has(name)) {
      throw invalidArgument(`Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter.`);
    }
    query[name] = value;
  }
  return query;
}
