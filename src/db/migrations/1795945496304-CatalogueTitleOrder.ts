import { MigrationInterface, QueryRunner } from 'typeorm';

export class CatalogueTitleOrder1795945496304 implements MigrationInterface {
  name = 'CatalogueTitleOrder1795945496304';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "service_status_title_idx" ON "service" ("status", "title", "id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."service_status_title_idx"
        `);
  }
}
