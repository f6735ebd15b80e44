import type { Logger } from 'pino';
import type { Logger as SqlLogger } from 'typeorm';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { ReadReplica } from './db/read-replica';
import { ReadRouting } from './db/read-routing';
import { catalogueIsEmpty, loadCatalogue } from '../seeds/catalogue';
import { startServer, type RunningServer } from './server';
import { refreshNeighboursOnce, scheduleNeighbourRefresh } from './jobs/neighbour-refresh';
import { scheduleAssociationLearning } from './jobs/association-learning';
import { DEFAULT_LEARNING_RUN } from './modules/needs/learned-associations.service';
import { scheduleReports } from './jobs/report-schedule';
import { scheduleRankingFit } from './jobs/ranking-fit';

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

/** Database (migrated, seeded when empty), then the HTTP server. */
export async function startApp(config: Config, logger: Logger, options: OpenOptions = {}): Promise<App> {
  const database = await openAppDatabase(config, logger, options);
  let replica: ReadReplica | null = null;
  try {
    replica = await openReadReplica(config, database, logger);
    const readRouting = new ReadRouting(database.dataSource, replica);
    if (config.neighbourRefreshMinutes > 0) await refreshNeighboursOnce(database.dataSource);
    const stopRefresh = scheduleNeighbourRefresh(database.dataSource, logger, config.neighbourRefreshMinutes);
    const stopLearning = scheduleAssociationLearning(database.dataSource, logger, config.learningRefreshMinutes, {
      ...DEFAULT_LEARNING_RUN,
      windowMinutes: config.learningWindowMinutes,
    });
    const stopFit = scheduleRankingFit(database, logger, config.rankingFitHours);
    const server = await startServer({ config, dataSource: database.dataSource, readRouting, logger });
    const stopReports = scheduleReports(database.dataSource, config, logger);
    return {
      config,
      database,
      readRouting,
      server,
      async stop() {
        await stopRefresh();
        await stopLearning();
        await stopFit();
        await stopReports();
        await server.stop();
        await replica?.close();
        await database.close();
      },
    };
  } catch (error) {
    await replica?.close();
    await database.close();
    throw error;
  }
}
