/** The simulator server's API (see ../protocol.ts): what the page asks and sends. */
import type { FaultInfo, InspectorEntry, Intent, InteractionResult, PersonInfo, RedeliveryMode, RedeliveryReport, ReplayReport, SimulatorSettings, SpaceInfo, StateSnapshot, StreamEvent, TimelineItem, Transcript } from '../protocol';

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json()) as T | { error: string };
  if (!res.ok) throw new Error((body as { error?: string }).error ?? `HTTP ${res.status}`);
  return body as T;
}

const post = (path: string, body: unknown) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const api = {
  state: () => fetch('/api/state').then((r) => json<StateSnapshot>(r)),
  timeline: (space: string, viewer: string) => fetch(`/api/timeline?space=${encodeURIComponent(space)}&viewer=${encodeURIComponent(viewer)}`).then((r) => json<TimelineItem[]>(r)),
  inspector: () => fetch('/api/inspector').then((r) => json<InspectorEntry[]>(r)),
  interact: (intent: Intent) => post('/api/interact', intent).then((r) => json<InteractionResult>(r)),
  data: (space: string) => fetch(`/api/data?space=${encodeURIComponent(space)}`).then((r) => json<{ path: string; data: unknown }[]>(r)),
  replay: (transcript: Transcript) => post('/api/replay', transcript).then((r) => json<ReplayReport>(r)),
  homeOpen: (space: string, user: string) => post('/api/home/open', { space, user }).then((r) => json<InteractionResult>(r)),
  homeClick: (space: string, user: string, path: string, formInputs: unknown) => post('/api/home/click', { space, user, path, formInputs }).then((r) => json<InteractionResult>(r)),
  setPlainMember: (space: string, user: string, plainMember: boolean) => post('/api/role', { space, user, plainMember }).then((r) => json<object>(r)),
  reset: () => post('/api/reset', {}).then((r) => json<object>(r)),
  addPerson: (displayName: string, email: string) => post('/api/people', { displayName, email }).then((r) => json<PersonInfo>(r)),
  createSpace: (space: { spaceType: SpaceInfo['spaceType']; displayName?: string; creator: string; members: { user: string; role: string }[] }) => post('/api/spaces', space).then((r) => json<SpaceInfo>(r)),
  setMember: (space: string, user: string, role: string | null) => post('/api/spaces/members', { space, user, role }).then((r) => json<SpaceInfo>(r)),
  settings: (change?: Partial<SimulatorSettings>) => (change ? post('/api/tools/settings', change) : fetch('/api/tools/settings')).then((r) => json<SimulatorSettings>(r)),
  seedActivity: (space: string) => post('/api/tools/seed-activity', { space }).then((r) => json<{ days: number }>(r)),
  redeliver: (entry: number, mode: RedeliveryMode) => post('/api/tools/redeliver', { entry, mode }).then((r) => json<RedeliveryReport>(r)),
  sendRaw: (event: unknown, space?: string) => post('/api/tools/send', { event, space }).then((r) => json<InspectorEntry>(r)),
  curl: (entry: number) => fetch(`/api/tools/curl?entry=${entry}`).then((r) => json<{ curl: string }>(r)),
  faults: () => fetch('/api/tools/faults').then((r) => json<FaultInfo[]>(r)),
  addFault: (fault: FaultInfo) => post('/api/tools/faults', fault).then((r) => json<FaultInfo[]>(r)),
  clearFaults: () => fetch('/api/tools/faults', { method: 'DELETE' }).then((r) => json<FaultInfo[]>(r)),
};

/** Server-sent events; the browser reconnects by itself. */
export function subscribe(onEvent: (e: StreamEvent) => void, onStatus: (connected: boolean) => void): EventSource {
  const source = new EventSource('/api/stream');
  source.onopen = () => onStatus(true);
  source.onerror = () => onStatus(false);
  source.onmessage = (m: MessageEvent<string>) => onEvent(JSON.parse(m.data) as StreamEvent);
  return source;
}
