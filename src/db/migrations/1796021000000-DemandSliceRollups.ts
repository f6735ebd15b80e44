import type { MigrationInterface, QueryRunner } from 'typeorm';
import { REFILL_SLICE_ROLLUPS } from '../../modules/analytics/rollups.queries';
import { ROLLUP_LOCK_KEY } from '../../modules/signals/signal-log';

/**
 * Demand per slice and area, kept by the rollup worker with the other demand rollups, so that
 * the trend of one category (a top-level one with its children, or one category), one age
 * band or one kind, or split by one of them, by district or city-wide, is read from a few rows
 * per period whatever the number of signals (docs/analytics.md, "Slices"):
 *
 * - `demand_slice_daily`: signals and exact distinct citizens per slice, city day and area;
 * - `demand_slice_span`: per week (W) or month (M), slice and area, how many of its citizens
 *   were first (`firsts`) and last (`lasts`) seen on each day, as `demand_area_span`.
 *
 * A slice is `c:` and a category id, `p:` and a top-level category's id (it and its
 * children), `a:` and an age band, `k:` and a kind; an area a district's code or '' for the
 * city. The citizens' days come from `demand_daily_citizen`: no membership table of their own.
 *
 * The rows of the signals the worker has applied are counted in now, in one statement from the
 * daily rollups and their memberships, under the worker's lock (signals past the watermark are
 * added by the worker afterwards, once).
 */
export class DemandSliceRollups1796021000000 implements MigrationInterface {
  name = 'DemandSliceRollups1796021000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE demand_slice_daily (
        slice varchar(40) COLLATE "C" NOT NULL,
        day date NOT NULL,
        area varchar(6) NOT NULL,
        signals integer NOT NULL,
        citizens integer NOT NULL,
        PRIMARY KEY (slice, day, area)
      )`);
    await q.query(`
      CREATE TABLE demand_slice_span (
        granularity char(1) NOT NULL CHECK (granularity IN ('W', 'M')),
        slice varchar(40) COLLATE "C" NOT NULL,
        period_start date NOT NULL,
        area varchar(6) NOT NULL,
        day date NOT NULL,
        firsts integer NOT NULL,
        lasts integer NOT NULL,
        PRIMARY KEY (granularity, slice, period_start, area, day)
      )`);
    // The rollup worker's lock (migrations run each in a transaction): no run applies signals meanwhile.
    await q.query('SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK_KEY]);
    // One statement over every membership: room to sort and hash in memory (this transaction only).
    await q.query(`SET LOCAL work_mem = '256MB'`);
    await q.query(REFILL_SLICE_ROLLUPS);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE demand_slice_span');
    await q.query('DROP TABLE demand_slice_daily');
  }
}
