/**
 * Checks the `Authorization: Bearer <jwt>` Google Chat sends with each event (docs/chat-protocol.md §4.4, §6),
 * failing closed: RS256 only, the one key named by `kid`, iat/exp with a 300 s skew and a lifetime of
 * at most a day, `iss`, `aud`, and the email claim that proves an ID token came from Chat (or from
 * this project's add-on account) rather than from any other Google service account.
 *
 * The checks are google-auth-library's `verifySignedJwtWithCerts`, done with node:crypto: the library
 * costs ~80 ms of module load on every cold start, paid by the person waiting in Chat, for one
 * `crypto.verify` call and a few comparisons (the verification matrix in the tests pins each rule).
 * Keys are parsed once, when `certs.ts` fetches the set.
 *
 * Add-on events also carry a token in the body (`authorizationEventObject.systemIdToken`) [O]. It is
 * not used: the header is required in every mode. Falling back to the body would mean parsing the
 * body before the request is verified, and the protocol notes advise it only once a deployment is
 * confirmed to send no header [U]; Cloud Run IAM, when in front, checks that same header anyway.
 */
import { verify as verifySignature, type KeyObject } from 'node:crypto';
import { ADDON_SERVICE_ACCOUNT_PATTERN, type AudienceMode } from '../config';
import { ConfigError, TokenRejectedError, errorMessage } from '../errors';
import type { CertSource } from './certs';

export interface VerifiedToken {
  /** The `aud` claim, equal to the configured audience. */
  audience: string;
  /** The `email` claim (endpoint-url mode: always Chat's service account; addon mode: the add-on's). */
  email?: string;
  /** The `exp` claim, in ms since the epoch. */
  expiresAt: number;
  /** The `iss` claim. */
  issuer: string;
  /** The `sub` claim, when present. */
  subject?: string;
}

export interface TokenVerifierOptions {
  /** The Authentication Audience chosen in the Chat API connection settings. */
  mode: AudienceMode;
  /** The project number, or the exact endpoint URL configured in the console (never rebuilt from the request). */
  audience: string;
  /** addon mode (required there): the add-on's `service-<N>@gcp-sa-gsuiteaddons…` account, the only `email` accepted. */
  addonServiceAccount?: string;
  /** The signing keys of the mode's issuer. */
  certs: CertSource;
}

export type TokenVerifier = (authorizationHeader: string | undefined) => Promise<VerifiedToken>;

const CHAT_SERVICE_ACCOUNT = 'chat@system.gserviceaccount.com';
const GOOGLE_ID_TOKEN_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];
/** Real tokens are about 1 KB; a bound keeps parsing cheap for junk. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const BEARER_PATTERN = /^Bearer +(\S+)$/i;
const EMPTY_BEARER_PATTERN = /^(?:Bearer)?$/i;
const JWT_PATTERN = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

/** What a token must carry to be accepted. */
interface TokenPolicy {
  audience: string;
  issuers: string[];
  /**
   * Accepted `email` claims, which also need `email_verified === true`; absent when the issuer itself
   * identifies the sender. A parameter because Workspace add-ons are sent by a per-project account.
   */
  emails?: readonly string[];
}

function policyFor({ mode, audience, addonServiceAccount }: TokenVerifierOptions): TokenPolicy {
  switch (mode) {
    case 'project-number':
      return { audience, issuers: [CHAT_SERVICE_ACCOUNT] };
    case 'endpoint-url':
      // Anyone with a Google service account can mint an ID token for our URL: the email is the proof.
      return { audience, issuers: GOOGLE_ID_TOKEN_ISSUERS, emails: [CHAT_SERVICE_ACCOUNT] };
    case 'addon': {
      // The same kind of ID token, for the add-on's per-project account. Every add-on project has an
      // account of that shape, so only the configured one is accepted (Chat's own account is not).
      const email = addonServiceAccount ?? '';
      if (!ADDON_SERVICE_ACCOUNT_PATTERN.test(email)) {
        throw new ConfigError('CHAT_ADDON_SERVICE_ACCOUNT', 'must be the add-on service-<PROJECT_NUMBER>@gcp-sa-gsuiteaddons account in addon mode');
      }
      return { audience, issuers: GOOGLE_ID_TOKEN_ISSUERS, emails: [email] };
    }
  }
}

/** Throws a ConfigError at creation when the options cannot verify anything (fail closed at load). */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  return createPolicyVerifier(policyFor(options), options.certs);
}

function createPolicyVerifier(policy: TokenPolicy, certs: CertSource): TokenVerifier {
  return async (authorizationHeader) => {
    const token = bearerToken(authorizationHeader);
    const { kid, signedPart, payloadPart, signature } = rs256Parts(token);
    const key = await keyFor(certs, kid);
    // Only the one key named by kid is tried, so no other key can vouch for the token.
    if (!verifySignature('RSA-SHA256', Buffer.from(signedPart), key, Buffer.from(signature, 'base64url'))) {
      throw new TokenRejectedError('bad signature');
    }
    const payload = parseObject(payloadPart);
    if (!payload) throw new TokenRejectedError('not a JWT');
    checkClaims(payload, policy, Date.now() / 1000);
    return {
      audience: policy.audience,
      email: typeof payload.email === 'string' ? payload.email : undefined,
      expiresAt: Number(payload.exp) * 1000,
      issuer: String(payload.iss),
      subject: typeof payload.sub === 'string' ? payload.sub : undefined,
    };
  };
}

/** Google's own bounds for ID tokens (as google-auth-library applies them). */
const CLOCK_SKEW_SECONDS = 300;
const MAX_LIFETIME_SECONDS = 86400;

function checkClaims(payload: Record<string, unknown>, policy: TokenPolicy, nowSeconds: number): void {
  const { iat, exp, iss, aud } = payload;
  if (iat === undefined) throw new TokenRejectedError('missing iat');
  if (exp === undefined) throw new TokenRejectedError('missing exp');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new TokenRejectedError('bad iat');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new TokenRejectedError('bad exp');
  if (exp >= nowSeconds + MAX_LIFETIME_SECONDS) throw new TokenRejectedError('lifetime too long');
  if (nowSeconds < iat - CLOCK_SKEW_SECONDS) throw new TokenRejectedError('used before iat');
  if (nowSeconds > exp + CLOCK_SKEW_SECONDS) throw new TokenRejectedError('expired');
  if (typeof iss !== 'string' || !policy.issuers.includes(iss)) throw new TokenRejectedError('wrong issuer');
  // Exactly the configured string: an array holding it, or the number, is not what Chat sends.
  if (aud !== policy.audience) throw new TokenRejectedError('wrong audience');
  if (policy.emails) {
    if (typeof payload.email !== 'string' || !policy.emails.includes(payload.email)) throw new TokenRejectedError('wrong email');
    // Exactly the boolean: a string "true" is not what Google sends.
    if (payload.email_verified !== true) throw new TokenRejectedError('email not verified');
  }
}

function bearerToken(header: string | undefined): string {
  const value = header?.trim() ?? '';
  if (EMPTY_BEARER_PATTERN.test(value)) throw new TokenRejectedError('missing bearer token');
  const token = BEARER_PATTERN.exec(value)?.[1];
  if (token === undefined) throw new TokenRejectedError('not a bearer token');
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('token too large');
  return token;
}

interface Rs256Parts {
  kid: string;
  /** `header.payload`, the bytes the signature covers. */
  signedPart: string;
  payloadPart: string;
  signature: string;
}

/** Splits the token and reads its JOSE header; anything but RS256 is refused before keys are looked at. */
function rs256Parts(token: string): Rs256Parts {
  const parts = JWT_PATTERN.exec(token);
  if (!parts) throw new TokenRejectedError('not a JWT');
  const [, headerPart, payloadPart, signature] = parts;
  const header = parseObject(headerPart);
  if (!header) throw new TokenRejectedError('not a JWT');
  if (header.alg !== 'RS256') throw new TokenRejectedError('alg must be RS256');
  // RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
  if ('crit' in header) throw new TokenRejectedError('unsupported crit header');
  if (typeof header.kid !== 'string' || header.kid === '') throw new TokenRejectedError('missing kid');
  return { kid: header.kid, signedPart: `${headerPart}.${payloadPart}`, payloadPart, signature };
}

/** A base64url JSON object, or undefined for anything else. */
function parseObject(encoded: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function keyFor(certs: CertSource, kid: string): Promise<KeyObject> {
  let key: KeyObject | undefined;
  try {
    key = await certs.key(kid);
  } catch (err) {
    // Our CertSource's messages name the URL and status, never the token.
    throw new TokenRejectedError(`signing keys unavailable: ${errorMessage(err)}`);
  }
  if (key === undefined) throw new TokenRejectedError('unknown kid');
  return key;
}
