/** The deployable source: which files it is, and staging them in a folder of their own for gcloud to upload. */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './usage-error.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What Cloud Functions' buildpack needs (npm ci + gcp-build); the same lists as terraform/source.tf. */
export const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
export const SOURCE_DIRS = ['functions', 'shared'];
/** The staged files and folders, as the messages list them. */
export const SOURCE_LIST = [...SOURCE_FILES, ...SOURCE_DIRS.map((d) => `${d}/`)].join(' ');

const STAGE_MARKER = '.chat-app-deploy-source';

/** Copies the deployable files to `dir`, emptied first, but only if it is ours to empty. */
export function stageSource(target) {
  const dir = resolve(target);
  if (REPO_ROOT === dir || REPO_ROOT.startsWith(`${dir}/`) || dir.startsWith(`${REPO_ROOT}/`)) {
    throw new UsageError(`--source-dir must be outside the repository (and not contain it); got ${dir}.`);
  }
  if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(join(dir, STAGE_MARKER))) {
    throw new UsageError(`--source-dir ${dir} is not empty and was not made by this script; choose another folder.`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, STAGE_MARKER), 'Staged by scripts/deploy.mjs; emptied on every deploy.\n');
  // gcloud uploads the folder minus what .gcloudignore names: neither file is part of the source.
  writeFileSync(join(dir, '.gcloudignore'), `.gcloudignore\n${STAGE_MARKER}\nnode_modules/\n`);
  for (const entry of [...SOURCE_FILES, ...SOURCE_DIRS]) {
    const from = join(REPO_ROOT, entry);
    if (!existsSync(from)) throw new UsageError(`${entry} is missing from ${REPO_ROOT}; it is part of what is deployed.`);
    cpSync(from, join(dir, entry), { recursive: true });
  }
}
