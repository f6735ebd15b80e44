import type { DataSource, EntityManager } from 'typeorm';
import type { ScheduledJob } from '../../core/jobs';
import { lockDerivedTables } from './signal-log';
import {
  attachedMonths,
  createMonthPartitions,
  detachMonth,
  monthOf,
  monthRows,
  nextMonth,
  unappliedRows,
  type Month,
} from './signal-partitions.queries';

/**
 * The signal log's monthly partitions (docs/scaling.md, "The signal log by month"): created
 * ahead by a scheduled job, detached by an administrator once a month's rows are in the rollups.
 */

/** Partitions exist from the current city month to this many months ahead. */
export const MONTHS_AHEAD = 3;
const PARTITIONS_LOCK_KEY = 0x6d73_7370; // "mssp"

/** Creates the missing partitions from the month of `at` to MONTHS_AHEAD months after it. */
export async function ensureSignalPartitions(
  db: EntityManager,
  at = new Date(),
): Promise<{ created: Month[]; skipped: Month[] }> {
  const from = monthOf(at);
  let to = from;
  for (let i = 0; i < MONTHS_AHEAD; i += 1) to = nextMonth(to);
  return createMonthPartitions(db, from, to);
}

/** The scheduled job that keeps partitions ahead; when it cannot run, rows go to signal_default. */
export const signalPartitionsJob: ScheduledJob<{ created: Month[]; skipped: Month[] }> = {
  name: 'signal-partitions',
  lockKey: PARTITIONS_LOCK_KEY,
  run: ({ at, manager }) => ensureSignalPartitions(manager, at),
  done: {
    message: 'signal partitions created',
    fields: (r) => (r.created.length + r.skipped.length > 0 ? { created: r.created, leftInDefault: r.skipped } : null),
  },
  failure: { message: 'signal partitions not created: new months go to signal_default', level: 'warn' },
};

export class DetachRefused extends Error {}

/**
 * Detaches (and with `drop`, drops) every month partition before `before`, oldest first, each
 * in a transaction of its own that holds the rollup worker's lock: refused for the current
 * month or later, for a month with rows the rollup worker has not applied, and (by the foreign
 * keys) for a month that an Open311 request or a request case references. The derived tables
 * keep what they counted of a detached month.
 */
export async function detachMonthsBefore(
  dataSource: DataSource,
  before: Month,
  { drop = false, now = new Date() }: { drop?: boolean; now?: Date } = {},
): Promise<{ month: Month; rows: number }[]> {
  if (before > monthOf(now))
    throw new DetachRefused(`${before} is after the current month: its rows are still written`);
  const detached: { month: Month; rows: number }[] = [];
  for (const month of await attachedMonths(dataSource.manager)) {
    if (month >= before) break;
    const rows = await dataSource.transaction(async (tx) => {
      await lockDerivedTables(tx);
      const unapplied = await unappliedRows(tx, month);
      if (unapplied > 0) throw new DetachRefused(`${month}: ${unapplied} signals are not in the rollups yet`);
      const n = await monthRows(tx, month);
      try {
        await detachMonth(tx, month, { drop });
      } catch (error) {
        throw new DetachRefused(`${month}: ${(error as Error).message}`);
      }
      return n;
    });
    detached.push({ month, rows });
  }
  return detached;
}
