import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { registerEnumType, type AuthChecker } from 'type-graphql';
import { UnauthenticatedError } from './errors';
import type { Context } from './context';

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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function verifyToken(token: string, secret: string): Promise<AuthUser> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, secretKey(secret), { algorithms: [ALGORITHM] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new UnauthenticatedError('The token has expired');
    throw new UnauthenticatedError('The token is not valid');
  }
  const { sub, role, dept } = payload as { sub?: unknown; role?: unknown; dept?: unknown };
  if (typeof sub !== 'string' || !UUID.test(sub)) throw new UnauthenticatedError('The token\'s sub must be a UUID');
  if (typeof role !== 'string' || !(role in Role)) throw new UnauthenticatedError('The token\'s role is not a known role');
  if (dept !== undefined && dept !== null && (typeof dept !== 'string' || !UUID.test(dept))) {
    throw new UnauthenticatedError('The token\'s dept must be a department id');
  }
  return { id: sub.toLowerCase(), role: role as Role, departmentId: typeof dept === 'string' ? dept.toLowerCase() : null };
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

/** Roles: `@Authorized()` needs a token, `@Authorized(Role.X, …)` one of those roles. */
export const authChecker: AuthChecker<Context, Role> = ({ context }, roles) => {
  if (!context.user) throw new UnauthenticatedError();
  return roles.length === 0 || roles.includes(context.user.role);
};
