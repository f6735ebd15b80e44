/**
 * `npm run seed -- --citizens N --signals M --seed S [--days D] [--now ISO] [--reset]`:
 * loads the catalogue when the database has none, then writes a synthetic population
 * (seeds/population.ts) in one transaction: COPY on PostgreSQL, batched INSERTs on the
 * embedded PGlite database.
 */
import 'reflect-metadata';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createMonthPartitions, monthOf } from '../src/modules/signals/signal-partitions.queries';
import type { EntityManager, QueryRunner } from 'typeorm';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { queryRows } from '../src/db/sql';
import { rebuildDerivedTables } from '../src/modules/signals/rollup-worker';
import { buildCatalogueSnapshot, type CatalogueSnapshot } from '../src/modules/catalogue/catalogue-snapshot';
import { catalogueIndexOf } from '../src/modules/matching/catalogue-index';
import { UNMET_THRESHOLD } from '../src/modules/matching/request-matching.service';
import { catalogueIsEmpty, districtVariants, loadCatalogue, readCatalogueSeed } from './catalogue';
import {
  arrayLiteral,
  copyLine,
  createPopulation,
  type CatalogueService,
  type CopyValue,
  type PopulationOptions,
  type SyntheticCitizen,
  type SyntheticRating,
  type SyntheticSignal,
  type SyntheticVote,
} from './population';

export interface SeedArgs extends PopulationOptions {
  reset: boolean;
  /** Grow the published catalogue to this many services with district variants (0: leave it). */
  services: number;
}

const USAGE =
  'usage: npm run seed -- --citizens N --signals M --seed S [--days 180] [--now 2025-06-01T00:00:00Z] [--services 2000] [--reset]';

class UsageError extends Error {}

function todayUtc(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function parseArgs(argv: readonly string[]): SeedArgs {
  const args: SeedArgs = {
    citizens: 20_000,
    signals: 500_000,
    seed: 42,
    days: 180,
    now: todayUtc(),
    reset: false,
    services: 0,
  };
  const integer = (name: string, raw: string | undefined, min: number, max: number) => {
    const value = Number(raw);
    if (raw === undefined || !Number.isInteger(value) || value < min || value > max) {
      throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${raw ?? ''}"`);
    }
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--citizens':
        args.citizens = integer('citizens', argv[++i], 1, 10_000_000);
        break;
      case '--signals':
        args.signals = integer('signals', argv[++i], 0, 1_000_000_000);
        break;
      case '--seed':
        args.seed = integer('seed', argv[++i], 0, 2 ** 31 - 1);
        break;
      case '--days':
        args.days = integer('days', argv[++i], 1, 3650);
        break;
      case '--now': {
        const raw = argv[++i];
        const now = new Date(raw ?? '');
        if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be a date or time, got "${raw ?? ''}"`);
        args.now = now;
        break;
      }
      case '--reset':
        args.reset = true;
        break;
      case '--services':
        args.services = integer('services', argv[++i], 0, 100_000);
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown argument "${flag}"`);
    }
  }
  return args;
}

// ---------------------------------------------------------------------------------------
// Tables and rows.

interface TableSpec {
  name: string;
  columns: readonly { name: string; type: string }[];
}

const CITIZEN_TABLE: TableSpec = {
  name: 'citizen',
  columns: [
    { name: 'id', type: 'uuid' },
    { name: 'district_code', type: 'varchar' },
    { name: 'birth_year', type: 'smallint' },
    { name: 'tags', type: 'text[]' },
    { name: 'personalization', type: 'boolean' },
    { name: 'created_at', type: 'timestamptz' },
    { name: 'updated_at', type: 'timestamptz' },
  ],
};
const INTEREST_TABLE: TableSpec = {
  name: 'citizen_interest',
  columns: [
    { name: 'citizen_id', type: 'uuid' },
    { name: 'category_id', type: 'uuid' },
  ],
};
const SIGNAL_TABLE: TableSpec = {
  name: 'signal',
  columns: [
    { name: 'citizen_id', type: 'uuid' },
    { name: 'kind', type: 'signal_kind' },
    { name: 'service_id', type: 'uuid' },
    { name: 'category_id', type: 'uuid' },
    { name: 'district_code', type: 'varchar' },
    { name: 'age_band', type: 'age_band' },
    { name: 'text', type: 'text' },
    { name: 'rating', type: 'smallint' },
    { name: 'occurred_at', type: 'timestamptz' },
    { name: 'received_at', type: 'timestamptz' },
    { name: 'matched_service_id', type: 'uuid' },
    { name: 'match_score', type: 'real' },
    { name: 'unmet', type: 'boolean' },
  ],
};
const VOTE_TABLE: TableSpec = {
  name: 'vote',
  columns: [
    { name: 'citizen_id', type: 'uuid' },
    { name: 'service_id', type: 'uuid' },
    { name: 'value', type: 'vote_value' },
    { name: 'created_at', type: 'timestamptz' },
    { name: 'updated_at', type: 'timestamptz' },
  ],
};
const RATING_TABLE: TableSpec = {
  name: 'rating',
  columns: [
    { name: 'citizen_id', type: 'uuid' },
    { name: 'service_id', type: 'uuid' },
    { name: 'stars', type: 'smallint' },
    { name: 'created_at', type: 'timestamptz' },
    { name: 'updated_at', type: 'timestamptz' },
  ],
};

const citizenRow = (c: SyntheticCitizen): CopyValue[] => [
  c.id,
  c.districtCode,
  c.birthYear,
  c.tags,
  c.personalization,
  c.createdAt,
  c.createdAt,
];
type RequestMatcher = (text: string) => { serviceId: string; score: number } | undefined;

/** REQUEST signals carry their best match and whether it falls short, as submitRequest stores them. */
const signalRow = (s: SyntheticSignal, matchRequest: RequestMatcher): CopyValue[] => {
  const at = s.occurredAt.toISOString();
  const best = s.kind === 'REQUEST' && s.text ? matchRequest(s.text) : undefined;
  const match: CopyValue[] =
    s.kind === 'REQUEST'
      ? [best?.serviceId ?? null, best?.score ?? null, (best?.score ?? 0) < UNMET_THRESHOLD]
      : [null, null, null];
  return [
    s.citizenId,
    s.kind,
    s.serviceId,
    s.categoryId,
    s.districtCode,
    s.ageBand,
    s.text,
    s.rating,
    at,
    at,
    ...match,
  ];
};

/** Matches each distinct request text once: generated requests repeat their wordings. */
function cachedRequestMatcher(snapshot: CatalogueSnapshot): RequestMatcher {
  const cache = new Map<string, { serviceId: string; score: number } | undefined>();
  return (text) => {
    if (!cache.has(text)) cache.set(text, catalogueIndexOf(snapshot).matcher.match(text, { limit: 1 })[0]);
    return cache.get(text);
  };
}
const voteRow = (v: SyntheticVote): CopyValue[] => [v.citizenId, v.serviceId, v.value, v.createdAt, v.createdAt];
const ratingRow = (r: SyntheticRating): CopyValue[] => [r.citizenId, r.serviceId, r.stars, r.createdAt, r.updatedAt];

// ---------------------------------------------------------------------------------------
// Writers.

interface RowSink {
  /** Writes every row of `rows` into `table`; returns how many. */
  write(table: TableSpec, rows: Iterable<CopyValue[]>): Promise<number>;
}

const COPY_CHUNK_CHARS = 1 << 17;

/** PostgreSQL: COPY FROM STDIN in text format, streamed as the rows are generated. */
function copySink(client: ClientBase): RowSink {
  return {
    async write(table, rows) {
      let count = 0;
      function* chunks(): Generator<Buffer> {
        let buffer = '';
        for (const row of rows) {
          buffer += copyLine(row);
          count++;
          if (buffer.length >= COPY_CHUNK_CHARS) {
            yield Buffer.from(buffer, 'utf8');
            buffer = '';
          }
        }
        if (buffer) yield Buffer.from(buffer, 'utf8');
      }
      const columns = table.columns.map((c) => c.name).join(', ');
      await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${table.name} (${columns}) FROM STDIN`)));
      return count;
    },
  };
}

const INSERT_BATCH = 5000;

/**
 * PGlite behind its socket: COPY FROM STDIN is not reliable there, so batches of
 * INSERT … SELECT FROM unnest(…), one array parameter per column. unnest would flatten an
 * array column, so those travel as array literals and are cast back.
 */
function insertSink(runner: QueryRunner): RowSink {
  return {
    async write(table, rows) {
      const isArray = table.columns.map((c) => c.type.endsWith('[]'));
      const names = table.columns.map((c) => c.name).join(', ');
      const selected = table.columns.map((c, i) => (isArray[i] ? `${c.name}::${c.type}` : c.name)).join(', ');
      const params = table.columns.map((c, i) => `$${i + 1}::${isArray[i] ? 'text' : c.type}[]`).join(', ');
      const sql = `INSERT INTO ${table.name} (${names}) SELECT ${selected} FROM unnest(${params}) AS u(${names})`;
      let batch: unknown[][] = table.columns.map(() => []);
      let pending = 0;
      let count = 0;
      const flush = async () => {
        if (pending === 0) return;
        await runner.query(sql, batch);
        count += pending;
        batch = table.columns.map(() => []);
        pending = 0;
      };
      for (const row of rows) {
        row.forEach((value, i) => {
          batch[i].push(
            Array.isArray(value) ? arrayLiteral(value) : value instanceof Date ? value.toISOString() : value,
          );
        });
        if (++pending >= INSERT_BATCH) await flush();
      }
      await flush();
      return count;
    },
  };
}

// ---------------------------------------------------------------------------------------
// The run.

/** The published catalogue as the generator (and plantedPreferences) reads it. */
export async function readServices(db: EntityManager): Promise<CatalogueService[]> {
  return queryRows<CatalogueService>(
    db,
    `SELECT s.id, s.code, s.title, s.category_id AS "categoryId", c.code AS "categoryCode", s.department_id AS "departmentId",
            s.min_age AS "minAge", s.max_age AS "maxAge", s.required_tags AS "requiredTags",
            s.district_codes::text[] AS "districtCodes", s.tags
       FROM service s JOIN category c ON c.id = s.category_id
      WHERE s.status = 'PUBLISHED'
      ORDER BY s.code`,
  );
}

async function citizensExist(db: EntityManager): Promise<boolean> {
  const [row] = await queryRows<{ any: boolean }>(db, 'SELECT EXISTS (SELECT 1 FROM citizen) AS any');
  return row.any;
}

const POPULATION_TABLES = [
  'citizen',
  'citizen_interest',
  'signal',
  'signal_client_event',
  'service_activity_daily',
  'vote',
  'rating',
];

/**
 * Tables that hang off the population through foreign keys (directly or not), such as
 * per-citizen aggregates. Those whose keys all cascade on delete are emptied with it;
 * any other would lose rows a plain DELETE would refuse to remove, so it stops the reset.
 */
async function dependentTables(db: EntityManager): Promise<string[]> {
  const rows = await queryRows<{ name: string; cascades: boolean }>(
    db,
    `WITH RECURSIVE refs (rel, deltype) AS (
       SELECT conrelid, confdeltype FROM pg_constraint WHERE contype = 'f' AND confrelid = ANY ($1::text[]::regclass[])
       UNION
       SELECT c.conrelid, c.confdeltype FROM pg_constraint c JOIN refs r ON c.confrelid = r.rel WHERE c.contype = 'f'
     )
     SELECT rel::regclass::text AS name, bool_and(deltype = 'c') AS cascades FROM refs
      WHERE rel <> ALL ($1::text[]::regclass[]) GROUP BY rel ORDER BY 1`,
    [POPULATION_TABLES],
  );
  const blocking = rows.filter((r) => !r.cascades).map((r) => r.name);
  if (blocking.length > 0) {
    throw new Error(`cannot reset: ${blocking.join(', ')} refer(s) to the population without ON DELETE CASCADE`);
  }
  return rows.map((r) => r.name);
}

async function resetPopulation(db: EntityManager): Promise<string[]> {
  const dependents = await dependentTables(db);
  await db.query(`TRUNCATE ${[...POPULATION_TABLES, ...dependents].join(', ')} RESTART IDENTITY`);
  await db.query('UPDATE service_stats SET upvotes = 0, downvotes = 0, rating_count = 0, rating_sum = 0');
  return dependents;
}

/**
 * The counters of service_stats, recounted from the vote and rating tables. Returns how
 * many services' counters changed.
 */
export async function recountServiceStats(db: EntityManager): Promise<number> {
  await db.query('INSERT INTO service_stats (service_id) SELECT id FROM service ON CONFLICT DO NOTHING');
  const [{ fixed }] = await queryRows<{ fixed: number }>(
    db,
    `WITH fixed AS (
       UPDATE service_stats st
          SET upvotes = x.up, downvotes = x.down, rating_count = x.n, rating_sum = x.total
         FROM (SELECT s.id, coalesce(v.up, 0) AS up, coalesce(v.down, 0) AS down, coalesce(r.n, 0) AS n, coalesce(r.total, 0) AS total
                 FROM service s
                 LEFT JOIN (SELECT service_id, count(*) FILTER (WHERE value = 'UP')::int AS up,
                                   count(*) FILTER (WHERE value = 'DOWN')::int AS down
                              FROM vote GROUP BY service_id) v ON v.service_id = s.id
                 LEFT JOIN (SELECT service_id, count(*)::int AS n, sum(stars)::int AS total
                              FROM rating GROUP BY service_id) r ON r.service_id = s.id) x
        WHERE st.service_id = x.id
          AND (st.upvotes, st.downvotes, st.rating_count, st.rating_sum) IS DISTINCT FROM (x.up, x.down, x.n, x.total)
       RETURNING 1
     )
     SELECT count(*)::int AS fixed FROM fixed`,
  );
  return fixed;
}

const COUNTER_TRIGGERS = [
  ['vote', 'vote_counters'],
  ['rating', 'rating_counters'],
] as const;

/**
 * Runs `load` with the vote and rating counter triggers off, inside the caller's transaction
 * (ALTER TABLE is transactional, and its lock makes concurrent votes wait for the commit).
 * Each trigger upserts the same few hundred service_stats rows, and inside one transaction
 * every update leaves a version the next one has to step over: 350k rows took minutes that
 * way, against a second for the recount `load` has to end with.
 */
async function withoutCounterTriggers(db: EntityManager, load: () => Promise<void>): Promise<void> {
  for (const [table, trigger] of COUNTER_TRIGGERS) await db.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
  await load();
  for (const [table, trigger] of COUNTER_TRIGGERS) await db.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
}

const SIGNAL_CHUNK = 500_000;

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Generates and writes the population through `sink`, inside the caller's transaction. */
async function writePopulation(
  args: SeedArgs,
  services: CatalogueService[],
  sink: RowSink,
  db: EntityManager,
  started: number,
): Promise<void> {
  const matchRequest = cachedRequestMatcher(await buildCatalogueSnapshot(db));
  const population = createPopulation(services, args);
  console.log(`generated ${population.citizens.length} citizens (${elapsed(started)})`);
  await sink.write(CITIZEN_TABLE, population.citizens.map(citizenRow));
  await sink.write(
    INTEREST_TABLE,
    population.citizens.flatMap((c) => c.interests.map((id): CopyValue[] => [c.id, id])),
  );
  console.log(`wrote citizens and interests (${elapsed(started)})`);

  // Votes and ratings are a few per cent of the signals: kept until the signal stream ends.
  const votes: SyntheticVote[] = [];
  const ratings: SyntheticRating[] = [];
  const activities = population.activities();
  let written = 0;
  let finished = false;
  // One statement per chunk bounds the server's queue of foreign-key checks, which run at
  // the end of each statement, and makes the progress lines honest.
  function* signalChunk(): Generator<CopyValue[]> {
    const end = written + SIGNAL_CHUNK;
    while (written < end) {
      const next = activities.next();
      if (next.done) {
        finished = true;
        return;
      }
      for (const signal of next.value.signals) yield signalRow(signal, matchRequest);
      votes.push(...next.value.votes);
      ratings.push(...next.value.ratings);
      written += next.value.signals.length;
    }
  }
  while (!finished) {
    const rows = await sink.write(SIGNAL_TABLE, signalChunk());
    if (rows > 0)
      console.log(`signals ${written.toLocaleString('en')}/${args.signals.toLocaleString('en')} (${elapsed(started)})`);
  }
  await withoutCounterTriggers(db, async () => {
    await sink.write(VOTE_TABLE, votes.map(voteRow));
    await sink.write(RATING_TABLE, ratings.map(ratingRow));
    const changed = await recountServiceStats(db);
    console.log(
      `wrote ${votes.length} votes and ${ratings.length} ratings, counted into service_stats for ${changed} services (${elapsed(started)})`,
    );
  });
  const { activityRows } = await rebuildDerivedTables(db);
  console.log(
    `rebuilt service_activity_daily (${activityRows} rows), the matching aggregates, service neighbours and demand rollups (${elapsed(started)})`,
  );
}

async function tableCounts(db: EntityManager): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of POPULATION_TABLES) {
    const [row] = await queryRows<{ n: number }>(db, `SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = row.n;
  }
  return counts;
}

export async function seed(args: SeedArgs): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 });
  const where = database.embedded ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL';
  console.log(
    `seeding ${where}: ${args.citizens} citizens, ${args.signals} signals, seed ${args.seed}, ${args.days} days before ${args.now.toISOString()}`,
  );
  try {
    const { dataSource } = database;
    if (await catalogueIsEmpty(dataSource.manager)) {
      await dataSource.transaction((tx) => loadCatalogue(tx));
      console.log(`loaded the catalogue (${elapsed(started)})`);
    }
    if (args.services > 0) {
      const [{ published }] = await queryRows<{ published: number }>(
        dataSource.manager,
        `SELECT count(*)::int AS published FROM service WHERE status = 'PUBLISHED'`,
      );
      if (published < args.services) {
        const catalogue = readCatalogueSeed();
        const wanted = args.services - catalogue.services.length;
        const variants = districtVariants(catalogue, wanted).slice(Math.max(0, published - catalogue.services.length));
        await dataSource.transaction((tx) => loadCatalogue(tx, { ...catalogue, services: variants }));
        console.log(`added ${variants.length} district variants of services (${elapsed(started)})`);
      }
    }
    const services = await readServices(dataSource.manager);
    if (services.length === 0) throw new Error('no published services: nothing to generate demand for');

    const runner = dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as ClientBase;
      await runner.startTransaction();
      if (args.reset) {
        const dependents = await resetPopulation(runner.manager);
        console.log(`reset the population${dependents.length ? ` and ${dependents.join(', ')}` : ''}`);
      } else if (await citizensExist(runner.manager)) {
        await runner.rollbackTransaction();
        console.log('citizens already exist: nothing written (use --reset to replace them)');
        return;
      }
      // The signals' months get partitions of their own rather than the default one.
      await createMonthPartitions(
        runner.manager,
        monthOf(new Date(args.now.getTime() - args.days * 86_400_000)),
        monthOf(args.now),
      );
      const sink = database.embedded ? insertSink(runner) : copySink(client);
      await writePopulation(args, services, sink, runner.manager, started);
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }

    // Statistics for the planner, and the visibility map, so that reads of the bulk-loaded
    // tables (rollups, memberships, aggregates) can be index-only scans.
    await dataSource.query('VACUUM (ANALYZE)');
    const counts = await tableCounts(dataSource.manager);
    console.log(
      `done in ${elapsed(started)}: ${Object.entries(counts)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
    );
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  let args: SeedArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message ? `${error.message}\n${USAGE}` : USAGE);
    process.exit(error.message ? 2 : 0);
  }
  seed(args).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
