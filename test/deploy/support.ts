/**
 * Offline readers for the deployment files: the Terraform configuration (parsed with
 * @cdktf/hcl2json, the HCL parser Terraform itself uses, compiled to WebAssembly), cloudbuild.yaml,
 * the dry run of scripts/deploy.mjs, and the configuration contract in shared/config.ts.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError } from '../../shared/errors';

export const REPO_ROOT = join(__dirname, '..', '..');
export const TERRAFORM_DIR = join(REPO_ROOT, 'terraform');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Block = Record<string, Json>;

/** All *.tf files of terraform/ merged the way Terraform merges a module's files. */
export interface TerraformConfig {
  /** The module's directory (`path.module`). */
  dir: string;
  resources: Record<string, Record<string, Block>>;
  data: Record<string, Record<string, Block>>;
  variables: Record<string, Block>;
  locals: Record<string, Json>;
  outputs: Record<string, Block>;
  checks: Record<string, Block>;
  terraform: Block[];
  providers: Record<string, Block>;
}

/**
 * Parses every *.tf file with @cdktf/hcl2json in a separate Node process: its Go/WebAssembly runtime
 * is slow inside Jest's sandbox and keeps the worker alive afterwards.
 */
function parseTerraformFiles(dir: string): Record<string, Record<string, Json>> {
  const script = `
    const { parse } = require(${JSON.stringify(require.resolve('@cdktf/hcl2json'))});
    const fs = require('fs');
    const path = require('path');
    (async () => {
      const dir = process.env.TF_DIR;
      const out = {};
      for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort()) {
        out[f] = await parse(f, fs.readFileSync(path.join(dir, f), 'utf8'));
      }
      process.stdout.write(JSON.stringify(out));
      process.exit(0);
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const output = execFileSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, TF_DIR: dir },
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(output) as Record<string, Record<string, Json>>;
}

export async function loadTerraform(dir = TERRAFORM_DIR): Promise<TerraformConfig> {
  const config: TerraformConfig = { dir, resources: {}, data: {}, variables: {}, locals: {}, outputs: {}, checks: {}, terraform: [], providers: {} };
  const parsedFiles = parseTerraformFiles(dir);
  const files = Object.keys(parsedFiles);
  for (const file of files) {
    const parsed = parsedFiles[file];
    const named = (section: Json, into: Record<string, Block>, what: string) => {
      for (const [name, blocks] of Object.entries((section ?? {}) as Record<string, Block[]>)) {
        if (into[name]) throw new Error(`${what} "${name}" is declared twice (again in ${file})`);
        into[name] = blocks[0];
      }
    };
    const typed = (section: Json, into: Record<string, Record<string, Block>>, what: string) => {
      for (const [type, byName] of Object.entries((section ?? {}) as Record<string, Json>)) {
        named(byName, (into[type] ??= {}), `${what} ${type}`);
      }
    };
    typed(parsed.resource, config.resources, 'resource');
    typed(parsed.data, config.data, 'data');
    named(parsed.variable, config.variables, 'variable');
    named(parsed.output, config.outputs, 'output');
    named(parsed.check, config.checks, 'check');
    named(parsed.provider, config.providers, 'provider');
    for (const block of (parsed.locals ?? []) as Block[]) {
      for (const [name, value] of Object.entries(block)) {
        if (name in config.locals) throw new Error(`local "${name}" is declared twice (again in ${file})`);
        config.locals[name] = value;
      }
    }
    config.terraform.push(...((parsed.terraform ?? []) as Block[]));
  }
  return config;
}

/** The one nested block `name` of a block (hcl2json turns every nested block into a list). */
export function nested(block: Block, name: string): Block {
  const value = block[name];
  if (!Array.isArray(value) || value.length !== 1) throw new Error(`expected exactly one "${name}" block, got ${JSON.stringify(value)}`);
  return value[0] as Block;
}

/** Splits "a-${x}-b" into literal and expression parts (expressions may nest braces and strings). */
function templateParts(text: string): Array<{ literal: string } | { expression: string }> {
  const parts: Array<{ literal: string } | { expression: string }> = [];
  let i = 0;
  let literal = '';
  while (i < text.length) {
    if (text.startsWith('${', i)) {
      const end = closingBrace(text, i);
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ expression: text.slice(i + 2, end) });
      i = end + 1;
    } else {
      literal += text[i++];
    }
  }
  if (literal) parts.push({ literal });
  return parts;
}

/** The expression of a value that is exactly one interpolation ("${local.x}" -> "local.x"), else undefined. */
export function expressionOf(value: Json | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = templateParts(value);
  return parts.length === 1 && 'expression' in parts[0] ? parts[0].expression.trim() : undefined;
}

/** Index of the "}" closing the "${" that starts at `start` (skips nested braces and strings). */
function closingBrace(text: string, start: number): number {
  let depth = 1;
  let j = start + 2;
  let quote = false;
  while (j < text.length) {
    const c = text[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j;
    j++;
  }
  throw new Error(`unbalanced \${ in ${text}`);
}

/**
 * HCL expression -> JavaScript: references become calls, "a-${x}" strings become template literals
 * (recursively). Only the subset the evaluator documents is meant to survive this.
 */
function toJavaScript(source: string): string {
  const rename = (code: string) =>
    code
      .replace(/\bvar\.(\w+)/g, '__var("$1")')
      .replace(/\blocal\.(\w+)/g, '__local("$1")')
      .replace(/\bdata\.([\w.]+)/g, '__data("$1")')
      .replace(/\bpath\.module\b/g, '__module');
  let out = '';
  let code = '';
  let i = 0;
  while (i < source.length) {
    if (source[i] !== '"') {
      code += source[i++];
      continue;
    }
    out += rename(code);
    code = '';
    let template = '`';
    let j = i + 1;
    while (source[j] !== '"') {
      if (j >= source.length) throw new Error(`unterminated string in ${source}`);
      if (source[j] === '\\') {
        template += source.slice(j, j + 2);
        j += 2;
      } else if (source.startsWith('${', j)) {
        const end = closingBrace(source, j);
        template += `\${${toJavaScript(source.slice(j + 2, end))}}`;
        j = end + 1;
      } else {
        template += source[j] === '`' ? '\\`' : source[j];
        j++;
      }
    }
    out += `${template}\``;
    i = j + 1;
  }
  return out + rename(code);
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  tostring: (v) => (v === null ? null : String(v)),
  tonumber: (v) => (v === null ? null : Number(v)),
  coalesce: (...values) => values.find((v) => v !== null && v !== undefined && v !== ''),
  file: (path) => readFileSync(String(path), 'utf8'),
  jsondecode: (text) => JSON.parse(String(text)),
};

/**
 * Evaluates the small subset of Terraform expressions the configuration uses for its values:
 * references to variables, locals, data and path.module, string templates, attribute access, ==, !=,
 * ?:, &&, || and tostring, tonumber, coalesce, file, jsondecode. (That subset is also valid JavaScript once the references are renamed.)
 * Anything else (for expressions, resource attributes known only after apply) throws.
 */
export class TerraformEvaluator {
  private readonly cache = new Map<string, unknown>();

  constructor(
    private readonly config: TerraformConfig,
    private readonly inputs: Record<string, unknown> = {},
    private readonly dataValues: Record<string, unknown> = {},
  ) {}

  variable(name: string): unknown {
    if (name in this.inputs) return this.inputs[name];
    const declared = this.config.variables[name];
    if (!declared) throw new Error(`undeclared variable var.${name}`);
    if (!('default' in declared)) throw new Error(`var.${name} has no default and no input was given`);
    return declared.default;
  }

  local(name: string): unknown {
    if (!this.cache.has(name)) {
      if (!(name in this.config.locals)) throw new Error(`undeclared local.${name}`);
      this.cache.set(name, this.value(this.config.locals[name]));
    }
    return this.cache.get(name);
  }

  value(raw: Json | undefined): unknown {
    if (Array.isArray(raw)) return raw.map((v) => this.value(v));
    if (raw !== null && typeof raw === 'object') return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, this.value(v)]));
    if (typeof raw !== 'string') return raw;
    const parts = templateParts(raw);
    if (parts.length === 1 && 'expression' in parts[0]) return this.expression(parts[0].expression);
    return parts.map((p) => ('literal' in p ? p.literal : String(this.expression(p.expression)))).join('');
  }

  expression(source: string): unknown {
    const references = source.replace(/"[^"]*"/g, '""').replace(/\bdata\.[\w.]+/g, '').replace(/\bpath\.module\b/g, '');
    if (/\bfor\s+\w+/.test(source) || /\b(google_\w+|terraform_data|each|count|path)\./.test(references)) {
      throw new Error(`cannot evaluate offline: ${source}`);
    }
    const js = toJavaScript(source);
    const fn = new Function('__var', '__local', '__data', '__module', ...Object.keys(FUNCTIONS), `"use strict"; return (${js});`);
    return fn(
      (n: string) => this.variable(n),
      (n: string) => this.local(n),
      (path: string) => {
        if (!(path in this.dataValues)) throw new Error(`no offline value for data.${path}`);
        return this.dataValues[path];
      },
      this.config.dir,
      ...Object.values(FUNCTIONS),
    );
  }
}

// ── shared/config.ts: the configuration contract ───────────────────────────────────────────────

export interface EnvContract {
  /** Every variable each loader reads. */
  reads: { events: Set<string>; worker: Set<string>; webhooks: Set<string>; pubsub: Set<string> };
  /** The code's default for JOBS_TOPIC. */
  jobsTopicDefault: string;
}

/**
 * Which variables a loader cannot do without, found by running it: start from an empty environment
 * and add, one at a time, the variable each ConfigError names, taking its value from `supply`.
 * `missing` lists a required variable `supply` does not have (the loader would throw on deploy).
 */
export function requiredVariables(
  load: (env: Record<string, string>) => unknown,
  supply: Record<string, string>,
): { required: string[]; missing: string[] } {
  const env: Record<string, string> = {};
  const required: string[] = [];
  for (;;) {
    try {
      load(env);
      return { required, missing: [] };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      if (err.variable in env) throw err; // the supplied value itself is rejected
      if (!(err.variable in supply)) return { required, missing: [err.variable] };
      env[err.variable] = supply[err.variable];
      required.push(err.variable);
    }
  }
}

function functionBody(source: string, header: RegExp): string {
  const start = source.search(header);
  if (start === -1) throw new Error(`shared/config.ts: ${header} not found`);
  const rest = source.slice(start + 1);
  const next = rest.search(/\n(export )?function /);
  return next === -1 ? source.slice(start) : source.slice(start, start + 1 + next);
}

/**
 * Reads shared/config.ts's source: which names each loader reads (following the file's own helpers
 * a loader calls with `env`, such as loadBase), and the topic default.
 */
export function readEnvContract(source = readFileSync(join(REPO_ROOT, 'shared', 'config.ts'), 'utf8')): EnvContract {
  const helpers = new Set([...source.matchAll(/\nfunction (\w+)\(env: Env/g)].map((m) => m[1]));
  const scan = (name: string, seen = new Set<string>()): Set<string> => {
    seen.add(name);
    const body = functionBody(source, new RegExp(`function ${name}\\(`));
    const reads = new Set<string>();
    for (const m of body.matchAll(/name:\s*'([A-Z][A-Z0-9_]*)'/g)) reads.add(m[1]);
    for (const m of body.matchAll(/(?:raw|topicId)\(env,\s*'([A-Z][A-Z0-9_]*)'/g)) reads.add(m[1]);
    for (const m of body.matchAll(/\b(\w+)\(env\b/g)) {
      if (helpers.has(m[1]) && !seen.has(m[1])) for (const r of scan(m[1], seen)) reads.add(r);
    }
    return reads;
  };
  const jobsTopicDefault = /topicId\(env,\s*'JOBS_TOPIC',\s*'([^']+)'\)/.exec(source)?.[1];
  if (!jobsTopicDefault) throw new Error("shared/config.ts: the JOBS_TOPIC default (topicId(env, 'JOBS_TOPIC', '...')) was not found");
  return {
    reads: { events: scan('loadEventsConfig'), worker: scan('loadWorkerConfig'), webhooks: scan('loadWebhooksConfig'), pubsub: scan('loadPubsubConfig') },
    jobsTopicDefault,
  };
}

// ── TTL fields the code writes ──────────────────────────────────────────────────────────────────

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (path.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Every field the code filters or orders a Firestore query by (`.where('f', …)`, `.orderBy('f')`) in shared/ and functions/. */
export function findQueriedFields(): string[] {
  const files = [...sourceFiles(join(REPO_ROOT, 'shared')), ...sourceFiles(join(REPO_ROOT, 'functions'))];
  const fields = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\.(?:where|orderBy)\(\s*'([^']+)'/g)].map((m) => m[1]));
  return [...new Set(fields)].sort();
}

export interface TtlWrite {
  file: string;
  field: string;
  /** Collections the same file reads or writes (string literals and string constants resolved). */
  collections: string[];
}

/**
 * Finds Firestore writes of TTL-style timestamp fields (`expireAt: new Date(...)` and the like) in
 * shared/ and functions/, with the collections the same file works on.
 */
export function findTtlWrites(): TtlWrite[] {
  const files = [...sourceFiles(join(REPO_ROOT, 'shared')), ...sourceFiles(join(REPO_ROOT, 'functions'))];
  const sources = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  const constants = new Map<string, string>();
  for (const text of sources.values()) {
    for (const m of text.matchAll(/const\s+([A-Z][A-Z0-9_]*)\s*=\s*'([^']+)'/g)) constants.set(m[1], m[2]);
  }
  const writes: TtlWrite[] = [];
  for (const [file, text] of sources) {
    const fields = new Set<string>();
    for (const m of text.matchAll(/\b(expire[A-Za-z]*|ttl[A-Za-z]*At|deleteAt)\s*:\s*(new Date\(|Timestamp\.|FieldValue\.)/g)) fields.add(m[1]);
    if (fields.size === 0) continue;
    const collections = new Set<string>();
    for (const m of text.matchAll(/\.collection(?:Group)?\(\s*(?:'([^']+)'|"([^"]+)"|([A-Z][A-Z0-9_]*))\s*\)/g)) {
      const name = m[1] ?? m[2] ?? constants.get(m[3]);
      if (name) collections.add(name);
    }
    for (const field of fields) writes.push({ file: relative(REPO_ROOT, file), field, collections: [...collections] });
  }
  return writes;
}

// ── Cloud Build substitutions ─────────────────────────────────────────────────────────────────────────────

/** Replaces $VAR and ${VAR} the way Cloud Build does ($$ is a literal $), dynamically (substitutions may refer to others). */
export function substitute(text: string, values: Record<string, string>): string {
  let out = text;
  for (let round = 0; round < 5; round++) {
    const next = out.replace(/\$\$|\$\{([A-Z_][A-Z0-9_]*)\}|\$([A-Z_][A-Z0-9_]*)/g, (all, braced?: string, bare?: string) => {
      if (all === '$$') return '\u0000';
      const name = (braced ?? bare) as string;
      if (!(name in values)) throw new Error(`cloudbuild.yaml uses $${name}, which is neither built in nor in substitutions`);
      return values[name];
    });
    if (next === out) break;
    out = next;
  }
  return out.replace(/\u0000/g, '$');
}

// ── A gcloud command line, parsed ───────────────────────────────────────────────────────────────

export interface GcloudCommand {
  /** Positional words, e.g. ["functions", "deploy", "chat-events"]. */
  words: string[];
  /** --flag=value (value true for a bare --flag). */
  flags: Record<string, string | true>;
}

export function parseGcloud(args: string[]): GcloudCommand {
  const words: string[] = [];
  const flags: Record<string, string | true> = {};
  for (const arg of args[0] === 'gcloud' ? args.slice(1) : args) {
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq === -1) flags[arg.slice(2)] = true;
      else flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else {
      words.push(arg);
    }
  }
  return { words, flags };
}

/** Splits one POSIX shell line into words (single and double quotes, backslash escapes, no expansions). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      current += line[++i] ?? '';
      inWord = true;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw new Error(`unterminated quote in: ${line}`);
      current += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      while (line[j] !== '"') {
        if (line[j] === '\\') j++;
        current += line[j++];
      }
      i = j;
      inWord = true;
    } else if (c === ' ') {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** The gcloud commands `node scripts/deploy.mjs --dry-run ...` prints. */
export function deployDryRun(args: string[], env: Record<string, string> = {}): GcloudCommand[] {
  const output = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'deploy.mjs'), '--dry-run', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return output
    .split('\n')
    .filter((line) => line.startsWith('gcloud '))
    .map((line) => parseGcloud(shellWords(line)));
}

/**
 * "--set-env-vars=A=1,B=2" (or gcloud's "^;^A=1;B=2") -> { A: "1", B: "2" }. An empty value is how
 * cloudbuild.yaml leaves an optional variable unset (the code treats blank as unset), so it is dropped.
 */
export function envVarsFlag(value: string | true | undefined): Record<string, string> {
  if (typeof value !== 'string') throw new Error('--set-env-vars is missing');
  const custom = /^\^(.)\^/.exec(value);
  const list = custom ? value.slice(3) : value;
  return Object.fromEntries(
    list.split(custom ? custom[1] : ',').filter((pair) => !pair.endsWith('=')).map((pair) => {
      const eq = pair.indexOf('=');
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}
