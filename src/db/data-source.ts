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

/**
 * Column types our migrations use that TypeORM's PostgreSQL driver does not list, declared on
 * the entities so that migration:check sees them: `xid8` (signal.writer_xid, the rollup
 * worker's watermark). TypeORM compares them by name, which is all the check needs.
 */
const EXTRA_COLUMN_TYPES = ['xid8'];

export function withExtraColumnTypes<T extends DataSource>(dataSource: T): T {
  const supported = (dataSource.driver as unknown as { supportedDataTypes: string[] }).supportedDataTypes;
  for (const type of EXTRA_COLUMN_TYPES) if (!supported.includes(type)) supported.push(type);
  return dataSource;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  const { onConnectSql } = options;
  return withExtraColumnTypes(
    new DataSource({
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
    }),
  );
}
