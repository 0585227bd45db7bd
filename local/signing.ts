/**
 * Mints tokens the way Google Chat does (docs/chat-protocol.md §4.4, §6), with a throwaway RSA key, so tests and the local
 * Chat simulator exercise the real verification path: real RS256 signatures checked against
 * certificates served over HTTP. Also mints the forgeries the verifier must refuse.
 */
import { createHmac, generateKeyPairSync, randomBytes, sign as rsaSign, type KeyObject } from 'node:crypto';
import type { AudienceMode } from '../shared/config';

/** Written out here rather than imported from the verifier, so a typo there cannot hide in tests. */
const CHAT_SERVICE_ACCOUNT = 'chat@system.gserviceaccount.com';
const GOOGLE_ID_TOKEN_ISSUER = 'https://accounts.google.com';
/** Both kinds of Chat token live one hour [docs/chat-protocol.md §4.4, §6]. */
const TOKEN_LIFETIME_SECONDS = 3600;
/** Long enough for a simulator session; nothing checks certificate validity dates. */
const CERT_VALIDITY_MS = 365 * 24 * 3600 * 1000;

export type Claims = Record<string, unknown>;
export type JoseHeader = Record<string, unknown>;

export interface Signer {
  /** The key id put in each token's header and in `certs()`. */
  readonly kid: string;
  /** What a certs URL serves: `kid` -> self-signed X.509 certificate PEM, like Google's x509 endpoints. */
  certs(): Record<string, string>;
  /** The SPKI public key PEM (the "secret" in the HS256 key-confusion forgery). */
  readonly publicKeyPem: string;
  /** An RS256 JWT; `header` entries override `alg`/`typ`/`kid` but the signature is always RS256. */
  sign(claims: Claims, header?: JoseHeader): string;
}

export function createSigner(options: { kid?: string } = {}): Signer {
  const kid = options.kid ?? randomBytes(20).toString('hex');
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificatePem = selfSignedCertificate(publicKey, privateKey, `signer-${kid}`);
  return {
    kid,
    certs: () => ({ [kid]: certificatePem }),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign(claims, header = {}) {
      const signingInput = `${encodeSegment({ alg: 'RS256', typ: 'JWT', kid, ...header })}.${encodeSegment(claims)}`;
      return `${signingInput}.${rsaSign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
    },
  };
}

/** The account a Workspace add-on's events are signed for, given the add-on's project number (docs/chat-protocol.md §4.4). */
export const addonServiceAccount = (projectNumber: string): string => `service-${projectNumber}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`;

/** The add-on account local tokens carry in addon mode (a made-up project number); configure the same. */
export const LOCAL_ADDON_SERVICE_ACCOUNT = addonServiceAccount('123456789012');

/**
 * The claims Chat sends in each audience mode: a self-signed JWT from the Chat service account
 * (project-number), or a Google ID token for the Chat service account (endpoint-url) or for the
 * add-on's per-project account, `LOCAL_ADDON_SERVICE_ACCOUNT` unless overridden (addon). An override
 * whose value is `undefined` removes the claim.
 */
export function chatTokenClaims(mode: AudienceMode, audience: string, overrides: Claims = {}): Claims {
  const iat = Math.floor(Date.now() / 1000);
  const idToken = (email: string): Claims => ({
    iss: GOOGLE_ID_TOKEN_ISSUER,
    aud: audience,
    azp: '100000000000000000001',
    sub: '100000000000000000001',
    email,
    email_verified: true,
    iat,
    exp: iat + TOKEN_LIFETIME_SECONDS,
  });
  const base: Claims =
    mode === 'project-number'
      ? { iss: CHAT_SERVICE_ACCOUNT, aud: audience, iat, exp: iat + TOKEN_LIFETIME_SECONDS }
      : idToken(mode === 'addon' ? LOCAL_ADDON_SERVICE_ACCOUNT : CHAT_SERVICE_ACCOUNT);
  const claims: Claims = { ...base, ...overrides };
  for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete claims[name];
  return claims;
}

/** A key-confusion forgery: HMAC-signed, typically with a public key PEM as the secret. */
export function signHs256(claims: Claims, secret: string, header: JoseHeader = {}): string {
  const signingInput = `${encodeSegment({ alg: 'HS256', typ: 'JWT', ...header })}.${encodeSegment(claims)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

/** An unsecured JWT (`alg: none`, empty signature). */
export function unsignedToken(claims: Claims, header: JoseHeader = {}): string {
  return `${encodeSegment({ alg: 'none', typ: 'JWT', ...header })}.${encodeSegment(claims)}.`;
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

// A minimal DER writer: node:crypto can parse X.509 but not issue it, and a v1 certificate
// (no extensions) needs only these few types. Real PEM certificates keep us on the same code path
// as Google's x509 endpoints.

const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const OID_COMMON_NAME = '2.5.4.3';

function selfSignedCertificate(publicKey: KeyObject, privateKey: KeyObject, commonName: string): string {
  const signatureAlgorithm = der.sequence(der.oid(OID_SHA256_WITH_RSA), der.null());
  const name = der.sequence(der.set(der.sequence(der.oid(OID_COMMON_NAME), der.utf8(commonName))));
  const now = Date.now();
  const tbs = der.sequence(
    der.integer(serialNumber()),
    signatureAlgorithm,
    name,
    der.sequence(der.time(new Date(now - 3600_000)), der.time(new Date(now + CERT_VALIDITY_MS))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = rsaSign('sha256', tbs, privateKey);
  const certificate = der.sequence(tbs, signatureAlgorithm, der.bitString(signature));
  const lines = certificate.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** 16 random bytes, first byte in 0x40..0x7f: positive and minimally encoded, as DER requires. */
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = 0x40 | ((bytes[0] ?? 0) & 0x3f);
  return bytes;
}

const der = {
  tlv(tag: number, content: Buffer): Buffer {
    return Buffer.concat([Buffer.from([tag]), der.length(content.length), content]);
  },
  length(n: number): Buffer {
    if (n < 0x80) return Buffer.from([n]);
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
  },
  sequence: (...items: Buffer[]): Buffer => der.tlv(0x30, Buffer.concat(items)),
  set: (...items: Buffer[]): Buffer => der.tlv(0x31, Buffer.concat(items)),
  null: (): Buffer => Buffer.from([0x05, 0x00]),
  utf8: (text: string): Buffer => der.tlv(0x0c, Buffer.from(text, 'utf8')),
  /** Two's complement, big-endian; the caller passes a minimal encoding. */
  integer: (bytes: Buffer): Buffer => der.tlv(0x02, bytes),
  /** Unused-bits byte 0: a signature is whole bytes. */
  bitString: (content: Buffer): Buffer => der.tlv(0x03, Buffer.concat([Buffer.from([0]), content])),
  oid(dotted: string): Buffer {
    const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
    const bytes = [40 * first + second];
    for (const arc of rest) {
      const chunk = [arc % 128];
      for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) chunk.unshift(0x80 | value % 128);
      bytes.push(...chunk);
    }
    return der.tlv(0x06, Buffer.from(bytes));
  },
  /** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
  time(date: Date): Buffer {
    const digits = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    return date.getUTCFullYear() < 2050
      ? der.tlv(0x17, Buffer.from(`${digits.slice(2)}Z`))
      : der.tlv(0x18, Buffer.from(`${digits}Z`));
  },
};
