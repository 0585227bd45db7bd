/**
 * What the simulator itself holds that a data directory keeps between two runs of `npm start`
 * (data-dir.ts): the people (those made in the page too), the lines only the simulator shows ("Ada
 * added Team Assistant", a failure under a message) and the session's recorded steps (Save
 * transcript still has them). Spaces, members and messages are the local Chat API's snapshot.
 * Reading checks the shape and says what is wrong.
 */
import type { PersonInfo, TimelineNote, TranscriptStep } from './protocol';
import { readTranscript, toTranscript } from './transcript';

export interface SimulatorSnapshot {
  people: PersonInfo[];
  notes: [string, TimelineNote[]][];
  appErrors: [string, string][];
  steps: TranscriptStep[];
}

const USER_NAME = /^users\/[A-Za-z0-9_-]+$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readPerson(p: unknown): PersonInfo {
  if (!isObject(p) || typeof p.name !== 'string' || !USER_NAME.test(p.name) || typeof p.displayName !== 'string' || typeof p.color !== 'string' || (p.email !== undefined && typeof p.email !== 'string')) {
    throw new Error(`a person is not one: ${JSON.stringify(p).slice(0, 80)}`);
  }
  return { name: p.name, displayName: p.displayName, color: p.color, ...(typeof p.email === 'string' ? { email: p.email } : {}) };
}

const isNote = (n: unknown): n is TimelineNote => isObject(n) && n.kind === 'note' && typeof n.id === 'string' && typeof n.text === 'string' && typeof n.createTime === 'string';

/** The simulator's part of a saved state, or an Error saying what is wrong with it. */
export function readSimulatorSnapshot(value: unknown): SimulatorSnapshot {
  if (!isObject(value) || !Array.isArray(value.people) || !Array.isArray(value.notes) || !Array.isArray(value.appErrors)) throw new Error('the simulator state lacks people, notes or appErrors');
  const people = value.people.map(readPerson);
  if (people.length === 0) throw new Error('the simulator state has no people');
  const notes = value.notes.map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1]) || !entry[1].every(isNote)) throw new Error('a space\'s notes are malformed');
    return entry as [string, TimelineNote[]];
  });
  const appErrors = value.appErrors.map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') throw new Error('a failure mark is malformed');
    return entry as [string, string];
  });
  return { people, notes, appErrors, steps: readTranscript(toTranscript(value.steps as TranscriptStep[])).steps };
}
