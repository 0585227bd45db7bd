/**
 * Everything runs on the runtime the functions deploy on: jest's workers, the functions-framework
 * processes the tests spawn, and `npm test` / `npm start` refuse an older Node with how to get 22.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFunctionProcess } from '../helpers/worker-process';

const ROOT = join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { nodeProblem } = require(join(ROOT, 'scripts', 'check-node.js')) as { nodeProblem(version: string): string | undefined };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(join(ROOT, 'package.json')) as { engines: { node: string }; scripts: Record<string, string> };

const major = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);

test('jest runs on Node 22 or newer', () => {
  expect(major(process.version)).toBeGreaterThanOrEqual(22);
});

test('a function process spawned by the tests runs on Node 22 or newer', async () => {
  // A preload inside the function's own process prints the version it runs on.
  const probe = join(mkdtempSync(join(tmpdir(), 'node-version-')), 'probe.js');
  writeFileSync(probe, 'console.log(JSON.stringify({ runtimeVersion: process.version }));\n');
  const fn = await startFunctionProcess('chatEvents', {
    NODE_OPTIONS: `--require ${probe}`,
    GOOGLE_CLOUD_PROJECT: 'node-version',
    CHAT_AUDIENCE_MODE: 'project-number',
    CHAT_AUDIENCE: '123456789012',
  });
  try {
    const reported = fn.logs().find((l) => typeof l.runtimeVersion === 'string')?.runtimeVersion as string;
    expect(reported).toBe(process.version);
    expect(major(reported)).toBeGreaterThanOrEqual(22);
  } finally {
    await fn.stop();
  }
});

test('package.json supports Node 22 or newer and checks it before start, test and bench', () => {
  expect(pkg.engines.node).toBe('>=22');
  for (const script of ['prestart', 'pretest', 'prebench']) expect(pkg.scripts[script]).toBe('node scripts/check-node.js');
});

test.each(['20.20.2', '18.19.0'])('Node %s is refused with how to install 22', (version) => {
  const problem = nodeProblem(version);
  expect(problem).toContain(`this is Node ${version}`);
  expect(problem).toContain('https://nodejs.org');
  expect(problem).toContain('source scripts/node22.sh');
});

test.each(['22.0.0', '22.23.3', '24.1.0'])('Node %s passes', (version) => {
  expect(nodeProblem(version)).toBeUndefined();
});
