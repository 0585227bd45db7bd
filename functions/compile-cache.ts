/**
 * Node's own compile cache (V8 code cache per module, `module.enableCompileCache`), read from the
 * folder `gcp-build` fills (build-compile-cache.ts) so that a cold instance skips compiling the
 * store and Chat API libraries the first side-effect event loads. Imported first by index.ts: only
 * modules compiled after this point use it. No folder (a plain `npm run build`), no cache.
 *
 * Node keys each entry by the file's path and checks its content hash, the Node version and V8's
 * flags, so a stale or foreign cache is ignored, never wrong. The build image and the runtime image
 * of the nodejs22 runtime are meant to carry the same Node build, and the app sits at the same path
 * (/workspace) in both; [U] Google does not state that the two Node builds match patch for patch,
 * and automatic base image updates can move the runtime's Node without a rebuild: then Node
 * rejects the cache and the instance compiles as it did without one, until the next deploy.
 */
import { existsSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';

/** `dist/.compile-cache`: inside the built app, so it is part of the deployed image. */
export const COMPILE_CACHE_DIR = join(__dirname, '..', '.compile-cache');

export function useCompileCache(dir: string = COMPILE_CACHE_DIR): void {
  if (existsSync(dir)) enableCompileCache(dir);
}
