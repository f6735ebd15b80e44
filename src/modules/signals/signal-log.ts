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
 * The signals the derived tables do not hold yet (committed, above the watermark), as a FROM
 * item: what exact reads add to the rollups. Read in the same snapshot as the rollups.
 */
export const PENDING_SIGNALS = `(SELECT * FROM signal
    WHERE writer_xid >= (SELECT applied_below FROM signal_rollup_watermark)) AS signal`;
