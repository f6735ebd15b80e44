import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import { Granularity } from '../analytics/analytics.types';
import { cityDayOf, nextPeriodStart } from '../analytics/periods';
import { IS_PENDING } from './signal-log';

/**
 * The SQL of the signal log's monthly partitions (docs/scaling.md, "The signal log by month"):
 * one partition per city month of `received_at`, named signal_YYYY_MM, bounded at city
 * midnights (Asia/Shanghai, UTC+8 all year), and `signal_default` for the rest.
 */

/** A city month, 'YYYY-MM'. */
export type Month = string;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): value is Month {
  return MONTH.test(value);
}

/** The month after `month`. */
export function nextMonth(month: Month): Month {
  return nextPeriodStart(`${month}-01`, Granularity.MONTH).slice(0, 7);
}

/** The city month of an instant. */
export function monthOf(at: Date): Month {
  return cityDayOf(at).slice(0, 7);
}

export const partitionName = (month: Month) => `signal_${month.replace('-', '_')}`;

/** The month partitions attached to the signal table, oldest first. */
export async function attachedMonths(db: EntityManager): Promise<Month[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'signal'::regclass AND c.relname ~ '^signal_[0-9]{4}_[0-9]{2}$' ORDER BY 1`,
  );
  return rows.map((r) => r.name.slice('signal_'.length).replace('_', '-'));
}

/** Whether the default partition holds rows of `month` (it cannot be created then). */
async function defaultHoldsMonth(db: EntityManager, month: Month): Promise<boolean> {
  const [{ holds }] = await queryRows<{ holds: boolean }>(
    db,
    `SELECT EXISTS (SELECT 1 FROM signal_default
                     WHERE received_at >= $1::timestamptz AND received_at < $2::timestamptz) AS holds`,
    [`${month}-01 00:00:00+08`, `${nextMonth(month)}-01 00:00:00+08`],
  );
  return holds;
}

/**
 * Creates the partitions of the months from `from` to `to` that are missing. A month whose rows
 * are already in the default partition is left there (its partition would not attach): listed
 * in `skipped`.
 */
export async function createMonthPartitions(
  db: EntityManager,
  from: Month,
  to: Month,
): Promise<{ created: Month[]; skipped: Month[] }> {
  const existing = new Set(await attachedMonths(db));
  const created: Month[] = [];
  const skipped: Month[] = [];
  for (let month = from; month <= to; month = nextMonth(month)) {
    if (existing.has(month)) continue;
    if (await defaultHoldsMonth(db, month)) {
      skipped.push(month);
      continue;
    }
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${partitionName(month)} PARTITION OF signal
         FOR VALUES FROM ('${month}-01 00:00:00+08') TO ('${nextMonth(month)}-01 00:00:00+08')`,
    );
    created.push(month);
  }
  return { created, skipped };
}

/** Rows of a month partition that the rollup worker has not applied yet. */
export async function unappliedRows(db: EntityManager, month: Month): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM ${partitionName(month)} s, signal_rollup_watermark w WHERE ${IS_PENDING}`,
  );
  return n;
}

/** How many rows a month partition holds. */
export async function monthRows(db: EntityManager, month: Month): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(db, `SELECT count(*)::int AS n FROM ${partitionName(month)}`);
  return n;
}

/** Detaches a month partition from the signal table; the table stays, on its own (or is dropped). */
export async function detachMonth(db: EntityManager, month: Month, { drop }: { drop: boolean }): Promise<void> {
  await db.query(`ALTER TABLE signal DETACH PARTITION ${partitionName(month)}`);
  if (drop) await db.query(`DROP TABLE ${partitionName(month)}`);
}
