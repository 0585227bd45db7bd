/**
 * "No secret at rest", checked over a whole test run: every project a test writes to and every
 * webhook secret an answer showed are noted in the run's folder (`AT_REST_DIR`, made by the global
 * setup; jest runs files in separate processes), and at the end every document of every noted
 * project is read back from the Firestore emulator and searched for each secret, and for anything
 * shaped like one (`SECRET_PATTERN`: a secret a test made through the store directly, never shown).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET_PATTERN } from '../../shared/stores/webhooks';

const dir = () => process.env.AT_REST_DIR;

function note(file: 'projects' | 'secrets', values: Iterable<string>): void {
  const d = dir();
  const lines = [...values].map((v) => `${v}\n`).join('');
  // One small append per call: atomic enough for the run's few writers.
  if (d && lines) appendFileSync(join(d, file), lines);
}

export const noteProject = (projectId: string): void => note('projects', [projectId]);
export const noteSecrets = (secrets: Iterable<string>): void => note('secrets', secrets);

const noted = (file: string): string[] => {
  const d = dir();
  const path = d ? join(d, file) : undefined;
  return path && existsSync(path) ? [...new Set(readFileSync(path, 'utf8').split('\n').filter(Boolean))] : [];
};

/** A document in the REST API's JSON: strings as they are, bytes base64-encoded (decoded here). */
type RestValue = { [k: string]: unknown };
function texts(value: unknown, out: string[]): string[] {
  if (Array.isArray(value)) value.forEach((v) => texts(v, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as RestValue)) {
      if (k === 'bytesValue' && typeof v === 'string') out.push(Buffer.from(v, 'base64').toString('latin1'));
      texts(v, out);
    }
  } else if (typeof value === 'string') out.push(value);
  return out;
}

export interface AtRestScan {
  projects: number;
  documents: number;
  secrets: number;
  /** `path: what` for every secret found in a document. */
  found: string[];
}

/**
 * Reads every document of every noted project in one kindless query per project (all collections,
 * at any depth: what `recursiveDelete` uses) through the emulator's REST API.
 */
export async function scanAtRest(): Promise<AtRestScan> {
  const host = process.env.FIRESTORE_EMULATOR_HOST;
  if (!host) throw new Error('FIRESTORE_EMULATOR_HOST is not set: the scan reads the tests\' emulator');
  const projects = noted('projects');
  const secrets = noted('secrets');
  const found: string[] = [];
  let documents = 0;
  for (const project of projects) {
    const res = await fetch(`http://${host}/v1/projects/${project}/databases/(default)/documents:runQuery`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer owner' },
      body: JSON.stringify({ structuredQuery: { from: [{ allDescendants: true }] } }),
    });
    if (!res.ok) throw new Error(`reading project ${project} from the emulator: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    const rows = (await res.json()) as { document?: { name: string; fields?: unknown } }[];
    for (const { document } of rows) {
      if (!document) continue;
      documents += 1;
      const text = texts(document.fields ?? {}, []).join('\n');
      const path = document.name.replace(/^projects\/[^/]+\/databases\/\(default\)\/documents\//, `${project}: `);
      for (const secret of secrets) if (text.includes(secret)) found.push(`${path} holds an issued secret (${secret.slice(0, 10)}…)`);
      for (const m of text.matchAll(SECRET_PATTERN)) if (!secrets.includes(m[0])) found.push(`${path} holds a secret never shown (${m[0].slice(0, 10)}…)`);
    }
  }
  return { projects: projects.length, documents, secrets: secrets.length, found };
}
