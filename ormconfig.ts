// The DataSource for the TypeORM CLI (migration:generate, migration:run, migration:check).
// With DATABASE_URL it is PostgreSQL; without it, the embedded PGlite database in DATA_DIR,
// started when the CLI initialises the DataSource.
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config';
import { createDataSource, withExtraColumnTypes } from './src/db/data-source';
import { EMBEDDED_SESSION_RESET, startEmbeddedPostgres } from './src/db/embedded';

const config = loadConfig();

class EmbeddedDataSource extends DataSource {
  private stopEmbedded?: () => Promise<void>;

  override async initialize(): Promise<this> {
    const embedded = await startEmbeddedPostgres(config.dataDir);
    this.stopEmbedded = embedded.stop;
    // The driver reads this same options object when it opens its pool.
    this.setOptions({ url: embedded.url });
    return super.initialize();
  }

  override async destroy(): Promise<void> {
    await super.destroy();
    await this.stopEmbedded?.();
  }
}

function cliDataSource(): DataSource {
  if (config.databaseUrl) return createDataSource({ url: config.databaseUrl, poolSize: 2 });
  // Same database name as the embedded server's; the port is filled in at initialise.
  const template = createDataSource({
    url: 'postgres://postgres@127.0.0.1:5432/postgres',
    poolSize: 1,
    idleTimeoutMs: 0,
    onConnectSql: EMBEDDED_SESSION_RESET,
  });
  return withExtraColumnTypes(new EmbeddedDataSource(template.options));
}

export default cliDataSource();
