import { MigrationInterface, QueryRunner } from 'typeorm';

export class SatisfactionRatings1795985000001 implements MigrationInterface {
  name = 'SatisfactionRatings1795985000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."satisfaction_level" AS ENUM(
                'VERY_SATISFIED',
                'SATISFIED',
                'NEUTRAL',
                'DISSATISFIED',
                'VERY_DISSATISFIED'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "satisfaction_rating" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "citizen_id" uuid NOT NULL,
                "case_id" bigint,
                "use_signal_id" bigint,
                "service_id" uuid,
                "department_id" uuid,
                "level" "public"."satisfaction_level" NOT NULL,
                "comment" text,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "rectification_due" TIMESTAMP WITH TIME ZONE,
                "rectification_answer" text,
                "rectified_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "satisfaction_rating_one_item" CHECK ((case_id IS NULL) <> (use_signal_id IS NULL)),
                CONSTRAINT "PK_17c22725d340696bcc81bdd0195" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "satisfaction_rating_department_idx" ON "satisfaction_rating" ("department_id", "at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "satisfaction_rating_use_uq" ON "satisfaction_rating" ("use_signal_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "satisfaction_rating_case_uq" ON "satisfaction_rating" ("case_id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."satisfaction_rating_case_uq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."satisfaction_rating_use_uq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."satisfaction_rating_department_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "satisfaction_rating"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."satisfaction_level"
        `);
  }
}
