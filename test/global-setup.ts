import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEmulators, type TestEmulators } from '../local/emulators';

declare global {
  // eslint-disable-next-line no-var
  var __EMULATORS__: TestEmulators | undefined;
}

/** Starts both emulators once for the whole run; workers inherit the env vars set here. */
export default async function globalSetup(): Promise<void> {
  const emulators = await startTestEmulators();
  globalThis.__EMULATORS__ = emulators;
  Object.assign(process.env, emulators.env);
  // Each test file reports how many payloads it checked against Google's schema (test/schema/setup.ts).
  process.env.SCHEMA_REPORT_DIR = mkdtempSync(join(tmpdir(), 'chat-app-schema-'));
  // The projects tests write to and the secrets answers showed, for the at-rest scan at the end.
  process.env.AT_REST_DIR = mkdtempSync(join(tmpdir(), 'chat-app-at-rest-'));
}
