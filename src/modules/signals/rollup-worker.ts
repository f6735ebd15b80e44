import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { cityDay, queryRows } from '../../db/sql';
import { ADD_TO_DEMAND_ROLLUPS, rebuildDemandRollups, type RebuiltRollups } from '../analytics/rollups';
import { ADD_TO_MATCHING_AGGREGATES, rebuildMatchingAggregates } from '../matching/aggregates';
import { rebuildServiceActivity } from './service-activity.backfill';
import { lockDerivedTables, ROLLUP_LOCK_KEY } from './signal-log';

/**
 * The rollup worker: the derived tables of the signal log (demand and area rollups,
 * per-service daily activity, matching aggregates) are maintained here, off the request path,
 * by consuming the signals past the watermark (`signal_rollup_watermark`). docs/analytics.md,
 * "The rollup worker", explains the watermark.
 */

/** Statements of the worker start with this comment (lets statement counters tell them apart). */
export const WORKER_SQL_TAG = '/* rollup-worker */';
/** The most signals one run applies in one transaction; the rest waits for the next run. */
export const ROLLUP_CHUNK = 20_000;

/**
 * The signals (and their columns as the derived-table statements read them) that a
 * statement can read as the `inserted` CTE: those of transactions in [$1, $2) by xid.
 */
const SIGNALS_OF_TRANSACTIONS = `SELECT id, citizen_id, service_id, category_id, kind, rating, age_band, district_code, occurred_at
    FROM signal WHERE writer_xid >= $1::xid8 AND writer_xid < $2::xid8`;

const APPLY_SIGNALS = `${WORKER_SQL_TAG}
  WITH inserted AS MATERIALIZED (${SIGNALS_OF_TRANSACTIONS} ORDER BY id), activity AS (
    INSERT INTO service_activity_daily (service_id, day, kind, count)
    SELECT service_id, ${cityDay('occurred_at')}, kind, count(*) FROM inserted
     WHERE service_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (service_id, day, kind) DO UPDATE SET count = service_activity_daily.count + EXCLUDED.count
  ), ${ADD_TO_MATCHING_AGGREGATES},
  ${ADD_TO_DEMAND_ROLLUPS}
  SELECT count(*)::int AS applied FROM inserted`;

export interface AppliedRollups {
  /** Signals added to the derived tables by this run. */
  applied: number;
  /** The watermark after the run (a transaction id, as text). */
  appliedBelow: string;
}

/**
 * Adds the committed signals past the watermark to every derived table and moves the
 * watermark past them, in one transaction: exactly once, also when the process dies halfway
 * (the transaction rolls back and the next run does it). Null when another run holds the lock
 * (`wait: false`).
 *
 * The new watermark is the oldest transaction still running (`pg_snapshot_xmin`) or, with more
 * than ROLLUP_CHUNK signals pending, the transaction of the ROLLUP_CHUNK-th of them: every
 * transaction below it has ended, so no signal below it can still appear.
 */
export async function applyPendingRollups(
  dataSource: DataSource,
  options: { wait?: boolean } = {},
): Promise<AppliedRollups | null> {
  // Its own connection and tagged transaction statements, so that statement counters can leave the worker out.
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(`${WORKER_SQL_TAG} BEGIN`);
    try {
      const result = await applyPendingRollupsIn(runner.manager, options);
      await runner.query(`${WORKER_SQL_TAG} COMMIT`);
      return result;
    } catch (error) {
      await runner.query(`${WORKER_SQL_TAG} ROLLBACK`).catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
}

/** One run inside the caller's transaction (which must commit for it to count). */
export async function applyPendingRollupsIn(
  tx: EntityManager,
  { wait = true }: { wait?: boolean },
): Promise<AppliedRollups | null> {
  if (wait) await tx.query(`${WORKER_SQL_TAG} SELECT pg_advisory_xact_lock($1)`, [ROLLUP_LOCK_KEY]);
  else {
    const [{ locked }] = await queryRows<{ locked: boolean }>(
      tx,
      `${WORKER_SQL_TAG} SELECT pg_try_advisory_xact_lock($1) AS locked`,
      [ROLLUP_LOCK_KEY],
    );
    if (!locked) return null;
  }
  // The horizon is read before this transaction writes anything (it has no xid of its own yet).
  const [{ from, horizon, chunkEnd }] = await queryRows<{ from: string; horizon: string; chunkEnd: string | null }>(
    tx,
    `${WORKER_SQL_TAG}
     SELECT w.applied_below::text AS from, pg_snapshot_xmin(pg_current_snapshot())::text AS horizon,
            (SELECT s.writer_xid::text FROM signal s
              WHERE s.writer_xid >= w.applied_below AND s.writer_xid < pg_snapshot_xmin(pg_current_snapshot())
              ORDER BY s.writer_xid OFFSET $1 LIMIT 1) AS "chunkEnd"
       FROM signal_rollup_watermark w`,
    [ROLLUP_CHUNK],
  );
  // A chunk ends at a transaction boundary: all of one transaction's signals go in one run.
  const until = chunkEnd !== null && chunkEnd !== from ? chunkEnd : horizon;
  if (BigInt(until) <= BigInt(from)) return { applied: 0, appliedBelow: from };
  const [{ applied }] = await queryRows<{ applied: number }>(tx, APPLY_SIGNALS, [from, until]);
  await tx.query(
    `${WORKER_SQL_TAG} UPDATE signal_rollup_watermark SET applied_below = $1::xid8, applied_rows = applied_rows + $2, applied_at = now()`,
    [until, applied],
  );
  return { applied, appliedBelow: until };
}

/** Applies until nothing below the horizon is pending (tests, CLIs, shutdown). */
export async function drainRollups(dataSource: DataSource): Promise<number> {
  let total = 0;
  for (;;) {
    const run = await applyPendingRollups(dataSource);
    total += run?.applied ?? 0;
    if (!run || run.applied < ROLLUP_CHUNK) return total;
  }
}

export interface RollupWorker {
  /** Asks for a run soon (after a batch of signals committed); runs coalesce. */
  nudge(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

const workers = new WeakMap<DataSource, RollupWorker>();

/** Nudges this process's worker for the database, if it runs one. */
export function nudgeRollupWorker(dataSource: DataSource): void {
  workers.get(dataSource)?.nudge();
}

/**
 * Runs the worker every `intervalMs` (signals written by other processes or COPY) and soon
 * after each nudge (signals written here). A nudge during a run makes one more run follow it.
 */
export function startRollupWorker(
  dataSource: DataSource,
  logger: Logger,
  intervalMs: number,
  nudgeDelayMs = 20,
): RollupWorker {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let soon: NodeJS.Timeout | null = null;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          const result = await applyPendingRollups(dataSource, { wait: false });
          if (result && result.applied >= ROLLUP_CHUNK) again = true;
        } while (again && !stopped);
      } catch (error) {
        logger.error({ err: error }, 'rollup worker run failed');
      } finally {
        running = null;
      }
    })();
  };
  const timer = intervalMs > 0 ? setInterval(run, intervalMs) : null;
  timer?.unref();
  const worker: RollupWorker = {
    nudge() {
      if (stopped || soon) return;
      soon = setTimeout(() => {
        soon = null;
        run();
      }, nudgeDelayMs);
      soon.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (soon) clearTimeout(soon);
      await running;
      workers.delete(dataSource);
    },
  };
  workers.set(dataSource, worker);
  return worker;
}

export interface RebuiltDerivedTables extends RebuiltRollups {
  activityRows: number;
}

/**
 * Moves the watermark to the oldest running transaction and recomputes every derived table
 * from the signals below it, in one transaction under the worker's lock: after a bulk load
 * (COPY), far cheaper than the worker applying millions of signals in chunks.
 */
export async function rebuildDerivedTables(db: EntityManager): Promise<RebuiltDerivedTables> {
  return db.transaction(async (tx) => {
    await lockDerivedTables(tx);
    // The oldest running transaction may be this one (a seed that loaded its signals in it):
    // its own signals commit with the rebuild, so the watermark may pass it, not the next.
    await tx.query(`UPDATE signal_rollup_watermark
                       SET applied_below = greatest(applied_below, CASE
                             WHEN pg_current_xact_id_if_assigned() = pg_snapshot_xmin(pg_current_snapshot())
                             THEN (pg_current_xact_id_if_assigned()::text::numeric + 1)::text::xid8
                             ELSE pg_snapshot_xmin(pg_current_snapshot()) END),
                           applied_at = now()`);
    const activityRows = await rebuildServiceActivity(tx);
    await rebuildMatchingAggregates(tx);
    const rollups = await rebuildDemandRollups(tx);
    return { activityRows, ...rollups };
  });
}
