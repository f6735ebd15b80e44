import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access events (docs/security.md): one row per read of a citizen's personal data by
 * someone else. The table as TypeORM generates it from the entity, plus a trigger that
 * refuses UPDATE, DELETE and TRUNCATE, like audit_event's.
 */
export class AccessEvents1795982000000 implements MigrationInterface {
  name = 'AccessEvents1795982000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "access_event" (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "request_id" character varying(64) NOT NULL,
        "actor_id" uuid NOT NULL,
        "actor_role" character varying(16) NOT NULL,
        "actor_department_id" uuid,
        "citizen_id" uuid NOT NULL,
        "what" character varying(64) NOT NULL,
        "details" jsonb,
        CONSTRAINT "PK_83c38229c482d0a0eaffd7c31f8" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`CREATE INDEX "access_event_actor_idx" ON "access_event" ("actor_id", "at")`);
    await queryRunner.query(`CREATE INDEX "access_event_citizen_idx" ON "access_event" ("citizen_id", "at")`);
    await queryRunner.query(`CREATE INDEX "access_event_at_idx" ON "access_event" ("at")`);
    await queryRunner.query(`
      CREATE FUNCTION access_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_event is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER access_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON access_event
      FOR EACH STATEMENT EXECUTE FUNCTION access_event_append_only()
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER access_event_append_only ON access_event');
    await queryRunner.query('DROP FUNCTION access_event_append_only()');
    await queryRunner.query('DROP INDEX "public"."access_event_at_idx"');
    await queryRunner.query('DROP INDEX "public"."access_event_citizen_idx"');
    await queryRunner.query('DROP INDEX "public"."access_event_actor_idx"');
    await queryRunner.query('DROP TABLE "access_event"');
  }
}
