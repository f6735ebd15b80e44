import type { EntityManager } from 'typeorm';
import { cityDay, queryRows } from '../../db/sql';
import { APPLIED_SIGNALS, lockDerivedTables } from './signal-log';

/**
 * Recomputes service_activity_daily from the signals below the rollup watermark, under the
 * worker's lock (the worker adds the others, once). Runs in a transaction (a savepoint when
 * `db` is already in one). Returns the rows written.
 */
export async function rebuildServiceActivity(db: EntityManager): Promise<number> {
  return db.transaction(async (tx) => {
    await lockDerivedTables(tx);
    await tx.query('DELETE FROM service_activity_daily');
    const [{ written }] = await queryRows<{ written: number }>(
      tx,
      `WITH inserted AS (
         INSERT INTO service_activity_daily (service_id, day, kind, count)
         SELECT service_id, ${cityDay('occurred_at')}, kind, count(*) FROM ${APPLIED_SIGNALS}
          WHERE service_id IS NOT NULL GROUP BY 1, 2, 3
         RETURNING 1
       )
       SELECT count(*)::int AS written FROM inserted`,
    );
    return written;
  });
}
