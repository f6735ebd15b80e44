import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `signal_rollup_watermark.pending_xids`: the transactions below `applied_below` whose signals
 * are not in the derived tables yet, because they were still running when the rollup worker
 * passed them. The worker no longer waits for the oldest running transaction of the server
 * (which may belong to another database), only for the ones it lists here
 * (docs/analytics.md, "The rollup worker").
 */
export class RollupPendingXids1796007000000 implements MigrationInterface {
  name = 'RollupPendingXids1796007000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE signal_rollup_watermark ADD COLUMN pending_xids xid8[] NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE signal_rollup_watermark w
                      SET pending_xids = ARRAY(SELECT x FROM pg_snapshot_xip(pg_current_snapshot()) AS x
                                                WHERE x < w.applied_below ORDER BY x)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // A single bound cannot say which transactions below it are still pending: their signals
    // reach the derived tables again with `npm run rollups:rebuild`.
    await q.query('ALTER TABLE signal_rollup_watermark DROP COLUMN pending_xids');
  }
}
