import { webcrypto } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { jwtVerify, SignJWT, errors as joseErrors, type CryptoKey, type JWTPayload } from 'jose';
import { registerEnumType, type AuthChecker } from 'type-graphql';
import { isUuid } from '../db/sql';
import { BoundedMemo } from '../lib/memos';
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

function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/**
 * The verifying key of a secret, imported once: given the secret's bytes, jose imports them
 * into WebCrypto on every verification (a third of its CPU time).
 */
// Few secrets in a process (the configured one; tests make several).
const verifyingKeys = new BoundedMemo(16);
function verifyingKey(secret: string): Promise<CryptoKey> {
  return verifyingKeys.get(secret, () =>
    webcrypto.subtle.importKey('raw', secretKey(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']),
  );
}

/**
 * Tokens whose signature verified, by secret and token: a caller sends the same token with each
 * request. The least recently used is forgotten first (and verified again when it comes back).
 */
const verifiedTokens = new LRUCache<string, JWTPayload>({ max: 5_000 });

/**
 * The payload of a token signed with `secret` (HS256) that carries an `exp` still to come and
 * no `nbf` still to come (jose's checks). A token verified before is not verified again (its
 * signature cannot have changed; the HMAC check through WebCrypto was a fifth of a small
 * request's CPU time), but its times are checked again, as jose checks them.
 */
async function verifiedPayload(token: string, secret: string): Promise<JWTPayload> {
  const key = `${secret}\u0000${token}`;
  const known = verifiedTokens.get(key);
  if (known) {
    const now = Math.floor(Date.now() / 1000);
    if (typeof known.nbf === 'number' && known.nbf > now) throw new UnauthenticatedError('The token is not valid');
    if ((known.exp as number) <= now) {
      verifiedTokens.delete(key);
      throw new UnauthenticatedError('The token has expired');
    }
    return known;
  }
  let payload;
  try {
    ({ payload } = await jwtVerify(token, await verifyingKey(secret), {
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
  verifiedTokens.set(key, payload);
  return payload;
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
  const payload = await verifiedPayload(token, secret);
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
  return { id: sub.toLowerCase(), role: role as Role, departmentId };
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
  return jwt.sign(secretKey(secret));
}

/** Roles: `@Authorized()` needs a token, `@Authorized(Role.X, …)` one of those roles (of the Context's user). */
export const authChecker: AuthChecker<{ user: AuthUser | null }, Role> = ({ context }, roles) => {
  if (!context.user) throw new UnauthenticatedError();
  return roles.length === 0 || roles.includes(context.user.role);
};
