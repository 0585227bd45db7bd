#!/usr/bin/env node
/**
 * Writes provider-schema.json: the arguments and nested blocks of every resource and data source
 * type terraform/ uses, read from the provider's generated CDKTF bindings (@cdktf/provider-google,
 * -google-beta and -archive are generated from each provider's `terraform providers schema`), and
 * for Terraform's built-in terraform_data from the installed terraform itself.
 *
 *   node test/deploy/provider-schema/generate.mjs
 *
 * Why a generated file and not a devDependency: @cdktf/provider-google is a 31 MB download that
 * unpacks to 307 MB (plus its cdktf and constructs peers), which every `npm ci` in CI would pay for
 * a few hundred names. This script fetches the packages with `npm pack` into a temporary folder, so
 * only the names of the types in use are committed, with the versions they came from. Run it again
 * after adding a resource type (the check says so) or moving the provider pins in versions.tf.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const TERRAFORM_DIR = resolve(HERE, '..', '..', '..', 'terraform');
/** The bindings for hashicorp/google 6.50.0, google-beta 6.50.0 and archive 2.7 (see `generatedFrom`). */
const PACKAGES = {
  google: '@cdktf/provider-google@16.12.1',
  'google-beta': '@cdktf/provider-google-beta@16.12.1',
  archive: '@cdktf/provider-archive@11.0.1',
};

/** Every `resource "type"` and `data "type"` in terraform/*.tf, with the provider a resource names. */
function typesInUse() {
  const resources = new Map();
  const data = new Set();
  for (const file of readdirSync(TERRAFORM_DIR).filter((f) => f.endsWith('.tf'))) {
    const text = readFileSync(join(TERRAFORM_DIR, file), 'utf8');
    for (const m of text.matchAll(/^resource "(\w+)" "\w+" \{([\s\S]*?)^\}/gm)) {
      const beta = /^\s*provider\s*=\s*google-beta\s*$/m.test(m[2]);
      resources.set(m[1], beta ? 'google-beta' : (resources.get(m[1]) ?? m[1].split('_')[0]));
    }
    for (const m of text.matchAll(/^data "(\w+)" "\w+"/gm)) data.add(m[1]);
  }
  return { resources, data };
}

function unpack(spec, into) {
  const dir = join(into, spec.replace(/[^a-z0-9]+/gi, '-'));
  mkdirSync(dir);
  const tarball = execFileSync('npm', ['pack', spec, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['xzf', tarball], { cwd: dir });
  return join(dir, 'package', 'lib');
}

/** The `attrs` object literal that starts after `header` in a generated index.js: name -> the called ToHcl function, if a block. */
function attrsAfter(source, header) {
  const start = source.indexOf(header);
  if (start === -1) throw new Error(`not found in the bindings: ${header}`);
  const open = source.indexOf('const attrs = {', start);
  if (source.startsWith('const attrs = {};', open)) return {}; // a block with no arguments (e.g. ttl_config)
  // Each entry closes with "}," and the literal itself with "};".
  const body = source.slice(open, source.indexOf('};', open));
  const out = {};
  for (const m of body.matchAll(/^\s{8,12}(\w+): \{\s*value: ([^\n]*),\s*isBlock: (true|false),/gm)) {
    out[m[1]] = m[3] === 'true' ? /(\w+)ToHclTerraform/.exec(m[2])?.[1] ?? null : null;
  }
  if (Object.keys(out).length === 0) throw new Error(`no attributes parsed after ${header}`);
  return out;
}

/** { arguments: [...], blocks: { name: {...} } } for a resource, following nested blocks. */
function blockSchema(source, header) {
  const attrs = attrsAfter(source, header);
  const schema = { arguments: [], blocks: {} };
  for (const [name, fn] of Object.entries(attrs).sort(([a], [b]) => a.localeCompare(b))) {
    if (fn) schema.blocks[name] = blockSchema(source, `function ${fn}ToHclTerraform(struct)`);
    else schema.arguments.push(name);
  }
  return schema;
}

function cdktfSchema(lib, provider, type, kind) {
  // Resource folders are named after the type without its provider prefix (google-beta keeps
  // "google-"); data source folders after the whole type.
  const bare = (provider === 'google-beta' ? type : type.slice(provider.length + 1)).replace(/_/g, '-');
  const dir = kind === 'data' ? `data-${type.replace(/_/g, '-')}` : bare;
  const source = readFileSync(join(lib, dir, 'index.js'), 'utf8');
  if (!source.includes(`Resource: '${type}'`) && !source.includes(`terraformResourceType: '${type}'`)) {
    throw new Error(`${lib}/${dir} is not ${type}`);
  }
  return blockSchema(source, 'synthesizeHclAttributes() {');
}

/** terraform_data's schema from the installed terraform (a module that uses only built-ins inits offline). */
function builtinSchema(work) {
  const dir = join(work, 'builtin');
  mkdirSync(dir);
  writeFileSync(join(dir, 'main.tf'), 'resource "terraform_data" "x" {}\n');
  writeFileSync(join(dir, 'rc'), '');
  const env = { ...process.env, TF_CLI_CONFIG_FILE: join(dir, 'rc'), CHECKPOINT_DISABLE: '1' };
  execFileSync('terraform', ['init', '-backend=false', '-input=false'], { cwd: dir, env, stdio: 'ignore' });
  const json = JSON.parse(execFileSync('terraform', ['providers', 'schema', '-json'], { cwd: dir, env, encoding: 'utf8' }));
  const version = JSON.parse(execFileSync('terraform', ['version', '-json'], { cwd: dir, env, encoding: 'utf8' })).terraform_version;
  const block = json.provider_schemas['terraform.io/builtin/terraform'].resource_schemas.terraform_data.block;
  const args = Object.entries(block.attributes).filter(([, a]) => a.optional || a.required).map(([name]) => name).sort();
  return { schema: { arguments: args, blocks: {} }, version };
}

const work = mkdtempSync(join(tmpdir(), 'provider-schema-'));
try {
  const { resources, data } = typesInUse();
  const libs = {};
  const lib = (provider) => (libs[provider] ??= unpack(PACKAGES[provider], work));
  const out = { generatedFrom: { ...PACKAGES }, resources: {}, data: {} };
  for (const [type, provider] of [...resources].sort()) {
    if (type === 'terraform_data') {
      const builtin = builtinSchema(work);
      out.resources[type] = builtin.schema;
      out.generatedFrom.terraform_data = `terraform ${builtin.version} providers schema -json`;
    } else {
      out.resources[type] = cdktfSchema(lib(provider), provider, type, 'resource');
    }
  }
  for (const type of [...data].sort()) out.data[type] = cdktfSchema(lib(type.split('_')[0]), type.split('_')[0], type, 'data');
  writeFileSync(join(HERE, 'provider-schema.json'), `${JSON.stringify(out, null, 1)}\n`);
  console.log(`wrote ${Object.keys(out.resources).length} resource and ${Object.keys(out.data).length} data source schemas`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
