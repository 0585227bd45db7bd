/**
 * Checks the `Authorization: Bearer <jwt>` Google Chat sends with each event (protocol §4.4, §6),
 * failing closed. google-auth-library does the signature and the iat/exp/iss/aud checks; around it we
 * refuse any algorithm but RS256 up front, pick the one key named by `kid`, and check the email claim
 * that proves an ID token came from Chat (or from this project's add-on account) rather than from any
 * other Google service account.
 *
 * Add-on events also carry a token in the body (`authorizationEventObject.systemIdToken`) [O]. It is
 * not used: the header is required in every mode. Falling back to the body would mean parsing the
 * body before the request is verified, and the protocol notes advise it only once a deployment is
 * confirmed to send no header [U]; Cloud Run IAM, when in front, checks that same header anyway.
 */
import { OAuth2Client, type TokenPayload } from 'google-auth-library';
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
const JWT_PATTERN = /^([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

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
  const client = new OAuth2Client();
  return async (authorizationHeader) => {
    const token = bearerToken(authorizationHeader);
    const kid = rs256KeyId(token);
    const pem = await certFor(certs, kid);
    let payload: TokenPayload | undefined;
    try {
      // Given only the one key named by kid, so no other key can vouch for the token.
      payload = (await client.verifySignedJwtWithCertsAsync(token, { [kid]: pem }, policy.audience, policy.issuers)).getPayload();
    } catch (err) {
      throw new TokenRejectedError(libraryReason(err));
    }
    if (!payload) throw new TokenRejectedError('no payload');
    if (policy.emails) {
      if (typeof payload.email !== 'string' || !policy.emails.includes(payload.email)) throw new TokenRejectedError('wrong email');
      // Exactly the boolean: a string "true" is not what Google sends.
      if ((payload.email_verified as unknown) !== true) throw new TokenRejectedError('email not verified');
    }
    return {
      audience: policy.audience,
      email: typeof payload.email === 'string' ? payload.email : undefined,
      expiresAt: Number(payload.exp) * 1000,
      issuer: payload.iss,
      subject: typeof payload.sub === 'string' ? payload.sub : undefined,
    };
  };
}

function bearerToken(header: string | undefined): string {
  const value = header?.trim() ?? '';
  if (EMPTY_BEARER_PATTERN.test(value)) throw new TokenRejectedError('missing bearer token');
  const token = BEARER_PATTERN.exec(value)?.[1];
  if (token === undefined) throw new TokenRejectedError('not a bearer token');
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('token too large');
  return token;
}

/** Reads the JOSE header and returns its `kid`; anything but RS256 is refused before keys are looked at. */
function rs256KeyId(token: string): string {
  const encodedHeader = JWT_PATTERN.exec(token)?.[1];
  if (encodedHeader === undefined) throw new TokenRejectedError('not a JWT');
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
  } catch {
    throw new TokenRejectedError('not a JWT');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new TokenRejectedError('not a JWT');
  const fields = header as Record<string, unknown>;
  if (fields.alg !== 'RS256') throw new TokenRejectedError('alg must be RS256');
  // RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
  if ('crit' in fields) throw new TokenRejectedError('unsupported crit header');
  if (typeof fields.kid !== 'string' || fields.kid === '') throw new TokenRejectedError('missing kid');
  return fields.kid;
}

async function certFor(certs: CertSource, kid: string): Promise<string> {
  let pem: string | undefined;
  try {
    pem = await certs.get(kid);
  } catch (err) {
    // Our CertSource's messages name the URL and status, never the token.
    throw new TokenRejectedError(`signing keys unavailable: ${errorMessage(err)}`);
  }
  if (pem === undefined) throw new TokenRejectedError('unknown kid');
  return pem;
}

/**
 * google-auth-library throws plain Errors whose messages embed the token or its payload, and has no
 * codes, so the message prefix is the only thing to go on. Only our short reason leaves this module;
 * the tests pin each prefix, so a library change that rewords one fails them instead of passing silently.
 */
const LIBRARY_REASONS: ReadonlyArray<readonly [prefix: string, reason: string]> = [
  ['Wrong number of segments', 'not a JWT'],
  ["Can't parse token", 'not a JWT'],
  ['No pem found', 'unknown kid'],
  ['Invalid token signature', 'bad signature'],
  ['No issue time', 'missing iat'],
  ['No expiration time', 'missing exp'],
  ['iat field', 'bad iat'],
  ['exp field', 'bad exp'],
  ['Expiration time too far in future', 'lifetime too long'],
  ['Token used too early', 'used before iat'],
  ['Token used too late', 'expired'],
  ['Invalid issuer', 'wrong issuer'],
  ['Wrong recipient', 'wrong audience'],
];

function libraryReason(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  return LIBRARY_REASONS.find(([prefix]) => message.startsWith(prefix))?.[1] ?? 'invalid token';
}
