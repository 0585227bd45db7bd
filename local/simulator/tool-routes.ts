/**
 * The JSON API of the page's developer tools (`/api/tools/…`): settings (event delay), Chat's
 * retries on demand, raw events (send an edited one, copy one as curl), the local Chat API's
 * faults, seeded activity. The answers of raw and repeated events are shown in the inspector, not
 * applied to the conversation.
 */
import type { LocalChatApi } from '../chat-api';
import type { FaultSpec } from '../chat-api/types';
import { commandRoute } from '../../shared/routing/router';
import { decodeToken, type Deliver } from './deliver';
import type { FirestoreView } from './firestore-view';
import type { InspectorLog } from './inspector';
import { answeredEvent, redeliver } from './redeliver';
import { seedActivity } from './seed-activity';
import type { SimulatorSession } from './session';
import { updateSettings, type SimulatorSettings } from './settings';
import { UserError } from './user-error';

export interface ToolDeps {
  session: () => SimulatorSession;
  settings: SimulatorSettings;
  data: FirestoreView;
  inspector: InspectorLog;
  /** Sends as the simulator sends every event (fresh token, the current delay). */
  deliver: Deliver;
  chatApi: LocalChatApi;
  /** Where events go, for the curl line. */
  eventsUrl: () => string;
  /** A fresh token for a curl line, valid an hour. */
  curlToken: () => string;
}

type Json = Record<string, unknown>;
const asObject = (v: unknown, what: string): Json => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UserError(`${what} must be a JSON object`);
  return v as Json;
};
const entryId = (v: unknown): number => {
  const id = Number(v);
  if (!Number.isInteger(id) || id < 1) throw new UserError('entry must be an inspector entry id');
  return id;
};
/** A shell word in single quotes: `'` closes, is escaped, and opens again. */
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The fault a page asks for, checked again by the local Chat API itself. */
function readFault(body: Json): FaultSpec {
  const { method = '*', count = 1, status, hangMs, delayOnly } = body;
  if (typeof method !== 'string' || typeof count !== 'number') throw new UserError('a fault has a method (create, get, patch, update, delete or *) and a count');
  return {
    method: method as FaultSpec['method'],
    count,
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof hangMs === 'number' ? { hangMs } : {}),
    ...(delayOnly === true ? { delayOnly: true } : {}),
  };
}

/** Answers `route` (`POST /api/tools/x`), or returns undefined when it is not a tool's. */
export async function toolRoute(route: string, query: URLSearchParams, body: () => Promise<unknown>, d: ToolDeps): Promise<{ result: unknown } | undefined> {
  switch (route) {
    case 'GET /api/tools/settings':
      return { result: d.settings };
    case 'POST /api/tools/settings':
      return { result: updateSettings(d.settings, await body()) };
    case 'POST /api/tools/redeliver': {
      const b = asObject(await body(), 'the body');
      if (b.mode !== 'once' && b.mode !== 'twice') throw new UserError('mode must be once or twice');
      return { result: await redeliver(d, entryId(b.entry), b.mode) };
    }
    case 'POST /api/tools/send': {
      const b = asObject(await body(), 'the body');
      const event = asObject(b.event, 'event');
      const space = typeof b.space === 'string' ? b.space : undefined;
      const entry = d.inspector.add({ kind: 'event', label: `${String(event.type ?? 'event')} ✎ edited, sent raw`, ...(space ? { space } : {}), event, pending: true });
      const delivery = await d.deliver(event);
      return {
        result: d.inspector.update(entry.id, {
          token: decodeToken(delivery.token),
          status: delivery.status,
          response: delivery.failure ?? delivery.body,
          latencyMs: delivery.latencyMs,
          outcome: 'sent raw: the answer is shown here, not applied to the conversation',
          pending: false,
        }),
      };
    }
    case 'GET /api/tools/curl': {
      const entry = answeredEvent(d.inspector, entryId(query.get('entry')));
      const line = `curl -s ${d.eventsUrl()} -H 'content-type: application/json' -H 'user-agent: Google-Dynamite' -H 'authorization: Bearer ${d.curlToken()}' -d ${shellQuote(JSON.stringify(entry.event))}`;
      return { result: { curl: line } };
    }
    case 'GET /api/tools/faults':
      return { result: d.chatApi.faults() };
    case 'POST /api/tools/faults':
      try {
        d.chatApi.injectFault(readFault(asObject(await body(), 'the fault')));
      } catch (err) {
        if (err instanceof UserError) throw err;
        throw new UserError(err instanceof Error ? err.message : String(err));
      }
      return { result: d.chatApi.faults() };
    case 'DELETE /api/tools/faults':
      d.chatApi.clearFaults();
      return { result: [] };
    case 'POST /api/tools/seed-activity': {
      const space = asObject(await body(), 'the body').space;
      if (typeof space !== 'string' || !/^spaces\/[A-Za-z0-9_-]+$/.test(space)) throw new UserError('space must be a space name (spaces/…)');
      const { people, app } = d.session().state();
      return { result: { days: await d.data.use((db) => seedActivity(db, space.slice('spaces/'.length), people, app.commands.map((c) => commandRoute(c.id)))) } };
    }
    default:
      return undefined;
  }
}
