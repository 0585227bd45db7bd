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
}
