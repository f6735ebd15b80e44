import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795927575756 implements MigrationInterface {
  name = 'Initial1795927575756';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."category_kind" AS ENUM('GOVERNMENT', 'LIFE', 'COMMUNITY')
        `);
    await queryRunner.query(`
            CREATE TABLE "category" (
                "id" uuid NOT NULL,
                "code" character varying(64) NOT NULL,
                "name" character varying(100) NOT NULL,
                "name_en" character varying(200),
                "kind" "public"."category_kind" NOT NULL,
                "parent_id" uuid,
                "sort_order" smallint NOT NULL DEFAULT '0',
                CONSTRAINT "PK_9c4e4a89e3674fc9f382d733f03" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_652a15c02538138f021f1320de" ON "category" ("code")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_1117b4fcb3cd4abb4383e1c274" ON "category" ("parent_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "department" (
                "id" uuid NOT NULL,
                "code" character varying(32) NOT NULL,
                "name" character varying(100) NOT NULL,
                "name_en" character varying(200),
                "parent_id" uuid,
                "sort_order" smallint NOT NULL DEFAULT '0',
                CONSTRAINT "PK_9a2213262c1593bffb581e382f5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_62690f4fe31da9eb824d909285" ON "department" ("code")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_110d56d702b0880fe9b005878e" ON "department" ("parent_id")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."channel" AS ENUM(
                'ONLINE',
                'APP',
                'SERVICE_WINDOW',
                'PHONE',
                'HOME_VISIT'
            )
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."service_status" AS ENUM('PUBLISHED', 'RETIRED')
        `);
    await queryRunner.query(`
            CREATE TABLE "service" (
                "id" uuid NOT NULL,
                "code" character varying(32) NOT NULL,
                "title" character varying(200) NOT NULL,
                "title_en" character varying(300),
                "summary" text NOT NULL,
                "description" text,
                "category_id" uuid NOT NULL,
                "tags" text array NOT NULL DEFAULT '{}',
                "department_id" uuid NOT NULL,
                "channels" "public"."channel" array NOT NULL DEFAULT '{}',
                "min_age" smallint,
                "max_age" smallint,
                "required_tags" text array NOT NULL DEFAULT '{}',
                "district_codes" character varying(6) array NOT NULL DEFAULT '{}',
                "status" "public"."service_status" NOT NULL DEFAULT 'PUBLISHED',
                "version" integer NOT NULL DEFAULT '1',
                "published_at" TIMESTAMP WITH TIME ZONE,
                "retired_at" TIMESTAMP WITH TIME ZONE,
                "search_vector" tsvector,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_85a21558c006647cd76fdce044b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_4cb3cf237c83885cc504634829" ON "service" ("code")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_9d513b39d251063f98f2a7b941" ON "service" ("category_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_0cee18bf8d2bdaa2f4efdf287b" ON "service" ("department_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_d19fe5f19e3783cc49144b2051" ON "service" ("status")
        `);
    await queryRunner.query(`
            CREATE TABLE "service_co_department" (
                "service_id" uuid NOT NULL,
                "department_id" uuid NOT NULL,
                CONSTRAINT "PK_920cf047e4545d23707dfcc0d75" PRIMARY KEY ("service_id", "department_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_2bc5883529e00e378f1a838fad" ON "service_co_department" ("department_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "service_stats" (
                "service_id" uuid NOT NULL,
                "upvotes" integer NOT NULL DEFAULT '0',
                "downvotes" integer NOT NULL DEFAULT '0',
                "rating_count" integer NOT NULL DEFAULT '0',
                "rating_sum" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_c747b416eba64bc5a15db5de54d" PRIMARY KEY ("service_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "district" (
                "code" character varying(6) NOT NULL,
                "name" character varying(50) NOT NULL,
                "name_en" character varying(100),
                "sort_order" smallint NOT NULL DEFAULT '0',
                CONSTRAINT "PK_fbfe5cb0d22c2be8c9a9fff5b6b" PRIMARY KEY ("code")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "citizen" (
                "id" uuid NOT NULL,
                "district_code" character varying(6) NOT NULL,
                "birth_year" smallint,
                "tags" text array NOT NULL DEFAULT '{}',
                "personalization" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_0e19d9fdbdd0d185ce72fe62a04" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_69f35a724d6d8b9cc8b6607240" ON "citizen" ("district_code")
        `);
    await queryRunner.query(`
            CREATE TABLE "citizen_interest" (
                "citizen_id" uuid NOT NULL,
                "category_id" uuid NOT NULL,
                CONSTRAINT "PK_31725f9c48368bbb86ce838bf66" PRIMARY KEY ("citizen_id", "category_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_9227e51822cc9e82ade35084f2" ON "citizen_interest" ("category_id")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."signal_kind" AS ENUM(
                'REQUEST',
                'SEARCH',
                'VIEW',
                'USE',
                'RATING',
                'COMPLAINT'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "service_activity_daily" (
                "service_id" uuid NOT NULL,
                "day" date NOT NULL,
                "kind" "public"."signal_kind" NOT NULL,
                "count" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_1b41966cb6d34d93c3dfcb9c7c6" PRIMARY KEY ("service_id", "day", "kind")
            )
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."age_band" AS ENUM('CHILD', 'YOUTH', 'ADULT', 'SENIOR')
        `);
    await queryRunner.query(`
            CREATE TABLE "signal" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "citizen_id" uuid NOT NULL,
                "kind" "public"."signal_kind" NOT NULL,
                "service_id" uuid,
                "category_id" uuid,
                "district_code" character varying(6) NOT NULL,
                "age_band" "public"."age_band",
                "text" text,
                "rating" smallint,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "client_event_id" character varying(128),
                CONSTRAINT "PK_bc7222a78e5bc0403a1988c1daf" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "signal_occurred_idx" ON "signal" ("occurred_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "signal_citizen_occurred_idx" ON "signal" ("citizen_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "signal_service_occurred_idx" ON "signal" ("service_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "signal_citizen_client_event_uq" ON "signal" ("citizen_id", "client_event_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "rating" (
                "citizen_id" uuid NOT NULL,
                "service_id" uuid NOT NULL,
                "stars" smallint NOT NULL,
                "comment" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "rating_stars_range" CHECK (
                    stars BETWEEN 1 AND 5
                ),
                CONSTRAINT "PK_11906186fd7efb40d649da56ef0" PRIMARY KEY ("citizen_id", "service_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_d4c503a46abe71aa8a3e062a33" ON "rating" ("service_id")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."vote_value" AS ENUM('UP', 'DOWN')
        `);
    await queryRunner.query(`
            CREATE TABLE "vote" (
                "citizen_id" uuid NOT NULL,
                "service_id" uuid NOT NULL,
                "value" "public"."vote_value" NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_042528712f21febb34273420fcd" PRIMARY KEY ("citizen_id", "service_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_58aa931130dc8cf44ce376a809" ON "vote" ("service_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "category"
            ADD CONSTRAINT "FK_1117b4fcb3cd4abb4383e1c2743" FOREIGN KEY ("parent_id") REFERENCES "category"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "department"
            ADD CONSTRAINT "FK_110d56d702b0880fe9b005878e9" FOREIGN KEY ("parent_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "service"
            ADD CONSTRAINT "FK_9d513b39d251063f98f2a7b941d" FOREIGN KEY ("category_id") REFERENCES "category"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "service"
            ADD CONSTRAINT "FK_0cee18bf8d2bdaa2f4efdf287b4" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "service_co_department"
            ADD CONSTRAINT "FK_208ae92b1ddd79f197b0a54f5b1" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "service_co_department"
            ADD CONSTRAINT "FK_2bc5883529e00e378f1a838fad5" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "service_stats"
            ADD CONSTRAINT "FK_c747b416eba64bc5a15db5de54d" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "citizen"
            ADD CONSTRAINT "FK_69f35a724d6d8b9cc8b66072403" FOREIGN KEY ("district_code") REFERENCES "district"("code") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "citizen_interest"
            ADD CONSTRAINT "FK_6a537ace687e3a566e2441746d2" FOREIGN KEY ("citizen_id") REFERENCES "citizen"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "citizen_interest"
            ADD CONSTRAINT "FK_9227e51822cc9e82ade35084f20" FOREIGN KEY ("category_id") REFERENCES "category"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "service_activity_daily"
            ADD CONSTRAINT "FK_18c1836fa58d263233b5b5895e2" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "signal"
            ADD CONSTRAINT "FK_9929fe42022423bc3c1e2c2ebf2" FOREIGN KEY ("citizen_id") REFERENCES "citizen"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "signal"
            ADD CONSTRAINT "FK_921188efca71f95d93ca04e16ad" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "signal"
            ADD CONSTRAINT "FK_b9784846068ffda0b8d9899a7a0" FOREIGN KEY ("category_id") REFERENCES "category"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "signal"
            ADD CONSTRAINT "FK_3e6f77a6e912467e37f95bec9b0" FOREIGN KEY ("district_code") REFERENCES "district"("code") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "rating"
            ADD CONSTRAINT "FK_875022ee22feb2282586b21ebdb" FOREIGN KEY ("citizen_id") REFERENCES "citizen"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "rating"
            ADD CONSTRAINT "FK_d4c503a46abe71aa8a3e062a339" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "vote"
            ADD CONSTRAINT "FK_e39117e190bf35f494e0c0356a4" FOREIGN KEY ("citizen_id") REFERENCES "citizen"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "vote"
            ADD CONSTRAINT "FK_58aa931130dc8cf44ce376a8099" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "vote" DROP CONSTRAINT "FK_58aa931130dc8cf44ce376a8099"
        `);
    await queryRunner.query(`
            ALTER TABLE "vote" DROP CONSTRAINT "FK_e39117e190bf35f494e0c0356a4"
        `);
    await queryRunner.query(`
            ALTER TABLE "rating" DROP CONSTRAINT "FK_d4c503a46abe71aa8a3e062a339"
        `);
    await queryRunner.query(`
            ALTER TABLE "rating" DROP CONSTRAINT "FK_875022ee22feb2282586b21ebdb"
        `);
    await queryRunner.query(`
            ALTER TABLE "signal" DROP CONSTRAINT "FK_3e6f77a6e912467e37f95bec9b0"
        `);
    await queryRunner.query(`
            ALTER TABLE "signal" DROP CONSTRAINT "FK_b9784846068ffda0b8d9899a7a0"
        `);
    await queryRunner.query(`
            ALTER TABLE "signal" DROP CONSTRAINT "FK_921188efca71f95d93ca04e16ad"
        `);
    await queryRunner.query(`
            ALTER TABLE "signal" DROP CONSTRAINT "FK_9929fe42022423bc3c1e2c2ebf2"
        `);
    await queryRunner.query(`
            ALTER TABLE "service_activity_daily" DROP CONSTRAINT "FK_18c1836fa58d263233b5b5895e2"
        `);
    await queryRunner.query(`
            ALTER TABLE "citizen_interest" DROP CONSTRAINT "FK_9227e51822cc9e82ade35084f20"
        `);
    await queryRunner.query(`
            ALTER TABLE "citizen_interest" DROP CONSTRAINT "FK_6a537ace687e3a566e2441746d2"
        `);
    await queryRunner.query(`
            ALTER TABLE "citizen" DROP CONSTRAINT "FK_69f35a724d6d8b9cc8b66072403"
        `);
    await queryRunner.query(`
            ALTER TABLE "service_stats" DROP CONSTRAINT "FK_c747b416eba64bc5a15db5de54d"
        `);
    await queryRunner.query(`
            ALTER TABLE "service_co_department" DROP CONSTRAINT "FK_2bc5883529e00e378f1a838fad5"
        `);
    await queryRunner.query(`
            ALTER TABLE "service_co_department" DROP CONSTRAINT "FK_208ae92b1ddd79f197b0a54f5b1"
        `);
    await queryRunner.query(`
            ALTER TABLE "service" DROP CONSTRAINT "FK_0cee18bf8d2bdaa2f4efdf287b4"
        `);
    await queryRunner.query(`
            ALTER TABLE "service" DROP CONSTRAINT "FK_9d513b39d251063f98f2a7b941d"
        `);
    await queryRunner.query(`
            ALTER TABLE "department" DROP CONSTRAINT "FK_110d56d702b0880fe9b005878e9"
        `);
    await queryRunner.query(`
            ALTER TABLE "category" DROP CONSTRAINT "FK_1117b4fcb3cd4abb4383e1c2743"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_58aa931130dc8cf44ce376a809"
        `);
    await queryRunner.query(`
            DROP TABLE "vote"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."vote_value"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_d4c503a46abe71aa8a3e062a33"
        `);
    await queryRunner.query(`
            DROP TABLE "rating"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."signal_citizen_client_event_uq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."signal_service_occurred_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."signal_citizen_occurred_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."signal_occurred_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "signal"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."age_band"
        `);
    await queryRunner.query(`
            DROP TABLE "service_activity_daily"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."signal_kind"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_9227e51822cc9e82ade35084f2"
        `);
    await queryRunner.query(`
            DROP TABLE "citizen_interest"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_69f35a724d6d8b9cc8b6607240"
        `);
    await queryRunner.query(`
            DROP TABLE "citizen"
        `);
    await queryRunner.query(`
            DROP TABLE "district"
        `);
    await queryRunner.query(`
            DROP TABLE "service_stats"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_2bc5883529e00e378f1a838fad"
        `);
    await queryRunner.query(`
            DROP TABLE "service_co_department"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_d19fe5f19e3783cc49144b2051"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_0cee18bf8d2bdaa2f4efdf287b"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_9d513b39d251063f98f2a7b941"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_4cb3cf237c83885cc504634829"
        `);
    await queryRunner.query(`
            DROP TABLE "service"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."service_status"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."channel"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_110d56d702b0880fe9b005878e"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_62690f4fe31da9eb824d909285"
        `);
    await queryRunner.query(`
            DROP TABLE "department"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_1117b4fcb3cd4abb4383e1c274"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_652a15c02538138f021f1320de"
        `);
    await queryRunner.query(`
            DROP TABLE "category"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."category_kind"
        `);
  }
}
