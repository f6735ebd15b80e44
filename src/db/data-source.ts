import 'reflect-metadata';
import { DataSource, type Logger } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  logger?: Logger;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
  /** Wait at most this long for a pooled connection (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * statement_timeout of every statement, and a client-side query timeout a little
   * longer (a dead socket fails instead of hanging). Not for PGlite's socket.
   */
  statementTimeoutMs?: number;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logger: options.logger,
    logging: options.logger ? ['query', 'error'] : ['error'],
    applicationName: options.applicationName ?? 'minsheng',
    extra: {
      max: options.poolSize,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
      ...(options.statementTimeoutMs
        ? { statement_timeout: options.statementTimeoutMs, query_timeout: options.statementTimeoutMs + 5_000 }
        : {}),
    },
  });
}
