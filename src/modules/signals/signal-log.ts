import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';

/**
 * The signal log's shared SQL: the watermark's fragments, which the derived-table statements of
 * signals, matching and analytics compose, and its two shared statements. A leaf (it imports
 * no module), so that those query files can all import it.
 */

/** Advisory lock key of the rollup worker and of rebuilds: one writer of the derived tables at a time. */
export const ROLLUP_LOCK_KEY = 0x6d73_7277; // "msrw"

/** Takes the derived tables' lock until the end of the transaction (waits for a worker run). */
export async function lockDerivedTables(tx: EntityManager): Promise<void> {
  await tx.query('/* rollup-worker */ SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK_KEY]);
}

/**
 * Where the rollup worker stands: every signal whose writer transaction is below `appliedBelow`
 * is in the derived tables, except those of `pendingXids` (transactions still running when the
 * worker passed them); none at or above `appliedBelow` is. Transaction ids as text.
 */
export interface RollupWatermark {
  appliedBelow: string;
  pendingXids: string[];
}

/**
 * The signals the derived tables hold (NULL writer: stored before there was a watermark), as a
 * FROM item with the signal table's columns: what a rebuild recounts, so that the worker adds
 * the rest exactly once.
 */
export const APPLIED_SIGNALS = `(SELECT s.* FROM signal s, signal_rollup_watermark w
    WHERE s.writer_xid IS NULL OR (s.writer_xid < w.applied_below AND s.writer_xid <> ALL (w.pending_xids))) AS signal`;

/** Whether a signal row (alias `s`) is past the watermark row (alias `w`): not in the derived tables yet. */
export const IS_PENDING = '(s.writer_xid >= w.applied_below OR s.writer_xid = ANY (w.pending_xids))';

/**
 * The signals the derived tables do not hold yet (committed, past the watermark read by
 * `readWatermark` in the same snapshot, whose two parts are the parameters `appliedBelow` and
 * `pendingXids`), as a FROM item: what exact reads add to the rollups. Values, not a subquery,
 * so that the planner sees from the index how few rows are past them (with a subquery it
 * guesses a third of the table and plans a parallel scan).
 */
export const pendingSignals = (appliedBelow: string, pendingXids: string) =>
  `(SELECT * FROM signal WHERE writer_xid >= ${appliedBelow}::xid8 OR writer_xid = ANY (${pendingXids}::xid8[])) AS signal`;

/** The rollup watermark. */
export async function readWatermark(db: EntityManager): Promise<RollupWatermark> {
  const [row] = await queryRows<RollupWatermark>(
    db,
    'SELECT applied_below::text AS "appliedBelow", pending_xids::text[] AS "pendingXids" FROM signal_rollup_watermark',
  );
  return row;
}
