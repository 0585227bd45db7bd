/**
 * addon mode (docs/chat-protocol.md §4.4): a Google ID token for the endpoint URL whose `email` is exactly this
 * project's add-on service account, verified, fail closed. Against a real loopback certs server.
 */
import { createCertCache } from '../../shared/auth/certs';
import { createTokenVerifier, type TokenVerifier } from '../../shared/auth/verify-chat-token';
import { ConfigError, TokenRejectedError } from '../../shared/errors';
import { startCertsServer, type CertsServer } from '../../local/certs-server';
import {
  LOCAL_ADDON_SERVICE_ACCOUNT,
  addonServiceAccount,
  chatTokenClaims,
  createSigner,
  signHs256,
  unsignedToken,
  type Claims,
  type Signer,
} from '../../local/signing';

const ENDPOINT_URL = 'https://chat-app.example.test/chat/';
const bearer = (token: string) => `Bearer ${token}`;
const claims = (overrides?: Claims) => chatTokenClaims('addon', ENDPOINT_URL, overrides);
const nowSeconds = () => Math.floor(Date.now() / 1000);

let signer: Signer;
let impostor: Signer;
let certs: CertsServer;
let verify: TokenVerifier;
beforeAll(async () => {
  signer = createSigner();
  impostor = createSigner({ kid: signer.kid }); // same kid, other key
  certs = await startCertsServer(() => signer.certs());
  verify = createTokenVerifier({
    mode: 'addon',
    audience: ENDPOINT_URL,
    addonServiceAccount: LOCAL_ADDON_SERVICE_ACCOUNT,
    certs: createCertCache({ url: certs.url }),
  });
});
afterAll(() => certs?.stop());

async function expectRejected(header: string | undefined, reason: string): Promise<void> {
  const outcome = await verify(header).then(
    (verified) => new Error(`accepted: ${JSON.stringify(verified)}`),
    (err: unknown) => err,
  );
  if (!(outcome instanceof TokenRejectedError)) throw outcome;
  expect(outcome.reason).toBe(reason);
}

describe('createTokenVerifier in addon mode', () => {
  it('accepts the token Google sends for this project’s add-on', async () => {
    const sent = claims();
    expect(sent.email).toBe(addonServiceAccount('123456789012'));
    await expect(verify(bearer(signer.sign(sent)))).resolves.toEqual({
      audience: ENDPOINT_URL,
      email: LOCAL_ADDON_SERVICE_ACCOUNT,
      expiresAt: Number(sent.exp) * 1000,
      issuer: 'https://accounts.google.com',
      subject: sent.sub,
    });
    await expect(verify(bearer(signer.sign(claims({ iss: 'accounts.google.com' }))))).resolves.toMatchObject({ issuer: 'accounts.google.com' });
  });

  it.each([
    ['Chat’s own account (a classic endpoint-url token)', 'chat@system.gserviceaccount.com'],
    ['another project’s add-on account', addonServiceAccount('999999999999')],
    ['a near miss of ours', addonServiceAccount('12345678901')],
    ['ours in another case', LOCAL_ADDON_SERVICE_ACCOUNT.toUpperCase()],
    ['any other service account', 'attacker@evil-project.iam.gserviceaccount.com'],
    ['no email', undefined],
    ['a non-string email', [LOCAL_ADDON_SERVICE_ACCOUNT]],
  ])('rejects the email of %s', async (_label, email) => {
    await expectRejected(bearer(signer.sign(claims({ email }))), 'wrong email');
  });

  it.each([[false], ['true'], [1], [undefined]])('rejects email_verified %p', async (emailVerified) => {
    await expectRejected(bearer(signer.sign(claims({ email_verified: emailVerified }))), 'email not verified');
  });

  it.each([
    ['another URL', 'https://other.example.test/chat/'],
    ['our URL without its trailing slash', 'https://chat-app.example.test/chat'],
    ['the project number', '123456789012'],
    ['an array holding ours', [ENDPOINT_URL]],
  ])('rejects an audience that is %s', async (_label, aud) => {
    await expectRejected(bearer(signer.sign(claims({ aud }))), 'wrong audience');
  });

  it.each([
    ['Chat’s self-signed issuer', 'chat@system.gserviceaccount.com'],
    ['another issuer', 'https://evil.example.test'],
    ['no issuer', undefined],
  ])('rejects %s', async (_label, iss) => {
    await expectRejected(bearer(signer.sign(claims({ iss }))), 'wrong issuer');
  });

  it('rejects an expired token', async () => {
    const exp = nowSeconds() - 400; // beyond the 300 s skew
    await expectRejected(bearer(signer.sign(claims({ iat: exp - 3600, exp }))), 'expired');
  });

  it('rejects alg none and HS256 (signed with the public key) before looking up keys', async () => {
    const before = certs.requests();
    await expectRejected(bearer(unsignedToken(claims(), { kid: signer.kid })), 'alg must be RS256');
    await expectRejected(bearer(signHs256(claims(), signer.publicKeyPem, { kid: signer.kid })), 'alg must be RS256');
    expect(certs.requests()).toBe(before);
  });

  it('rejects a token signed by another key under our kid', async () => {
    await expectRejected(bearer(impostor.sign(claims())), 'bad signature');
  });

  it('requires the Authorization header (a token in the body is not read)', async () => {
    await expectRejected(undefined, 'missing bearer token');
    await expectRejected('', 'missing bearer token');
  });

  it.each([
    ['no account', undefined],
    ['Chat’s own account', 'chat@system.gserviceaccount.com'],
    ['an account of another shape', 'service-123@example.iam.gserviceaccount.com'],
  ])('cannot be created with %s (fails closed at load, naming the variable and the account it needs)', (_label, account) => {
    const create = () =>
      createTokenVerifier({ mode: 'addon', audience: ENDPOINT_URL, addonServiceAccount: account, certs: createCertCache({ url: certs.url }) });
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(expect.objectContaining({ variable: 'CHAT_ADDON_SERVICE_ACCOUNT', message: expect.stringMatching(/^CHAT_ADDON_SERVICE_ACCOUNT must be the add-on service-<PROJECT_NUMBER>@gcp-sa-gsuiteaddons account/) }));
  });
});
