import type { DataSource } from 'typeorm';
import { queryRows } from '../../db/sql';
import type { Context } from '../../graphql/context';
import { NotFoundError } from '../../graphql/errors';
import type { Category } from '../categories/category.entity';
import { AgeBand } from '../citizens/age-band';
import type { District } from '../districts/district.entity';
import type { SignalKind } from '../signals/signal-kind';
import { DemandDimension, type DemandFilter, type DemandTrend, Granularity } from './analytics.types';
import { addDays, cityMidnight, demandWindow, nextPeriodStart, periodStartOf, periodsOf, relativeChange } from './periods';
import { UNCATEGORISED, UNKNOWN_AGE_BAND } from './rollups';
import { requireDistrict } from '../districts/district.service';

/** Dimensions in the order their keys are written. */
const DIMENSIONS: readonly DemandDimension[] = [DemandDimension.CATEGORY, DemandDimension.DISTRICT, DemandDimension.AGE_BAND, DemandDimension.KIND];
const COLUMN: Record<DemandDimension, string> = {
  [DemandDimension.CATEGORY]: 'category_id',
  [DemandDimension.DISTRICT]: 'district_code',
  [DemandDimension.AGE_BAND]: 'age_band',
  [DemandDimension.KIND]: 'kind',
};
/** The first day of a rollup day's period, as a date (grouped on dates, written as text at the end). */
const PERIOD: Record<Granularity, string> = {
  [Granularity.DAY]: 'day',
  [Granularity.WEEK]: `date_trunc('week', day::timestamp)::date`,
  [Granularity.MONTH]: `date_trunc('month', day::timestamp)::date`,
};

export interface Selection {
  categoryIds: string[] | null;
  districtCode: string | null;
  kinds: SignalKind[] | null;
  ageBand: AgeBand | null;
}

/** The filter's category (with its children), district and kinds; NOT_FOUND for unknown codes. */
async function resolveSelection(ctx: Context, filter: DemandFilter): Promise<Selection> {
  let categoryIds: string[] | null = null;
  if (filter.categoryCode) {
    const rows = await queryRows<{ id: string }>(
      ctx.db,
      `SELECT id FROM category WHERE code = $1 UNION ALL
       SELECT c.id FROM category c JOIN category p ON p.id = c.parent_id WHERE p.code = $1`,
      [filter.categoryCode],
    );
    if (rows.length === 0) throw new NotFoundError('Category', filter.categoryCode, 'filter.categoryCode');
    categoryIds = rows.map((r) => r.id);
  }
  if (filter.districtCode) await requireDistrict(ctx, filter.districtCode, 'filter.districtCode');
  const kinds = filter.kinds?.length ? [...new Set(filter.kinds)] : null;
  return { categoryIds, districtCode: filter.districtCode ?? null, kinds, ageBand: filter.ageBand ?? null };
}

/**
 * True when every point of every trend is one rollup row (one day, and each dimension either
 * grouped by or fixed by the filter): then the rollup's own `citizens` is the exact answer.
 * Otherwise a point merges rows that may share citizens, and they are counted distinct from
 * the membership table.
 */
export function pointsAreSingleRows(granularity: Granularity, dims: readonly DemandDimension[], s: Selection): boolean {
  const fixed = (d: DemandDimension, byFilter: boolean) => dims.includes(d) || byFilter;
  return (
    granularity === Granularity.DAY &&
    fixed(DemandDimension.CATEGORY, s.categoryIds?.length === 1) &&
    fixed(DemandDimension.DISTRICT, s.districtCode !== null) &&
    fixed(DemandDimension.AGE_BAND, s.ageBand !== null) &&
    fixed(DemandDimension.KIND, s.kinds?.length === 1)
  );
}

interface Cell {
  period: string;
  keys: (string | null)[];
  signals: number;
  citizens: number;
  firstHalf: number;
  secondHalf: number;
}

/**
 * Trend cells already computed, per database, trend shape (window, granularity, grouping,
 * filter) and period, with the period's count of day changes when they were computed. Every
 * change to a day's rollups raises that day's count in the same transaction
 * (`demand_day_change`), so a period whose count is unchanged has unchanged cells: only
 * periods that changed since (in practice the current one) are read again.
 */
interface ComputedPeriod {
  changes: number;
  citizensCounted: boolean;
  cells: readonly Cell[];
}
const computedPeriods = new WeakMap<DataSource, Map<string, ComputedPeriod>>();
const COMPUTED_PERIOD_ENTRIES = 20_000;

function computedPeriodsOf(dataSource: DataSource): Map<string, ComputedPeriod> {
  let periods = computedPeriods.get(dataSource);
  if (!periods) computedPeriods.set(dataSource, (periods = new Map()));
  return periods;
}

/** Changes per period of the window: the sum of its days' change counts. */
async function periodChanges(ctx: Context, firstDay: string, lastDay: string, granularity: Granularity): Promise<Map<string, number>> {
  const rows = await queryRows<{ day: string; changes: string }>(
    ctx.db,
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(changes)::text AS changes FROM demand_day_change
      WHERE day BETWEEN $1::date AND $2::date GROUP BY day`,
    [firstDay, lastDay],
  );
  const changes = new Map<string, number>();
  for (const row of rows) {
    const period = periodStartOf(row.day, granularity);
    changes.set(period, (changes.get(period) ?? 0) + Number(row.changes));
  }
  return changes;
}

/**
 * Counts of demand signals per period, one trend per combination of the `groupBy`
 * dimensions present (a single trend without groupBy, zeros included). Reads only the
 * rollups: signal counts from `demand_daily`, distinct citizens from it when a point is one of
 * its rows, else from `demand_daily_citizen` — and only when `countCitizens` (the caller asked
 * for them: that scan grows with the citizens active in the window, the rest does not).
 */
export async function demandTrends(
  ctx: Context,
  args: { filter: DemandFilter; granularity: Granularity; groupBy: readonly DemandDimension[]; countCitizens?: boolean },
): Promise<DemandTrend[]> {
  const window = demandWindow(args.filter.from, args.filter.to);
  const selection = await resolveSelection(ctx, args.filter);
  const dims = DIMENSIONS.filter((d) => args.groupBy.includes(d));

  const params: unknown[] = [window.firstDay, window.lastDay];
  const where = ['day BETWEEN $1::date AND $2::date'];
  if (selection.categoryIds) where.push(`category_id = ANY($${params.push(selection.categoryIds)}::uuid[])`);
  if (selection.districtCode) where.push(`district_code = $${params.push(selection.districtCode)}`);
  if (selection.kinds) where.push(`kind = ANY($${params.push(selection.kinds)}::signal_kind[])`);
  if (selection.ageBand) where.push(`age_band = $${params.push(selection.ageBand)}::demand_age_band`);
  const keys = dims.map((d, i) => `, ${COLUMN[d]} AS k${i}`).join('');
  const keysAsText = dims.map((_, i) => `, k${i}::text AS k${i}`).join('');
  const groupBy = ['p', ...dims.map((_, i) => `k${i}`)].join(', ');
  const period = PERIOD[args.granularity];
  const singleRows = pointsAreSingleRows(args.granularity, dims, selection);

  const cellKey = (period: string, keys: (string | null)[]) => JSON.stringify([period, ...keys]);
  const shape = JSON.stringify([window.firstDay, window.lastDay, args.granularity, dims, selection]);
  const countCitizens = !singleRows && args.countCitizens !== false;

  // The changes first: a change committed after this read is seen by the next call.
  const changes = await periodChanges(ctx, window.firstDay, window.lastDay, args.granularity);
  const known = computedPeriodsOf(ctx.dataSource);
  const cells = new Map<string, Cell>();
  const stale: string[] = [];
  for (const start of periodsOf(window.firstDay, window.lastDay, args.granularity)) {
    const computed = known.get(shape + start);
    if (computed && computed.changes === (changes.get(start) ?? 0) && (computed.citizensCounted || !countCitizens)) {
      for (const cell of computed.cells) cells.set(cellKey(cell.period, cell.keys), cell);
    } else stale.push(start);
  }

  if (stale.length > 0) {
    // Only the stale periods' days, as ranges of days (which the index and the planner's
    // estimates follow), neighbouring periods merged.
    const ranges: [string, string][] = [];
    for (const start of stale) {
      const end = addDays(nextPeriodStart(start, args.granularity), -1);
      const last = ranges[ranges.length - 1];
      if (last && addDays(last[1], 1) === start) last[1] = end;
      else ranges.push([start, end]);
    }
    const rangeSql = ranges.map(([from, to]) => `day BETWEEN $${params.push(from)}::date AND $${params.push(to)}::date`);
    where.push(rangeSql.length === 1 ? rangeSql[0] : `(${rangeSql.join(' OR ')})`);
    const halfParams = [window.halves?.firstEnd ?? null, window.halves?.secondStart ?? null];
    const first = params.length + 1;
    const rows = await queryRows<Record<string, string | number | null>>(
      ctx.db,
      `SELECT to_char(p, 'YYYY-MM-DD') AS period${keysAsText}, sum(signals)::int AS signals,
              ${singleRows ? 'sum(citizens)::int' : '0'} AS citizens,
              coalesce(sum(signals) FILTER (WHERE day <= $${first}::date), 0)::int AS first_half,
              coalesce(sum(signals) FILTER (WHERE day >= $${first + 1}::date), 0)::int AS second_half
         FROM (SELECT ${period} AS p${keys}, day, signals, citizens FROM demand_daily WHERE ${where.join(' AND ')}) AS r
        GROUP BY ${groupBy}`,
      [...params, ...halfParams],
    );
    const fresh = new Map<string, Cell>();
    for (const row of rows) {
      const keys = dims.map((_, i) => row[`k${i}`] as string);
      fresh.set(cellKey(row.period as string, keys), {
        period: row.period as string,
        keys,
        signals: row.signals as number,
        citizens: row.citizens as number,
        firstHalf: row.first_half as number,
        secondHalf: row.second_half as number,
      });
    }
    if (countCitizens && fresh.size > 0) {
      // DISTINCT on the raw columns in a subquery, then count: hashed, where count(DISTINCT …) sorts.
      const distinct = await queryRows<Record<string, string | number>>(
        ctx.db,
        `SELECT to_char(p, 'YYYY-MM-DD') AS period${keysAsText}, count(*)::int AS citizens
           FROM (SELECT DISTINCT ${period} AS p${keys}, citizen_id
                   FROM demand_daily_citizen WHERE ${where.join(' AND ')}) AS m
          GROUP BY ${groupBy}`,
        params,
      );
      for (const row of distinct) {
        const cell = fresh.get(cellKey(row.period as string, dims.map((_, i) => row[`k${i}`] as string)));
        if (cell) cell.citizens = row.citizens as number;
      }
    }
    const byPeriod = new Map<string, Cell[]>(stale.map((start) => [start, []]));
    for (const [key, cell] of fresh) {
      cells.set(key, cell);
      byPeriod.get(cell.period)?.push(cell);
    }
    for (const [start, periodCells] of byPeriod) {
      if (known.size >= COMPUTED_PERIOD_ENTRIES) known.delete(known.keys().next().value!);
      known.set(shape + start, { changes: changes.get(start) ?? 0, citizensCounted: countCitizens || singleRows, cells: periodCells });
    }
  }

  // One trend per combination present.
  const trends = new Map<string, { keys: (string | null)[]; cells: Map<string, Cell> }>();
  for (const cell of cells.values()) {
    const key = JSON.stringify(cell.keys);
    let trend = trends.get(key);
    if (!trend) trends.set(key, (trend = { keys: cell.keys, cells: new Map() }));
    trend.cells.set(cell.period, cell);
  }
  if (dims.length === 0 && trends.size === 0) trends.set('[]', { keys: [], cells: new Map() });

  const keyOf = (keys: (string | null)[], d: DemandDimension) => (dims.includes(d) ? keys[dims.indexOf(d)] : null);
  const categoryIds = [...new Set([...trends.values()].map((t) => keyOf(t.keys, DemandDimension.CATEGORY)))].filter(
    (id): id is string => id !== null && id !== UNCATEGORISED,
  );
  const categories = new Map<string, Category>();
  for (const category of await ctx.loaders.category.loadMany(categoryIds)) {
    if (category) categories.set(category.id, category);
  }
  const districtCodes = [...new Set([...trends.values()].map((t) => keyOf(t.keys, DemandDimension.DISTRICT)))].filter((c): c is string => c !== null);
  const districts = new Map<string, District>();
  for (const district of await ctx.loaders.district.loadMany(districtCodes)) {
    if (district) districts.set(district.code, district);
  }

  const periods = periodsOf(window.firstDay, window.lastDay, args.granularity);
  const result = [...trends.values()].map((trend) => {
    const all = [...trend.cells.values()];
    const sum = (pick: (c: Cell) => number) => all.reduce((total, c) => total + pick(c), 0);
    const categoryId = keyOf(trend.keys, DemandDimension.CATEGORY);
    const districtCode = keyOf(trend.keys, DemandDimension.DISTRICT);
    const ageBand = keyOf(trend.keys, DemandDimension.AGE_BAND);
    return {
      category: categoryId ? (categories.get(categoryId) ?? null) : null,
      district: districtCode ? (districts.get(districtCode) ?? null) : null,
      ageBand: ageBand && ageBand !== UNKNOWN_AGE_BAND ? (ageBand as AgeBand) : null,
      kind: keyOf(trend.keys, DemandDimension.KIND) as SignalKind | null,
      total: sum((c) => c.signals),
      change: window.halves ? relativeChange(sum((c) => c.firstHalf), sum((c) => c.secondHalf)) : null,
      points: periods.map((start) => {
        const cell = trend.cells.get(start);
        return { periodStart: cityMidnight(start), signals: cell?.signals ?? 0, citizens: cell?.citizens ?? 0 };
      }),
      sortKey: JSON.stringify(trend.keys),
    };
  });
  result.sort((a, b) => b.total - a.total || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  return result.map(({ sortKey: _sortKey, ...trend }) => trend);
}
