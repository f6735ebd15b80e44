import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The need recognised in a REQUEST or SEARCH signal's text (a code of seeds/needs, not a
 * foreign key: the needs model is data, not a table), for clustering unmet demand by need and
 * routing it. SEARCH signals whose query matched nothing well enough are now flagged unmet
 * like requests; their own partial index serves unmet demand, beside the requests'.
 */
export class SignalNeed1795986000000 implements MigrationInterface {
  name = 'SignalNeed1795986000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE signal ADD COLUMN need_code varchar(64)');
    await q.query(`CREATE INDEX signal_unmet_search_idx ON signal (occurred_at) WHERE kind = 'SEARCH' AND unmet`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX signal_unmet_search_idx');
    await q.query('ALTER TABLE signal DROP COLUMN need_code');
  }
}
