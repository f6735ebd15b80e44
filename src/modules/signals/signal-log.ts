import type { EntityManager } from 'typeorm';

/** Advisory lock key of the rollup worker and of rebuilds: one writer of the derived tables at a time. */
export const ROLLUP_LOCK_KEY = 0x6d73_7277; // "msrw"

/** Takes the derived tables' lock until the end of the transaction (waits for a worker run). */
export async function lockDerivedTables(tx: EntityManager): Promise<void> {
  await tx.query('/* rollup-worker */ SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK_KEY]);
}

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
  const [row] = (await db.query('SELECT applied_below::text AS watermark FROM signal_rollup_watermark')) as {
    watermark: string;
  }[];
  return row.watermark;
}
