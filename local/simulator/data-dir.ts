/**
 * `npm start -- --data-dir=DIR`: what a session made survives a restart. DIR holds one state file
 * (the local Chat API's spaces, members and messages; the simulator's people, notes and recorded
 * steps) and the Firestore emulator's latest export, which the state file names. Every save
 * writes a new export, then the state file (a temporary file renamed over the old one, so a crash
 * leaves the last whole save), then removes older exports. Reading refuses, with a message, a
 * directory that holds other things or a state file that is not one.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { errorMessage } from '../../shared/errors';
import { readSnapshot, type SpaceSnapshot } from '../chat-api/snapshot';
import { readSimulatorSnapshot, type SimulatorSnapshot } from './snapshot';

export const STATE_FILE = 'chat-app-state.json';
const FORMAT = 'npm-start-data-dir';
const EXPORT_PREFIX = 'firestore-';

export class DataDirError extends Error {}

export interface SavedState {
  chatApi: SpaceSnapshot[];
  simulator: SimulatorSnapshot;
}

export interface DataDir {
  dir: string;
  /** What the last run saved; none in a new directory. */
  saved?: SavedState;
  /** The Firestore export to start the emulator from (its `.overall_export_metadata` file). */
  firestoreImport?: string;
}

const check = <T>(what: string, read: () => T): T => {
  try {
    return read();
  } catch (err) {
    throw new DataDirError(`${what}: ${errorMessage(err)}`);
  }
};

/** Opens DIR (making it if new); a DataDirError says why it cannot be used. */
export function openDataDir(path: string): DataDir {
  const dir = resolve(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  if (!statSync(dir).isDirectory()) throw new DataDirError(`--data-dir: ${dir} is not a directory`);
  const entries = readdirSync(dir).filter((e) => e !== `${STATE_FILE}.tmp`);
  if (!entries.includes(STATE_FILE)) {
    if (entries.length === 0) return { dir };
    throw new DataDirError(`--data-dir: ${dir} is not a data directory of npm start (it holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''} and no ${STATE_FILE}). Give a new or empty directory, or one an earlier npm start -- --data-dir used.`);
  }
  const file = join(dir, STATE_FILE);
  const corrupt = `--data-dir: ${file} is corrupt (move the directory away to start afresh)`;
  const value = check(corrupt, () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
  if (typeof value !== 'object' || value === null || value.format !== FORMAT) throw new DataDirError(`--data-dir: ${file} is not the state of npm start (format ${FORMAT})`);
  if (value.version !== 1) throw new DataDirError(`--data-dir: ${file} is version ${String(value.version)}; this npm start reads version 1`);
  const saved = { chatApi: check(corrupt, () => readSnapshot(value.chatApi)), simulator: check(corrupt, () => readSimulatorSnapshot(value.simulator)) };
  const firestore = value.firestore;
  if (firestore === undefined) return { dir, saved };
  if (typeof firestore !== 'string' || isAbsolute(firestore) || normalize(firestore).startsWith('..') || !existsSync(join(dir, firestore))) {
    throw new DataDirError(`${corrupt}: its Firestore export ${JSON.stringify(firestore)} is missing`);
  }
  return { dir, saved, firestoreImport: join(dir, firestore) };
}

/** The Firestore emulator writes everything it holds into a new directory of DIR; returns the export's metadata file, relative to DIR. */
async function exportFirestore(dir: string, firestoreHost: string, projectId: string): Promise<string> {
  const name = `${EXPORT_PREFIX}${Date.now()}-${randomBytes(3).toString('hex')}`;
  mkdirSync(join(dir, name));
  // The emulator's own export (what firebase-tools calls): its --export-on-exit wrote nothing when
  // stopped by a signal here, so the stack exports itself, on each change and at shutdown.
  const res = await fetch(`http://${firestoreHost}/emulator/v1/projects/${projectId}:export`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ database: `projects/${projectId}/databases/(default)`, export_directory: join(dir, name) }),
  });
  if (!res.ok) throw new Error(`the Firestore emulator's export answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const [inner] = readdirSync(join(dir, name));
  return join(name, inner, `${inner}.overall_export_metadata`);
}

/** Saves `state` and a fresh Firestore export into DIR (see the top of this file). */
export async function saveDataDir(dir: string, state: SavedState, firestore: { host: string; projectId: string }): Promise<void> {
  const exported = await exportFirestore(dir, firestore.host, firestore.projectId);
  const temp = join(dir, `${STATE_FILE}.tmp`);
  writeFileSync(temp, JSON.stringify({ format: FORMAT, version: 1, savedAt: new Date().toISOString(), firestore: exported, ...state }));
  renameSync(temp, join(dir, STATE_FILE));
  const current = exported.split(/[\\/]/)[0];
  for (const e of readdirSync(dir)) if (e.startsWith(EXPORT_PREFIX) && e !== current) rmSync(join(dir, e), { recursive: true, force: true });
}
