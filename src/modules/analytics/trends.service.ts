import type { DataSource } from 'typeorm';
import { queryRows } from '../../db/sql';
import type { Context } from '../../core/context';
import { NotFoundError } from '../../core/errors';
import type { Category } from '../categories/category.entity';
import { AgeBand } from '../citizens/age-band';
import type { District } from '../districts/district.entity';
import type { SignalKind } from '../signals/signal-kind';
import { DemandDimension, type DemandFilter, type DemandTrend, Granularity } from './analytics.types';
import { areaCells, areaReadOf } from './area-trends';
import { addDays, cityMidnight, type DemandWindow, demandWindow, nextPeriodStart, periodStartOf, periodsOf, relativeChange } from './periods';
import { REBUILD_SHARD, UNCATEGORISED, UNKNOWN_AGE_BAND } from './rollups';
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

export interface Cell {
  period: string;
  keys: (string | null)[];
  signals: number;
  citizens: number;
  firstHalf: number;
  secondHalf: number;
}

/** One day's sums of a trend cell (the day's share of a period's point). */
interface DayCell {
  keys: (string | null)[];
  signals: number;
  /** The rollup's own distinct count: the answer only where a point is one rollup row. */
  citizens: number;
}

/**
 * Trend cells already computed, per database, trend shape (window, granularity, grouping,
 * filter) and period, with the change counts of the period's days when they were computed.
 * Every change to a day's rollups raises that day's count in the same transaction
 * (`demand_day_change`), so a period whose counts are unchanged has unchanged cells: only
 * periods that changed since (in practice the current one) are read again.
 */
interface ComputedPeriod {
  days: Map<string, DayChanges>;
  citizensCounted: boolean;
  cells: readonly Cell[];
  /** Kept once the period changed after it was computed: what lets the next change be added. */
  live?: LivePeriod;
}

/**
 * A period that keeps changing (today's): its cells per day and the citizens of each cell, so
 * that a change reads only the days that changed. Signal batches only add members to a day
 * (a rebuild, which may remove some, makes the period read in full again), so the new members
 * of the changed days are added to the sets and the distinct counts stay exact.
 */
interface LivePeriod {
  /** Per day: the cells' sums, by the cells' keys joined by KEY_SEPARATOR. */
  byDay: Map<string, Map<string, DayCell>>;
  /** Per day: each rollup row's count of members (its own keys joined), to see which moved. */
  rollups: Map<string, Map<string, number>>;
  /** Citizen ids per cell; null when no point asks for citizens. */
  members: Map<string, Set<string>> | null;
  size: number;
}

interface DayChanges {
  changes: number;
  rebuilds: number;
}

interface TrendCache {
  periods: Map<string, ComputedPeriod>;
  /** Keys of the periods that are live, oldest first, and how many members they hold. */
  live: Map<string, number>;
  liveMembers: number;
}
const trendCaches = new WeakMap<DataSource, TrendCache>();
const COMPUTED_PERIOD_ENTRIES = 20_000;

function trendCacheOf(dataSource: DataSource): TrendCache {
  let cache = trendCaches.get(dataSource);
  if (!cache) trendCaches.set(dataSource, (cache = { periods: new Map(), live: new Map(), liveMembers: 0 }));
  return cache;
}

function dropLive(cache: TrendCache, key: string): void {
  const size = cache.live.get(key);
  if (size === undefined) return;
  cache.live.delete(key);
  cache.liveMembers -= size;
  const period = cache.periods.get(key);
  if (period) delete period.live;
}

/** The change and rebuild counts of every day of the window that has any. */
async function dayChanges(ctx: Context, firstDay: string, lastDay: string): Promise<Map<string, DayChanges>> {
  const rows = await queryRows<{ day: string; changes: string; rebuilds: string }>(
    ctx.db,
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(changes)::text AS changes,
            coalesce(sum(changes) FILTER (WHERE shard = $3), 0)::text AS rebuilds
       FROM demand_day_change WHERE day BETWEEN $1::date AND $2::date GROUP BY day`,
    [firstDay, lastDay, REBUILD_SHARD],
  );
  return new Map(rows.map((row) => [row.day, { changes: Number(row.changes), rebuilds: Number(row.rebuilds) }]));
}

const NO_CHANGES: DayChanges = { changes: 0, rebuilds: 0 };
/** Joins a cell's or a rollup row's keys into one text (never part of a key). */
const KEY_SEPARATOR = '\u001f';
/** A rollup row's own keys (other than its day) as one text, in SQL. */
const ROLLUP_KEY = `concat_ws(chr(31), category_id::text, district_code, age_band::text, kind::text)`;

/** Merges sorted days into ranges of consecutive days. */
function dayRanges(days: readonly string[]): [string, string][] {
  const ranges: [string, string][] = [];
  for (const day of days) {
    const last = ranges[ranges.length - 1];
    if (last && addDays(last[1], 1) === day) last[1] = day;
    else ranges.push([day, day]);
  }
  return ranges;
}

/**
 * Counts of demand signals per period, one trend per combination of the `groupBy`
 * dimensions present (a single trend without groupBy, zeros included). Reads only the
 * rollups. Every kind by district or city-wide: the area rollups (`area-trends.ts`), a few rows
 * per period. Other shapes: signal counts from `demand_daily`, distinct citizens from it when a
 * point is one of its rows, else from `demand_daily_citizen` — and only when `countCitizens`
 * (the caller asked for them: that scan grows with the citizens active in the window, the rest
 * does not).
 */
export async function demandTrends(
  ctx: Context,
  args: { filter: DemandFilter; granularity: Granularity; groupBy: readonly DemandDimension[]; countCitizens?: boolean },
): Promise<DemandTrend[]> {
  const window = demandWindow(args.filter.from, args.filter.to);
  const selection = await resolveSelection(ctx, args.filter);
  const dims = DIMENSIONS.filter((d) => args.groupBy.includes(d));
  const areas = areaReadOf(args.granularity, dims, selection, window);
  if (areas) return assembleTrends(ctx, window, args.granularity, dims, await areaCells(ctx, window, args.granularity, areas));

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
  const changes = await dayChanges(ctx, window.firstDay, window.lastDay);
  const cache = trendCacheOf(ctx.dataSource);
  const known = cache.periods;
  const daysOfPeriod = (start: string) => {
    const days: string[] = [];
    const end = addDays(nextPeriodStart(start, args.granularity), -1);
    for (let day = start < window.firstDay ? window.firstDay : start; day <= end && day <= window.lastDay; day = addDays(day, 1)) days.push(day);
    return days;
  };
  const periodDayChanges = (days: readonly string[]) => new Map(days.map((day) => [day, changes.get(day) ?? NO_CHANGES]));

  const cells = new Map<string, Cell>();
  /** Never computed, or changed in a way that cannot be added to (a rebuild): read whole. */
  const stale: string[] = [];
  /** Changed since computed by signal batches only: read per day, kept live from now on. */
  const promoted: string[] = [];
  /** Live, with the days changed since: only those days are read. */
  const grown = new Map<string, { live: LivePeriod; changedDays: string[] }>();
  for (const start of periodsOf(window.firstDay, window.lastDay, args.granularity)) {
    const computed = known.get(shape + start);
    const citizensReady = computed !== undefined && (computed.citizensCounted || !countCitizens);
    let unchanged = citizensReady;
    let onlyAdded = computed !== undefined;
    const changedDays: string[] = [];
    for (const day of daysOfPeriod(start)) {
      const now = changes.get(day) ?? NO_CHANGES;
      const then = computed?.days.get(day) ?? NO_CHANGES;
      if (now.changes !== then.changes) {
        unchanged = false;
        changedDays.push(day);
      }
      if (now.rebuilds !== then.rebuilds || now.changes < then.changes) onlyAdded = false;
    }
    if (unchanged) {
      for (const cell of computed!.cells) cells.set(cellKey(cell.period, cell.keys), cell);
    } else if (onlyAdded && changedDays.length > 0 && computed?.live && (computed.live.members !== null || !countCitizens || singleRows)) {
      grown.set(start, { live: computed.live, changedDays });
    } else if (onlyAdded && changedDays.length > 0) {
      promoted.push(start);
    } else {
      stale.push(start);
    }
  }

  const remember = (start: string, entry: ComputedPeriod) => {
    const key = shape + start;
    dropLive(cache, key);
    if (known.size >= COMPUTED_PERIOD_ENTRIES) {
      const oldest = known.keys().next().value!;
      dropLive(cache, oldest);
      known.delete(oldest);
    }
    known.set(key, entry);
    for (const cell of entry.cells) cells.set(cellKey(cell.period, cell.keys), cell);
  };
  /** The filter, then `day BETWEEN` each range: params and SQL for one read. */
  const inRanges = (ranges: readonly [string, string][]) => {
    const rangeParams = [...params];
    const rangeSql = ranges.map(([from, to]) => `day BETWEEN $${rangeParams.push(from)}::date AND $${rangeParams.push(to)}::date`);
    return { params: rangeParams, where: [...where, rangeSql.length === 1 ? rangeSql[0] : `(${rangeSql.join(' OR ')})`].join(' AND ') };
  };

  if (stale.length > 0) {
    // Only the stale periods' days, as ranges of days (which the index and the planner's
    // estimates follow), neighbouring periods merged.
    const read = inRanges(dayRanges(stale.flatMap(daysOfPeriod)));
    const halfParams = [window.halves?.firstEnd ?? null, window.halves?.secondStart ?? null];
    const first = read.params.length + 1;
    const rows = await queryRows<Record<string, string | number | null>>(
      ctx.db,
      `SELECT to_char(p, 'YYYY-MM-DD') AS period${keysAsText}, sum(signals)::int AS signals,
              ${singleRows ? 'sum(citizens)::int' : '0'} AS citizens,
              coalesce(sum(signals) FILTER (WHERE day <= $${first}::date), 0)::int AS first_half,
              coalesce(sum(signals) FILTER (WHERE day >= $${first + 1}::date), 0)::int AS second_half
         FROM (SELECT ${period} AS p${keys}, day, signals, citizens FROM demand_daily WHERE ${read.where}) AS r
        GROUP BY ${groupBy}`,
      [...read.params, ...halfParams],
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
                   FROM demand_daily_citizen WHERE ${read.where}) AS m
          GROUP BY ${groupBy}`,
        read.params,
      );
      for (const row of distinct) {
        const cell = fresh.get(cellKey(row.period as string, dims.map((_, i) => row[`k${i}`] as string)));
        if (cell) cell.citizens = row.citizens as number;
      }
    }
    const byPeriod = new Map<string, Cell[]>(stale.map((start) => [start, []]));
    for (const cell of fresh.values()) byPeriod.get(cell.period)?.push(cell);
    for (const [start, periodCells] of byPeriod) {
      remember(start, { days: periodDayChanges(daysOfPeriod(start)), citizensCounted: countCitizens || singleRows, cells: periodCells });
    }
  }

  if (promoted.length > 0 || grown.size > 0) {
    // Per day, at the rollups' own keys: every day of the promoted periods, the changed days
    // of the live ones. A rollup row's `citizens` is its exact count of members, so a row whose
    // count did not move has no new member: only the rows that moved have their members read.
    const readDays = [...promoted.flatMap(daysOfPeriod), ...[...grown.values()].flatMap((g) => g.changedDays)].sort();
    const read = inRanges(dayRanges(readDays));
    const withMembers = countCitizens && !singleRows;
    const rollupRows = await queryRows<{ day: string; fine: string; signals: number; citizens: number } & Record<string, unknown>>(
      ctx.db,
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, ${ROLLUP_KEY} AS fine, signals, citizens${dims.map((d, i) => `, ${COLUMN[d]}::text AS k${i}`).join('')}
         FROM demand_daily WHERE ${read.where}`,
      read.params,
    );
    const byDay = new Map<string, Map<string, DayCell>>();
    const rollupsByDay = new Map<string, Map<string, number>>();
    for (const row of rollupRows) {
      const keys = dims.map((_, i) => row[`k${i}`] as string);
      const key = keys.join(KEY_SEPARATOR);
      let day = byDay.get(row.day);
      if (!day) byDay.set(row.day, (day = new Map()));
      const cell = day.get(key);
      if (cell) {
        cell.signals += row.signals;
        cell.citizens += row.citizens;
      } else day.set(key, { keys, signals: row.signals, citizens: row.citizens });
      let rollups = rollupsByDay.get(row.day);
      if (!rollups) rollupsByDay.set(row.day, (rollups = new Map()));
      rollups.set(row.fine, row.citizens);
    }

    // Members: every one of the promoted periods' days; of the live periods' changed days, those
    // of the rollup rows whose count moved.
    const moved: { day: string; fine: string }[] = [];
    if (withMembers) {
      for (const { live, changedDays } of grown.values()) {
        for (const day of changedDays) {
          const before = live.rollups.get(day);
          for (const [fine, citizens] of rollupsByDay.get(day) ?? []) {
            if (citizens !== (before?.get(fine) ?? 0)) moved.push({ day, fine });
          }
        }
      }
    }
    const memberSql = (where: string) =>
      `SELECT DISTINCT to_char(${period}, 'YYYY-MM-DD') AS period, ${dims.length ? `concat_ws(chr(31), ${dims.map((d) => `${COLUMN[d]}::text`).join(', ')})` : `''`} AS key,
              citizen_id::text AS citizen
         FROM demand_daily_citizen WHERE ${where}`;
    const memberReads: Promise<{ period: string; key: string; citizen: string }[]>[] = [];
    if (withMembers && promoted.length > 0) {
      const whole = inRanges(dayRanges(promoted.flatMap(daysOfPeriod)));
      memberReads.push(queryRows(ctx.db, memberSql(whole.where), whole.params));
    }
    if (moved.length > 0) {
      const rowParams = [...params];
      const columns = moved.map(({ fine }) => fine.split(KEY_SEPARATOR));
      const at = (values: unknown[]) => `$${rowParams.push(values)}`;
      const rowsSql = `(day, category_id, district_code, age_band, kind) IN (SELECT * FROM unnest(
        ${at(moved.map((m) => m.day))}::date[], ${at(columns.map((c) => c[0]))}::uuid[], ${at(columns.map((c) => c[1]))}::varchar[],
        ${at(columns.map((c) => c[2]))}::demand_age_band[], ${at(columns.map((c) => c[3]))}::signal_kind[]))`;
      memberReads.push(queryRows(ctx.db, memberSql([...where, rowsSql].join(' AND ')), rowParams));
    }
    const membersByPeriod = new Map<string, { key: string; citizen: string }[]>();
    for (const row of (await Promise.all(memberReads)).flat()) {
      let list = membersByPeriod.get(row.period);
      if (!list) membersByPeriod.set(row.period, (list = []));
      list.push(row);
    }

    const settle = (start: string, live: LivePeriod) => {
      const periodCells = new Map<string, Cell>();
      for (const [day, dayCells] of live.byDay) {
        const inFirst = window.halves !== null && day <= window.halves.firstEnd;
        const inSecond = window.halves !== null && day >= window.halves.secondStart;
        for (const [key, dayCell] of dayCells) {
          let cell = periodCells.get(key);
          if (!cell) periodCells.set(key, (cell = { period: start, keys: dayCell.keys, signals: 0, citizens: 0, firstHalf: 0, secondHalf: 0 }));
          cell.signals += dayCell.signals;
          if (singleRows) cell.citizens += dayCell.citizens;
          if (inFirst) cell.firstHalf += dayCell.signals;
          if (inSecond) cell.secondHalf += dayCell.signals;
        }
      }
      if (live.members) for (const [key, cell] of periodCells) cell.citizens = live.members.get(key)?.size ?? 0;
      const key = shape + start;
      const entry: ComputedPeriod = { days: periodDayChanges(daysOfPeriod(start)), citizensCounted: withMembers || singleRows, cells: [...periodCells.values()] };
      remember(start, entry);
      // Live only within the budget of kept members (TRENDS_LIVE_MEMBERS), the oldest live
      // periods giving way.
      const budget = ctx.config.trendsLiveMembers;
      if (live.size > budget) return;
      while (cache.liveMembers + live.size > budget && cache.live.size > 0) dropLive(cache, cache.live.keys().next().value!);
      entry.live = live;
      cache.live.set(key, live.size);
      cache.liveMembers += live.size;
    };
    const takeDays = (live: LivePeriod, start: string, days: readonly string[]) => {
      for (const day of days) {
        live.byDay.set(day, byDay.get(day) ?? new Map());
        live.rollups.set(day, rollupsByDay.get(day) ?? new Map());
      }
      for (const { key, citizen } of live.members ? (membersByPeriod.get(start) ?? []) : []) {
        let set = live.members!.get(key);
        if (!set) live.members!.set(key, (set = new Set()));
        if (!set.has(citizen)) {
          set.add(citizen);
          live.size += 1;
        }
      }
    };
    for (const start of promoted) {
      const live: LivePeriod = { byDay: new Map(), rollups: new Map(), members: withMembers ? new Map() : null, size: 0 };
      takeDays(live, start, daysOfPeriod(start));
      settle(start, live);
    }
    // The live states were taken when the periods were sorted: kept even if the budget or the
    // cache's size made them give way since (settling drops the old entry's count first).
    for (const [start, { live, changedDays }] of grown) {
      takeDays(live, start, changedDays);
      settle(start, live);
    }
  }

  return assembleTrends(ctx, window, args.granularity, dims, cells.values());
}

/** One trend per combination of keys present in the cells (one trend without dimensions), largest first. */
async function assembleTrends(
  ctx: Context,
  window: DemandWindow,
  granularity: Granularity,
  dims: readonly DemandDimension[],
  cells: Iterable<Cell>,
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
  const districtCodes = [...new Set([...trends.values()].map((t) => keyOf(t.keys, DemandDimension.DISTRICT)))].filter((c): c is string => c !== null);
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
