import type { MigrationInterface, QueryRunner } from 'typeorm';

const GRANULARITIES = ['day', 'week', 'month', 'custom'] as const;

/**
 * Reports of one granularity never overlap (docs/reports.md): each report keeps the kind of
 * period it covers (a city day, a week from Monday, a month from the 1st, or custom), and an
 * exclusion constraint per granularity refuses a second report whose period overlaps one
 * stored, also from two transactions at once. Existing rows get their granularity from their
 * city days; one that overlaps an older report of the same granularity is kept as
 * `overlapping`, outside the constraints (nothing is deleted). No entity: SQL only.
 */
export class ReportPeriodGranularity1795981000000 implements MigrationInterface {
  name = 'ReportPeriodGranularity1795981000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalogue_report ADD COLUMN granularity text`);
    // The days a period covers: from the city day of its start to the city day of its last instant.
    await q.query(`
      WITH days AS (
        SELECT id, (period_start AT TIME ZONE 'Asia/Shanghai')::date AS first_day,
               ((period_end - interval '1 microsecond') AT TIME ZONE 'Asia/Shanghai')::date + 1 AS end_day
          FROM catalogue_report
      )
      UPDATE catalogue_report r SET granularity = CASE
          WHEN d.end_day = d.first_day + 1 THEN 'day'
          WHEN d.end_day = d.first_day + 7 AND extract(isodow FROM d.first_day) = 1 THEN 'week'
          WHEN extract(day FROM d.first_day) = 1 AND d.end_day = (d.first_day + interval '1 month')::date THEN 'month'
          ELSE 'custom' END
        FROM days d WHERE d.id = r.id`);
    await q.query(`
      UPDATE catalogue_report r SET granularity = 'overlapping'
       WHERE EXISTS (
         SELECT 1 FROM catalogue_report o
          WHERE o.granularity = r.granularity
            AND tstzrange(o.period_start, o.period_end) && tstzrange(r.period_start, r.period_end)
            AND (o.generated_at, o.id) < (r.generated_at, r.id))`);
    await q.query(`ALTER TABLE catalogue_report ALTER COLUMN granularity SET NOT NULL`);
    await q.query(`ALTER TABLE catalogue_report ADD CONSTRAINT catalogue_report_granularity_check
      CHECK (granularity IN ('day', 'week', 'month', 'custom', 'overlapping'))`);
    for (const granularity of GRANULARITIES) {
      await q.query(`ALTER TABLE catalogue_report ADD CONSTRAINT catalogue_report_${granularity}_no_overlap
        EXCLUDE USING gist (tstzrange(period_start, period_end) WITH &&) WHERE (granularity = '${granularity}')`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const granularity of GRANULARITIES) {
      await q.query(`ALTER TABLE catalogue_report DROP CONSTRAINT catalogue_report_${granularity}_no_overlap`);
    }
    await q.query(`ALTER TABLE catalogue_report DROP CONSTRAINT catalogue_report_granularity_check`);
    await q.query(`ALTER TABLE catalogue_report DROP COLUMN granularity`);
  }
}
