import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices about a satisfaction rating name it (`rating_id`), so a department can answer the
 * rectification it is told of; the deadline notices of a rectification are written once per
 * rating and kind, also when two processes run the job at once.
 */
export class RatingNotices1796011000001 implements MigrationInterface {
  name = 'RatingNotices1796011000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notification" ADD "rating_id" bigint`);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "notification_rectification_once" ON "notification" ("rating_id", "kind")
             WHERE kind IN ('rating.rectification_near', 'rating.rectification_overdue')
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."notification_rectification_once"`);
    await queryRunner.query(`ALTER TABLE "notification" DROP COLUMN "rating_id"`);
  }
}
