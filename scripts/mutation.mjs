#!/usr/bin/env node
/**
 * `npm run test:mutation [-- STRYKER_ARGS]`: starts the emulators once (Stryker calls Jest once per
 * mutant, so Jest's own globalSetup would start them hundreds of times), runs Stryker, stops them.
 * `npm run test:mutation:changed -- REF` mutates only the critical modules that differ from REF (CI).
 * Needs `npm run build` first (both npm scripts do it) for dist/local/emulators.js.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { critical } from '../stryker.config.mjs';

const require = createRequire(import.meta.url);
const { startTestEmulators } = require('../dist/local/emulators.js');

let args = process.argv.slice(2);
const changed = args.indexOf('--changed');
if (changed >= 0) {
  const ref = args[changed + 1];
  if (!ref) throw new Error('--changed needs a git ref, e.g. --changed HEAD~1');
  args = args.filter((_, i) => i !== changed && i !== changed + 1);
  const files = execFileSync('git', ['diff', '--name-only', ref, '--', ...critical.map((g) => `:(glob)${g}`)], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && existsSync(f));
  if (files.length === 0) {
    console.log(`mutation: no critical module differs from ${ref}; nothing to mutate`);
    process.exit(0);
  }
  console.log(`mutation: ${files.length} critical module(s) differ from ${ref}: ${files.join(' ')}`);
  args.push('--mutate', files.join(','));
}

const emulators = await startTestEmulators();
let stopping;
const stop = () => (stopping ??= emulators.stop());
const stryker = spawn(process.execPath, [join(dirname(require.resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js'), 'run', ...args], {
  stdio: 'inherit',
  env: { ...process.env, ...emulators.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stryker.kill(signal));
stryker.on('exit', async (code, signal) => {
  await stop();
  process.exit(code ?? (signal ? 1 : 0));
});
