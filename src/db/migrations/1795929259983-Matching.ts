import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The matching engine's inputs: the best match of each request, and decayed affinity
 * aggregates kept up to date by every signal insert (see signals.service.ts) so that a
 * ranking never reads raw signals. Scores are stored scaled to a fixed epoch
 * (w · 2^((t − epoch) / half-life)), so adding a new signal is a plain addition and
 * today's decayed value is the stored value times one common factor.
 */
export class Matching1795929259983 implements MigrationInterface {
  name = 'Matching1795929259983';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "signal"
            ADD "matched_service_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "signal"
            ADD "match_score" real
        `);
    await queryRunner.query(`
            ALTER TABLE "signal"
            ADD "unmet" boolean
        `);
    await queryRunner.query(`
            CREATE TABLE service_popularity (
                service_id uuid PRIMARY KEY REFERENCES service (id) ON DELETE CASCADE,
                score double precision NOT NULL DEFAULT 0
            )
        `);
    await queryRunner.query(`
            CREATE TABLE segment_service_score (
                district_code varchar(6) NOT NULL REFERENCES district (code),
                age_band age_band NOT NULL,
                service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
                score double precision NOT NULL DEFAULT 0,
                PRIMARY KEY (district_code, age_band, service_id)
            )
        `);
    await queryRunner.query(`
            CREATE TABLE cohort_service_score (
                tag text NOT NULL,
                age_band age_band NOT NULL,
                service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
                score double precision NOT NULL DEFAULT 0,
                PRIMARY KEY (tag, age_band, service_id)
            )
        `);
    await queryRunner.query(`
            CREATE TABLE citizen_service_score (
                citizen_id uuid NOT NULL REFERENCES citizen (id) ON DELETE CASCADE,
                service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
                score double precision NOT NULL DEFAULT 0,
                signals integer NOT NULL DEFAULT 0,
                last_at timestamptz NOT NULL,
                PRIMARY KEY (citizen_id, service_id)
            )
        `);
    await queryRunner.query(`CREATE INDEX citizen_service_score_service_idx ON citizen_service_score (service_id)`);
    await queryRunner.query(`
            CREATE TABLE service_neighbour (
                service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
                neighbour_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
                similarity double precision NOT NULL,
                co_citizens integer NOT NULL,
                PRIMARY KEY (service_id, neighbour_id)
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'service_neighbour',
      'citizen_service_score',
      'cohort_service_score',
      'segment_service_score',
      'service_popularity',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    await queryRunner.query(`
            ALTER TABLE "signal" DROP COLUMN "unmet"
        `);
    await queryRunner.query(`
            ALTER TABLE "signal" DROP COLUMN "match_score"
        `);
    await queryRunner.query(`
            ALTER TABLE "signal" DROP COLUMN "matched_service_id"
        `);
  }
}
