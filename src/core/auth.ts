import { webcrypto } from 'node:crypto';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { registerEnumType, type AuthChecker } from 'type-graphql';
import { isUuid } from '../db/sql';
import { UnauthenticatedError } from './errors';

export enum Role {
  CITIZEN = 'CITIZEN',
  STAFF = 'STAFF',
  REVIEWER = 'REVIEWER',
  PLANNER = 'PLANNER',
  AUDITOR = 'AUDITOR',
  ADMIN = 'ADMIN',
}
registerEnumType(Role, { name: 'Role' });

/** Roles of the city's own people, who may see retired services. */
export const STAFF_ROLES: readonly Role[] = [Role.STAFF, Role.REVIEWER, Role.PLANNER, Role.AUDITOR, Role.ADMIN];

export interface AuthUser {
  /** The token's `sub`: a citizen's or staff member's id (a UUID). */
  id: string;
  role: Role;
  /** The token's `dept`, for STAFF and REVIEWER. */
  departmentId: string | null;
}

const ALGORITHM = 'HS256';
/** The enum's own values: `role in Role` would also take "constructor" or "toString". */
const ROLES: ReadonlySet<string> = new Set(Object.values(Role));
/** A token lives at most this long unless TOKEN_MAX_LIFETIME_SECONDS says otherwise. */
export const DEFAULT_TOKEN_MAX_LIFETIME_SECONDS = 24 * 3600;
/** How far in the future a token's `iat` may be (clocks differ a little). */
const CLOCK_TOLERANCE_SECONDS = 60;

/**
 * The HMAC key of a secret, imported once: given the secret's bytes, jose imports a key on every
 * call (about as much work as checking the signature).
 */
const secretKeys = new Map<string, Promise<webcrypto.CryptoKey>>();

function secretKey(secret: string): Promise<webcrypto.CryptoKey> {
  let key = secretKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    secretKeys.set(secret, key);
  }
  return key;
}

/**
 * The caller a signed token names. It must carry `exp` and live at most `maxLifetimeSeconds`:
 * `exp - iat`, or `exp - now` without `iat`; an `iat` in the future is refused. The role is one
 * of the enum's own values; `dept`, when given, must look like a department id (whether it
 * names one is the caller's check: src/core/authenticate.ts).
 */
export async function verifyToken(
  token: string,
  secret: string,
  maxLifetimeSeconds = DEFAULT_TOKEN_MAX_LIFETIME_SECONDS,
): Promise<AuthUser> {
  const verified = verifiedTokens(secret, maxLifetimeSeconds);
  const known = verified.get(token);
  if (known && Math.floor(Date.now() / 1000) < known.exp) return { ...known.user };
  const checked = await verifySignedToken(token, secret, maxLifetimeSeconds);
  if (verified.size >= VERIFIED_TOKENS) verified.clear();
  verified.set(token, checked);
  return { ...checked.user };
}

/**
 * Tokens that passed verification lately, per secret and lifetime: checking a signature (an
 * HMAC through WebCrypto) costs more than a small request's other work, and a client sends
 * the same token with every call. Only the expiry can turn a verified token invalid (an `iat`
 * that was not in the future stays so), and it is checked again on every use. Emptied when full.
 */
const verifiedTokensBySecret = new Map<string, Map<string, { user: AuthUser; exp: number }>>();
const VERIFIED_TOKENS = 10_000;

function verifiedTokens(secret: string, maxLifetimeSeconds: number): Map<string, { user: AuthUser; exp: number }> {
  const key = `${maxLifetimeSeconds}:${secret}`;
  let verified = verifiedTokensBySecret.get(key);
  if (!verified) verifiedTokensBySecret.set(key, (verified = new Map()));
  return verified;
}

async function verifySignedToken(
  token: string,
  secret: string,
  maxLifetimeSeconds: number,
): Promise<{ user: AuthUser; exp: number }> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, await secretKey(secret), {
      algorithms: [ALGORITHM],
      requiredClaims: ['exp'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new UnauthenticatedError('The token has expired');
    if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'exp') {
      throw new UnauthenticatedError('The token must carry an expiry (exp)');
    }
    throw new UnauthenticatedError('The token is not valid');
  }
  const now = Math.floor(Date.now() / 1000);
  const { exp, iat } = payload as { exp: number; iat?: number };
  if (iat !== undefined && iat > now + CLOCK_TOLERANCE_SECONDS) {
    throw new UnauthenticatedError('The token is issued in the future');
  }
  if (exp - (iat ?? now) > maxLifetimeSeconds) {
    throw new UnauthenticatedError(`The token lives longer than ${maxLifetimeSeconds} seconds`);
  }
  const { sub, role, dept } = payload as { sub?: unknown; role?: unknown; dept?: unknown };
  if (typeof sub !== 'string' || !isUuid(sub)) throw new UnauthenticatedError("The token's sub must be a UUID");
  if (typeof role !== 'string' || !ROLES.has(role)) {
    throw new UnauthenticatedError("The token's role is not a known role");
  }
  if (dept !== undefined && dept !== null && (typeof dept !== 'string' || !isUuid(dept))) {
    throw new UnauthenticatedError("The token's dept must be a department id");
  }
  const departmentId = typeof dept === 'string' ? dept.toLowerCase() : null;
  return { user: { id: sub.toLowerCase(), role: role as Role, departmentId }, exp };
}

/** Whether `value` is one of the roles (own values of the enum only). */
export function isRole(value: string): value is Role {
  return ROLES.has(value);
}

export async function signToken(
  claims: { sub: string; role: Role; dept?: string | null },
  secret: string,
  expiresIn: string | number = '12h',
): Promise<string> {
  const jwt = new SignJWT({ role: claims.role, ...(claims.dept ? { dept: claims.dept } : {}) })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  return jwt.sign(await secretKey(secret));
}

/** Roles: `@Authorized()` needs a token, `@Authorized(Role.X, …)` one of those roles (of the Context's user). */
export const authChecker: AuthChecker<{ user: AuthUser | null }, Role> = ({ context }, roles) => {
  if (!context.user) throw new UnauthenticatedError();
  return roles.length === 0 || roles.includes(context.user.role);
};
