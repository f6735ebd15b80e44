import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Demand analytics (docs/analytics.md): daily rollups of signals per city day × category ×
 * district × age band × kind, kept by every signal insert in the same statement, with the
 * membership table that makes their distinct-citizen counts exact; and the partial index
 * that lets unmet-demand clustering read only unmet requests. No entities: these tables
 * are written and read by SQL only.
 */
export class DemandRollups1795929300000 implements MigrationInterface {
  name = 'DemandRollups1795929300000';

  public async up(q: QueryRunner): Promise<void> {
    // Keys are never NULL: 'UNKNOWN' age band, and the nil UUID for an uncategorised signal.
    await q.query(`CREATE TYPE demand_age_band AS ENUM ('CHILD', 'YOUTH', 'ADULT', 'SENIOR', 'UNKNOWN')`);
    await q.query(`
      CREATE TABLE demand_daily (
        day date NOT NULL,
        category_id uuid NOT NULL,
        district_code varchar(6) NOT NULL REFERENCES district (code),
        age_band demand_age_band NOT NULL,
        kind signal_kind NOT NULL,
        signals integer NOT NULL DEFAULT 0,
        citizens integer NOT NULL DEFAULT 0,
        PRIMARY KEY (day, category_id, district_code, age_band, kind)
      )`);
    await q.query(`
      CREATE TABLE demand_daily_citizen (
        day date NOT NULL,
        category_id uuid NOT NULL,
        district_code varchar(6) NOT NULL,
        age_band demand_age_band NOT NULL,
        kind signal_kind NOT NULL,
        citizen_id uuid NOT NULL,
        PRIMARY KEY (day, category_id, district_code, age_band, kind, citizen_id)
      )`);
    // Signals already stored are counted in now (the same SQL as rebuildDemandRollups).
    await q.query(`
      INSERT INTO demand_daily_citizen (day, category_id, district_code, age_band, kind, citizen_id)
      SELECT DISTINCT (occurred_at AT TIME ZONE 'Asia/Shanghai')::date,
             coalesce(category_id, '00000000-0000-0000-0000-000000000000'::uuid), district_code,
             coalesce(age_band::text, 'UNKNOWN')::demand_age_band, kind, citizen_id
        FROM signal`);
    await q.query(`
      INSERT INTO demand_daily (day, category_id, district_code, age_band, kind, signals, citizens)
      SELECT (occurred_at AT TIME ZONE 'Asia/Shanghai')::date,
             coalesce(category_id, '00000000-0000-0000-0000-000000000000'::uuid), district_code,
             coalesce(age_band::text, 'UNKNOWN')::demand_age_band, kind, count(*), count(DISTINCT citizen_id)
        FROM signal GROUP BY 1, 2, 3, 4, 5`);
    await q.query(`CREATE INDEX signal_unmet_request_idx ON signal (occurred_at) WHERE kind = 'REQUEST' AND unmet`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX signal_unmet_request_idx');
    await q.query('DROP TABLE demand_daily_citizen');
    await q.query('DROP TABLE demand_daily');
    await q.query('DROP TYPE demand_age_band');
  }
}
