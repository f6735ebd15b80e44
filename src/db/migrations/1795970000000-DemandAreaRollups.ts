import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Demand per area (a district, or the whole city as area ''), kept by every signal insert in
 * the same statement as the other rollups, so that trends over all categories and kinds, by
 * district or city-wide, are read from a few rows per period whatever the number of signals
 * (docs/analytics.md):
 *
 * - `demand_area_daily`: signals and exact distinct citizens per city day and area;
 * - `demand_area_citizen`: one row per citizen seen in a period (D day, W week, M month) and
 *   area, with the first and last day they were seen in it; `previous_*` hold the values an
 *   update replaced, which the statement that made it reads back to move the citizen's counts;
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
    await q.query(`
      CREATE TABLE demand_area_citizen (
        granularity char(1) NOT NULL CHECK (granularity IN ('D', 'W', 'M')),
        period_start date NOT NULL,
        area varchar(6) NOT NULL,
        citizen_id uuid NOT NULL,
        first_day date NOT NULL,
        last_day date NOT NULL,
        previous_first_day date,
        previous_last_day date,
        PRIMARY KEY (granularity, period_start, area, citizen_id)
      )`);
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
      INSERT INTO demand_area_citizen (granularity, period_start, area, citizen_id, first_day, last_day)
      SELECT DISTINCT 'D', s.day, a.area, s.citizen_id, s.day, s.day
        FROM (SELECT (occurred_at AT TIME ZONE 'Asia/Shanghai')::date AS day, district_code, citizen_id FROM signal) s
       CROSS JOIN LATERAL (VALUES (s.district_code::varchar), (''::varchar)) AS a(area)`);
    await q.query(`
      INSERT INTO demand_area_citizen (granularity, period_start, area, citizen_id, first_day, last_day)
      SELECT p.granularity, p.period_start, m.area, m.citizen_id, min(m.first_day), max(m.last_day)
        FROM demand_area_citizen m
       CROSS JOIN LATERAL (VALUES ('W', date_trunc('week', m.period_start::timestamp)::date),
                                  ('M', date_trunc('month', m.period_start::timestamp)::date)) AS p(granularity, period_start)
       WHERE m.granularity = 'D'
       GROUP BY 1, 2, 3, 4`);
    await q.query(`
      INSERT INTO demand_area_span (granularity, period_start, area, day, firsts, lasts)
      SELECT granularity, period_start, area, day, sum(firsts), sum(lasts)
        FROM (SELECT granularity, period_start, area, first_day AS day, 1 AS firsts, 0 AS lasts FROM demand_area_citizen WHERE granularity <> 'D'
              UNION ALL
              SELECT granularity, period_start, area, last_day, 0, 1 FROM demand_area_citizen WHERE granularity <> 'D') AS bounds
       GROUP BY 1, 2, 3, 4`);
    await q.query(`
      INSERT INTO demand_area_daily (day, area, signals, citizens)
      SELECT s.day, a.area, count(*), 0
        FROM (SELECT (occurred_at AT TIME ZONE 'Asia/Shanghai')::date AS day, district_code FROM signal) s
       CROSS JOIN LATERAL (VALUES (s.district_code::varchar), (''::varchar)) AS a(area)
       GROUP BY 1, 2`);
    await q.query(`
      UPDATE demand_area_daily d SET citizens = m.citizens
        FROM (SELECT period_start AS day, area, count(*)::int AS citizens FROM demand_area_citizen WHERE granularity = 'D' GROUP BY 1, 2) m
       WHERE d.day = m.day AND d.area = m.area`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE demand_area_span');
    await q.query('DROP TABLE demand_area_citizen');
    await q.query('DROP TABLE demand_area_daily');
  }
}
