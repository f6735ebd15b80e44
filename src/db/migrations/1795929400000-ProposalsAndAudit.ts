import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Proposals and audit (docs/proposals-and-audit.md): proposals with their reviews, the
 * history of service versions that approved revisions supersede, and the append-only audit
 * trail. Tables as TypeORM generates them from the entities, plus what entities cannot say:
 * the trigger that refuses UPDATE, DELETE and TRUNCATE on audit_event.
 */
export class ProposalsAndAudit1795929400000 implements MigrationInterface {
  name = 'ProposalsAndAudit1795929400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "service_version" (
                "service_id" uuid NOT NULL,
                "version" integer NOT NULL,
                "code" character varying(32) NOT NULL,
                "title" character varying(200) NOT NULL,
                "title_en" character varying(300),
                "summary" text NOT NULL,
                "description" text,
                "category_id" uuid NOT NULL,
                "tags" text array NOT NULL DEFAULT '{}',
                "department_id" uuid NOT NULL,
                "co_department_ids" uuid array NOT NULL DEFAULT '{}',
                "channels" "public"."channel" array NOT NULL DEFAULT '{}',
                "min_age" smallint,
                "max_age" smallint,
                "required_tags" text array NOT NULL DEFAULT '{}',
                "district_codes" character varying(6) array NOT NULL DEFAULT '{}',
                "status" "public"."service_status" NOT NULL,
                "published_at" TIMESTAMP WITH TIME ZONE,
                "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL,
                "valid_to" TIMESTAMP WITH TIME ZONE NOT NULL,
                "superseded_by_proposal_id" uuid,
                CONSTRAINT "PK_ee61b321f3fd1d13194e4ec1afd" PRIMARY KEY ("service_id", "version")
            )
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."proposal_status" AS ENUM(
                'DRAFT',
                'SUBMITTED',
                'CHANGES_REQUESTED',
                'APPROVED',
                'REJECTED',
                'WITHDRAWN'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "proposal" (
                "id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "title_en" character varying(300),
                "summary" text NOT NULL,
                "description" text,
                "category_id" uuid NOT NULL,
                "tags" text array NOT NULL DEFAULT '{}',
                "department_id" uuid NOT NULL,
                "co_department_ids" uuid array NOT NULL DEFAULT '{}',
                "channels" "public"."channel" array NOT NULL DEFAULT '{}',
                "min_age" smallint,
                "max_age" smallint,
                "required_tags" text array NOT NULL DEFAULT '{}',
                "district_codes" character varying(6) array NOT NULL DEFAULT '{}',
                "rationale" text,
                "replaces_service_id" uuid,
                "status" "public"."proposal_status" NOT NULL DEFAULT 'DRAFT',
                "service_id" uuid,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_ca872ecfe4fef5720d2d39e4275" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_b27946c9d201908e43bcbfdc9e" ON "proposal" ("replaces_service_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "proposal_status_created_idx" ON "proposal" ("status", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "proposal_department_created_idx" ON "proposal" ("department_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."review_decision" AS ENUM('APPROVE', 'REJECT', 'REQUEST_CHANGES')
        `);
    await queryRunner.query(`
            CREATE TABLE "proposal_review" (
                "id" uuid NOT NULL,
                "proposal_id" uuid NOT NULL,
                "reviewer_id" uuid NOT NULL,
                "reviewer_department_id" uuid,
                "decision" "public"."review_decision" NOT NULL,
                "comment" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_8e4ddcf8a64d027ec42fe3f3fe0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "proposal_review_proposal_idx" ON "proposal_review" ("proposal_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_event" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "actor_id" uuid,
                "actor_role" character varying(16),
                "action" character varying(64) NOT NULL,
                "target_type" character varying(32) NOT NULL,
                "target_id" character varying(64),
                "details" jsonb,
                CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_target_idx" ON "audit_event" ("target_type", "target_id", "at")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_action_idx" ON "audit_event" ("action", "at")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_actor_idx" ON "audit_event" ("actor_id", "at")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_at_idx" ON "audit_event" ("at")
        `);
    await queryRunner.query(`
            ALTER TABLE "service_version"
            ADD CONSTRAINT "FK_1bbdf5ca1bd9ee3b2535ae847d2" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "proposal"
            ADD CONSTRAINT "FK_5d296d97177cc1e4cb6627e7191" FOREIGN KEY ("category_id") REFERENCES "category"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "proposal"
            ADD CONSTRAINT "FK_078cf4fc961f0633064a40e1389" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "proposal"
            ADD CONSTRAINT "FK_b27946c9d201908e43bcbfdc9ee" FOREIGN KEY ("replaces_service_id") REFERENCES "service"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "proposal"
            ADD CONSTRAINT "FK_f82e299d40bfc433d4730ecbf74" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "proposal_review"
            ADD CONSTRAINT "FK_9cde086fbe855fef88556a556f7" FOREIGN KEY ("proposal_id") REFERENCES "proposal"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);

    await queryRunner.query(`
            CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_event is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
            FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER audit_event_append_only ON audit_event');
    await queryRunner.query('DROP FUNCTION audit_event_append_only()');
    await queryRunner.query(`
            ALTER TABLE "proposal_review" DROP CONSTRAINT "FK_9cde086fbe855fef88556a556f7"
        `);
    await queryRunner.query(`
            ALTER TABLE "proposal" DROP CONSTRAINT "FK_f82e299d40bfc433d4730ecbf74"
        `);
    await queryRunner.query(`
            ALTER TABLE "proposal" DROP CONSTRAINT "FK_b27946c9d201908e43bcbfdc9ee"
        `);
    await queryRunner.query(`
            ALTER TABLE "proposal" DROP CONSTRAINT "FK_078cf4fc961f0633064a40e1389"
        `);
    await queryRunner.query(`
            ALTER TABLE "proposal" DROP CONSTRAINT "FK_5d296d97177cc1e4cb6627e7191"
        `);
    await queryRunner.query(`
            ALTER TABLE "service_version" DROP CONSTRAINT "FK_1bbdf5ca1bd9ee3b2535ae847d2"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_at_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_actor_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_action_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_target_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_event"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."proposal_review_proposal_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "proposal_review"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."review_decision"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."proposal_department_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."proposal_status_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_b27946c9d201908e43bcbfdc9e"
        `);
    await queryRunner.query(`
            DROP TABLE "proposal"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."proposal_status"
        `);
    await queryRunner.query(`
            DROP TABLE "service_version"
        `);
  }
}
