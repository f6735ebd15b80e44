import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Demand per area (a district, or the whole city as area ''), kept by every signal insert in
 * the same statement as the other rollups, so that trends over all categories and kinds, by
 * district or city-wide, are read from a few rows per period whatever the number of signals
 * (docs/analytics.md):
 *
 * - `demand_area_daily`: signals and exact distinct citizens per city day and area;
 * - `demand_area_citizen`: one row per citizen seen in a week (W) or month (M) and area, with
 *   the first and last day they were seen in it and, for weeks, the days (bit i: the week's
 *   day i); `previous_*` hold the values an update replaced, which the statement that made it
 *   reads back to count the citizen's new days and move their span counts;
 * - `demand_area_span`: per week or month and area, how many of its citizens were first seen
 *   (`firsts`) and last seen (`lasts`) on each day: the distinct citizens of a whole period
 *   are its firsts, of the days from a given day to the period's end the lasts from it on, of
 *   the days up to a given day the firsts until it.
 *
 * No entities: SQL only. Signals already stored are counted in now (the same SQL as
 * rebuildDemandRollups).
 */
export class DemandAreaRollups1795970000000 implements MigrationInterface {
  name = 'DemandAreaRollups1795970000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE demand_area_daily (
        day date NOT NULL,
        area varchar(6) NOT NULL,
        signals integer NOT NULL,
        citizens integer NOT NULL,
        PRIMARY KEY (day, area)
      )`);
    // Room on each page for the updates that widen a row (HOT updates, no index entry).
    await q.query(`
      CREATE TABLE demand_area_citizen (
        granularity char(1) NOT NULL CHECK (granularity IN ('W', 'M')),
        period_start date NOT NULL,
        area varchar(6) NOT NULL,
        citizen_id uuid NOT NULL,
        first_day date NOT NULL,
        last_day date NOT NULL,
        days smallint,
        previous_first_day date,
        previous_last_day date,
        previous_days smallint,
        PRIMARY KEY (granularity, period_start, area, citizen_id),
        CHECK ((granularity = 'W') = (days IS NOT NULL))
      ) WITH (fillfactor = 90)`);
    await q.query(`
      CREATE TABLE demand_area_span (
        granularity char(1) NOT NULL CHECK (granularity IN ('W', 'M')),
        period_start date NOT NULL,
        area varchar(6) NOT NULL,
        day date NOT NULL,
        firsts integer NOT NULL,
        lasts integer NOT NULL,
        PRIMARY KEY (granularity, period_start, area, day)
      )`);
    await q.query(`
      INSERT INTO demand_area_daily (day, area, signals, citizens)
      SELECT s.day, a.area, count(*), count(DISTINCT s.citizen_id)
        FROM (SELECT (occurred_at AT TIME ZONE 'Asia/Shanghai')::date AS day, district_code, citizen_id FROM signal) s
       CROSS JOIN LATERAL (VALUES (s.district_code::varchar), (''::varchar)) AS a(area)
       GROUP BY 1, 2`);
    await q.query(`
      WITH seen AS (
        SELECT DISTINCT s.day, a.area, s.citizen_id
          FROM (SELECT (occurred_at AT TIME ZONE 'Asia/Shanghai')::date AS day, district_code, citizen_id FROM signal) s
         CROSS JOIN LATERAL (VALUES (s.district_code::varchar), (''::varchar)) AS a(area)
      )
      INSERT INTO demand_area_citizen (granularity, period_start, area, citizen_id, first_day, last_day, days)
      SELECT 'W', w.start, area, citizen_id, min(day), max(day), bit_or(1 << (day - w.start))::smallint
        FROM seen CROSS JOIN LATERAL (SELECT date_trunc('week', day::timestamp)::date AS start) w
       GROUP BY 2, 3, 4
      UNION ALL
      SELECT 'M', date_trunc('month', day::timestamp)::date, area, citizen_id, min(day), max(day), NULL
        FROM seen GROUP BY 2, 3, 4`);
    await q.query(`
      INSERT INTO demand_area_span (granularity, period_start, area, day, firsts, lasts)
      SELECT granularity, period_start, area, day, sum(firsts), sum(lasts)
        FROM (SELECT granularity, period_start, area, first_day AS day, 1 AS firsts, 0 AS lasts FROM demand_area_citizen
              UNION ALL
              SELECT granularity, period_start, area, last_day, 0, 1 FROM demand_area_citizen) AS bounds
       GROUP BY 1, 2, 3, 4`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE demand_area_span');
    await q.query('DROP TABLE demand_area_citizen');
    await q.query('DROP TABLE demand_area_daily');
  }
}
