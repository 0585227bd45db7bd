/**
 * TypeScript 7's native compiler, for the mutation run's type checker only (stryker.config.mjs:
 * `typescriptChecker.experimentalNativePreview`, which imports `@typescript/native/unstable/sync`).
 *
 * Not a devDependency: its package is `typescript` again, whose `tsc` bin would take the place of the
 * project's TypeScript 6 (ts-jest needs it below 7) in every npm script, the deploy's `gcp-build`
 * included (seen: `npx tsc --version` said 7.0.2 after `npm install -D @typescript/native@npm:typescript@7`,
 * and its JavaScript differs from 6's in 1,064 lines of dist/). So it is installed once under .tools
 * and linked where the checker imports it from, with no bin.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The release the checker runs; its API is the preview's "unstable" one, so it is pinned. */
export const NATIVE_TYPESCRIPT = '7.0.2';

export function ensureNativeTypescript(root = process.cwd()) {
  const link = join(root, 'node_modules', '@typescript', 'native');
  if (existsSync(join(link, 'package.json'))) return;
  const prefix = join(root, '.tools', `typescript-${NATIVE_TYPESCRIPT}`);
  const installed = join(prefix, 'node_modules', 'typescript');
  if (!existsSync(join(installed, 'package.json'))) {
    console.log(`mutation: installing TypeScript ${NATIVE_TYPESCRIPT} (the native compiler) into ${relative(root, prefix)} for the type checker`);
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `typescript@${NATIVE_TYPESCRIPT}`], { stdio: 'inherit' });
  }
  mkdirSync(join(link, '..'), { recursive: true });
  // A link left dangling (its .tools copy removed) is replaced.
  rmSync(link, { recursive: true, force: true });
  symlinkSync(relative(join(link, '..'), resolve(installed)), link, 'dir');
}
