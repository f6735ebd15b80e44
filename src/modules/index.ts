// The one place that composes the modules: their entities (the data source), resolvers (the
// schema), loaders (every context) and routes (the server). A new module is added here; a new
// entity, resolver or loader only in its own module's index.ts.
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../core/auth';
import { registerLoaderFactory } from '../core/context';
import type { ModuleManifest } from '../core/module';
import { catalogueModule } from './catalogue';
import { categoriesModule } from './categories';
import { citizensModule } from './citizens';
import { departmentsModule } from './departments';
import { districtsModule } from './districts';
import { signalsModule } from './signals';
import { votesModule } from './votes';
import { matchingModule } from './matching';
import { analyticsModule } from './analytics';
import { proposalsModule } from './proposals';
import { auditModule } from './audit';
import { servicePointsModule } from './service-points';
import { reportsModule } from './reports';
import { requestsModule } from './requests';
import { notificationsModule } from './notifications';
import { needsModule } from './needs';
import { guidesModule } from './guides';
import { idempotencyModule } from './idempotency';
import { open311Module } from './open311';

export { isDepartment } from './departments';

export const modules: readonly ModuleManifest[] = [
  districtsModule,
  categoriesModule,
  departmentsModule,
  catalogueModule,
  servicePointsModule,
  citizensModule,
  signalsModule,
  votesModule,
  matchingModule,
  analyticsModule,
  proposalsModule,
  auditModule,
  reportsModule,
  requestsModule,
  notificationsModule,
  needsModule,
  guidesModule,
  idempotencyModule,
  open311Module,
];

/** Every module's TypeORM entities (src/db/data-source.ts). */
export const entities = modules.flatMap((module) => module.entities ?? []);

/** Every module's type-graphql resolvers (src/graphql/schema.ts). */
export const resolvers = modules.flatMap((module) => module.resolvers ?? []);

/** Every module's HTTP routes, mounted by src/server.ts. */
export const routes = modules.flatMap((module) => module.routes ?? []);

/** Every module's background jobs. */
export const jobs = modules.flatMap((module) => module.jobs ?? []);

/** The modules that bring loaders, in the order their loaders are composed. */
const loaderModules = [
  districtsModule,
  categoriesModule,
  departmentsModule,
  catalogueModule,
  citizensModule,
  votesModule,
  proposalsModule,
  reportsModule,
  guidesModule,
  servicePointsModule,
] as const;

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every module's loaders: what a context's loaders hold. */
export type ModuleLoaders = Intersection<ReturnType<(typeof loaderModules)[number]['createLoaders']>>;

/**
 * A request's loaders, each module's made when the request first reads one of them: most
 * requests read a few modules' loaders, and making all of them was a noticeable share of a
 * small request. The getters live on the prototype (defined once, from the first request's
 * loaders), so a request allocates one object and the modules it uses.
 */
class RequestLoaders {
  readonly made: (Record<string, unknown> | undefined)[] = [];

  constructor(
    readonly db: EntityManager,
    readonly user: AuthUser | null,
    readonly readDb: EntityManager,
  ) {}
}

let gettersDefined = false;

function defineGetters(first: Record<string, unknown>[]): void {
  const owner = new Map<string, number>();
  first.forEach((loaders, index) => {
    for (const key of Object.keys(loaders)) {
      if (owner.has(key)) throw new Error(`two modules declare the loader ${key}`);
      owner.set(key, index);
      Object.defineProperty(RequestLoaders.prototype, key, {
        get(this: RequestLoaders) {
          const made = (this.made[index] ??= loaderModules[index].createLoaders(this.db, this.user, this.readDb));
          return made[key as keyof typeof made];
        },
      });
    }
  });
  gettersDefined = true;
}

/**
 * One DataLoader per relation of every module, created per request so that nothing is cached
 * across callers; catalogue, reference and report loaders read through `readDb`.
 */
export function createModuleLoaders(
  db: EntityManager,
  user: AuthUser | null,
  readDb: EntityManager = db,
): ModuleLoaders {
  const loaders = new RequestLoaders(db, user, readDb);
  if (!gettersDefined) {
    const first = loaderModules.map((module) => module.createLoaders(db, user, readDb) as Record<string, unknown>);
    defineGetters(first);
    first.forEach((made, index) => {
      loaders.made[index] = made;
    });
  }
  return loaders as unknown as ModuleLoaders;
}

declare module '../core/context' {
  // The loaders every context carries: the union of the modules' (see Loaders there).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface Loaders extends ModuleLoaders {}
}

registerLoaderFactory(createModuleLoaders);
