import { rmSync } from 'node:fs';
import { scanAtRest } from './helpers/at-rest';

/**
 * Before the emulators stop: no webhook secret the run issued is stored in any document any test
 * wrote (test/helpers/at-rest.ts). A secret found fails the run.
 */
export default async function globalTeardown(): Promise<void> {
  let scan: Awaited<ReturnType<typeof scanAtRest>> | undefined;
  let failure: unknown;
  try {
    scan = await scanAtRest();
  } catch (err) {
    failure = err;
  }
  await globalThis.__EMULATORS__?.stop();
  if (process.env.AT_REST_DIR) rmSync(process.env.AT_REST_DIR, { recursive: true, force: true });
  if (failure) throw failure;
  if (!scan) return;
  process.stdout.write(`at rest: ${scan.documents} documents in ${scan.projects} projects searched for ${scan.secrets} secrets shown and anything shaped like one: ${scan.found.length} found\n`);
  if (scan.found.length > 0) throw new Error(`webhook secrets stored in plain text:\n${scan.found.slice(0, 20).join('\n')}`);
}
