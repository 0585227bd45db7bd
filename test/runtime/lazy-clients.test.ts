/**
 * A pure command's cold start must not wait for a store or API client it does not use (README,
 * Performance): loading an entry point's module, as the functions-framework does at start, loads
 * none of Google's clients; each is loaded on first use. A value import of one of them anywhere on
 * the module graph (say, `FieldValue` from a store module) adds about half a second of CPU to every
 * cold start, which no functional test notices.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLIENTS = ['@google-cloud/firestore', '@google-cloud/pubsub', '@googleapis/chat', 'google-auth-library', 'google-gax', '@grpc/grpc-js'];

/** The client packages in `require.cache` right after the built entry module is loaded, in a fresh process. */
function clientsLoadedBy(entry: string, env: Record<string, string>): string[] {
  const probe = `
    require(${JSON.stringify(join(ROOT, 'dist', 'functions', entry))});
    const clients = ${JSON.stringify(CLIENTS)};
    const loaded = clients.filter((c) => Object.keys(require.cache).some((k) => k.includes('/node_modules/' + c + '/')));
    process.stdout.write(JSON.stringify(loaded));
    process.exit(0);`;
  const out = execFileSync(process.execPath, ['-e', probe], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', METADATA_SERVER_DETECTION: 'none', GOOGLE_CLOUD_PROJECT: 'lazy-clients', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

test.each([
  ['chat-events.js', { CHAT_AUDIENCE_MODE: 'project-number', CHAT_AUDIENCE: '123456789012' }],
  ['chat-webhooks.js', {}],
  ['chat-pubsub.js', {}],
])('loading %s loads none of the clients', (entry, env) => {
  expect(clientsLoadedBy(entry, env)).toEqual([]);
});
