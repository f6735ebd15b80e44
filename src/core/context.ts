import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config';
import { STAFF_ROLES, type AuthUser, Role } from './auth';
import { ForbiddenError, UnauthenticatedError } from './errors';
import { CursorCodec } from './pagination';

/**
 * The DataLoaders of one request, one per relation. Empty here: each module's manifest
 * declares its own and src/modules/index.ts adds their union to this interface (declaration
 * merging), so that the kernel names no module and `ctx.loaders.x` stays typed.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface Loaders {}

/**
 * Creates the loaders of one request (or transaction) for its manager and caller; `readDb`
 * is the manager of reads that may lag a little (the read replica's when one is in use for
 * the request: catalogue, reference and report loaders read through it), else `db`.
 */
export type LoaderFactory = (db: EntityManager, user: AuthUser | null, readDb: EntityManager) => Loaders;

let loaderFactory: LoaderFactory | undefined;

/** Called once, by the composition of the modules (src/modules/index.ts), when it is imported. */
export function registerLoaderFactory(factory: LoaderFactory): void {
  loaderFactory = factory;
}

/** The loaders of every module, fresh, for `db` and `user` (lag-tolerant reads through `readDb`). */
export function createLoaders(db: EntityManager, user: AuthUser | null, readDb: EntityManager = db): Loaders {
  if (!loaderFactory)
    throw new Error('No loaders are registered: import src/modules (the composition) before creating a context');
  return loaderFactory(db, user, readDb);
}

/**
 * Work no caller asked for (scheduled jobs, command-line tools): `user` is null, so every
 * check that needs a role refuses it, and `actor` says who acts.
 */
export const SYSTEM = 'system' as const;

/** Everything a resolver and service needs for one request; created per request. */
export interface Context {
  requestId: string;
  user: AuthUser | null;
  /** SYSTEM for jobs and command-line tools (systemContext); absent for requests. */
  actor?: typeof SYSTEM;
  /** The caller's IP (rate limits of anonymous callers). */
  clientIp?: string;
  /** Reads and writes go through this manager: inside a transaction, the transaction's. */
  db: EntityManager;
  /**
   * Reads that may lag the primary by a few seconds (catalogue, analytics, reports): the read
   * replica's manager when one is in use for this caller (src/db/read-routing.ts), else `db`.
   */
  readDb: EntityManager;
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
  /** The manager of lag-tolerant reads; the primary's when absent. */
  readDb?: EntityManager;
  config: Config;
  logger: Logger;
}): Context {
  const db = args.dataSource.manager;
  const readDb = args.readDb ?? db;
  return {
    ...args,
    db,
    readDb,
    loaders: createLoaders(db, args.user, readDb),
    cursors: new CursorCodec(`cursor:${args.config.jwtSecret}`),
  };
}

/** A context for a job or a command-line tool: the SYSTEM actor, no user, its own loaders. */
export function systemContext(args: { job: string; dataSource: DataSource; config: Config; logger: Logger }): Context {
  const { job, ...rest } = args;
  return { ...createContext({ requestId: job, user: null, ...rest }), actor: SYSTEM };
}

/** The same context reading and writing through `manager` (a transaction's), with loaders of its own. */
export function withManager(ctx: Context, manager: EntityManager): Context {
  return { ...ctx, db: manager, readDb: manager, loaders: createLoaders(manager, ctx.user) };
}

/**
 * Runs `work` in one transaction: the context it receives reads and writes through the
 * transaction (its loaders too), so every write of a mutation commits or rolls back
 * together, and nothing inside waits for a second pooled connection (PGlite has one).
 */
export async function inTransaction<T>(ctx: Context, work: (tx: Context) => Promise<T>): Promise<T> {
  return ctx.dataSource.transaction((manager) => work(withManager(ctx, manager)));
}

/**
 * The context of a resolver that only reads data that may lag a little (catalogue, analytics,
 * reports): its `db` is the request's read manager (the replica when one is in use).
 */
export function forReading(ctx: Context): Context {
  return ctx.readDb === ctx.db ? ctx : { ...ctx, db: ctx.readDb };
}

/** Every read of the request on the primary (a mutation reads what it is about to write). */
export function readFromPrimary(ctx: Context): void {
  if (ctx.readDb === ctx.db) return;
  ctx.readDb = ctx.db;
  ctx.loaders = createLoaders(ctx.db, ctx.user);
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
