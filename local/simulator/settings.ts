/**
 * What a developer can change while the simulator runs (the page's "Network" controls,
 * `GET/POST /api/settings`): how long each event to the app is held before it leaves, to watch
 * an event in flight or send two steps that overlap.
 */
import type { Deliver } from './deliver';
import type { SimulatorSettings } from './protocol';
import { UserError } from './user-error';


/** Below Chat's 30 s patience: a held event still gets its answer. */
export type { SimulatorSettings };

export const MAX_EVENT_DELAY_MS = 20_000;

export function defaultSettings(): SimulatorSettings {
  return { eventDelayMs: 0 };
}

/** Applies a page's change to `settings`; anything else is a 400. */
export function updateSettings(settings: SimulatorSettings, body: unknown): SimulatorSettings {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new UserError('settings must be a JSON object');
  for (const [key, value] of Object.entries(body)) {
    if (key !== 'eventDelayMs') throw new UserError(`unknown setting ${key}`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_EVENT_DELAY_MS) throw new UserError(`eventDelayMs must be a whole number of ms from 0 to ${MAX_EVENT_DELAY_MS}`);
    settings.eventDelayMs = value;
  }
  return settings;
}

/** `deliver`, each event held for the current delay first. */
export function withEventDelay(deliver: Deliver, settings: SimulatorSettings): Deliver {
  return async (event, to) => {
    if (settings.eventDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.eventDelayMs));
    return deliver(event, to);
  };
}
