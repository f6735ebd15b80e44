import type { DataSource, Logger } from 'typeorm';
import { createDataSource } from './data-source';
import { grantAppRole } from './roles';
import { ensureSignalPartitions } from '../modules/signals/signal-partitions';
import { EMBEDDED_SESSION_RESET, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';

export interface DatabaseOptions {
  /** PostgreSQL URL; without it the embedded PGlite database in `dataDir` is used. */
  databaseUrl?: string;
  /** Data directory of the embedded database; null keeps it in memory. */
  dataDir: string | null;
  poolSize: number;
  logger?: Logger;
  /** Start-up: further attempts to reach PostgreSQL, and the pause between them. */
  connectRetries?: number;
  connectRetryDelayMs?: number;
  connectTimeoutMs?: number;
  /** statement_timeout on PostgreSQL (not on the embedded database). */
  statementTimeoutMs?: number;
  /** Close pooled connections idle this long (0: never). Unset: 30 s on PostgreSQL, never when embedded. */
  idleTimeoutMs?: number;
  /**
   * PostgreSQL: the migration role's URL (it owns the tables). Migrations run through it, and
   * the app's role (of databaseUrl) is granted what it may do (src/db/roles.ts). Without it,
   * the app's role migrates and owns the tables.
   */
  migrationUrl?: string;
  /** Told of each failed attempt that will be retried. */
  onRetry?: (attempt: number, error: unknown) => void;
}

export interface Database {
  dataSource: DataSource;
  /** True on the embedded PGlite database. */
  embedded: boolean;
  close(): Promise<void>;
}

/** Held while migrating and granting: processes starting together would collide on GRANT. */
const MIGRATION_LOCK = 7_920_517;

/** Runs pending migrations as the migration role, then grants the app's role its rights. */
async function migrateAsOwner(migrationUrl: string, app: DataSource): Promise<void> {
  const [{ appRole }] = (await app.query('SELECT current_user AS "appRole"')) as { appRole: string }[];
  // Two connections: one holds the lock, the other migrates.
  const owner = createDataSource({ url: migrationUrl, poolSize: 2, applicationName: 'minsheng-migrations' });
  await owner.initialize();
  try {
    const lock = owner.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await owner.runMigrations({ transaction: 'each' });
      // The app's role may not create tables: the signal log's coming months are made here too.
      await ensureSignalPartitions(owner.manager);
      await grantAppRole(owner.manager, appRole);
    } finally {
      await lock.release();
    }
  } finally {
    await owner.destroy();
  }
}

/** How long a request waits for the embedded database's one connection before it is refused. */
const EMBEDDED_QUEUE_WAIT_MS = 60_000;

/** Connects (starting the embedded database when no URL is given) and runs pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url = options.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(options.dataDir);
    url = embedded.url;
  }
  const make = () =>
    createDataSource({
      url: url!,
      // PGlite is a single session: a second pooled connection would share its transactions.
      poolSize: embedded ? 1 : options.poolSize,
      logger: options.logger,
      // PGlite's one connection is also what concurrent requests queue for: a burst on a busy
      // machine may wait longer than a server's connect timeout without anything being wrong.
      connectTimeoutMs: embedded ? EMBEDDED_QUEUE_WAIT_MS : options.connectTimeoutMs,
      statementTimeoutMs: embedded ? undefined : options.statementTimeoutMs,
      // The in-process connection gains nothing from closing when idle; a new one starts clean.
      idleTimeoutMs: options.idleTimeoutMs ?? (embedded ? 0 : undefined),
      onConnectSql: embedded ? EMBEDDED_SESSION_RESET : undefined,
    });
  let dataSource = make();
  try {
    // Bounded wait for a database that is still starting (or briefly away).
    const retries = embedded ? 0 : (options.connectRetries ?? 0);
    for (let attempt = 0; ; attempt += 1) {
      try {
        await dataSource.initialize();
        break;
      } catch (error) {
        if (attempt >= retries) throw error;
        options.onRetry?.(attempt + 1, error);
        await new Promise((resolve) => setTimeout(resolve, options.connectRetryDelayMs ?? 1000));
        dataSource = make();
      }
    }
    if (options.migrationUrl && !embedded) await migrateAsOwner(options.migrationUrl, dataSource);
    else await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    embedded: embedded !== undefined,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
