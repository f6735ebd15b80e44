import type { EntityManager } from 'typeorm';
import { lockDerivedTables } from './signal-log';
import { deleteServiceActivity, insertServiceActivityOfAppliedSignals } from './signals.queries';

/**
 * Recomputes service_activity_daily from the signals below the rollup watermark, under the
 * worker's lock (the worker adds the others, once). Runs in a transaction (a savepoint when
 * `db` is already in one). Returns the rows written.
 */
export async function rebuildServiceActivity(db: EntityManager): Promise<number> {
  return db.transaction(async (tx) => {
    await lockDerivedTables(tx);
    await deleteServiceActivity(tx);
    const written = await insertServiceActivityOfAppliedSignals(tx);
    return written;
  });
}
