import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config';
import { verifyToken, type AuthUser } from './auth';
import { UnauthenticatedError } from './errors';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The caller of an `Authorization` header (null without one): the token verified
 * (verifyToken), and its `dept`, when given, the id of a department — read from the
 * department table kept per process (src/db/reference-cache.ts), the database asked only
 * for an id the copy lacks. Anything else is UNAUTHENTICATED. `isDepartment` is the
 * departments module's check (src/modules/departments/index.ts), given by the composition.
 */
export function createAuthenticator(args: {
  config: Config;
  dataSource: DataSource;
  isDepartment: (db: EntityManager, id: string) => Promise<boolean>;
}) {
  const { config, dataSource, isDepartment } = args;
  return async (header: string | undefined): Promise<AuthUser | null> => {
    if (header === undefined || header === '') return null;
    const match = BEARER.exec(header);
    if (!match) throw new UnauthenticatedError('The authorization header must be a bearer token');
    const user = await verifyToken(match[1], config.jwtSecret, config.tokenMaxLifetimeSeconds);
    if (user.departmentId !== null && !(await isDepartment(dataSource.manager, user.departmentId))) {
      throw new UnauthenticatedError("The token's dept names no department");
    }
    return user;
  };
}
