import 'reflect-metadata';
import type { PoolClient } from 'pg';
import { DataSource, type Logger } from 'typeorm';
import { entities } from '../modules';
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
  /** Close pooled connections idle this long (0: never; default 30 s). */
  idleTimeoutMs?: number;
  /** SQL run on every new pooled connection before it is used; a failure fails the connection. */
  onConnectSql?: string;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  const { onConnectSql } = options;
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
      idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
      ...(onConnectSql ? { onConnect: (client: PoolClient) => client.query(onConnectSql) } : {}),
      ...(options.statementTimeoutMs
        ? { statement_timeout: options.statementTimeoutMs, query_timeout: options.statementTimeoutMs + 5_000 }
        : {}),
    },
  });
}
