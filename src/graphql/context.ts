import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config';
import { STAFF_ROLES, type AuthUser, Role } from './auth';
import { ForbiddenError, UnauthenticatedError } from './errors';
import { createLoaders, type Loaders } from './loaders';
import { CursorCodec } from './pagination';

/** Everything a resolver and service needs for one request; created per request. */
export interface Context {
  requestId: string;
  user: AuthUser | null;
  /** The caller's IP (rate limits of anonymous callers). */
  clientIp?: string;
  /** Reads and writes go through this manager: inside a transaction, the transaction's. */
  db: EntityManager;
  dataSource: DataSource;
  loaders: Loaders;
  cursors: CursorCodec;
  config: Config;
  logger: Logger;
  /** The request's Idempotency-Key header, for the mutations that take one. */
  idempotencyKeyHeader?: string;
}

export function createContext(args: {
  requestId: string;
  user: AuthUser | null;
  clientIp?: string;
  idempotencyKeyHeader?: string;
  dataSource: DataSource;
  config: Config;
  logger: Logger;
}): Context {
  const db = args.dataSource.manager;
  return {
    ...args,
    db,
    loaders: createLoaders(db, args.user),
    cursors: new CursorCodec(`cursor:${args.config.jwtSecret}`),
  };
}

/**
 * Runs `work` in one transaction: the context it receives reads and writes through the
 * transaction (its loaders too), so every write of a mutation commits or rolls back
 * together, and nothing inside waits for a second pooled connection (PGlite has one).
 */
export async function inTransaction<T>(ctx: Context, work: (tx: Context) => Promise<T>): Promise<T> {
  return ctx.dataSource.transaction((manager) => work({ ...ctx, db: manager, loaders: createLoaders(manager, ctx.user) }));
}

export function requireUser(ctx: Context): AuthUser {
  if (!ctx.user) throw new UnauthenticatedError();
  return ctx.user;
}

export function requireRole(ctx: Context, ...roles: Role[]): AuthUser {
  const user = requireUser(ctx);
  if (!roles.includes(user.role)) throw new ForbiddenError(`This needs one of the roles ${roles.join(', ')}`);
  return user;
}

export function isStaff(ctx: Context): boolean {
  return ctx.user !== null && STAFF_ROLES.includes(ctx.user.role);
}
