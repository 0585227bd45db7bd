/**
 * `npm run generate`: writes the files derived from the app's FEATURES (see commands.ts).
 * `npm run generate -- --check` writes nothing and exits 1 if one of them is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURES } from '../../functions/app';
import { generatedFiles } from './commands';

const ROOT = join(__dirname, '..', '..', '..');
const check = process.argv.includes('--check');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const stale: string[] = [];
for (const file of generatedFiles(FEATURES, read)) {
  let current: string | undefined;
  try {
    current = read(file.path);
  } catch {
    current = undefined;
  }
  if (current === file.content) continue;
  stale.push(file.path);
  if (!check) writeFileSync(join(ROOT, file.path), file.content);
}

if (check && stale.length > 0) {
  console.error(`Stale, run npm run generate: ${stale.join(', ')}`);
  process.exit(1);
}
console.log(stale.length === 0 ? 'Generated files are up to date.' : `Wrote ${stale.join(', ')}.`);
