import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ADD_SEGMENT_CITIZENS } from '../../modules/matching/aggregates.queries';
import { ROLLUP_LOCK_KEY } from '../../modules/signals/signal-log';

/**
 * A segment reason needs a few citizens (docs/matching.md, "Segment reasons need three
 * citizens"): `segment_service_citizen` holds one row per (district, age band, service,
 * citizen) of a use, and `segment_service_score.citizens` how many citizens of the segment used
 * the service. No citizen reference, as `demand_daily_citizen`. The applied signals are counted
 * in now, under the worker's lock; the scores are left as they are.
 */
export class SegmentServiceCitizens1796050000001 implements MigrationInterface {
  name = 'SegmentServiceCitizens1796050000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query('SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK_KEY]);
    await q.query(`
      CREATE TABLE segment_service_citizen (
        district_code varchar(6) NOT NULL,
        age_band age_band NOT NULL,
        service_id uuid NOT NULL,
        citizen_id uuid NOT NULL,
        PRIMARY KEY (district_code, age_band, service_id, citizen_id)
      )`);
    await q.query('ALTER TABLE segment_service_score ADD COLUMN citizens integer NOT NULL DEFAULT 0');
    await q.query(ADD_SEGMENT_CITIZENS);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE segment_service_score DROP COLUMN citizens');
    await q.query('DROP TABLE segment_service_citizen');
  }
}
