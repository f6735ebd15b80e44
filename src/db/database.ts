import type { DataSource, Logger } from 'typeorm';
import { createDataSource } from './data-source';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';

export interface DatabaseOptions {
  /** PostgreSQL URL; without it the embedded PGlite database in `dataDir` is used. */
  databaseUrl?: string;
  /** Data directory of the embedded database; null keeps it in memory. */
  dataDir: string | null;
  poolSize: number;
  logger?: Logger;
}

export interface Database {
  dataSource: DataSource;
  /** True on the embedded PGlite database. */
  embedded: boolean;
  close(): Promise<void>;
}

/** Connects (starting the embedded database when no URL is given) and runs pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url = options.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(options.dataDir);
    url = embedded.url;
  }
  const dataSource = createDataSource({
    url,
    // PGlite is a single session: a second pooled connection would share its transactions.
    poolSize: embedded ? 1 : options.poolSize,
    logger: options.logger,
  });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
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
