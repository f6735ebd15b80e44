import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadline notices: a department is told once per case, kind and department that a deadline
 * is near or has passed (src/modules/requests/deadline-notices.ts), also when two processes
 * run the job at once.
 */
export class DeadlineNotices1796006000000 implements MigrationInterface {
  name = 'DeadlineNotices1796006000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE UNIQUE INDEX "notification_deadline_once" ON "notification" ("request_id", "kind", "department_id")
             WHERE kind IN ('request.acknowledge_near', 'request.acknowledge_overdue', 'request.resolve_near', 'request.resolve_overdue')
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."notification_deadline_once"`);
  }
}
