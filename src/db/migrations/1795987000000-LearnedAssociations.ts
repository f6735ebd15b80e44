import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Word and phrase → service associations learned from requests followed by a view or use (docs/matching.md). */

export class LearnedAssociations1795987000000 implements MigrationInterface {
  name = 'LearnedAssociations1795987000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "learned_association" (
                "term" character varying(200) NOT NULL,
                "service_id" uuid NOT NULL,
                "citizens" integer NOT NULL,
                "strength" real NOT NULL,
                "learned_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "learned_association_strength_check" CHECK (
                    "strength" > 0
                    AND "strength" <= 1
                ),
                CONSTRAINT "learned_association_citizens_check" CHECK ("citizens" >= 3),
                CONSTRAINT "PK_9e289932033f8bb9def25ead25b" PRIMARY KEY ("term", "service_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_a9ef087796926a113ddc515a1a" ON "learned_association" ("service_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "learned_association"
            ADD CONSTRAINT "FK_a9ef087796926a113ddc515a1a3" FOREIGN KEY ("service_id")
            REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "learned_association" DROP CONSTRAINT "FK_a9ef087796926a113ddc515a1a3"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_a9ef087796926a113ddc515a1a"
        `);
    await queryRunner.query(`
            DROP TABLE "learned_association"
        `);
  }
}
