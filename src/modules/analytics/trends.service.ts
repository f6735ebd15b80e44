import type { EntityManager } from 'typeorm';
import type { Context } from '../../core/context';
import { NotFoundError } from '../../core/errors';
import type { Category } from '../categories/category.entity';
import { AgeBand } from '../citizens/age-band';
import type { District } from '../districts/district.entity';
import { DemandDimension, type DemandTrend, Granularity } from './analytics.types';
import { type DemandFilter } from './analytics.inputs';
import { areaCells, areaReadOf, slicedDimensionsOf } from './area-trends';
import { type AreaRead, readAreaTailCells } from './area-trends.queries';
import { cityMidnight, type DemandWindow, demandWindow, periodsOf, relativeChange } from './periods';
import { UNCATEGORISED, UNKNOWN_AGE_BAND } from './rollups.queries';
import { requireDistrict } from '../districts/districts.service';
import { readWatermark, type RollupWatermark } from '../signals/signal-log';
import type { SignalKind } from '../signals/signal-kind';
import { estimateCitizens, type Projection } from './citizen-estimates';
import { dayRanges, dayRowsOf, movedRows, newLivePeriod, type PeriodPlan, takeDays, TrendPeriods } from './trend-cache';
import {
  type Cell,
  categoryFilterOf,
  KEY_SEPARATOR,
  type MemberRow,
  readDayChanges,
  readMembersOfDays,
  readMembersOfRows,
  readPeriodCells,
  readPeriodCitizens,
  readRollupDays,
  readTailCells,
  type Selection,
  type TrendShape,
} from './trends.queries';

export type { Cell, Selection } from './trends.queries';
import { requirePolicy } from '../../core/policy';
import { analyticsPolicy } from './analytics.policy';

/** Dimensions in the order their keys are written. */
const DIMENSIONS: readonly DemandDimension[] = [
  DemandDimension.CATEGORY,
  DemandDimension.DISTRICT,
  DemandDimension.AGE_BAND,
  DemandDimension.KIND,
];

/** The filter's category (with its children), district and kinds; NOT_FOUND for unknown codes. */
async function resolveSelection(ctx: Context, filter: DemandFilter): Promise<Selection> {
  let categoryIds: string[] | null = null;
  let categorySlice: string | null = null;
  if (filter.categoryCode) {
    ({ ids: categoryIds, slice: categorySlice } = await categoryFilterOf(ctx.db, filter.categoryCode));
    if (categoryIds.length === 0) throw new NotFoundError('Category', filter.categoryCode, 'filter.categoryCode');
  }
  if (filter.districtCode) await requireDistrict(ctx, filter.districtCode, 'filter.districtCode');
  const kinds = filter.kinds?.length ? [...new Set(filter.kinds)] : null;
  return {
    categoryIds,
    categorySlice,
    districtCode: filter.districtCode ?? null,
    kinds,
    ageBand: filter.ageBand ?? null,
  };
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

/**
 * Counts of demand signals per period, one trend per combination of the `groupBy`
 * dimensions present (a single trend without groupBy, zeros included). Every kind by district
 * or city-wide: the area rollups (`area-trends.ts`), a few rows per period. Other shapes:
 * signal counts from `demand_daily`, distinct citizens from it when a point is one of its rows,
 * else from `demand_daily_citizen` — and only when `countCitizens` (the caller asked for them).
 * Both add the signals the rollup worker has not applied yet, read in the same snapshot as the
 * rollups: exact however far the worker is behind.
 */
export async function demandTrends(
  ctx: Context,
  args: {
    filter: DemandFilter;
    granularity: Granularity;
    groupBy: readonly DemandDimension[];
    countCitizens?: boolean;
    /** Distinct citizens of a shape the slices cannot answer may be estimated (`exact: false`). */
    allowEstimates?: boolean;
  },
): Promise<DemandTrend[]> {
  requirePolicy(ctx, analyticsPolicy.demandTrends);
  const window = demandWindow(args.filter.from, args.filter.to);
  const selection = await resolveSelection(ctx, args.filter);
  const dims = DIMENSIONS.filter((d) => args.groupBy.includes(d));
  const shape: TrendShape = { dims, granularity: args.granularity, selection, window };
  const { cells, exact } = await inOneSnapshot(ctx.db, async (db) => {
    const watermark = await readWatermark(db);
    const areas = areaReadOf(args.granularity, dims, selection, window);
    if (areas)
      return {
        exact: true,
        cells: withTail(
          await areaCells(db, window, args.granularity, areas),
          // The slices' tail is the daily rollups' (their citizens' days are the memberships).
          areas.slices
            ? await readTailCells(db, shape, watermark, true)
            : await readAreaTailCells(db, window, args.granularity, areas, watermark),
        ),
      };
    const singleRows = pointsAreSingleRows(args.granularity, dims, selection);
    const wantsCitizens = !singleRows && args.countCitizens !== false;
    const projections = wantsCitizens && args.allowEstimates ? projectionsOf(shape) : [];
    const estimated = projections.length > 0;
    const counted = await readFromDailyRollups(ctx, db, shape, watermark, {
      countCitizens: wantsCitizens && !estimated,
      singleRows,
      budget: ctx.config.trendsLiveMembers,
    });
    if (!estimated) return { exact: true, cells: counted };
    return {
      exact: false,
      cells: estimateCitizens(counted, dims, await readProjections(db, projections, watermark)),
    };
  });
  return assembleTrends(ctx, window, args.granularity, dims, cells, exact);
}

/** A shape's cells from the daily rollups (periods cached by TrendPeriods), with the tail past the watermark. */
async function readFromDailyRollups(
  ctx: Context,
  db: EntityManager,
  shape: TrendShape,
  watermark: RollupWatermark,
  flags: ReadFlags,
): Promise<Cell[]> {
  const { window, granularity, dims, selection } = shape;
  // The changes first: a change committed after this snapshot is seen by the next call.
  const key = JSON.stringify([window.firstDay, window.lastDay, granularity, dims, selection]);
  const periods = new TrendPeriods(
    ctx.dataSource,
    key,
    window,
    granularity,
    await readDayChanges(db, window.firstDay, window.lastDay),
  );
  const plan = periods.plan(flags.countCitizens, flags.singleRows);
  const fromRollups = [
    ...plan.reused,
    ...(await readWholePeriods(db, shape, periods, plan.stale, flags)),
    ...(await readPeriodsByDay(db, shape, periods, plan, flags)),
  ];
  return withTail(fromRollups, await readTailCells(db, shape, watermark, flags.countCitizens || flags.singleRows));
}

/** A trend of one sliced dimension holding a trend of several, and what the slice rollups read for it. */
interface ProjectionRead {
  shape: TrendShape;
  read: AreaRead;
}

/**
 * The trends of one sliced dimension each (with the district, as the shape has it) that hold a
 * shape of several: what its citizens are estimated from. None when the shape has fewer than
 * two sliced dimensions or no slice answers one of them.
 */
function projectionsOf(shape: TrendShape): ProjectionRead[] {
  const { dims, selection: s } = shape;
  const { sliced } = slicedDimensionsOf(dims, s);
  if (sliced.length < 2) return [];
  return sliced.flatMap((d): ProjectionRead[] => {
    const only = d === DemandDimension.CATEGORY;
    const selection: Selection = {
      categoryIds: only ? s.categoryIds : null,
      categorySlice: only ? s.categorySlice : null,
      districtCode: s.districtCode,
      kinds: d === DemandDimension.KIND ? s.kinds : null,
      ageBand: d === DemandDimension.AGE_BAND ? s.ageBand : null,
    };
    const projection = { ...shape, dims: dims.filter((x) => x === d || x === DemandDimension.DISTRICT), selection };
    const read = areaReadOf(projection.granularity, projection.dims, selection, projection.window);
    return read?.slices ? [{ shape: projection, read }] : [];
  });
}

/** Each projection's exact cells from the slice rollups, with the tail past the watermark. */
async function readProjections(
  db: EntityManager,
  projections: readonly ProjectionRead[],
  watermark: RollupWatermark,
): Promise<Projection[]> {
  const cells: Projection[] = [];
  for (const { shape, read } of projections) {
    cells.push({
      dims: shape.dims,
      cells: withTail(
        await areaCells(db, shape.window, shape.granularity, read),
        await readTailCells(db, shape, watermark, true),
      ),
    });
  }
  return cells;
}

/** Runs the reads in one REPEATABLE READ snapshot: the rollups, their counters and the tail past the watermark agree. */
function inOneSnapshot<T>(db: EntityManager, read: (db: EntityManager) => Promise<T>): Promise<T> {
  return db.transaction('REPEATABLE READ', read);
}

/** The rollups' cells plus what the tail adds (new cells, or sums onto copies of cached ones). */
function withTail(cells: readonly Cell[], tail: readonly Cell[]): Cell[] {
  if (tail.length === 0) return [...cells];
  const byKey = new Map(cells.map((cell) => [JSON.stringify([cell.period, ...cell.keys]), cell]));
  for (const add of tail) {
    const key = JSON.stringify([add.period, ...add.keys]);
    const cell = byKey.get(key);
    byKey.set(
      key,
      cell
        ? {
            ...cell,
            signals: cell.signals + add.signals,
            citizens: cell.citizens + add.citizens,
            firstHalf: cell.firstHalf + add.firstHalf,
            secondHalf: cell.secondHalf + add.secondHalf,
          }
        : add,
    );
  }
  return [...byKey.values()];
}

interface ReadFlags {
  countCitizens: boolean;
  singleRows: boolean;
  budget: number;
}

/** Stale periods, read whole over their days (as ranges of days, which the index and the planner's estimates follow). */
async function readWholePeriods(
  db: EntityManager,
  shape: TrendShape,
  periods: TrendPeriods,
  stale: string[],
  flags: ReadFlags,
): Promise<Cell[]> {
  if (stale.length === 0) return [];
  const ranges = dayRanges(stale.flatMap((start) => periods.daysOf(start)));
  const fresh = new Map(
    (await readPeriodCells(db, shape, ranges, flags.singleRows)).map((cell) => [
      JSON.stringify([cell.period, ...cell.keys]),
      cell,
    ]),
  );
  if (flags.countCitizens && fresh.size > 0) {
    for (const row of await readPeriodCitizens(db, shape, ranges)) {
      const cell = fresh.get(JSON.stringify([row.period, ...row.keys]));
      if (cell) cell.citizens = row.citizens;
    }
  }
  const byPeriod = new Map<string, Cell[]>(stale.map((start) => [start, []]));
  for (const cell of fresh.values()) byPeriod.get(cell.period)?.push(cell);
  for (const [start, cells] of byPeriod) periods.remember(start, cells, flags.countCitizens || flags.singleRows);
  return [...fresh.values()];
}

/**
 * Periods read by the day, at the rollups' own keys: every day of the promoted periods, the
 * changed days of the live ones. A rollup row's `citizens` is its exact count of members, so
 * only the rows whose count moved have their members read.
 */
async function readPeriodsByDay(
  db: EntityManager,
  shape: TrendShape,
  periods: TrendPeriods,
  plan: PeriodPlan,
  flags: ReadFlags,
): Promise<Cell[]> {
  if (plan.promoted.length === 0 && plan.grown.size === 0) return [];
  const promotedDays = plan.promoted.flatMap((start) => periods.daysOf(start));
  const readDays = [...promotedDays, ...[...plan.grown.values()].flatMap((g) => g.changedDays)].sort();
  const rows = dayRowsOf(await readRollupDays(db, shape, dayRanges(readDays)), KEY_SEPARATOR);
  const withMembers = flags.countCitizens && !flags.singleRows;
  const moved = withMembers ? movedRows(plan.grown, rows) : [];
  const [wholeMembers, movedMembers] = await Promise.all([
    withMembers && plan.promoted.length > 0 ? readMembersOfDays(db, shape, dayRanges(promotedDays)) : [],
    moved.length > 0 ? readMembersOfRows(db, shape, moved) : [],
  ]);
  const membersByPeriod = new Map<string, MemberRow[]>();
  for (const row of [...wholeMembers, ...movedMembers]) {
    let list = membersByPeriod.get(row.period);
    if (!list) membersByPeriod.set(row.period, (list = []));
    list.push(row);
  }
  const membersOf = (start: string) => membersByPeriod.get(start) ?? [];
  const settleFlags = { singleRows: flags.singleRows, withMembers, budget: flags.budget };
  const cells: Cell[] = [];
  for (const start of plan.promoted) {
    const live = newLivePeriod(withMembers);
    takeDays(live, periods.daysOf(start), rows, membersOf(start));
    cells.push(...periods.settle(start, live, settleFlags));
  }
  // The live states were taken when the periods were planned: kept even if the budget or the
  // cache's size made them give way since (settling drops the old entry's count first).
  for (const [start, { live, changedDays }] of plan.grown) {
    takeDays(live, changedDays, rows, membersOf(start));
    cells.push(...periods.settle(start, live, settleFlags));
  }
  return cells;
}

/** One trend per combination of keys present in the cells (one trend without dimensions), largest first. */
async function assembleTrends(
  ctx: Context,
  window: DemandWindow,
  granularity: Granularity,
  dims: readonly DemandDimension[],
  cells: Iterable<Cell>,
  exact: boolean,
): Promise<DemandTrend[]> {
  const trends = new Map<string, { keys: (string | null)[]; cells: Map<string, Cell> }>();
  for (const cell of cells) {
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
  const districtCodes = [...new Set([...trends.values()].map((t) => keyOf(t.keys, DemandDimension.DISTRICT)))].filter(
    (c): c is string => c !== null,
  );
  const districts = new Map<string, District>();
  for (const district of await ctx.loaders.district.loadMany(districtCodes)) {
    if (district) districts.set(district.code, district);
  }

  const periods = periodsOf(window.firstDay, window.lastDay, granularity);
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
      exact,
      change: window.halves
        ? relativeChange(
            sum((c) => c.firstHalf),
            sum((c) => c.secondHalf),
          )
        : null,
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
