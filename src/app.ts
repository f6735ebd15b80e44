import type { Logger } from 'pino';
import type { Logger as SqlLogger } from 'typeorm';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { ReadReplica } from './db/read-replica';
import { ReadRouting } from './db/read-routing';
import { catalogueIsEmpty, loadCatalogue } from '../seeds/catalogue';
import { startServer, type RunningServer } from './server';
import type { JobArgs, ModuleJob, RunningJob } from './core/module';
import { jobs } from './modules';

export interface App {
  config: Config;
  database: Database;
  /** Where lag-tolerant reads go (DATABASE_READ_URL); without a replica, the primary. */
  readRouting: ReadRouting;
  server: RunningServer;
  stop(): Promise<void>;
}

interface OpenOptions {
  inMemory?: boolean;
  sqlLogger?: SqlLogger;
}

/** The database, migrated, with the seeded catalogue loaded when it has none. */
async function openAppDatabase(config: Config, logger: Logger, options: OpenOptions): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    migrationUrl: config.databaseMigrationUrl,
    dataDir: options.inMemory ? null : config.dataDir,
    poolSize: config.dbPoolSize,
    logger: options.sqlLogger,
    connectRetries: config.dbConnectRetries,
    connectRetryDelayMs: config.dbConnectRetryDelayMs,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    idleTimeoutMs: config.dbIdleTimeoutMs,
    onRetry: (attempt, error) =>
      logger.warn({ attempt, of: config.dbConnectRetries, err: error }, 'database not reachable yet: retrying'),
  });
  try {
    if (config.seedOnStart && (await catalogueIsEmpty(database.dataSource.manager))) {
      await database.dataSource.transaction((manager) => loadCatalogue(manager));
      logger.info('loaded the seeded catalogue');
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/** Migrates and seeds once, before several server processes start on the same database. */
export async function prepareDatabase(config: Config, logger: Logger): Promise<void> {
  const database = await openAppDatabase(config, logger, {});
  await database.close();
}

/** The read replica of DATABASE_READ_URL, when one is configured. */
function openReadReplica(config: Config, database: Database, logger: Logger): Promise<ReadReplica> | null {
  if (!config.databaseReadUrl || database.embedded) return null;
  return ReadReplica.open({
    url: config.databaseReadUrl,
    primary: database.dataSource,
    poolSize: config.dbPoolSize,
    logger,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    statementTimeoutMs: config.dbStatementTimeoutMs || undefined,
    probeSeconds: config.databaseReadProbeSeconds,
    maxLagSeconds: config.databaseReadMaxLagSeconds,
  });
}

/** The modules' jobs that are running, stopped by phase in the reverse order of their start. */
class RunningJobs {
  private readonly running: { job: ModuleJob; running: RunningJob }[] = [];

  constructor(private readonly args: JobArgs) {}

  async start(jobs: readonly ModuleJob[]): Promise<void> {
    for (const job of jobs) {
      const running = await job.start(this.args);
      if (running) this.running.push({ job, running });
    }
  }

  /** Stops the jobs `which` selects (all by default), last started first. */
  async stop(which: (job: ModuleJob) => boolean = () => true): Promise<void> {
    for (let i = this.running.length - 1; i >= 0; i--) {
      const { job, running } = this.running[i];
      if (!which(job)) continue;
      this.running.splice(i, 1);
      await running.stop();
    }
  }
}

/**
 * Database (migrated, seeded when empty), the modules' jobs, then the HTTP server and the jobs
 * that start after it. Stopping: the jobs no request waits on, the server, the other jobs.
 */
export async function startApp(config: Config, logger: Logger, options: OpenOptions = {}): Promise<App> {
  const database = await openAppDatabase(config, logger, options);
  const running = new RunningJobs({ config, dataSource: database.dataSource, embedded: database.embedded, logger });
  let replica: ReadReplica | null = null;
  try {
    replica = await openReadReplica(config, database, logger);
    const readRouting = new ReadRouting(database.dataSource, replica);
    await running.start(jobs.filter((job) => !job.startAfterServer));
    const server = await startServer({ config, dataSource: database.dataSource, readRouting, logger });
    await running.start(jobs.filter((job) => job.startAfterServer));
    return {
      config,
      database,
      readRouting,
      server,
      async stop() {
        await running.stop((job) => job.stopBeforeServer === true);
        await server.stop();
        await running.stop();
        await replica?.close();
        await database.close();
      },
    };
  } catch (error) {
    await running.stop();
    await replica?.close();
    await database.close();
    throw error;
  }
}
