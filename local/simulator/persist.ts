/**
 * Keeps a data directory saved while `npm start -- --data-dir` runs: a save one second after a
 * change (the local Chat API's, or any the page is told of: a message, a person, a space, an
 * event), one save at a time, and a last one at shutdown, before the emulators stop. A save per
 * change, not only at exit, so a crash or a kill loses at most the last second.
 */
import type { LocalChatApi } from '../chat-api';
import { errorMessage } from '../../shared/errors';
import { createLogger } from '../../shared/log';
import { saveDataDir } from './data-dir';
import type { Simulator } from '.';

const SAVE_DELAY_MS = 1000;

/** Starts saving; the function returned makes the last save and stops. */
export function keepSaved(dir: string, parts: { chatApi: LocalChatApi; simulator: Simulator; firestoreHost: string; projectId: string }): () => Promise<void> {
  const log = createLogger({ component: 'data-dir' });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const save = () => {
    timer = undefined;
    running = running.then(() =>
      saveDataDir(dir, { chatApi: parts.chatApi.snapshot(), simulator: parts.simulator.session.snapshot() }, { host: parts.firestoreHost, projectId: parts.projectId }).catch((err: unknown) =>
        log.warn('could not save the data directory', { dir, error: errorMessage(err) }),
      ),
    );
    return running;
  };
  const changed = () => {
    timer ??= setTimeout(() => void save(), SAVE_DELAY_MS);
  };
  const unsubscribe = [parts.chatApi.onChange(changed), parts.simulator.onChange(changed)];
  return async () => {
    unsubscribe.forEach((u) => u());
    clearTimeout(timer);
    await save();
  };
}
