import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { openDatabase, type Database } from '../../src/db/database';
import { loadCatalogue } from '../../seeds/catalogue';
import type { SignalRow } from '../../src/modules/signals/signals.queries';
import { SignalKind } from '../../src/modules/signals/signal-kind';
import { AgeBand } from '../../src/modules/citizens/age-band';
import { scratchDatabase, StatementCounter } from './test-app';

/** A migrated database without a server, for the database-level tests of the query files. */
export interface TestDatabase {
  db: DataSource;
  databaseKind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/**
 * Opens a fresh database: an in-memory PGlite by default, or a new database on the PostgreSQL
 * server of TEST_DATABASE_URL (dropped again by close()); migrated, with the seeded catalogue
 * unless `seed` is false.
 */
export async function openTestDatabase({ seed = true }: { seed?: boolean } = {}): Promise<TestDatabase> {
  const { databaseUrl, dropDatabase } = await scratchDatabase();
  let database: Database;
  try {
    // Quiet: tests that expect a statement to fail would otherwise print its error.
    database = await openDatabase({ databaseUrl, dataDir: null, poolSize: 2, logger: new StatementCounter() });
  } catch (error) {
    await dropDatabase?.();
    throw error;
  }
  if (seed) await database.dataSource.transaction((manager) => loadCatalogue(manager));
  return {
    db: database.dataSource,
    databaseKind: databaseUrl ? 'postgres' : 'pglite',
    async close() {
      await database.close();
      await dropDatabase?.();
    },
  };
}

class RolledBack extends Error {}

/** Runs `work` in a transaction that is then rolled back: each test starts from the same data. */
export async function rolledBack(db: DataSource, work: (tx: EntityManager) => Promise<void>): Promise<void> {
  await db
    .transaction(async (tx) => {
      await work(tx);
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
}

/** Inserts a citizen of the first district; returns its id. */
export async function insertCitizen(db: EntityManager, birthYear: number | null = 1980): Promise<string> {
  const id = randomUUID();
  await db.query(
    'INSERT INTO citizen (id, district_code, birth_year) SELECT $1, code, $2 FROM district ORDER BY code LIMIT 1',
    [id, birthYear],
  );
  return id;
}

/** A signal row with what a test names, every other optional field null. */
export const signalRow = (
  fields: Pick<SignalRow, 'citizenId' | 'kind' | 'districtCode' | 'occurredAt'> & Partial<SignalRow>,
): SignalRow => ({
  serviceId: null,
  categoryId: null,
  ageBand: null,
  text: null,
  rating: null,
  clientEventId: null,
  matchedServiceId: null,
  matchScore: null,
  unmet: null,
  needCode: null,
  ...fields,
});

/** The ids of the first `count` published services, by code. */
export async function publishedServiceIds(db: EntityManager | DataSource, count: number): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    "SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT $1",
    [count],
  );
  return rows.map((r) => r.id);
}

/** The codes of the first `count` districts. */
export async function districtCodes(db: EntityManager | DataSource, count: number): Promise<string[]> {
  const rows: { code: string }[] = await db.query('SELECT code FROM district ORDER BY code LIMIT $1', [count]);
  return rows.map((r) => r.code);
}

/** Inserts a signal of the citizen, in their district and the ADULT band (at the transaction's now() unless `at` says). */
export async function insertCitizenSignal(
  db: EntityManager,
  citizenId: string,
  fields: { kind: string; serviceId?: string | null; rating?: number | null; text?: string | null; at?: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO signal (citizen_id, kind, service_id, district_code, age_band, rating, text, occurred_at)
     SELECT $1, $2, $3, district_code, 'ADULT', $4, $5, coalesce($6::timestamptz, now()) FROM citizen WHERE id = $1`,
    [
      citizenId,
      fields.kind,
      fields.serviceId ?? null,
      fields.rating ?? null,
      fields.text ?? null,
      fields.at?.toISOString() ?? null,
    ],
  );
}

/**
 * A SEARCH signal of citizen `i` at noon in the city on `day`, in district `i % 2` and the
 * ADULT band (for the rollup and trend tests).
 */
export const daySignal =
  (citizens: string[], districts: string[]) =>
  (citizen: number, day: string, overrides: Partial<SignalRow> = {}): SignalRow =>
    signalRow({
      citizenId: citizens[citizen],
      kind: SignalKind.SEARCH,
      districtCode: districts[citizen % 2],
      ageBand: AgeBand.ADULT,
      occurredAt: new Date(`${day}T04:00:00Z`),
      ...overrides,
    });

/** The ids of the first `count` departments, by code. */
export async function departmentIds(db: EntityManager | DataSource, count: number): Promise<string[]> {
  const rows: { id: string }[] = await db.query('SELECT id FROM department ORDER BY code LIMIT $1', [count]);
  return rows.map((r) => r.id);
}

/** The id of the first category that has a parent, by code. */
export async function leafCategoryId(db: EntityManager | DataSource): Promise<string> {
  const [{ id }]: { id: string }[] = await db.query(
    'SELECT id FROM category WHERE parent_id IS NOT NULL ORDER BY code LIMIT 1',
  );
  return id;
}
