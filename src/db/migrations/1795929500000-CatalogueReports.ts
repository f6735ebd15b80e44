import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalogue-optimisation reports (docs/reports.md): one row per period, with its summary,
 * findings and the findings of the previous report that it resolved, as jsonb; written in one
 * statement, so a report is stored whole or not at all. The unique period is what makes a
 * period's report exist once, whichever process builds it. No entity: SQL only.
 */
export class CatalogueReports1795929500000 implements MigrationInterface {
  name = 'CatalogueReports1795929500000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE report_trigger AS ENUM ('SCHEDULED', 'MANUAL')`);
    await q.query(`
      CREATE TABLE catalogue_report (
        id uuid PRIMARY KEY,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        generated_at timestamptz NOT NULL DEFAULT now(),
        trigger report_trigger NOT NULL,
        summary jsonb NOT NULL,
        findings jsonb NOT NULL,
        resolved jsonb NOT NULL DEFAULT '[]',
        previous_id uuid REFERENCES catalogue_report (id),
        requested_by uuid,
        CONSTRAINT catalogue_report_period_uq UNIQUE (period_start, period_end),
        CONSTRAINT catalogue_report_period_order CHECK (period_end > period_start)
      )`);
    await q.query(`CREATE INDEX catalogue_report_end_idx ON catalogue_report (period_end)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE catalogue_report');
    await q.query('DROP TYPE report_trigger');
  }
}
