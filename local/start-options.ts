/**
 * `npm start`'s own flags besides `--format` (read in start.ts): `--json` prints the functions'
 * logs as the JSON they write instead of one readable line per event; `--endpoint=URL` sends the
 * simulator's events to another Chat app, and says what that app must trust; `--data-dir=DIR`
 * keeps the state (Firestore, the local Chat API, the simulator's people and sessions) in DIR
 * across restarts.
 */
import { decodeToken } from './simulator/deliver';
import { readEndpointUrl } from './simulator/settings';

export interface StartOptions {
  json: boolean;
  /** `npm run dev`: watch the sources and restart the functions on a change (dev-watch.ts). */
  dev: boolean;
  endpointUrl?: string;
  /** `--data-dir=DIR`: the state survives a restart (simulator/data-dir.ts). */
  dataDir?: string;
}

/** Flags this module reads; start.ts skips them when it reads `--format`. */
export const START_FLAG = /^--(json|dev|endpoint=.*|data-dir=.*)$/;

export function readStartOptions(args: string[]): StartOptions {
  const endpoint = args.find((a) => a.startsWith('--endpoint='))?.slice('--endpoint='.length);
  const dataDir = args.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
  if (dataDir === '') throw new Error('--data-dir needs a directory: --data-dir=DIR');
  return {
    json: args.includes('--json'),
    dev: args.includes('--dev'),
    ...(endpoint !== undefined ? { endpointUrl: readEndpointUrl(endpoint, '--endpoint') } : {}),
    ...(dataDir !== undefined ? { dataDir } : {}),
  };
}

/** What an app at `endpointUrl` must check to accept the simulator's events, as it would check Chat's. */
export function trustLines(endpointUrl: string, certsUrl: string, chatApiUrl: string, token: string): string[] {
  const claims = (decodeToken(token).claims ?? {}) as Record<string, unknown>;
  return [
    `  Events go to ${endpointUrl} (--endpoint), not to chatEvents. That app must verify each`,
    `  Authorization: Bearer token as it verifies Chat's, against the simulator's keys:`,
    `    certs URL  ${certsUrl}   (instead of Google's)`,
    `    issuer     ${String(claims.iss)}${claims.email ? `   email ${String(claims.email)}` : ''}`,
    `    audience   ${String(claims.aud)}`,
    `  and call the local Chat API at ${chatApiUrl} (instead of https://chat.googleapis.com/).`,
  ];
}
