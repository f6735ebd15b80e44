import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { pingDatabase } from './health.queries';

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `/healthz`: the process is up (liveness). `/readyz`: the database answers `SELECT 1`
 * within READY_TIMEOUT_MS and no migration is pending (readiness); 503 otherwise. The
 * bodies name the failing check, never its error text. The `SELECT 1` (`pingDatabase`,
 * health.queries.ts) goes the way the hot queries go (a named prepared statement on a pooled
 * connection), so that a connection on which those fail also fails the probe.
 */
export function healthRoutes(args: {
  dataSource: DataSource;
  readyTimeoutMs: number;
  isStopping: () => boolean;
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    res.set('cache-control', 'no-store');
    if (args.isStopping()) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    const { dataSource, readyTimeoutMs } = args;
    try {
      await withTimeout(pingDatabase(dataSource.manager), readyTimeoutMs);
    } catch {
      res.status(503).json({ status: 'unavailable', checks: { database: 'down' } });
      return;
    }
    try {
      const pending = await withTimeout(dataSource.showMigrations(), readyTimeoutMs);
      if (pending) {
        res.status(503).json({ status: 'unavailable', checks: { database: 'up', migrations: 'pending' } });
        return;
      }
    } catch {
      res.status(503).json({ status: 'unavailable', checks: { database: 'up', migrations: 'unknown' } });
      return;
    }
    res.json({ status: 'ok', checks: { database: 'up', migrations: 'current' } });
  });
  return router;
}
