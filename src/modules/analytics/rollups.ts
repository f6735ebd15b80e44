import type { EntityManager } from 'typeorm';
import { cityDay, queryRows } from '../../db/sql';

/** The category key of signals without a category (rollup keys are never NULL). */
export const UNCATEGORISED = '00000000-0000-0000-0000-000000000000';
/** The `demand_day_change` shard that counts rebuilds (batches use 0–15). */
export const REBUILD_SHARD = -1;
/** The age-band key of signals of citizens without a birth year. */
export const UNKNOWN_AGE_BAND = 'UNKNOWN';

/** A signal's rollup key columns, as SQL over a row with the signal table's column names. */
const KEY_COLUMNS = `${cityDay('occurred_at')} AS day,
         coalesce(category_id, '${UNCATEGORISED}'::uuid) AS category_id, district_code,
         coalesce(age_band::text, '${UNKNOWN_AGE_BAND}')::demand_age_band AS age_band, kind`;

/**
 * The statement parts that add freshly inserted signals (a CTE named `inserted` returning
 * citizen_id, category_id, district_code, age_band, kind, occurred_at) to the demand
 * rollups, in the statement that inserts them:
 *
 * - `demand_daily_citizen` holds one row per (city day, category, district, age band, kind,
 *   citizen). It is inserted with ON CONFLICT DO NOTHING, so its RETURNING rows are exactly
 *   the citizens new to a key, also when concurrent batches race on the same key (the unique
 *   index makes the later one wait and then skip).
 * - `demand_daily` adds the batch's signals per key and, to `citizens`, the new members:
 *   its distinct-citizen count is exact without ever reading signals.
 *
 * - `demand_day_change` counts, per day, the batches that changed it (one of 16 shards at
 *   random per batch and day): trends reuse what they computed for periods whose days did
 *   not change.
 *
 * Each upsert groups first (a key once per statement) and sorts its keys, and the membership
 * insert finishes before the rollup upsert starts (the rollup aggregates its output), so
 * concurrent batches take row locks in one order and cannot deadlock.
 */
export const ADD_TO_DEMAND_ROLLUPS = `
  demand_keys AS (
    SELECT ${KEY_COLUMNS}, citizen_id FROM inserted
  ), demand_members AS (
    INSERT INTO demand_daily_citizen (day, category_id, district_code, age_band, kind, citizen_id)
    SELECT day, category_id, district_code, age_band, kind, citizen_id FROM demand_keys
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT DO NOTHING
    RETURNING day, category_id, district_code, age_band, kind
  ), demand_rollup AS (
    INSERT INTO demand_daily AS t (day, category_id, district_code, age_band, kind, signals, citizens)
    SELECT k.day, k.category_id, k.district_code, k.age_band, k.kind, k.signals, coalesce(m.citizens, 0)
      FROM (SELECT day, category_id, district_code, age_band, kind, count(*)::int AS signals
              FROM demand_keys GROUP BY 1, 2, 3, 4, 5) k
      LEFT JOIN (SELECT day, category_id, district_code, age_band, kind, count(*)::int AS citizens
                   FROM demand_members GROUP BY 1, 2, 3, 4, 5) m
        USING (day, category_id, district_code, age_band, kind)
     ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, category_id, district_code, age_band, kind) DO UPDATE
      SET signals = t.signals + EXCLUDED.signals, citizens = t.citizens + EXCLUDED.citizens
  ), demand_changes AS (
    INSERT INTO demand_day_change AS c (day, shard, changes)
    SELECT day, floor(random() * 16)::smallint, 1 FROM (SELECT DISTINCT day FROM demand_keys) d ORDER BY 1
    ON CONFLICT (day, shard) DO UPDATE SET changes = c.changes + 1
  )`;

export interface RebuiltRollups {
  /** Rows of demand_daily. */
  rollupRows: number;
  /** Rows of demand_daily_citizen. */
  memberRows: number;
}

/**
 * Recomputes the demand rollups from the signal table, for signals loaded in bulk (COPY)
 * past insertSignals. A SHARE lock on signal makes concurrent recordSignals calls wait
 * rather than be counted twice or lost. Runs in a transaction (a savepoint when `db` is
 * already in one).
 */
export async function rebuildDemandRollups(db: EntityManager): Promise<RebuiltRollups> {
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE signal IN SHARE MODE');
    // Every day that had or will have rollups changes, on the rebuild shard (-1): trends
    // computed before are stale, and may not add to what they counted (members may go).
    const bumpDays = (from: string) =>
      tx.query(`INSERT INTO demand_day_change AS c (day, shard, changes) SELECT DISTINCT day, ${REBUILD_SHARD}, 1 FROM ${from}
                ON CONFLICT (day, shard) DO UPDATE SET changes = c.changes + 1`);
    await bumpDays('demand_daily');
    await tx.query('DELETE FROM demand_daily_citizen');
    await tx.query('DELETE FROM demand_daily');
    const [{ memberRows }] = await queryRows<{ memberRows: number }>(
      tx,
      `WITH written AS (
         INSERT INTO demand_daily_citizen (day, category_id, district_code, age_band, kind, citizen_id)
         SELECT DISTINCT ${KEY_COLUMNS}, citizen_id FROM signal
         RETURNING 1
       )
       SELECT count(*)::int AS "memberRows" FROM written`,
    );
    const [{ rollupRows }] = await queryRows<{ rollupRows: number }>(
      tx,
      `WITH written AS (
         INSERT INTO demand_daily (day, category_id, district_code, age_band, kind, signals, citizens)
         SELECT day, category_id, district_code, age_band, kind, count(*), count(DISTINCT citizen_id)
           FROM (SELECT ${KEY_COLUMNS}, citizen_id FROM signal) s
          GROUP BY 1, 2, 3, 4, 5
         RETURNING 1
       )
       SELECT count(*)::int AS "rollupRows" FROM written`,
    );
    await bumpDays('demand_daily');
    return { rollupRows, memberRows };
  });
}
