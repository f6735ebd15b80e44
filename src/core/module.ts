import type { Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config';
import type { AuthUser } from './auth';

/**
 * Creates a module's DataLoaders for one request (or transaction): `readDb` is the manager of
 * reads that may lag a little (the read replica's when one is in use for the request), else `db`.
 */
export type ModuleLoaderFactory<Loaders extends object> = (
  db: EntityManager,
  user: AuthUser | null,
  readDb: EntityManager,
) => Loaders;

/** What the HTTP routes of a module are built from. */
export interface RouteArgs {
  config: Config;
  dataSource: DataSource;
  logger: Logger;
}

/** What a module's background jobs are started with. */
export interface JobArgs extends RouteArgs {
  /** The embedded database (PGlite, one process) rather than PostgreSQL. */
  embedded: boolean;
}

/** A running background job: `stop` ends it and waits for a run in progress. */
export interface RunningJob {
  stop(): Promise<void>;
}

/**
 * What a module declares of itself (its `index.ts`), composed in src/modules/index.ts: its
 * TypeORM entities, its type-graphql resolvers, the factory of its per-request DataLoaders
 * and its HTTP routes, each where it has them.
 */
export interface ModuleManifest<Loaders extends object = object> {
  name: string;
  entities?: readonly Function[];
  resolvers?: readonly Function[];
  createLoaders?: ModuleLoaderFactory<Loaders>;
  routes?: readonly { path: string; router: (args: RouteArgs) => Router }[];
  /** Background jobs each server process starts (null: turned off by the configuration). */
  jobs?: readonly ModuleJob[];
}

/**
 * A module's background job. By default it starts before the HTTP server and stops after it,
 * since requests may wait on it (the notification outbox, the signal rollups); a job no request
 * waits on may stop before the server (`stopBeforeServer`). Jobs of one phase stop in the reverse
 * order of their start.
 */
export interface ModuleJob {
  name: string;
  start: (args: JobArgs) => RunningJob | null | Promise<RunningJob | null>;
  /** Starts after the server is listening (default: before it). */
  startAfterServer?: boolean;
  /** Stops before the server stops (default: after it). */
  stopBeforeServer?: boolean;
}

/** Declares a manifest, keeping the names and types of its loaders. */
export function defineModule<Loaders extends object>(
  manifest: ModuleManifest<Loaders> & { createLoaders: ModuleLoaderFactory<Loaders> },
): ModuleManifest<Loaders> & { createLoaders: ModuleLoaderFactory<Loaders> };
export function defineModule(manifest: ModuleManifest): ModuleManifest;
export function defineModule(manifest: ModuleManifest): ModuleManifest {
  return manifest;
}
