import type { AudienceMode } from '../../shared/config';
import { TokenRejectedError } from '../../shared/errors';
import { createCertCache } from '../../shared/auth/certs';
import { createTokenVerifier, type TokenVerifier } from '../../shared/auth/verify-chat-token';
import { startCertsServer, type CertsServer } from '../../local/certs-server';
import { chatTokenClaims, createSigner, signHs256, unsignedToken, type Claims, type Signer } from '../../local/signing';

// The classic Chat modes; addon mode has its own matrix in test/addon/verify-addon-token.test.ts.
const MODES = ['project-number', 'endpoint-url'] as const satisfies readonly AudienceMode[];
type ClassicMode = (typeof MODES)[number];
const AUDIENCE: Record<ClassicMode, string> = {
  'project-number': '123456789012',
  'endpoint-url': 'https://chat-app.example.test/chat/',
};
const OTHER_MODE: Record<ClassicMode, ClassicMode> = { 'project-number': 'endpoint-url', 'endpoint-url': 'project-number' };
const MIN_REFETCH_INTERVAL_MS = 30_000;

let signer: Signer;
let impostor: Signer;
let rotated: Signer;
let stranger: Signer;
beforeAll(() => {
  signer = createSigner();
  impostor = createSigner({ kid: signer.kid }); // same kid, other key
  rotated = createSigner();
  stranger = createSigner();
});

const servers: CertsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** A verifier backed by a real loopback certs server; the cache's clock is the test's. */
async function harness(mode: ClassicMode) {
  const state = { served: [signer], down: false, nowMs: 1_000_000 };
  const server = await startCertsServer(() => {
    if (state.down) throw new Error('outage');
    return Object.fromEntries(state.served.flatMap((s) => Object.entries(s.certs())));
  });
  servers.push(server);
  const certs = createCertCache({ url: server.url, now: () => state.nowMs, minRefetchIntervalMs: MIN_REFETCH_INTERVAL_MS });
  const verify = createTokenVerifier({ mode, audience: AUDIENCE[mode], certs });
  return { state, server, verify };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Asserts a TokenRejectedError with this reason, whose message holds no part of the token. */
async function expectRejected(verify: TokenVerifier, header: string | undefined, reason: string | RegExp): Promise<void> {
  const outcome = await verify(header).then(
    (verified) => new Error(`accepted: ${JSON.stringify(verified)}`),
    (err: unknown) => err,
  );
  if (!(outcome instanceof TokenRejectedError)) throw outcome;
  if (typeof reason === 'string') expect(outcome.reason).toBe(reason);
  else expect(outcome.reason).toMatch(reason);
  const token = header?.replace(/^Bearer\s+/i, '') ?? '';
  for (const part of token.split('.').filter((p) => p.length >= 8)) expect(outcome.message).not.toContain(part);
}

describe.each(MODES)('createTokenVerifier in %s mode', (mode) => {
  const claims = (overrides?: Claims) => chatTokenClaims(mode, AUDIENCE[mode], overrides);
  const bearer = (token: string) => `Bearer ${token}`;

  it('accepts the token Chat sends', async () => {
    const { server, verify } = await harness(mode);
    const sent = claims();
    const verified = await verify(bearer(signer.sign(sent)));
    expect(verified).toEqual({
      audience: AUDIENCE[mode],
      email: mode === 'endpoint-url' ? 'chat@system.gserviceaccount.com' : undefined,
      expiresAt: Number(sent.exp) * 1000,
      issuer: mode === 'endpoint-url' ? 'https://accounts.google.com' : 'chat@system.gserviceaccount.com',
      subject: mode === 'endpoint-url' ? sent.sub : undefined,
    });
    await verify(`bearer  ${signer.sign(sent)}`); // the scheme is case-insensitive
    expect(server.requests()).toBe(1);
  });

  it('accepts an iat slightly ahead of our clock (within the 300 s skew)', async () => {
    const { verify } = await harness(mode);
    const iat = nowSeconds() + 60;
    await expect(verify(bearer(signer.sign(claims({ iat, exp: iat + 3600 }))))).resolves.toMatchObject({
      audience: AUDIENCE[mode],
      expiresAt: (iat + 3600) * 1000,
    });
  });

  it.each([undefined, '', '   ', 'Bearer', 'Bearer   '])('rejects a missing token (%p)', async (header) => {
    const { verify } = await harness(mode);
    await expectRejected(verify, header, 'missing bearer token');
  });

  it('rejects other schemes and malformed headers', async () => {
    const { server, verify } = await harness(mode);
    const token = signer.sign(claims());
    await expectRejected(verify, 'Basic dXNlcjpwYXNzd29yZA==', 'not a bearer token');
    await expectRejected(verify, token, 'not a bearer token');
    await expectRejected(verify, `Bearer ${token} extra`, 'not a bearer token');
    await expectRejected(verify, `Token ${token}`, 'not a bearer token');
    await expectRejected(verify, `NotBearer ${token}`, 'not a bearer token');
    expect(server.requests()).toBe(0);
  });

  it.each([
    ['one segment', 'abcdef'],
    ['two segments', 'eyJhbGciOiJSUzI1NiJ9.e30'],
    ['four segments', 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln.c2ln'],
    ['non-base64url characters', 'eyJhbGciOiJSUzI1NiJ9.e3+/.c2ln'],
    ['an empty payload', 'eyJhbGciOiJSUzI1NiJ9..c2ln'],
    ['a header that is not JSON', `${Buffer.from('not json').toString('base64url')}.e30.c2ln`],
    ['a header that is a JSON array', `${Buffer.from('["RS256"]').toString('base64url')}.e30.c2ln`],
  ])('rejects a token with %s as not a JWT', async (_label, token) => {
    const { server, verify } = await harness(mode);
    await expectRejected(verify, bearer(token), 'not a JWT');
    expect(server.requests()).toBe(0);
  });

  it('rejects an oversized token before parsing it', async () => {
    const { verify } = await harness(mode);
    await expectRejected(verify, bearer(signer.sign(claims({ padding: 'x'.repeat(20_000) }))), 'token too large');
  });

  it('reads a token of exactly 16 KiB (refused only as not a JWT); one character more is too large', async () => {
    const { server, verify } = await harness(mode);
    await expectRejected(verify, bearer('a'.repeat(16 * 1024)), 'not a JWT');
    await expectRejected(verify, bearer('a'.repeat(16 * 1024 + 1)), 'token too large');
    expect(server.requests()).toBe(0);
  });

  it('rejects an expired token', async () => {
    const { verify } = await harness(mode);
    const exp = nowSeconds() - 400; // beyond the 300 s skew
    await expectRejected(verify, bearer(signer.sign(claims({ iat: exp - 3600, exp }))), 'expired');
  });

  it('rejects a token issued in the future beyond the skew', async () => {
    const { verify } = await harness(mode);
    const iat = nowSeconds() + 600;
    await expectRejected(verify, bearer(signer.sign(claims({ iat, exp: iat + 3600 }))), 'used before iat');
  });

  it('the clock bounds to the second: 300 s of skew either side is accepted, 301 is not; a lifetime under a day', async () => {
    const { verify } = await harness(mode);
    const now = nowSeconds();
    jest.spyOn(Date, 'now').mockReturnValue(now * 1000);
    try {
      const token = (iat: number, exp: number) => bearer(signer.sign(claims({ iat, exp })));
      await expect(verify(token(now + 300, now + 3600))).resolves.toMatchObject({ audience: AUDIENCE[mode] });
      await expectRejected(verify, token(now + 301, now + 3600), 'used before iat');
      await expect(verify(token(now - 3600, now - 300))).resolves.toMatchObject({ expiresAt: (now - 300) * 1000 });
      await expectRejected(verify, token(now - 3600, now - 301), 'expired');
      await expect(verify(token(now, now + 86_399))).resolves.toMatchObject({ expiresAt: (now + 86_399) * 1000 });
      await expectRejected(verify, token(now, now + 86_400), 'lifetime too long');
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('rejects tokens with missing, malformed or overlong lifetimes', async () => {
    const { verify } = await harness(mode);
    await expectRejected(verify, bearer(signer.sign(claims({ iat: undefined }))), 'missing iat');
    await expectRejected(verify, bearer(signer.sign(claims({ exp: undefined }))), 'missing exp');
    await expectRejected(verify, bearer(signer.sign(claims({ iat: 'yesterday' }))), 'bad iat');
    await expectRejected(verify, bearer(signer.sign(claims({ exp: 'tomorrow' }))), 'bad exp');
    await expectRejected(verify, bearer(signer.sign(claims({ exp: nowSeconds() + 2 * 86400 }))), 'lifetime too long');
  });

  it.each([
    ['another value', mode === 'project-number' ? '123456789013' : 'https://other.example.test/chat/'],
    ['a near miss', mode === 'project-number' ? '12345678901' : 'https://chat-app.example.test/chat'],
    ['an array holding ours', [AUDIENCE[mode]]],
    ['a number', Number(AUDIENCE['project-number'])],
  ])('rejects an audience that is %s', async (_label, aud) => {
    const { verify } = await harness(mode);
    await expectRejected(verify, bearer(signer.sign(claims({ aud }))), 'wrong audience');
  });

  it('rejects a wrong or missing issuer, including the other mode’s', async () => {
    const { verify } = await harness(mode);
    await expectRejected(verify, bearer(signer.sign(claims({ iss: 'https://evil.example.test' }))), 'wrong issuer');
    await expectRejected(verify, bearer(signer.sign(claims({ iss: undefined }))), 'wrong issuer');
    const otherModeClaims = chatTokenClaims(OTHER_MODE[mode], AUDIENCE[mode]);
    await expectRejected(verify, bearer(signer.sign(otherModeClaims)), 'wrong issuer');
  });

  it('rejects an unknown kid after exactly one refetch', async () => {
    const { state, server, verify } = await harness(mode);
    await verify(bearer(signer.sign(claims())));
    state.nowMs += MIN_REFETCH_INTERVAL_MS;

    await expectRejected(verify, bearer(stranger.sign(claims())), 'unknown kid');
    expect(server.requests()).toBe(2);
    await expectRejected(verify, bearer(stranger.sign(claims())), 'unknown kid');
    await expectRejected(verify, bearer(signer.sign(claims(), { kid: 'forged-kid' })), 'unknown kid');
    expect(server.requests()).toBe(2);
  });

  it('accepts a rotated key once the server lists it', async () => {
    const { state, server, verify } = await harness(mode);
    await verify(bearer(signer.sign(claims())));
    state.served = [signer, rotated];
    // Within the refetch interval the new kid is refused without asking the server.
    await expectRejected(verify, bearer(rotated.sign(claims())), 'unknown kid');
    expect(server.requests()).toBe(1);

    state.nowMs += MIN_REFETCH_INTERVAL_MS;
    // Both keys verify now: the claims come back from each token, not from a cached answer.
    const fromRotated = claims({ exp: nowSeconds() + 1800 });
    const fromOld = claims({ exp: nowSeconds() + 2400 });
    await expect(verify(bearer(rotated.sign(fromRotated)))).resolves.toMatchObject({ audience: AUDIENCE[mode], expiresAt: Number(fromRotated.exp) * 1000 });
    await expect(verify(bearer(signer.sign(fromOld)))).resolves.toMatchObject({ audience: AUDIENCE[mode], expiresAt: Number(fromOld.exp) * 1000 });
    expect(server.requests()).toBe(2);
  });

  it('rejects a bad signature', async () => {
    const { verify } = await harness(mode);
    await expectRejected(verify, bearer(impostor.sign(claims())), 'bad signature');
    const [header, , signature] = signer.sign(claims()).split('.');
    const tampered = Buffer.from(JSON.stringify(claims({ sub: 'someone-else' }))).toString('base64url');
    await expectRejected(verify, bearer(`${header}.${tampered}.${signature}`), 'bad signature');
    await expectRejected(verify, bearer(`${header}.${tampered}.`), 'bad signature');
  });

  it('rejects a correctly signed payload that is not a JSON object', async () => {
    const { verify } = await harness(mode);
    await expectRejected(verify, bearer(signer.sign(['not', 'claims'] as unknown as Claims)), 'not a JWT');
    await expectRejected(verify, bearer(signer.sign('just a string' as unknown as Claims)), 'not a JWT');
  });

  it('rejects alg none without looking up keys', async () => {
    const { server, verify } = await harness(mode);
    await expectRejected(verify, bearer(unsignedToken(claims(), { kid: signer.kid })), 'alg must be RS256');
    await expectRejected(verify, bearer(unsignedToken(claims(), { kid: signer.kid, alg: 'None' })), 'alg must be RS256');
    expect(server.requests()).toBe(0);
  });

  it('rejects HS256 signed with the public key or certificate as the secret', async () => {
    const { server, verify } = await harness(mode);
    const certificatePem = signer.certs()[signer.kid] ?? '';
    await expectRejected(verify, bearer(signHs256(claims(), signer.publicKeyPem, { kid: signer.kid })), 'alg must be RS256');
    await expectRejected(verify, bearer(signHs256(claims(), certificatePem, { kid: signer.kid })), 'alg must be RS256');
    expect(server.requests()).toBe(0);
    // The same forgery relabelled RS256 fails on the signature.
    const relabelled = signHs256(claims(), certificatePem, { kid: signer.kid, alg: 'RS256' });
    await expectRejected(verify, bearer(relabelled), 'bad signature');
  });

  it.each([['ES256'], ['RS512'], ['PS256'], ['rs256'], [undefined], [256]])('rejects alg %p', async (alg) => {
    const { verify } = await harness(mode);
    await expectRejected(verify, bearer(signer.sign(claims(), { alg })), 'alg must be RS256');
  });

  it('rejects a missing or non-string kid, and crit headers', async () => {
    const { verify } = await harness(mode);
    await expectRejected(verify, bearer(signer.sign(claims(), { kid: undefined })), 'missing kid');
    await expectRejected(verify, bearer(signer.sign(claims(), { kid: 42 })), 'missing kid');
    await expectRejected(verify, bearer(signer.sign(claims(), { kid: '' })), 'missing kid');
    await expectRejected(verify, bearer(signer.sign(claims(), { crit: ['exp'] })), 'unsupported crit header');
  });

  it('fails closed when the signing keys cannot be fetched', async () => {
    const { state, verify } = await harness(mode);
    state.down = true;
    await expectRejected(verify, bearer(signer.sign(claims())), /^signing keys unavailable: .*HTTP 500/);
  });
});

describe('createTokenVerifier in endpoint-url mode, email checks', () => {
  const claims = (overrides?: Claims) => chatTokenClaims('endpoint-url', AUDIENCE['endpoint-url'], overrides);
  const bearer = (token: string) => `Bearer ${token}`;

  it('accepts the issuer without a scheme too', async () => {
    const { verify } = await harness('endpoint-url');
    const verified = await verify(bearer(signer.sign(claims({ iss: 'accounts.google.com' }))));
    expect(verified.issuer).toBe('accounts.google.com');
  });

  it.each([
    ['another service account', 'attacker@evil-project.iam.gserviceaccount.com'],
    ['a Workspace add-on account (not a mode yet)', 'service-123456789012@gcp-sa-gsuiteaddons.iam.gserviceaccount.com'],
    ['different case', 'Chat@system.gserviceaccount.com'],
    ['no email', undefined],
    ['a non-string email', ['chat@system.gserviceaccount.com']],
  ])('rejects %s', async (_label, email) => {
    const { verify } = await harness('endpoint-url');
    await expectRejected(verify, bearer(signer.sign(claims({ email }))), 'wrong email');
  });

  it.each([[false], ['true'], [1], [undefined]])('rejects email_verified %p', async (emailVerified) => {
    const { verify } = await harness('endpoint-url');
    await expectRejected(verify, bearer(signer.sign(claims({ email_verified: emailVerified }))), 'email not verified');
  });
});
