import { X509Certificate, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createCertCache, type CertSource } from '../../shared/auth/certs';
import type { HttpGet } from '../../shared/http/get';
import { startCertsServer, type CertsServer } from '../../local/certs-server';
import { createSigner, type Signer } from '../../local/signing';

const MAX_AGE_SECONDS = 60;
const MIN_REFETCH_INTERVAL_MS = 30_000;

let signer: Signer;
let rotated: Signer;
beforeAll(() => {
  signer = createSigner();
  rotated = createSigner();
});

const servers: CertsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** A real loopback certs server whose key list and availability a test can change. */
async function harness(options: { maxAgeSeconds?: number } = {}) {
  const state = { served: [signer], down: false, nowMs: 1_000_000 };
  const server = await startCertsServer(() => {
    if (state.down) throw new Error('outage');
    return Object.fromEntries(state.served.flatMap((s) => Object.entries(s.certs())));
  }, { maxAgeSeconds: options.maxAgeSeconds ?? MAX_AGE_SECONDS });
  servers.push(server);
  const cache = createCertCache({ url: server.url, now: () => state.nowMs, minRefetchIntervalMs: MIN_REFETCH_INTERVAL_MS });
  return { state, server, cache };
}

/** A GET answering fixed bodies in turn (for bodies a real certs map cannot produce). */
function scriptedGet(...bodies: string[]): { get: HttpGet; calls(): number } {
  let calls = 0;
  const get: HttpGet = async () => {
    const body = bodies[Math.min(calls, bodies.length - 1)] ?? '';
    calls += 1;
    return { status: 200, headers: { 'content-type': 'application/json' }, body };
  };
  return { get, calls: () => calls };
}

describe('createCertCache', () => {
  it('fetches the key map once and serves it until max-age runs out', async () => {
    const { state, server, cache } = await harness();
    await expect(cache.get(signer.kid)).resolves.toBe(signer.certs()[signer.kid]);
    await cache.get(signer.kid);
    state.nowMs += MAX_AGE_SECONDS * 1000 - 1;
    await cache.get(signer.kid);
    expect(server.requests()).toBe(1);

    state.nowMs += 1;
    await expect(cache.get(signer.kid)).resolves.toBe(signer.certs()[signer.kid]);
    expect(server.requests()).toBe(2);
  });

  it('shares one fetch between concurrent callers', async () => {
    const { server, cache } = await harness();
    const pems = await Promise.all(Array.from({ length: 10 }, () => cache.get(signer.kid)));
    expect(new Set(pems)).toEqual(new Set([signer.certs()[signer.kid]]));
    expect(server.requests()).toBe(1);
  });

  it('reads max-age as the whole header too, and a PEM after blank lines', async () => {
    let calls = 0;
    const pem = `\n${signer.certs()[signer.kid]}`;
    const get: HttpGet = async () => {
      calls += 1;
      return { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'max-age=120' }, body: JSON.stringify({ k1: pem }) };
    };
    let nowMs = 0;
    const cache = createCertCache({ url: 'http://127.0.0.1:9/unused', get, now: () => nowMs });
    await expect(cache.get('k1')).resolves.toBe(pem);
    nowMs = 120_000 - 1;
    await cache.get('k1');
    expect(calls).toBe(1);
    nowMs = 120_000;
    await cache.get('k1');
    expect(calls).toBe(2);
  });

  it('caches for one hour when the response has no Cache-Control', async () => {
    const scripted = scriptedGet(JSON.stringify(signer.certs()));
    let nowMs = 0;
    const cache = createCertCache({ url: 'http://127.0.0.1:9/unused', get: scripted.get, now: () => nowMs });
    await cache.get(signer.kid);
    nowMs = 3600_000 - 1;
    await cache.get(signer.kid);
    expect(scripted.calls()).toBe(1);
    nowMs = 3600_000;
    await cache.get(signer.kid);
    expect(scripted.calls()).toBe(2);
  });

  it('refetches once on an unknown kid, then not again within the minimum interval', async () => {
    const { state, server, cache } = await harness({ maxAgeSeconds: 3600 });
    await expect(cache.get('forged-0')).resolves.toBeUndefined();
    expect(server.requests()).toBe(1); // the fetch that filled the cache is the lookup

    state.nowMs += MIN_REFETCH_INTERVAL_MS;
    await expect(cache.get('forged-1')).resolves.toBeUndefined();
    expect(server.requests()).toBe(2);
    await expect(cache.get('forged-2')).resolves.toBeUndefined();
    state.nowMs += MIN_REFETCH_INTERVAL_MS - 1;
    await expect(cache.get('forged-3')).resolves.toBeUndefined();
    expect(server.requests()).toBe(2);

    state.nowMs += 1;
    await expect(cache.get('forged-4')).resolves.toBeUndefined();
    expect(server.requests()).toBe(3);
  });

  it('without a minimum interval given, a flood of forged kids refetches at most once every 30 s', async () => {
    const server = await startCertsServer(() => signer.certs(), { maxAgeSeconds: 3600 });
    servers.push(server);
    let nowMs = 1_000_000;
    const cache = createCertCache({ url: server.url, now: () => nowMs });
    await cache.get(signer.kid);
    nowMs += 1_000;
    for (let i = 0; i < 5; i += 1) await expect(cache.get(`forged-${i}`)).resolves.toBeUndefined();
    expect(server.requests()).toBe(1);
    nowMs += 29_000 - 1;
    await cache.get('forged-5');
    expect(server.requests()).toBe(1);
    nowMs += 1;
    await cache.get('forged-6');
    expect(server.requests()).toBe(2);
  });

  it('finds a rotated key with one refetch shared by concurrent callers', async () => {
    const { state, server, cache } = await harness({ maxAgeSeconds: 3600 });
    await cache.get(signer.kid);
    state.served = [signer, rotated];
    state.nowMs += MIN_REFETCH_INTERVAL_MS;

    const found = await Promise.all([cache.get(rotated.kid), cache.get(rotated.kid), cache.get('forged')]);
    expect(found).toEqual([rotated.certs()[rotated.kid], rotated.certs()[rotated.kid], undefined]);
    expect(server.requests()).toBe(2);
    await expect(cache.get(signer.kid)).resolves.toBe(signer.certs()[signer.kid]);
    expect(server.requests()).toBe(2);
  });

  it('rejects when the fetch fails, and caches nothing', async () => {
    const { state, server, cache } = await harness();
    state.down = true;
    await expect(cache.get(signer.kid)).rejects.toThrow(/HTTP 500/);
    state.down = false;
    await expect(cache.get(signer.kid)).resolves.toBe(signer.certs()[signer.kid]);
    expect(server.requests()).toBe(2);
  });

  it('fails closed once max-age is over and the refetch fails, though old keys are at hand', async () => {
    const { state, cache } = await harness();
    await cache.get(signer.kid);
    state.nowMs += MAX_AGE_SECONDS * 1000;
    state.down = true;
    await expect(cache.get(signer.kid)).rejects.toThrow(/HTTP 500/);
  });

  it('rejects when the server cannot be reached', async () => {
    const server = await startCertsServer(() => signer.certs());
    await server.stop();
    // Its log line says which URL, and why (the connection's own error).
    const err: unknown = await createCertCache({ url: server.url }).get(signer.kid).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`signing keys: GET ${server.url} failed`);
    expect(String((err as Error).cause)).toMatch(/ECONNREFUSED/);
  });

  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const NOT_A_MAP = 'did not answer a non-empty map of key id to PEM';
  it.each([
    ['an array', '["a", "b"]', NOT_A_MAP],
    ['null', 'null', NOT_A_MAP],
    ['a string', '"-----BEGIN CERTIFICATE-----"', NOT_A_MAP],
    ['not JSON', '<html>oops</html>', 'did not answer JSON'],
    ['an empty map', '{}', NOT_A_MAP],
    ['a non-string value', '{"k1": 1}', NOT_A_MAP],
    ['a value that is not PEM', '{"k1": "hello"}', NOT_A_MAP],
    ['a PEM that does not parse', '{"k1": "-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n"}', NOT_A_MAP],
    ['a private key', JSON.stringify({ k1: privateKeyPem }), NOT_A_MAP],
    // The header must come first: a private key would still parse, as its public half.
    ['a private key followed by a certificate', JSON.stringify({ k1: privateKeyPem + publicKeyPem }), NOT_A_MAP],
  ])('rejects %s as the body, saying why, and caches nothing', async (_label, body, why) => {
    const scripted = scriptedGet(body, JSON.stringify(signer.certs()));
    const cache = createCertCache({ url: 'http://127.0.0.1:9/unused', get: scripted.get, now: () => 0 });
    const err: unknown = await cache.get(signer.kid).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`signing keys: http://127.0.0.1:9/unused ${why}`);
    // The parser's own error, for the log line.
    if (why !== NOT_A_MAP) expect(String((err as Error).cause)).toMatch(/JSON/);
    await expect(cache.get(signer.kid)).resolves.toBe(signer.certs()[signer.kid]);
    expect(scripted.calls()).toBe(2);
  });

  it('refuses a success other than 200: the keys come with a 200', async () => {
    const keys = JSON.stringify(signer.certs());
    const get: HttpGet = async () => ({ status: 203, headers: { 'content-type': 'application/json' }, body: keys });
    await expect(createCertCache({ url: 'http://127.0.0.1:9/unused', get }).get(signer.kid)).rejects.toThrow('signing keys: GET http://127.0.0.1:9/unused answered HTTP 203');
  });

  it('accepts a public key PEM as well as a certificate', async () => {
    const scripted = scriptedGet(JSON.stringify({ k1: signer.publicKeyPem }));
    const cache: CertSource = createCertCache({ url: 'http://127.0.0.1:9/unused', get: scripted.get });
    await expect(cache.get('k1')).resolves.toBe(signer.publicKeyPem);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('finds nothing for the kid %s', async (kid) => {
    const { cache } = await harness();
    await expect(cache.get(kid)).resolves.toBeUndefined();
  });
});

describe('createSigner', () => {
  it('serves a self-signed X.509 certificate for its public key', () => {
    const pem = signer.certs()[signer.kid];
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const certificate = new X509Certificate(pem ?? '');
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.checkIssued(certificate)).toBe(true);
    expect(certificate.publicKey.export({ type: 'spki', format: 'pem' })).toBe(signer.publicKeyPem);
    expect(createPublicKey(signer.publicKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(Date.now());
  });

  it('uses the kid it is given', () => {
    expect(Object.keys(createSigner({ kid: 'my-kid' }).certs())).toEqual(['my-kid']);
  });
});
