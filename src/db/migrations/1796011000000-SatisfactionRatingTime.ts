import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 好差评 by the time they were given: the catalogue report reads a period's ratings per
 * service for its IMPROVE_SERVICE findings (docs/reports.md).
 */
export class SatisfactionRatingTime1796011000000 implements MigrationInterface {
  name = 'SatisfactionRatingTime1796011000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "satisfaction_rating_at_idx" ON "satisfaction_rating" ("at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."satisfaction_rating_at_idx"`);
  }
}
