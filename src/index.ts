import 'reflect-metadata';
import cluster from 'node:cluster';
import { ConfigError, loadConfig } from './config';
import { runPrimary } from './cluster';
import { createLogger } from './logger';
import { startApp } from './app';
import { DataDirectoryInUseError } from './db/data-dir-lock';
import { ListenError } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // With WEB_CONCURRENCY > 1 the pid tells the workers' log lines apart.
  const logger = createLogger(config.logLevel).child({ pid: process.pid });
  if (config.jwtSecretIsDevelopmentDefault) {
    logger.warn('JWT_SECRET is not set: using the development secret (never do this in production)');
  }
  if (config.nodeEnv === 'production' && config.databaseUrl && !config.databaseMigrationUrl) {
    logger.warn(
      "DATABASE_MIGRATION_URL is not set: the app's database role owns the tables and could alter the audit trail " +
        '(docs/security.md, "Database roles")',
    );
  }
  if (config.webConcurrency > 1 && cluster.isPrimary) {
    if (config.databaseUrl) return runPrimary(config, logger);
    logger.warn('WEB_CONCURRENCY needs DATABASE_URL (the embedded database serves one process): starting one process');
  }
  const app = await startApp(config, logger);
  logger.info(
    { url: app.server.url, database: app.database.embedded ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL' },
    'Minsheng is serving GraphQL',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests, then closing the HTTP server and the pool');
    // In-flight requests get SHUTDOWN_TIMEOUT_MS; then the process goes anyway.
    setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    try {
      await app.stop();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  // A second server on the same embedded data directory, or on a port in use: the message says what to do.
  console.error(error instanceof DataDirectoryInUseError || error instanceof ListenError ? error.message : error);
  process.exit(1);
});
