import cluster from 'node:cluster';
import type { Logger } from 'pino';
import type { Config } from './config';
import { prepareDatabase } from './app';

/** A worker that dies sooner than this after its start is not restarted at once. */
const RESTART_DELAY_MS = 1_000;

/**
 * The primary of WEB_CONCURRENCY server processes: migrates and seeds once, forks the
 * workers (they share the port), replaces a worker that dies, and on SIGTERM passes the
 * signal on and exits when every worker has drained.
 */
export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  await prepareDatabase(config, logger);
  let stopping = false;
  for (let i = 0; i < config.webConcurrency; i += 1) cluster.fork();
  logger.info({ workers: config.webConcurrency }, 'started server processes');

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'a server process exited: starting another');
    setTimeout(() => cluster.fork(), RESTART_DELAY_MS).unref();
  });

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down the server processes');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 1_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
