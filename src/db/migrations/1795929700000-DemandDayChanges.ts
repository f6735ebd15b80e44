import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter per city day (split over 16 shards, so that concurrent signal batches of the
 * same day rarely wait for one another's row) that every change to that day's demand
 * rollups raises in the same transaction: a period whose days' counters are unchanged has
 * unchanged trends, so computed trend cells can be reused (docs/analytics.md). No entity:
 * SQL only.
 */
export class DemandDayChanges1795929700000 implements MigrationInterface {
  name = 'DemandDayChanges1795929700000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE demand_day_change (
        day date NOT NULL,
        shard smallint NOT NULL CHECK (shard BETWEEN 0 AND 15),
        changes bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (day, shard)
      )`);
    await q.query('INSERT INTO demand_day_change (day, shard, changes) SELECT DISTINCT day, 0, 1 FROM demand_daily');
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE demand_day_change');
  }
}
