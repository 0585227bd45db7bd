/**
 * Case: 30 MB bodies. The built chatEvents runs as it deploys (the functions-framework CLI on
 * dist/functions, FUNCTION_TARGET=chatEvents) with the heap of the deployed memory size; bodies of
 * every kind the framework would parse, with Content-Length and chunked, on both doors. Each is
 * refused with a JSON 413, the process's peak resident memory grows by a few MB at most, and a
 * normal event is answered right after each one.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startCertsServer, type CertsServer } from '../../local/certs-server';
import { chatTokenClaims, createSigner } from '../../local/signing';
import { newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startFunctionProcess, type FunctionProcess } from '../helpers/worker-process';
import { record } from './record';

const BODY_BYTES = 30 * 1024 * 1024;
/**
 * Growth of the process's peak resident memory over all 20 bodies that still counts as bounded:
 * a chunked event is read up to its 1 MiB limit before it is refused, and V8's young generation
 * grows a little to collect that. Before the guard, one 30 MB JSON body killed the process.
 */
const PEAK_GROWTH_BOUND_MB = 16;
const AUDIENCE = '123456789012';

/** The deployed memory of chat-events (Terraform's default, the same in Cloud Build and npm run deploy), in MiB. */
function deployedMemoryMiB(): number {
  const tf = readFileSync(join(__dirname, '..', '..', 'terraform', 'variables.tf'), 'utf8');
  const m = /variable "events_memory"[^}]*?default\s*=\s*"(\d+)(Mi|Gi)"/s.exec(tf);
  if (!m) throw new Error('events_memory has no default in terraform/variables.tf');
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

/** Bodies that cost the framework the most to parse: many small values, not one long string. */
const KINDS: { name: string; contentType: string; head: string; unit: string; tail: string }[] = [
  { name: 'json', contentType: 'application/json', head: '[', unit: '{"a":[1,2,3]},', tail: '{}]' },
  { name: 'cloudevents+json', contentType: 'application/cloudevents+json', head: '[', unit: '{"a":[1,2,3]},', tail: '{}]' },
  { name: 'text', contentType: 'text/plain', head: '', unit: 'hello world ', tail: '' },
  { name: 'urlencoded', contentType: 'application/x-www-form-urlencoded', head: '', unit: 'a[b][]=1&', tail: 'c=1' },
  { name: 'octet-stream', contentType: 'application/octet-stream', head: '', unit: '\u0001\u0002\u0003\u0004', tail: '' },
];
const PATHS = ['/', '/webhooks/Sspace/Hhook'];

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** Sends a body of `BODY_BYTES`, with Content-Length or chunked, and stops writing once answered. */
function sendLarge(port: number, path: string, kind: (typeof KINDS)[number], chunked: boolean): Promise<Answer> {
  const units = Math.floor((BODY_BYTES - kind.head.length - kind.tail.length) / kind.unit.length);
  const chunk = Buffer.from(kind.unit.repeat(Math.floor(65536 / kind.unit.length)));
  const perChunk = chunk.length / kind.unit.length;
  const total = kind.head.length + units * kind.unit.length + kind.tail.length;
  const headers: Record<string, string> = { 'content-type': kind.contentType };
  if (chunked) headers['transfer-encoding'] = 'chunked';
  else headers['content-length'] = String(total);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent: false }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: Buffer.concat(parts).toString() });
      });
      res.on('error', reject);
    });
    // Once the server has answered and closed, writes fail; only an error before any answer counts.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    let left = units;
    const write = () => {
      while (left > 0 && !answered && !req.destroyed) {
        const n = Math.min(left, perChunk);
        left -= n;
        const ok = req.write(n === perChunk ? chunk : chunk.subarray(0, n * kind.unit.length));
        if (!ok) return void req.once('drain', write);
      }
      if (left === 0 && !answered && !req.destroyed) req.end(kind.tail);
    };
    req.write(kind.head);
    write();
  });
}

const projectId = randomProjectId('bodylimit');
const signer = createSigner();
let certs: CertsServer;
let fn: FunctionProcess;
const heapMiB = deployedMemoryMiB();

beforeAll(async () => {
  certs = await startCertsServer(() => signer.certs());
  fn = await startFunctionProcess(
    'chatEvents',
    { GOOGLE_CLOUD_PROJECT: projectId, CHAT_AUDIENCE_MODE: 'project-number', CHAT_AUDIENCE: AUDIENCE, CHAT_CERTS_URL: certs.url },
    { nodeArgs: [`--max-old-space-size=${heapMiB}`] },
  );
});
afterAll(async () => {
  await fn?.stop();
  await certs?.stop();
});

const status = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

test(`30 MB bodies of every kind on every path: 413 before reading, bounded memory (heap ${heapMiB} MiB), served right after`, async () => {
  const token = signer.sign(chatTokenClaims('project-number', AUDIENCE));
  const space = newSpace();
  const normal = async () => {
    const res = await fetch(`http://127.0.0.1:${fn.port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(slashCommandEvent(space, 1, '/about')),
    });
    await res.arrayBuffer();
    return res.status;
  };
  // Warm up (lazy clients, compiled code) so the baseline peak is the serving process's own.
  for (let i = 0; i < 60; i++) expect(await normal()).toBe(200);
  const pid = fn.pid()!;
  const baseline = status(pid, 'VmHWM');

  const failures: string[] = [];
  let worstGrowth = 0;
  for (const path of PATHS) {
    for (const kind of KINDS) {
      for (const chunked of [false, true]) {
        const label = `${path} ${kind.name} ${chunked ? 'chunked' : 'content-length'}`;
        const answer = await sendLarge(fn.port, path, kind, chunked).catch((err: Error) => ({ status: 0, contentType: '', body: err.message }));
        const after = await normal();
        const growth = status(pid, 'VmHWM') - baseline;
        worstGrowth = Math.max(worstGrowth, growth);
        let error: unknown;
        try {
          error = (JSON.parse(answer.body) as { error?: unknown }).error;
        } catch {
          error = undefined;
        }
        if (answer.status !== 413 || !answer.contentType.startsWith('application/json') || typeof error !== 'string' || after !== 200 || growth >= PEAK_GROWTH_BOUND_MB) {
          failures.push(`${label}: ${answer.status} ${answer.contentType} ${answer.body.slice(0, 120)}; next event ${after}; peak +${growth.toFixed(1)} MB`);
        }
      }
    }
  }
  const tried = PATHS.length * KINDS.length * 2;
  record({
    case: `30 MB bodies (${KINDS.map((k) => k.name).join(', ')}; length and chunked; event and webhook paths)`,
    tried,
    survived: tried - failures.length,
    lost: 0,
    doubled: 0,
    notes: `413 each; peak RSS +${worstGrowth.toFixed(1)} MB over all (bound ${PEAK_GROWTH_BOUND_MB}); heap ${heapMiB} MiB as deployed`,
  });
  expect(failures).toEqual([]);
  expect(fn.logs().filter((l) => l.severity === 'ERROR' || 'stderr' in l)).toEqual([]);
});
