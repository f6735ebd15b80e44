import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery of notifications: a transactional outbox (one row per notification, written in the
 * notification's transaction), webhook subscriptions and their delivery log, and "a new
 * service meets a need you asked about" at most once per request.
 */
export class NotificationDelivery1796002000000 implements MigrationInterface {
  name = 'NotificationDelivery1796002000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "notification" ADD "service_id" uuid
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "notification_need_met_once" ON "notification" ("request_id")
             WHERE kind = 'request.need_met'
        `);
    await queryRunner.query(`
            CREATE TABLE "notification_outbox" (
                "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                "event_id" uuid NOT NULL UNIQUE,
                "notification_id" bigint NOT NULL UNIQUE,
                "citizen_id" uuid,
                "department_id" uuid,
                "concerns_department_id" uuid,
                "kind" character varying(40) NOT NULL,
                "request_id" bigint,
                "message" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "dispatched_at" TIMESTAMP WITH TIME ZONE
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "notification_outbox_pending_idx" ON "notification_outbox" ("id") WHERE dispatched_at IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_subscription" (
                "id" uuid PRIMARY KEY,
                "url" text NOT NULL,
                "secret" text NOT NULL,
                "department_id" uuid REFERENCES "department" ("id"),
                "active" boolean NOT NULL DEFAULT true,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "webhook_url_http" CHECK (url ~ '^https?://')
            )
        `);
    await queryRunner.query(`
            CREATE TYPE "webhook_delivery_status" AS ENUM ('PENDING', 'DELIVERED', 'FAILED')
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_delivery" (
                "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                "subscription_id" uuid NOT NULL REFERENCES "webhook_subscription" ("id") ON DELETE CASCADE,
                "event_id" uuid NOT NULL,
                "kind" character varying(40) NOT NULL,
                "payload" jsonb NOT NULL,
                "status" "webhook_delivery_status" NOT NULL DEFAULT 'PENDING',
                "attempts" integer NOT NULL DEFAULT 0,
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_status_code" integer,
                "last_error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "delivered_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "webhook_delivery_once" UNIQUE ("subscription_id", "event_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "webhook_delivery_due_idx" ON "webhook_delivery" ("next_attempt_at") WHERE status = 'PENDING'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webhook_delivery"`);
    await queryRunner.query(`DROP TYPE "webhook_delivery_status"`);
    await queryRunner.query(`DROP TABLE "webhook_subscription"`);
    await queryRunner.query(`DROP TABLE "notification_outbox"`);
    await queryRunner.query(`DROP INDEX "public"."notification_need_met_once"`);
    await queryRunner.query(`ALTER TABLE "notification" DROP COLUMN "service_id"`);
  }
}
