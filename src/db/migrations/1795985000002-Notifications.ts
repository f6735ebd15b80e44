import { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1795985000002 implements MigrationInterface {
  name = 'Notifications1795985000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "notification" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "citizen_id" uuid,
                "department_id" uuid,
                "kind" character varying(40) NOT NULL,
                "request_id" bigint,
                "message" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "read_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "notification_one_recipient" CHECK ((citizen_id IS NULL) <> (department_id IS NULL)),
                CONSTRAINT "PK_705b6c7cdf9b2c2ff7ac7872cb7" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "notification_department_idx" ON "notification" ("department_id", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "notification_citizen_idx" ON "notification" ("citizen_id", "id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."notification_citizen_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notification_department_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "notification"
        `);
  }
}
