import type { DataSource, EntityManager } from 'typeorm';
import { firstPublicationTime, publishedCatalogueVersion, publishedServicesWithCategories } from './catalogue.queries';

export interface SnapshotService {
  id: string;
  code: string;
  title: string;
  titleEn: string | null;
  tags: string[];
  summary: string;
  description: string | null;
  categoryId: string;
  parentCategoryId: string | null;
  categoryName: string;
  categoryCodes: string[];
  publishedAt: Date | null;
  minAge: number | null;
  maxAge: number | null;
  requiredTags: string[];
  districtCodes: string[];
  /** The service's row as the service loader reads it (SERVICE_COLUMNS), for the services of a ranking's page. */
  row: Readonly<Record<string, unknown>>;
}

/**
 * The published catalogue, rebuilt only when the catalogue changes. What a module derives
 * from it (matching's text matcher and eligibility index, proposals' similarity index) it
 * keeps in a WeakMap keyed by the snapshot, so that it lives exactly as long.
 */
export interface CatalogueSnapshot {
  version: string;
  /** The published services in code order. */
  services: ReadonlyMap<string, SnapshotService>;
  /**
   * When the catalogue was first loaded: the earliest publication of any service, which all
   * the services loaded with it share (the seed gives them its time). Later ones are new.
   */
  firstLoadedAt: Date | null;
}

/** How often a process checks whether the catalogue changed. */
const VERSION_CHECK_MS = 2_000;

interface CacheEntry {
  snapshot: Promise<CatalogueSnapshot>;
  version: string;
  checkedAt: number;
  /** Built, or being built on a connection its builder holds (a transaction's): never waits for the pool. */
  safeToAwait: boolean;
}
const cache = new WeakMap<DataSource, CacheEntry>();

const catalogueVersion = publishedCatalogueVersion;

/** A snapshot of the catalogue as it is now, outside the cache (for batch jobs). */
export async function buildCatalogueSnapshot(db: EntityManager): Promise<CatalogueSnapshot> {
  return buildSnapshot(db, await catalogueVersion(db));
}

async function buildSnapshot(db: EntityManager, version: string): Promise<CatalogueSnapshot> {
  const rows = await publishedServicesWithCategories(db);
  const services = new Map<string, SnapshotService>();
  for (const { categoryName, categoryCode, parentCategoryId, parentCode, ...row } of rows) {
    const columns = row as unknown as Omit<
      SnapshotService,
      'parentCategoryId' | 'categoryName' | 'categoryCodes' | 'row'
    >;
    const categoryCodes = parentCode ? [categoryCode, parentCode] : [categoryCode];
    services.set(row.id, { ...columns, parentCategoryId, categoryName, categoryCodes, row });
  }
  const firstLoadedAt = await firstPublicationTime(db);
  return { version, services, firstLoadedAt };
}

/**
 * The current snapshot; concurrent callers share one build. A caller inside a transaction holds
 * a connection, and the embedded database has only one: it shares a build only when that build
 * cannot be waiting for the connection it holds (done, or running on a connection of its own).
 */
export async function catalogueSnapshot(dataSource: DataSource, db: EntityManager): Promise<CatalogueSnapshot> {
  const holdsConnection = db.queryRunner !== undefined;
  const shareable = (entry: CacheEntry | undefined): entry is CacheEntry =>
    entry !== undefined && (!holdsConnection || entry.safeToAwait);
  const now = Date.now();
  let entry = cache.get(dataSource);
  if (shareable(entry) && now - entry.checkedAt < VERSION_CHECK_MS) return entry.snapshot;
  const version = await catalogueVersion(db);
  entry = cache.get(dataSource);
  if (shareable(entry) && entry.version === version) {
    entry.checkedAt = now;
    return entry.snapshot;
  }
  const snapshot = buildSnapshot(db, version);
  const built: CacheEntry = { snapshot, version, checkedAt: now, safeToAwait: holdsConnection };
  cache.set(dataSource, built);
  snapshot.then(
    () => (built.safeToAwait = true),
    () => {
      if (cache.get(dataSource) === built) cache.delete(dataSource);
    },
  );
  return snapshot;
}

const forgetters: ((dataSource: DataSource) => void)[] = [];

/** `forget` runs whenever the snapshot of a data source is forgotten (state kept beside it). */
export function whenCatalogueForgotten(forget: (dataSource: DataSource) => void): void {
  forgetters.push(forget);
}

/**
 * Forgets cached state (this snapshot and what modules keep beside it): after a change this
 * process made, and for tests that change data behind the server's back.
 */
export function forgetCatalogueSnapshot(dataSource: DataSource): void {
  cache.delete(dataSource);
  for (const forget of forgetters) forget(dataSource);
}
