/**
 * Run in a fresh process (bench/ab.ts `store`): what the store costs a cold instance's first vote,
 * without the framework or the app: the compile cache as the entry module enables it, then
 * `require` of @google-cloud/firestore, a client and its first `getAll` (channel, protos), then a
 * first batch commit. Prints the CPU time (user + system), wall time and modules loaded of each step,
 * as JSON.
 * Usage: node store-cold.js   (FIRESTORE_EMULATOR_HOST and GOOGLE_CLOUD_PROJECT set)
 * STORE_COLD_TRANSPORT=rest measures the client's REST transport (`preferRest`, issue 18) instead of gRPC.
 */
import { randomUUID } from 'node:crypto';
import { useCompileCache } from '../../functions/compile-cache';

useCompileCache();

/**
 * The REST transport's settings against the emulator, as close to production's as the emulator
 * allows. Two emulator-only stand-ins, each counted in the measured steps: an auth client that sends
 * the emulator's owner token (the default one looks for Google credentials, which a local run has
 * none of), and the one gRPC call the client makes for a plain-text emulator connection
 * (`credentials.createInsecure()`, which would load gRPC, the very thing REST leaves out; production
 * connects with TLS and never makes it).
 */
async function transport(): Promise<Record<string, unknown>> {
  if (process.env.STORE_COLD_TRANSPORT !== 'rest') return {};
  const { OAuth2Client } = await import('google-auth-library');
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'owner', expiry_date: Date.now() + 3_600_000 });
  return { preferRest: true, authClient, grpc: { credentials: { createInsecure: () => undefined } } };
}

async function main(): Promise<void> {
  const steps: Record<string, { cpuMs: number; ms: number; modules: number }> = {};
  let cpu = process.cpuUsage();
  let wall = process.hrtime.bigint();
  const step = (name: string) => {
    const c = process.cpuUsage(cpu);
    steps[name] = {
      cpuMs: Math.round((c.user + c.system) / 100) / 10,
      ms: Math.round(Number(process.hrtime.bigint() - wall) / 1e5) / 10,
      modules: Object.keys(require.cache).length,
    };
    cpu = process.cpuUsage();
    wall = process.hrtime.bigint();
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Firestore } = require('@google-cloud/firestore') as typeof import('@google-cloud/firestore');
  step('require');
  const db = new Firestore({ projectId: process.env.GOOGLE_CLOUD_PROJECT, ignoreUndefinedProperties: true, ...(await transport()) });
  const doc = db.collection('storeCold').doc(randomUUID());
  await db.getAll(doc, db.collection('storeCold').doc('other'));
  step('firstGetAll');
  await db.batch().create(doc, { at: Date.now() }).set(db.collection('storeCold').doc(randomUUID()), { n: 1 }).commit();
  step('firstCommit');
  await db.getAll(doc);
  step('secondGetAll');
  process.stdout.write(`${JSON.stringify(steps)}\n`);
  process.exit(0);
}

void main();
