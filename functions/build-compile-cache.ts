/**
 * Fills the compile cache (compile-cache.ts) at build time: `npm run gcp-build` runs this after
 * tsc, in the folder Cloud Functions' buildpack deploys, so the cache is in the image. It loads what
 * a cold instance loads: every entry point (with a placeholder configuration), then the store,
 * queue and Chat API libraries, and makes one call with each against a closed loopback port so
 * that the modules they load on their first call are compiled too. Nothing leaves the machine.
 *
 * Run by hand: `node dist/functions/build-compile-cache.js` (after `npm run build`).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { enableCompileCache, flushCompileCache } from 'node:module';
import { errorMessage } from '../shared/errors';
import { COMPILE_CACHE_DIR } from './compile-cache';

/** A port nothing listens on: every call fails at once with ECONNREFUSED. */
const CLOSED = '127.0.0.1:9';

const PLACEHOLDER_ENV: Record<string, string> = {
  GOOGLE_CLOUD_PROJECT: 'compile-cache-build',
  CHAT_AUDIENCE_MODE: 'project-number',
  CHAT_AUDIENCE: '1',
  CHAT_API_ROOT_URL: `http://${CLOSED}`,
  FIRESTORE_EMULATOR_HOST: CLOSED,
  PUBSUB_EMULATOR_HOST: CLOSED,
  METADATA_SERVER_DETECTION: 'none',
};

/** Waits for `work` at most `ms`: a failed first call is expected, and its retries are not waited for. */
const settle = (work: Promise<unknown>, ms: number) => Promise.race([work.catch(() => undefined), new Promise((r) => setTimeout(r, ms))]);

async function main(): Promise<void> {
  rmSync(COMPILE_CACHE_DIR, { recursive: true, force: true });
  mkdirSync(COMPILE_CACHE_DIR, { recursive: true });
  const status = enableCompileCache(COMPILE_CACHE_DIR);
  if (status.status !== 1) throw new Error(`compile cache not enabled: ${status.message ?? status.status}`);
  Object.assign(process.env, PLACEHOLDER_ENV);
  delete process.env.FUNCTION_TARGET;
  require('./index');
  const { lazyFirestore } = await import('../shared/stores/firestore');
  const db = await lazyFirestore(PLACEHOLDER_ENV.GOOGLE_CLOUD_PROJECT)();
  const doc = db.doc('cache/build');
  await settle(db.getAll(doc), 1000);
  await settle(db.batch().create(doc, { at: 1 }).commit(), 1000);
  const { createChatApi } = await import('../shared/chat-api/client');
  await settle(createChatApi({ rootUrl: PLACEHOLDER_ENV.CHAT_API_ROOT_URL, timeoutMs: 1000 }).getMessage('spaces/a/messages/b'), 1000);
  const { PubSub } = await import('@google-cloud/pubsub');
  await settle(new PubSub({ projectId: PLACEHOLDER_ENV.GOOGLE_CLOUD_PROJECT }).topic('t').publishMessage({ data: Buffer.from('x') }), 1000);
  flushCompileCache();
}

main().then(
  () => process.exit(0),
  // The cache only saves start time: a build without it still deploys a working app, so say why and go on.
  (err: unknown) => {
    process.stderr.write(`compile cache not built (cold starts will compile every module): ${errorMessage(err)}\n`);
    rmSync(COMPILE_CACHE_DIR, { recursive: true, force: true });
    process.exit(0);
  },
);
