import type { Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config';
import type { AuthUser } from './auth';

/** Creates a module's DataLoaders for one request (or transaction). */
export type ModuleLoaderFactory<Loaders extends object> = (db: EntityManager, user: AuthUser | null) => Loaders;

/** What the HTTP routes of a module are built from. */
export interface RouteArgs {
  config: Config;
  dataSource: DataSource;
  logger: Logger;
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
}

/** Declares a manifest, keeping the names and types of its loaders. */
export function defineModule<Loaders extends object>(
  manifest: ModuleManifest<Loaders> & { createLoaders: ModuleLoaderFactory<Loaders> },
): ModuleManifest<Loaders> & { createLoaders: ModuleLoaderFactory<Loaders> };
export function defineModule(manifest: ModuleManifest): ModuleManifest;
export function defineModule(manifest: ModuleManifest): ModuleManifest {
  return manifest;
}
