import { MigrationInterface, QueryRunner } from 'typeorm';

export class RequestCases1795985000000 implements MigrationInterface {
  name = 'RequestCases1795985000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."request_case_kind" AS ENUM('REQUEST', 'COMPLAINT')
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."request_case_status" AS ENUM(
                'OPEN',
                'ACKNOWLEDGED',
                'IN_PROGRESS',
                'RESOLVED',
                'CLOSED'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "request_case" (
                "signal_id" bigint NOT NULL,
                "citizen_id" uuid NOT NULL,
                "kind" "public"."request_case_kind" NOT NULL,
                "service_id" uuid,
                "offered_service_ids" uuid array NOT NULL DEFAULT '{}',
                "status" "public"."request_case_status" NOT NULL,
                "department_id" uuid,
                "district_code" character varying(6) NOT NULL,
                "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "acknowledge_due" TIMESTAMP WITH TIME ZONE,
                "resolve_due" TIMESTAMP WITH TIME ZONE,
                "acknowledged_at" TIMESTAMP WITH TIME ZONE,
                "resolved_at" TIMESTAMP WITH TIME ZONE,
                "closed_at" TIMESTAMP WITH TIME ZONE,
                "close_reason" text,
                "resolution" text,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_ce69e20e40ba7adc383f8338942" PRIMARY KEY ("signal_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "request_case_department_idx" ON "request_case" ("department_id", "status", "resolve_due")
        `);
    await queryRunner.query(`
            CREATE INDEX "request_case_citizen_idx" ON "request_case" ("citizen_id", "opened_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "request_note" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "case_id" bigint NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "author_id" uuid NOT NULL,
                "department_id" uuid,
                "is_public" boolean NOT NULL,
                "text" text NOT NULL,
                CONSTRAINT "PK_ad208c258cb83b77ff18e5c50bb" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "request_note_case_idx" ON "request_note" ("case_id", "at")
        `);
    await queryRunner.query(`
            ALTER TABLE "request_case"
            ADD CONSTRAINT "FK_ce69e20e40ba7adc383f8338942" FOREIGN KEY ("signal_id") REFERENCES "signal"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "request_case"
            ADD CONSTRAINT "FK_16afdc707a0db97af7e721d83f0" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "request_note"
            ADD CONSTRAINT "FK_de5c8f914da0e397e535e946a30" FOREIGN KEY ("case_id") REFERENCES "request_case"("signal_id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "request_note" DROP CONSTRAINT "FK_de5c8f914da0e397e535e946a30"
        `);
    await queryRunner.query(`
            ALTER TABLE "request_case" DROP CONSTRAINT "FK_16afdc707a0db97af7e721d83f0"
        `);
    await queryRunner.query(`
            ALTER TABLE "request_case" DROP CONSTRAINT "FK_ce69e20e40ba7adc383f8338942"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."request_note_case_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "request_note"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."request_case_citizen_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."request_case_department_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "request_case"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."request_case_status"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."request_case_kind"
        `);
  }
}
