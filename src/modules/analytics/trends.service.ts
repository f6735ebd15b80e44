import { queryRows } from '../../db/sql';
import type { Context } from '../../graphql/context';
import { NotFoundError } from '../../graphql/errors';
import type { Category } from '../categories/category.entity';
import { AgeBand } from '../citizens/age-band';
import type { District } from '../districts/district.entity';
import type { SignalKind } from '../signals/signal-kind';
import { DemandDimension, type DemandFilter, type DemandTrend, Granularity } from './analytics.types';
import { cityMidnight, demandWindow, periodsOf, relativeChange } from './periods';
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
  /** Membership rows under the cell (the sum of its rollup rows' `citizens`). */
  memberships: number;
  firstHalf: number;
  secondHalf: number;
}

/**
 * Distinct-citizen counts already computed, per database, trend shape and cell, with the
 * number of membership rows they were counted from. Memberships are only ever added, and
 * every one added under a cell adds one to its rollup rows' `citizens`, so a cell whose
 * membership count is unchanged has the same distinct citizens: only cells with new
 * memberships (in practice the current period) are counted again.
 */
const distinctCounts = new WeakMap<object, Map<string, { memberships: number; citizens: number }>>();
const DISTINCT_COUNT_ENTRIES = 100_000;

function distinctCountsOf(db: object): Map<string, { memberships: number; citizens: number }> {
  let counts = distinctCounts.get(db);
  if (!counts) distinctCounts.set(db, (counts = new Map()));
  return counts;
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

  const halfParams = [window.halves?.firstEnd ?? null, window.halves?.secondStart ?? null];
  const first = params.length + 1;
  const rows = await queryRows<Record<string, string | number | null>>(
    ctx.db,
    `SELECT to_char(p, 'YYYY-MM-DD') AS period${keysAsText}, sum(signals)::int AS signals,
            ${singleRows ? 'sum(citizens)::int' : '0'} AS citizens, sum(citizens)::int AS memberships,
            coalesce(sum(signals) FILTER (WHERE day <= $${first}::date), 0)::int AS first_half,
            coalesce(sum(signals) FILTER (WHERE day >= $${first + 1}::date), 0)::int AS second_half
       FROM (SELECT ${period} AS p${keys}, day, signals, citizens FROM demand_daily WHERE ${where.join(' AND ')}) AS r
      GROUP BY ${groupBy}`,
    [...params, ...halfParams],
  );
  const cells = new Map<string, Cell>();
  const cellKey = (period: string, keys: (string | null)[]) => JSON.stringify([period, ...keys]);
  for (const row of rows) {
    const keys = dims.map((_, i) => row[`k${i}`] as string);
    cells.set(cellKey(row.period as string, keys), {
      period: row.period as string,
      keys,
      signals: row.signals as number,
      citizens: row.citizens as number,
      memberships: row.memberships as number,
      firstHalf: row.first_half as number,
      secondHalf: row.second_half as number,
    });
  }
  if (!singleRows && cells.size > 0 && args.countCitizens !== false) {
    const shape = JSON.stringify([window.firstDay, window.lastDay, args.granularity, dims, selection]);
    await countDistinctCitizens(ctx, { cells, cellKey, shape, dimensions: dims.length, period, keys, keysAsText, groupBy, where, params });
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
    if (category && !(category instanceof Error)) categories.set(category.id, category);
  }
  const districtCodes = [...new Set([...trends.values()].map((t) => keyOf(t.keys, DemandDimension.DISTRICT)))].filter((c): c is string => c !== null);
  const districts = new Map<string, District>();
  for (const district of await ctx.loaders.district.loadMany(districtCodes)) {
    if (district && !(district instanceof Error)) districts.set(district.code, district);
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

/**
 * Fills in the cells' distinct citizens: from what was counted before where a cell's
 * memberships are unchanged, else from `demand_daily_citizen`, reading only the days of the
 * periods that changed.
 */
async function countDistinctCitizens(
  ctx: Context,
  q: {
    cells: Map<string, Cell>;
    cellKey: (period: string, keys: (string | null)[]) => string;
    /** The window, granularity, grouping and filter: what a cell's key means. */
    shape: string;
    dimensions: number;
    period: string;
    keys: string;
    keysAsText: string;
    groupBy: string;
    where: string[];
    params: unknown[];
  },
): Promise<void> {
  const known = distinctCountsOf(ctx.dataSource);
  const stalePeriods = new Set<string>();
  for (const [key, cell] of q.cells) {
    const before = known.get(q.shape + key);
    if (before && before.memberships === cell.memberships) cell.citizens = before.citizens;
    else stalePeriods.add(cell.period);
  }
  if (stalePeriods.size === 0) return;

  const periods = [...stalePeriods].sort();
  const params = [...q.params];
  // The periods' days lie between the first one's start and the window's end.
  const where = [...q.where, `day >= $${params.push(periods[0])}::date`, `${q.period} = ANY($${params.push(periods)}::date[])`];
  // DISTINCT on the raw columns in a subquery, then count: hashed, where count(DISTINCT …) sorts.
  const rows = await queryRows<Record<string, string | number>>(
    ctx.db,
    `SELECT to_char(p, 'YYYY-MM-DD') AS period${q.keysAsText}, count(*)::int AS citizens
       FROM (SELECT DISTINCT ${q.period} AS p${q.keys}, citizen_id
               FROM demand_daily_citizen WHERE ${where.join(' AND ')}) AS m
      GROUP BY ${q.groupBy}`,
    params,
  );
  for (const row of rows) {
    const key = q.cellKey(row.period as string, Array.from({ length: q.dimensions }, (_, i) => row[`k${i}`] as string));
    const cell = q.cells.get(key);
    if (!cell) continue;
    cell.citizens = row.citizens as number;
    if (known.size >= DISTINCT_COUNT_ENTRIES) known.delete(known.keys().next().value!);
    known.set(q.shape + key, { memberships: cell.memberships, citizens: cell.citizens });
  }
}
