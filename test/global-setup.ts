import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPrerequisites, startEmulator, warmUpFirestore, type RunningEmulator } from '../local/emulators';

declare global {
  // eslint-disable-next-line no-var
  var __EMULATORS__: RunningEmulator[] | undefined;
}

/** Starts both emulators once for the whole run; workers inherit the env vars set here. */
export default async function globalSetup(): Promise<void> {
  checkPrerequisites(['firestore', 'pubsub']);
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-app-emulators-'));
  const [firestore, pubsub] = await Promise.all([
    startEmulator('firestore', { dataDir }),
    startEmulator('pubsub', { dataDir }),
  ]);
  globalThis.__EMULATORS__ = [firestore, pubsub];
  // Each test file reports how many payloads it checked against Google's schema (test/schema/setup.ts).
  process.env.SCHEMA_REPORT_DIR = mkdtempSync(join(tmpdir(), 'chat-app-schema-'));
  process.env.FIRESTORE_EMULATOR_HOST = firestore.host;
  process.env.PUBSUB_EMULATOR_HOST = pubsub.host;
  process.env.METADATA_SERVER_DETECTION = 'none';
  await warmUpFirestore(firestore.host);
}
