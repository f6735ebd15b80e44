import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Derived tables kept by the rollup worker instead of the insert statement
 * (docs/analytics.md, "The rollup worker"):
 *
 * - `signal.writer_xid`: the 64-bit id of the transaction that inserted the row. Rows stored
 *   before this migration keep NULL: they are in the derived tables already.
 * - `signal_rollup_watermark`: one row; every signal whose writer_xid is below `applied_below`
 *   (or NULL) is in the derived tables, none above. The worker advances it only to the oldest
 *   transaction still running, so a row committed late under a lower id
 *   is never passed over.
 * - `demand_daily_citizen (citizen_id, day)`: reads that add the tail find whether a tail
 *   citizen is already counted in a period without scanning the period's memberships.
 */
export class SignalRollupWatermark1796004000000 implements MigrationInterface {
  name = 'SignalRollupWatermark1796004000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE signal ADD COLUMN writer_xid xid8');
    await q.query('ALTER TABLE signal ALTER COLUMN writer_xid SET DEFAULT pg_current_xact_id()');
    await q.query('CREATE INDEX signal_writer_xid_idx ON signal (writer_xid) WHERE writer_xid IS NOT NULL');
    await q.query(`
      CREATE TABLE signal_rollup_watermark (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        applied_below xid8 NOT NULL,
        applied_rows bigint NOT NULL DEFAULT 0,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    // This transaction wrote no signal: every row with a writer_xid comes after it.
    await q.query('INSERT INTO signal_rollup_watermark (applied_below) VALUES (pg_current_xact_id())');
    await q.query('CREATE INDEX demand_daily_citizen_citizen_idx ON demand_daily_citizen (citizen_id, day)');
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX demand_daily_citizen_citizen_idx');
    await q.query('DROP TABLE signal_rollup_watermark');
    await q.query('DROP INDEX signal_writer_xid_idx');
    await q.query('ALTER TABLE signal DROP COLUMN writer_xid');
  }
}
