import type { EntityManager } from 'typeorm';
import { cityDay, queryRows } from '../../db/sql';
import { APPLIED_SIGNALS } from '../signals/signal-log';

/**
 * The SQL of the demand rollups: their keys, the statement parts the rollup worker adds a
 * batch with (`ADD_TO_DEMAND_ROLLUPS`), and the statements of a rebuild (`rebuildDemandRollups`
 * in rollups.ts runs them, in its transaction and under the derived tables' lock).
 */

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

/** The area of the whole city in the area rollups (a district's area is its code). */
export const CITY_AREA = '';

/**
 * A row's slices, as a FROM item `sl(slice)` (after `LEFT JOIN category c ON c.id = <row>.category_id`):
 * its category (`c:`), the top-level category it falls under (`p:`, itself or its parent; none
 * for an unknown category or none), its age band (`a:`) and its kind (`k:`). A trend of one
 * category, one age band or one kind, or split by one of them, reads its slices' rows.
 */
export const sliceValues = (row: string) => `CROSS JOIN LATERAL (VALUES ('c:' || ${row}.category_id::text),
      (CASE WHEN c.id IS NOT NULL THEN 'p:' || coalesce(c.parent_id, c.id)::text END),
      ('a:' || ${row}.age_band::text), ('k:' || ${row}.kind::text)) AS sl(slice)`;
/**
 * The same slices and areas as grouping sets, for a query grouped by `<per-row keys>, SLICE_AREA_SETS`
 * over rows `x` with the key's columns and `parent_id` (the top-level category, `coalesce(c.parent_id,
 * c.id)`): `sliceOfSet` and `areaOfSet` name a group's slice and area. Groups of the set of
 * `parent_id` whose row has none (an unknown category, or none) are no slice: `SLICE_SET_EXISTS`
 * keeps the others.
 */
const SLICE_AREA_SETS = `GROUPING SETS ((x.category_id, x.district_code), (x.category_id), (x.parent_id, x.district_code),
      (x.parent_id), (x.age_band, x.district_code), (x.age_band), (x.kind, x.district_code), (x.kind))`;
const sliceOfSet = `CASE WHEN GROUPING(x.category_id) = 0 THEN 'c:' || x.category_id::text
                WHEN GROUPING(x.parent_id) = 0 THEN 'p:' || x.parent_id::text
                WHEN GROUPING(x.age_band) = 0 THEN 'a:' || x.age_band::text
                ELSE 'k:' || x.kind::text END`;
const areaOfSet = `CASE WHEN GROUPING(x.district_code) = 0 THEN x.district_code::varchar ELSE '${CITY_AREA}'::varchar END`;
const SLICE_SET_EXISTS = '(GROUPING(x.parent_id) = 1 OR x.parent_id IS NOT NULL)';
/** A row's areas, as a FROM item `a(area)`: its district and the city. */
const areasOf = (row: string) =>
  `CROSS JOIN LATERAL (VALUES (${row}.district_code::varchar), ('${CITY_AREA}'::varchar)) AS a(area)`;
/** A day's week and month, as a FROM item `p(granularity, start)`. */
const periodsOfDay = (
  day: string,
) => `CROSS JOIN LATERAL (VALUES ('W'::char(1), date_trunc('week', ${day}::timestamp)::date),
      ('M'::char(1), date_trunc('month', ${day}::timestamp)::date)) AS p(granularity, start)`;

/**
 * The statement parts (after `demand_keys` and `demand_rollup`) that add a batch to the slice
 * rollups: per slice (a category, a top-level category with its children, an age band or a
 * kind) and area (a district or the city), signals and distinct citizens per day
 * (`demand_slice_daily`) and, per week and month, how many of its citizens were first and last
 * seen on each day (`demand_slice_span`), as the area rollups keep them for every kind.
 *
 * No membership table of their own: a citizen's days in a slice are their rows of
 * `demand_daily_citizen` (looked up by citizen and day). Every sub-statement sees the
 * memberships as they were before the batch (the batch's own are inserted by `demand_members`
 * in the same statement), so a citizen's first and last day per period, slice and area
 * before the batch and after it, and the days that are new to them, come from those rows and
 * the batch's. Runs of the worker (and rebuilds) hold one lock, so nothing changes the
 * memberships in between.
 *
 * What makes it cheap: each of the citizen's keys (category, district, age band, kind) is
 * reduced first to one row per week or month (`slice_keys`: first and last day, a bit per day
 * of the period), before the batch's and after; the slices and areas are then groups of those
 * rows (`slice_groups`, grouping sets over the key's columns: no row is copied per slice and
 * no slice name is built before grouping), and only the groups the batch touches are kept. A
 * week's new days in a slice are the batch's bits the memberships did not have.
 */
const ADD_TO_SLICE_ROLLUPS = `
  slice_periods AS (
    SELECT DISTINCT k.citizen_id, p.granularity, p.start,
           CASE p.granularity WHEN 'W' THEN p.start + 7 ELSE (p.start + interval '1 month')::date END AS next_start
      FROM demand_keys k ${periodsOfDay('k.day')}
  ), slice_keys AS (
    SELECT p.granularity, p.start, m.citizen_id, m.category_id, m.district_code, m.age_band, m.kind, true AS applied,
           min(m.day) AS first_day, max(m.day) AS last_day, bit_or(1 << (m.day - p.start)) AS days
      FROM slice_periods p
      JOIN demand_daily_citizen m ON m.citizen_id = p.citizen_id AND m.day >= p.start AND m.day < p.next_start
     GROUP BY 1, 2, 3, 4, 5, 6, 7
    UNION ALL
    SELECT p.granularity, p.start, k.citizen_id, k.category_id, k.district_code, k.age_band, k.kind, false,
           min(k.day), max(k.day), bit_or(1 << (k.day - p.start))
      FROM demand_keys k ${periodsOfDay('k.day')}
     GROUP BY 1, 2, 3, 4, 5, 6, 7
  ), slice_groups AS (
    SELECT x.granularity, x.start, x.citizen_id, ${sliceOfSet} AS slice, ${areaOfSet} AS area,
           min(x.first_day) FILTER (WHERE x.applied) AS was_first, max(x.last_day) FILTER (WHERE x.applied) AS was_last,
           min(x.first_day) AS first_day, max(x.last_day) AS last_day,
           bit_or(x.days) FILTER (WHERE NOT x.applied) & ~coalesce(bit_or(x.days) FILTER (WHERE x.applied), 0) AS new_days
      FROM (SELECT k.*, coalesce(c.parent_id, c.id) AS parent_id FROM slice_keys k LEFT JOIN category c ON c.id = k.category_id) x
     GROUP BY x.granularity, x.start, x.citizen_id, ${SLICE_AREA_SETS}
    HAVING bool_or(NOT x.applied) AND ${SLICE_SET_EXISTS}
  ), slice_daily AS (
    INSERT INTO demand_slice_daily AS t (slice, day, area, signals, citizens)
    SELECT k.slice, k.day, k.area, k.signals, coalesce(n.citizens, 0)
      FROM (SELECT sl.slice, r.day, a.area, sum(r.signals)::int AS signals
              FROM (SELECT day, category_id, district_code, age_band, kind, count(*)::int AS signals
                      FROM demand_keys GROUP BY 1, 2, 3, 4, 5) r
              LEFT JOIN category c ON c.id = r.category_id ${sliceValues('r')} ${areasOf('r')}
             WHERE sl.slice IS NOT NULL GROUP BY 1, 2, 3) k
      LEFT JOIN (SELECT g.slice, g.start + b AS day, g.area, count(*)::int AS citizens
                   FROM slice_groups g CROSS JOIN generate_series(0, 6) AS b
                  WHERE g.granularity = 'W' AND g.new_days & (1 << b) <> 0 GROUP BY 1, 2, 3) n USING (slice, day, area)
     ORDER BY 1, 2, 3
    ON CONFLICT (slice, day, area) DO UPDATE SET signals = t.signals + EXCLUDED.signals, citizens = t.citizens + EXCLUDED.citizens
  ), slice_spans AS (
    INSERT INTO demand_slice_span AS t (granularity, slice, period_start, area, day, firsts, lasts)
    SELECT b.granularity, b.slice, b.start, b.area, moves.day, sum(moves.firsts)::int, sum(moves.lasts)::int
      FROM slice_groups b
     CROSS JOIN LATERAL (VALUES (b.first_day, 1, 0), (b.was_first, -1, 0), (b.last_day, 0, 1), (b.was_last, 0, -1))
           AS moves(day, firsts, lasts)
     WHERE moves.day IS NOT NULL AND (b.was_first IS DISTINCT FROM b.first_day OR b.was_last IS DISTINCT FROM b.last_day)
     GROUP BY 1, 2, 3, 4, 5 HAVING sum(moves.firsts) <> 0 OR sum(moves.lasts) <> 0
     ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (granularity, slice, period_start, area, day) DO UPDATE
      SET firsts = t.firsts + EXCLUDED.firsts, lasts = t.lasts + EXCLUDED.lasts
  )`;

/**
 * The statement parts (after `demand_keys`) that add a batch to the area rollups, under each
 * signal's district and under the city:
 *
 * - each citizen's week row gains the batch's days (a bit per day of the week) and widens its
 *   first and last day; the days it did not have are the citizen's new days, which add to
 *   those days' distinct citizens and are the only ones that can widen the month row;
 * - every first or last day that moved moves one count in the span table (−1 on the day it
 *   left, +1 on the day it reached).
 *
 * `ON CONFLICT DO UPDATE` locks the row and works on its latest committed version, so the
 * `previous_*` it writes are exactly what this batch replaced, also when batches of one citizen
 * race or arrive out of order. Weeks are upserted before months, each in key order, so
 * concurrent batches take row locks in one order.
 */
const ADD_TO_AREA_ROLLUPS = `
  area_keys AS (
    SELECT k.day, a.area, k.citizen_id
      FROM demand_keys k CROSS JOIN LATERAL (VALUES (k.district_code::varchar), ('${CITY_AREA}'::varchar)) AS a(area)
  ), area_weeks AS (
    INSERT INTO demand_area_citizen AS t (granularity, period_start, area, citizen_id, first_day, last_day, days)
    SELECT 'W', w.start, k.area, k.citizen_id, min(k.day), max(k.day), bit_or(1 << (k.day - w.start))::smallint
      FROM area_keys k CROSS JOIN LATERAL (SELECT date_trunc('week', k.day::timestamp)::date AS start) w
     GROUP BY 2, 3, 4 ORDER BY 2, 3, 4
    ON CONFLICT (granularity, period_start, area, citizen_id) DO UPDATE
      SET days = t.days | EXCLUDED.days,
          first_day = least(t.first_day, EXCLUDED.first_day), last_day = greatest(t.last_day, EXCLUDED.last_day),
          previous_days = t.days, previous_first_day = t.first_day, previous_last_day = t.last_day
      WHERE t.days | EXCLUDED.days <> t.days
    RETURNING granularity, period_start, area, citizen_id, first_day, last_day, previous_first_day, previous_last_day,
              days & ~coalesce(previous_days, 0::smallint) AS new_days
  ), area_new_days AS (
    SELECT w.period_start + b AS day, w.area, w.citizen_id
      FROM area_weeks w CROSS JOIN generate_series(0, 6) AS b WHERE w.new_days & (1 << b) <> 0
  ), area_daily AS (
    INSERT INTO demand_area_daily AS t (day, area, signals, citizens)
    SELECT k.day, k.area, k.signals, coalesce(n.citizens, 0)
      FROM (SELECT day, area, count(*)::int AS signals FROM area_keys GROUP BY 1, 2) k
      LEFT JOIN (SELECT day, area, count(*)::int AS citizens FROM area_new_days GROUP BY 1, 2) n USING (day, area)
     ORDER BY 1, 2
    ON CONFLICT (day, area) DO UPDATE SET signals = t.signals + EXCLUDED.signals, citizens = t.citizens + EXCLUDED.citizens
  ), area_months AS (
    INSERT INTO demand_area_citizen AS t (granularity, period_start, area, citizen_id, first_day, last_day)
    SELECT 'M', date_trunc('month', day::timestamp)::date, area, citizen_id, min(day), max(day)
      FROM area_new_days GROUP BY 2, 3, 4 ORDER BY 2, 3, 4
    ON CONFLICT (granularity, period_start, area, citizen_id) DO UPDATE
      SET first_day = least(t.first_day, EXCLUDED.first_day), last_day = greatest(t.last_day, EXCLUDED.last_day),
          previous_first_day = t.first_day, previous_last_day = t.last_day
      WHERE EXCLUDED.first_day < t.first_day OR EXCLUDED.last_day > t.last_day
    RETURNING granularity, period_start, area, first_day, last_day, previous_first_day, previous_last_day
  ), area_spans AS (
    INSERT INTO demand_area_span AS t (granularity, period_start, area, day, firsts, lasts)
    SELECT granularity, period_start, area, day, sum(firsts)::int, sum(lasts)::int
      FROM (SELECT granularity, period_start, area, first_day, last_day, previous_first_day, previous_last_day FROM area_weeks
            UNION ALL
            SELECT granularity, period_start, area, first_day, last_day, previous_first_day, previous_last_day FROM area_months) AS m
     CROSS JOIN LATERAL (VALUES (m.first_day, 1, 0), (m.previous_first_day, -1, 0), (m.last_day, 0, 1), (m.previous_last_day, 0, -1))
           AS moves(day, firsts, lasts)
     WHERE moves.day IS NOT NULL
     -- A bound that did not move adds and takes one on the same day: the sums leave it out.
     GROUP BY 1, 2, 3, 4 HAVING sum(firsts) <> 0 OR sum(lasts) <> 0
     ORDER BY 1, 2, 3, 4
    ON CONFLICT (granularity, period_start, area, day) DO UPDATE SET firsts = t.firsts + EXCLUDED.firsts, lasts = t.lasts + EXCLUDED.lasts
  )`;

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
  ), ${ADD_TO_AREA_ROLLUPS}, ${ADD_TO_SLICE_ROLLUPS}, demand_changes AS (
    INSERT INTO demand_day_change AS c (day, shard, changes)
    SELECT day, floor(random() * 16)::smallint, 1 FROM (SELECT DISTINCT day FROM demand_keys) d ORDER BY 1
    ON CONFLICT (day, shard) DO UPDATE SET changes = c.changes + 1
  )`;

/**
 * Counts a change on the rebuild shard of every day that has rollups: trends computed before
 * are stale, and may not add to what they counted (members may go).
 */
export async function markRollupDaysRebuilt(db: EntityManager): Promise<void> {
  await db.query(`INSERT INTO demand_day_change AS c (day, shard, changes) SELECT DISTINCT day, ${REBUILD_SHARD}, 1 FROM demand_daily
                ON CONFLICT (day, shard) DO UPDATE SET changes = c.changes + 1`);
}

/** Empties the daily rollups and their memberships. */
export async function clearDemandRollups(db: EntityManager): Promise<void> {
  await db.query('DELETE FROM demand_daily_citizen');
  await db.query('DELETE FROM demand_daily');
}

/** Refills `demand_daily_citizen` from the applied signals; returns its rows. */
export async function refillDemandMembers(db: EntityManager): Promise<number> {
  const [{ memberRows }] = await queryRows<{ memberRows: number }>(
    db,
    `WITH written AS (
         INSERT INTO demand_daily_citizen (day, category_id, district_code, age_band, kind, citizen_id)
         SELECT DISTINCT ${KEY_COLUMNS}, citizen_id FROM ${APPLIED_SIGNALS}
         RETURNING 1
       )
       SELECT count(*)::int AS "memberRows" FROM written`,
  );
  return memberRows;
}

/** Refills `demand_daily` from the applied signals; returns its rows. */
export async function refillDemandDaily(db: EntityManager): Promise<number> {
  const [{ rollupRows }] = await queryRows<{ rollupRows: number }>(
    db,
    `WITH written AS (
         INSERT INTO demand_daily (day, category_id, district_code, age_band, kind, signals, citizens)
         SELECT day, category_id, district_code, age_band, kind, count(*), count(DISTINCT citizen_id)
           FROM (SELECT ${KEY_COLUMNS}, citizen_id FROM ${APPLIED_SIGNALS}) s
          GROUP BY 1, 2, 3, 4, 5
         RETURNING 1
       )
       SELECT count(*)::int AS "rollupRows" FROM written`,
  );
  return rollupRows;
}

/** Empties the area rollups. */
export async function clearAreaRollups(db: EntityManager): Promise<void> {
  await db.query('DELETE FROM demand_area_span');
  await db.query('DELETE FROM demand_area_citizen');
  await db.query('DELETE FROM demand_area_daily');
}

/** The applied signals under their district's area and the city's, as a FROM item (`s`, `a`). */
const SIGNAL_AREAS = `(SELECT ${cityDay('occurred_at')} AS day, district_code, citizen_id FROM ${APPLIED_SIGNALS}) s
    CROSS JOIN LATERAL (VALUES (s.district_code::varchar), ('${CITY_AREA}'::varchar)) AS a(area)`;

/** Refills `demand_area_daily` from the applied signals. */
export async function refillAreaDaily(db: EntityManager): Promise<void> {
  await db.query(`
    INSERT INTO demand_area_daily (day, area, signals, citizens)
    SELECT s.day, a.area, count(*), count(DISTINCT s.citizen_id) FROM ${SIGNAL_AREAS} GROUP BY 1, 2`);
}

/** Refills the citizens' week and month rows of `demand_area_citizen` from the applied signals. */
export async function refillAreaMembers(db: EntityManager): Promise<void> {
  await db.query(`
    WITH seen AS (SELECT DISTINCT s.day, a.area, s.citizen_id FROM ${SIGNAL_AREAS})
    INSERT INTO demand_area_citizen (granularity, period_start, area, citizen_id, first_day, last_day, days)
    SELECT 'W', w.start, area, citizen_id, min(day), max(day), bit_or(1 << (day - w.start))::smallint
      FROM seen CROSS JOIN LATERAL (SELECT date_trunc('week', day::timestamp)::date AS start) w
     GROUP BY 2, 3, 4
    UNION ALL
    SELECT 'M', date_trunc('month', day::timestamp)::date, area, citizen_id, min(day), max(day), NULL
      FROM seen GROUP BY 2, 3, 4`);
}

/** Refills `demand_area_span` from the first and last days of `demand_area_citizen`. */
export async function refillAreaSpans(db: EntityManager): Promise<void> {
  await db.query(`
    INSERT INTO demand_area_span (granularity, period_start, area, day, firsts, lasts)
    SELECT granularity, period_start, area, day, sum(firsts), sum(lasts)
      FROM (SELECT granularity, period_start, area, first_day AS day, 1 AS firsts, 0 AS lasts FROM demand_area_citizen
            UNION ALL
            SELECT granularity, period_start, area, last_day, 0, 1 FROM demand_area_citizen) AS bounds
     GROUP BY 1, 2, 3, 4`);
}

/** Empties the slice rollups. */
export async function clearSliceRollups(db: EntityManager): Promise<void> {
  await db.query('DELETE FROM demand_slice_span');
  await db.query('DELETE FROM demand_slice_daily');
}

/**
 * Refills the slice rollups from the daily rollups and their memberships (refilled first), in
 * one statement: every membership under its slices and areas once (`seen`), then the distinct
 * citizens per day and the first and last day of each citizen per week and month.
 */
export const REFILL_SLICE_ROLLUPS = `
  WITH seen AS MATERIALIZED (
    SELECT DISTINCT sl.slice, a.area, m.citizen_id, m.day
      FROM demand_daily_citizen m LEFT JOIN category c ON c.id = m.category_id ${sliceValues('m')} ${areasOf('m')}
     WHERE sl.slice IS NOT NULL
  ), daily AS (
    INSERT INTO demand_slice_daily (slice, day, area, signals, citizens)
    SELECT r.slice, r.day, r.area, r.signals, n.citizens
      FROM (SELECT sl.slice, d.day, a.area, sum(d.signals)::int AS signals
              FROM demand_daily d LEFT JOIN category c ON c.id = d.category_id ${sliceValues('d')} ${areasOf('d')}
             WHERE sl.slice IS NOT NULL GROUP BY 1, 2, 3) r
      JOIN (SELECT slice, day, area, count(*)::int AS citizens FROM seen GROUP BY 1, 2, 3) n USING (slice, day, area)
  )
  INSERT INTO demand_slice_span (granularity, slice, period_start, area, day, firsts, lasts)
  SELECT granularity, slice, start, area, day, sum(firsts)::int, sum(lasts)::int
    FROM (SELECT p.granularity, s.slice, p.start, s.area, min(s.day) AS first_day, max(s.day) AS last_day
            FROM seen s ${periodsOfDay('s.day')} GROUP BY 1, 2, 3, 4, s.citizen_id) b
   CROSS JOIN LATERAL (VALUES (b.first_day, 1, 0), (b.last_day, 0, 1)) AS moves(day, firsts, lasts)
   GROUP BY 1, 2, 3, 4, 5`;

/** Refills the slice rollups (after the daily rollups and memberships). */
export async function refillSliceRollups(db: EntityManager): Promise<void> {
  await db.query(REFILL_SLICE_ROLLUPS);
}

/** The rows of `demand_area_citizen` (weeks and months). */
export async function countAreaMembers(db: EntityManager): Promise<number> {
  const [{ rows }] = await queryRows<{ rows: number }>(db, 'SELECT count(*)::int AS rows FROM demand_area_citizen');
  return rows;
}

/** Vacuums and analyses the demand and area rollups (after a rebuild; outside a transaction). */
export async function vacuumDemandRollups(db: EntityManager): Promise<void> {
  await db.query(
    'VACUUM (ANALYZE) demand_daily, demand_daily_citizen, demand_day_change, demand_area_daily, demand_area_citizen, demand_area_span, demand_slice_daily, demand_slice_span',
  );
}
