/**
 * The compile cache (functions/compile-cache.ts) as deployed: `gcp-build` fills dist/.compile-cache
 * by running build-compile-cache.js, and the entry module the functions-framework loads (package.json
 * `main`) reads it, so a cold instance takes the store library's compiled code from the cache
 * instead of compiling it. Node reports each hit with NODE_DEBUG_NATIVE=COMPILE_CACHE.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const FIRESTORE_MAIN = join(ROOT, 'node_modules', '@google-cloud', 'firestore', 'build', 'src', 'index.js');

/** What Node's compile cache says while `main` loads chatEvents and then, as a first vote does, the store library. */
function cacheReport(extraEnv: Record<string, string> = {}): string {
  const probe = `
    require(${JSON.stringify(join(ROOT, require('../../package.json').main))});
    require(${JSON.stringify(join(ROOT, 'dist', 'shared', 'stores', 'firestore.js'))}).firestoreLibrary().then(() => process.exit(0));`;
  const run = spawnSync(process.execPath, ['-e', probe], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_CLOUD_PROJECT: 'compile-cache-test',
      CHAT_AUDIENCE_MODE: 'project-number',
      CHAT_AUDIENCE: '123456789012',
      FUNCTION_TARGET: 'chatEvents',
      NODE_DEBUG_NATIVE: 'COMPILE_CACHE',
      ...extraEnv,
    },
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  return run.stderr;
}

test('gcp-build builds the cache after compiling', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts['gcp-build']).toMatch(/tsc -p tsconfig\.build\.json && node dist\/functions\/build-compile-cache\.js$/);
});

test('the entry module takes the store library from the cache gcp-build built', () => {
  execFileSync(process.execPath, [join(ROOT, 'dist', 'functions', 'build-compile-cache.js')], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
  expect(cacheReport()).toContain(`cache for ${FIRESTORE_MAIN} was accepted`);
  // Switched off, the same load compiles from source: the hit above is the cache's doing.
  expect(cacheReport({ NODE_DISABLE_COMPILE_CACHE: '1' })).not.toContain('was accepted');
}, 60_000);
