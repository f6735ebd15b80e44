import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Guides edited through proposals and versioned with their service: a proposal may carry the
 * guide its approval gives the service, and each superseded version keeps the guide it had.
 */
export class GuideVersions1796005000000 implements MigrationInterface {
  name = 'GuideVersions1796005000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE proposal ADD COLUMN guide jsonb CHECK (guide IS NULL OR jsonb_typeof(guide) = 'object')`,
    );
    await q.query(
      `ALTER TABLE service_version ADD COLUMN guide jsonb CHECK (guide IS NULL OR jsonb_typeof(guide) = 'object')`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE service_version DROP COLUMN guide');
    await q.query('ALTER TABLE proposal DROP COLUMN guide');
  }
}
