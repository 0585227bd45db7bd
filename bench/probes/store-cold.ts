/**
 * Run in a fresh process (bench/ab.ts `store`): what the store costs a cold instance's first vote,
 * without the framework or the app: the compile cache as the entry module enables it, then
 * `require` of @google-cloud/firestore, a client and its first `getAll` (channel, protos), then a
 * first batch commit. Prints the CPU time (user + system) and wall time of each step, as JSON.
 * Usage: node store-cold.js   (FIRESTORE_EMULATOR_HOST and GOOGLE_CLOUD_PROJECT set)
 */
import { randomUUID } from 'node:crypto';
import { useCompileCache } from '../../functions/compile-cache';

useCompileCache();

async function main(): Promise<void> {
  const steps: Record<string, { cpuMs: number; ms: number }> = {};
  let cpu = process.cpuUsage();
  let wall = process.hrtime.bigint();
  const step = (name: string) => {
    const c = process.cpuUsage(cpu);
    steps[name] = { cpuMs: Math.round((c.user + c.system) / 100) / 10, ms: Math.round(Number(process.hrtime.bigint() - wall) / 1e5) / 10 };
    cpu = process.cpuUsage();
    wall = process.hrtime.bigint();
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Firestore } = require('@google-cloud/firestore') as typeof import('@google-cloud/firestore');
  step('require');
  const db = new Firestore({ projectId: process.env.GOOGLE_CLOUD_PROJECT, ignoreUndefinedProperties: true });
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
