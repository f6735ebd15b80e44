import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `demand_day_change` shard -1 counts rebuilds of a day's rollups (`rollups:rebuild`), apart
 * from the batches that add to them (shards 0–15). Batches only ever add memberships, so a
 * trend may add a changed day's new members to the citizens it already counted; a rebuild may
 * also remove some, so after one every period is read again in full.
 */
export class DemandRebuildMarker1795960000000 implements MigrationInterface {
  name = 'DemandRebuildMarker1795960000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE demand_day_change DROP CONSTRAINT demand_day_change_shard_check');
    await q.query(
      'ALTER TABLE demand_day_change ADD CONSTRAINT demand_day_change_shard_check CHECK (shard BETWEEN -1 AND 15)',
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM demand_day_change WHERE shard = -1');
    await q.query('ALTER TABLE demand_day_change DROP CONSTRAINT demand_day_change_shard_check');
    await q.query(
      'ALTER TABLE demand_day_change ADD CONSTRAINT demand_day_change_shard_check CHECK (shard BETWEEN 0 AND 15)',
    );
  }
}
