import { addDays, cityDayOf, cityMidnight } from '../../src/modules/analytics/periods';
import { rebuildDemandRollups } from '../../src/modules/analytics/rollups';
import type { TestApp } from './test-app';

/** Anything that runs SQL and returns rows: a DataSource, an EntityManager, a transaction. */
interface Queryable {
  query(sql: string): Promise<unknown[]>;
}

/**
 * Every demand rollup table in a comparable form, to check what signal inserts kept against a
 * rebuild from the signals. Span rows that moves brought back to zero are left out (a rebuild
 * writes none), and so are the `previous_*` days an update leaves behind.
 */
export async function readDemandRollups(db: Queryable): Promise<Record<string, unknown[]>> {
  const tables: Record<string, string> = {
    daily: `SELECT day::text, category_id, district_code, age_band::text, kind::text, signals, citizens FROM demand_daily ORDER BY 1, 2, 3, 4, 5`,
    dailyMembers: `SELECT day::text, category_id, district_code, age_band::text, kind::text, citizen_id FROM demand_daily_citizen ORDER BY 1, 2, 3, 4, 5, 6`,
    areaDaily: `SELECT day::text, area, signals, citizens FROM demand_area_daily ORDER BY 1, 2`,
    areaMembers: `SELECT granularity, period_start::text, area, citizen_id, first_day::text, last_day::text, days FROM demand_area_citizen ORDER BY 1, 2, 3, 4`,
    areaSpans: `SELECT granularity, period_start::text, area, day::text, firsts, lasts FROM demand_area_span WHERE firsts <> 0 OR lasts <> 0 ORDER BY 1, 2, 3, 4`,
    sliceDaily: `SELECT slice, day::text, area, signals, citizens FROM demand_slice_daily ORDER BY 1, 2, 3`,
    sliceSpans: `SELECT granularity, slice, period_start::text, area, day::text, firsts, lasts FROM demand_slice_span WHERE firsts <> 0 OR lasts <> 0 ORDER BY 1, 2, 3, 4, 5`,
  };
  const read: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(tables)) read[name] = await db.query(sql);
  return read;
}

/**
 * Moves every REQUEST signal to yesterday noon (city time), applies and rebuilds the rollups,
 * and returns the seven days that end today at midnight: a report period (reports cover days
 * that have ended) holding the requests.
 */
export async function requestsIntoLastWeek(t: TestApp): Promise<{ periodStart: string; periodEnd: string }> {
  const today = cityDayOf(new Date());
  const yesterdayNoon = new Date(cityMidnight(addDays(today, -1)).getTime() + 12 * 3_600_000).toISOString();
  await t.db.query(`UPDATE signal SET occurred_at = $1 WHERE kind = 'REQUEST'`, [yesterdayNoon]);
  await t.applyRollups();
  await t.db.transaction((manager) => rebuildDemandRollups(manager));
  return {
    periodStart: cityMidnight(addDays(today, -7)).toISOString(),
    periodEnd: cityMidnight(today).toISOString(),
  };
}
