import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ROLLUP_LOCK_KEY } from '../../modules/signals/signal-log';
import { REFILL_SERVICE_ACTIVITY } from '../../modules/signals/signals.queries';

/**
 * One account counts once a day (docs/analytics.md, "One account, one count a day"):
 * `service_activity_citizen` holds one row per (service, city day, kind, citizen), and
 * `service_activity_daily.citizens` the distinct citizens of each row, which the catalogue's
 * popularity order, the service stats (uses30d, views30d), the rankings' recent demand and the
 * reports read instead of `count` (every signal, kept). No citizen reference, as
 * `demand_daily_citizen`. The signals the worker has applied are counted in now, under its lock
 * (those past the watermark it adds afterwards, once).
 */
export class ServiceActivityCitizens1796050000000 implements MigrationInterface {
  name = 'ServiceActivityCitizens1796050000000';

  public async up(q: QueryRunner): Promise<void> {
    // The rollup worker's lock (migrations run each in a transaction): no run applies signals meanwhile.
    await q.query('SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK_KEY]);
    await q.query(`
      CREATE TABLE service_activity_citizen (
        service_id uuid NOT NULL,
        day date NOT NULL,
        kind signal_kind NOT NULL,
        citizen_id uuid NOT NULL,
        PRIMARY KEY (service_id, day, kind, citizen_id)
      )`);
    await q.query('ALTER TABLE service_activity_daily ADD COLUMN citizens integer NOT NULL DEFAULT 0');
    await q.query('DELETE FROM service_activity_daily');
    for (const statement of REFILL_SERVICE_ACTIVITY) await q.query(statement);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE service_activity_daily DROP COLUMN citizens');
    await q.query('DROP TABLE service_activity_citizen');
  }
}
