import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables derived from signals in the statement that inserts them (per-service daily
 * counts, matching aggregates, demand rollups) no longer check their service and district
 * references row by row: each row comes from signals that passed those very checks in the
 * same statement, and services and districts are never deleted (a signal's references are
 * ON DELETE RESTRICT; services are retired, not deleted). The checks cost about a sixth of a
 * 500-signal batch (docs/benchmarks.md). The citizen references stay: deleting a citizen
 * cascades to their rows.
 */
export class DerivedTablesWithoutForeignKeyChecks1795929800000 implements MigrationInterface {
  name = 'DerivedTablesWithoutForeignKeyChecks1795929800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE service_activity_daily DROP CONSTRAINT "FK_18c1836fa58d263233b5b5895e2"');
    await q.query(
      'ALTER TABLE segment_service_score DROP CONSTRAINT segment_service_score_district_code_fkey, DROP CONSTRAINT segment_service_score_service_id_fkey',
    );
    await q.query('ALTER TABLE cohort_service_score DROP CONSTRAINT cohort_service_score_service_id_fkey');
    await q.query('ALTER TABLE citizen_service_score DROP CONSTRAINT citizen_service_score_service_id_fkey');
    await q.query('ALTER TABLE demand_daily DROP CONSTRAINT demand_daily_district_code_fkey');
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE demand_daily ADD CONSTRAINT demand_daily_district_code_fkey FOREIGN KEY (district_code) REFERENCES district (code)',
    );
    await q.query(
      'ALTER TABLE citizen_service_score ADD CONSTRAINT citizen_service_score_service_id_fkey FOREIGN KEY (service_id) REFERENCES service (id) ON DELETE CASCADE',
    );
    await q.query(
      'ALTER TABLE cohort_service_score ADD CONSTRAINT cohort_service_score_service_id_fkey FOREIGN KEY (service_id) REFERENCES service (id) ON DELETE CASCADE',
    );
    await q.query(`ALTER TABLE segment_service_score
      ADD CONSTRAINT segment_service_score_district_code_fkey FOREIGN KEY (district_code) REFERENCES district (code),
      ADD CONSTRAINT segment_service_score_service_id_fkey FOREIGN KEY (service_id) REFERENCES service (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE service_activity_daily ADD CONSTRAINT "FK_18c1836fa58d263233b5b5895e2"
      FOREIGN KEY (service_id) REFERENCES service (id) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }
}
