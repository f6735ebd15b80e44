import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { refreshServiceNeighbours } from './aggregates';

/** Advisory lock key of the refresh: one process at a time does it. */
const LOCK_KEY = 0x6d73_6e62; // "msnb"

/** Refreshes item-to-item neighbours now, unless another process is doing it. */
export async function refreshNeighboursOnce(dataSource: DataSource): Promise<number | null> {
  return dataSource.transaction(async (manager) => {
    const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [LOCK_KEY]);
    if (!locked) return null;
    return refreshServiceNeighbours(manager);
  });
}

/** Refreshes the neighbours every `minutes`; returns a stop function that waits for a run in progress. */
export function scheduleNeighbourRefresh(dataSource: DataSource, logger: Logger, minutes: number): () => Promise<void> {
  if (minutes <= 0) return async () => {};
  let running = false;
  let current: Promise<void> = Promise.resolve();
  let finish: () => void = () => {};
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    current = new Promise<void>((resolve) => (finish = resolve));
    const started = Date.now();
    try {
      const pairs = await refreshNeighboursOnce(dataSource);
      if (pairs !== null) logger.info({ pairs, ms: Date.now() - started }, 'refreshed service neighbours');
    } catch (error) {
      logger.error({ err: error }, 'service neighbour refresh failed');
    } finally {
      running = false;
      finish();
    }
  }, minutes * 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await current;
  };
}
