import type { EntityManager } from 'typeorm';

/** Advisory lock key of the rollup worker and of rebuilds: one writer of the derived tables at a time. */
export const ROLLUP_LOCK_KEY = 0x6d73_7277; // "msrw"

/** Takes the derived tables' lock until the end of the transaction (waits for a worker run). */
export async function lockDerivedTables(tx: EntityManager): Promise<void> {
  await tx.query('/* rollup-worker */ SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK_KEY]);
}

/**
 * The oldest transaction still running in this database, as an xid8 (the next one when none
 * is): every signal of a transaction below it is committed or gone for good. Of this
 * database only (`pg_stat_activity.backend_xid`, widened to 64 bits with the epoch of the
 * snapshot's xmax), so that long transactions of other databases on the same server do not
 * hold the worker back, as `pg_snapshot_xmin` (server-wide) would. PostgreSQL hides the
 * transaction ids of other roles' sessions from roles without `pg_read_all_stats`: when such
 * a session is connected to this database, the server-wide horizon is used.
 */
const DATABASE_HORIZON = `(SELECT coalesce(min(floor(cur.x / 4294967296) * 4294967296 + a.xid
                                   - CASE WHEN a.xid > mod(cur.x, 4294967296) THEN 4294967296 ELSE 0 END), cur.x)::text::xid8
     FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::numeric AS x) AS cur
     LEFT JOIN (SELECT backend_xid::text::numeric AS xid FROM pg_stat_activity
                 WHERE datname = current_database() AND backend_xid IS NOT NULL) AS a ON true
    GROUP BY cur.x)`;
export const HORIZON_SQL = `(CASE
      WHEN pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER')
        OR NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND usename IS DISTINCT FROM current_user)
      THEN ${DATABASE_HORIZON}
      ELSE pg_snapshot_xmin(pg_current_snapshot()) END)`;

/**
 * The signals the derived tables hold (below the watermark; NULL: stored before there was
 * one), as a FROM item with the signal table's columns: what a rebuild recounts, so that the
 * worker adds the rest exactly once.
 */
export const APPLIED_SIGNALS = `(SELECT * FROM signal
    WHERE writer_xid IS NULL OR writer_xid < (SELECT applied_below FROM signal_rollup_watermark)) AS signal`;

/**
 * The signals the derived tables do not hold yet (committed, at or above the watermark read
 * by `readWatermark` in the same snapshot, passed as the parameter `param`), as a FROM item:
 * what exact reads add to the rollups. A value, not a subquery, so that the planner sees
 * from the index how few rows are past it (with a subquery it guesses a third of the table
 * and plans a parallel scan).
 */
export const pendingSignals = (param: string) => `(SELECT * FROM signal WHERE writer_xid >= ${param}::xid8) AS signal`;

/** The rollup watermark (a transaction id, as text). */
export async function readWatermark(db: EntityManager): Promise<string> {
  const [row] = (await db.query('SELECT applied_below::text AS watermark FROM signal_rollup_watermark')) as { watermark: string }[];
  return row.watermark;
}
