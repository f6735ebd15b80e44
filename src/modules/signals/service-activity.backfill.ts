import type { EntityManager } from 'typeorm';
import { cityDay, queryRows } from '../../db/sql';

/**
 * Recomputes service_activity_daily from the signal table, for signals loaded in bulk (COPY)
 * past insertSignals, which otherwise keeps these counts as signals arrive. A SHARE lock on
 * signal makes concurrent recordSignals calls wait rather than be counted twice or lost.
 * Runs in a transaction (a savepoint when `db` is already in one). Returns the rows written.
 */
export async function rebuildServiceActivity(db: EntityManager): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE signal IN SHARE MODE');
    await tx.query('DELETE FROM service_activity_daily');
    const [{ written }] = await queryRows<{ written: number }>(
      tx,
      `WITH inserted AS (
         INSERT INTO service_activity_daily (service_id, day, kind, count)
         SELECT service_id, ${cityDay('occurred_at')}, kind, count(*) FROM signal
          WHERE service_id IS NOT NULL GROUP BY 1, 2, 3
         RETURNING 1
       )
       SELECT count(*)::int AS written FROM inserted`,
    );
    return written;
  });
}
