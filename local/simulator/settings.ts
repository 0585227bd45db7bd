/**
 * What a developer can change while the simulator runs (the Tools tab, `GET/POST
 * /api/tools/settings`): how long each event is held before it leaves (to watch an event in
 * flight, or make two steps overlap), and which endpoint the events go to (the local chatEvents,
 * or another Chat app: another language, another build).
 */
import { createDeliver, type Deliver } from './deliver';
import type { SimulatorSettings } from './protocol';
import { UserError } from './user-error';

export type { SimulatorSettings };

/** Below Chat's 30 s patience: a held event still gets its answer. */
export const MAX_EVENT_DELAY_MS = 20_000;

export function defaultSettings(endpointUrl = ''): SimulatorSettings {
  return { eventDelayMs: 0, endpointUrl };
}

/** An endpoint URL given on the command line: any http(s) URL (a tunnel too), ending in `/` or a path. */
export function readEndpointUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`${what} must be an http(s) URL; got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`${what} must be an http(s) URL; got "${value}"`);
  return url.href;
}

/**
 * The page may only point the events at this machine: a page field is reachable by anything that
 * can post to the simulator, and the events carry signed tokens and the spaces' messages. Another
 * host is a deliberate choice, made with `npm start -- --endpoint=URL`.
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Applies a page's change to `settings`; anything else is a 400. */
export function updateSettings(settings: SimulatorSettings, body: unknown): SimulatorSettings {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new UserError('settings must be a JSON object');
  const next = { ...settings };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'eventDelayMs') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_EVENT_DELAY_MS) throw new UserError(`eventDelayMs must be a whole number of ms from 0 to ${MAX_EVENT_DELAY_MS}`);
      next.eventDelayMs = value;
    } else if (key === 'endpointUrl') {
      if (typeof value !== 'string') throw new UserError('endpointUrl must be a URL, or empty for the local chatEvents');
      const url = value.trim() === '' ? '' : readEndpointUrl(value.trim(), 'endpointUrl');
      if (url && !LOOPBACK.has(new URL(url).hostname)) throw new UserError('from the page, endpointUrl must be on this machine (127.0.0.1 or localhost); use npm start -- --endpoint=URL for another host');
      next.endpointUrl = url;
    } else {
      throw new UserError(`unknown setting ${key}`);
    }
  }
  return Object.assign(settings, next);
}

/**
 * Delivers as the settings say: held for the current delay, to the current endpoint (the
 * simulator's own connection, `transport`, when none is set). Each endpoint gets a Deliver of its
 * own, so an add-on's card actions must name that endpoint.
 */
export function withSettings(options: { eventsUrl: string; token: () => string; transport: Deliver }, settings: SimulatorSettings): Deliver {
  const byUrl = new Map<string, Deliver>([[options.eventsUrl, options.transport]]);
  const deliverTo = (url: string) => {
    let d = byUrl.get(url);
    if (!d) byUrl.set(url, (d = createDeliver({ eventsUrl: url, token: options.token })));
    return d;
  };
  return async (event, to) => {
    if (settings.eventDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.eventDelayMs));
    const url = settings.endpointUrl || options.eventsUrl;
    return deliverTo(url)(event, to === options.eventsUrl ? url : to);
  };
}
