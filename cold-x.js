const t0 = process.hrtime.bigint();
const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
const mode = process.argv[2];
const { Firestore } = require('@google-cloud/firestore');
const tLoad = ms();
const opts = { projectId: 'coldx', ignoreUndefinedProperties: true };
if (mode !== 'grpc') {
  const { OAuth2Client } = require('google-auth-library');
  const auth = new OAuth2Client(); auth.setCredentials({ access_token: 'owner', expiry_date: Date.now() + 1e12 });
  Object.assign(opts, { preferRest: true, authClient: auth });
  if (mode === 'reststub') opts.grpc = { credentials: { createInsecure: () => undefined } };
}
const db = new Firestore(opts);
(async () => {
  await db.collection('a').doc('b').get();
  const tFirst = ms();
  const b = db.batch(); b.set(db.collection('a').doc('c'), { x: 1 }); await b.commit();
  const tSecond = ms();
  const cpu = process.cpuUsage();
  const mods = Object.keys(require.cache).length;
  console.log(mode, 'load', tLoad.toFixed(0), 'firstGet', tFirst.toFixed(0), 'firstCommit', tSecond.toFixed(0), 'cpu', ((cpu.user + cpu.system) / 1000).toFixed(0), 'modules', mods, 'grpc loaded', Object.keys(require.cache).some(k=>k.includes('grpc-js')));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
