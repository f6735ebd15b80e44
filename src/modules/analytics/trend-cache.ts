import type { DataSource } from 'typeorm';
import { Granularity } from './analytics.types';
import { addDays, type DemandWindow, nextPeriodStart, periodsOf } from './periods';
import type { Cell, DayChangeRow, MemberRow, RollupDayRow } from './trends.queries';

/**
 * Trend cells already computed from the rollups, per database, trend shape (window,
 * granularity, grouping, filter) and period, with the change counts of the period's days when
 * they were computed. Every change to a day's rollups raises that day's count in the same
 * transaction (`demand_day_change`), so a period whose counts are unchanged has unchanged
 * cells: only periods that changed since (in practice the current one) are read again.
 * The signals past the rollup watermark are never cached: they are added to each answer.
 */
interface ComputedPeriod {
  days: Map<string, DayChanges>;
  citizensCounted: boolean;
  cells: readonly Cell[];
  /** Kept once the period changed after it was computed: what lets the next change be added. */
  live?: LivePeriod;
}

/** One day's sums of a trend cell (the day's share of a period's point). */
interface DayCell {
  keys: (string | null)[];
  signals: number;
  /** The rollup's own distinct count: the answer only where a point is one rollup row. */
  citizens: number;
}

/**
 * A period that keeps changing (today's): its cells per day and the citizens of each cell, so
 * that a change reads only the days that changed. The worker only adds members to a day (a
 * rebuild, which may remove some, makes the period read in full again), so the new members
 * of the changed days are added to the sets and the distinct counts stay exact.
 */
export interface LivePeriod {
  /** Per day: the cells' sums, by the cells' keys joined by KEY_SEPARATOR. */
  byDay: Map<string, Map<string, DayCell>>;
  /** Per day: each rollup row's count of members (its own keys joined), to see which moved. */
  rollups: Map<string, Map<string, number>>;
  /** Citizen ids per cell; null when no point asks for citizens. */
  members: Map<string, Set<string>> | null;
  size: number;
}

export interface DayChanges {
  changes: number;
  rebuilds: number;
}
const NO_CHANGES: DayChanges = { changes: 0, rebuilds: 0 };

interface TrendCache {
  periods: Map<string, ComputedPeriod>;
  /** Keys of the periods that are live, oldest first, and how many members they hold. */
  live: Map<string, number>;
  liveMembers: number;
}
const trendCaches = new WeakMap<DataSource, TrendCache>();
const COMPUTED_PERIOD_ENTRIES = 20_000;

function dropLive(cache: TrendCache, key: string): void {
  const size = cache.live.get(key);
  if (size === undefined) return;
  cache.live.delete(key);
  cache.liveMembers -= size;
  const period = cache.periods.get(key);
  if (period) delete period.live;
}

/** How each period of a trend is to be had: from the cache, read whole, or read by the day. */
export interface PeriodPlan {
  reused: Cell[];
  /** Never computed, or changed in a way that cannot be added to (a rebuild): read whole. */
  stale: string[];
  /** Changed since computed by worker runs only: read per day, kept live from now on. */
  promoted: string[];
  /** Live, with the days changed since: only those days are read. */
  grown: Map<string, { live: LivePeriod; changedDays: string[] }>;
}

/** The cached trend periods of one trend shape, with the day counters read for this call. */
export class TrendPeriods {
  private readonly cache: TrendCache;
  private readonly changes: Map<string, DayChanges>;
  constructor(
    dataSource: DataSource,
    private readonly shape: string,
    private readonly window: DemandWindow,
    private readonly granularity: Granularity,
    dayChanges: DayChangeRow[],
  ) {
    let cache = trendCaches.get(dataSource);
    if (!cache) trendCaches.set(dataSource, (cache = { periods: new Map(), live: new Map(), liveMembers: 0 }));
    this.cache = cache;
    this.changes = new Map(dayChanges.map((row) => [row.day, row]));
  }

  /** The days of a period inside the window. */
  daysOf(start: string): string[] {
    const days: string[] = [];
    const end = addDays(nextPeriodStart(start, this.granularity), -1);
    for (
      let day = start < this.window.firstDay ? this.window.firstDay : start;
      day <= end && day <= this.window.lastDay;
      day = addDays(day, 1)
    )
      days.push(day);
    return days;
  }

  plan(countCitizens: boolean, singleRows: boolean): PeriodPlan {
    const plan: PeriodPlan = { reused: [], stale: [], promoted: [], grown: new Map() };
    for (const start of periodsOf(this.window.firstDay, this.window.lastDay, this.granularity)) {
      const computed = this.cache.periods.get(this.shape + start);
      let unchanged = computed !== undefined && (computed.citizensCounted || !countCitizens);
      let onlyAdded = computed !== undefined;
      const changedDays: string[] = [];
      for (const day of this.daysOf(start)) {
        const now = this.changes.get(day) ?? NO_CHANGES;
        const then = computed?.days.get(day) ?? NO_CHANGES;
        if (now.changes !== then.changes) {
          unchanged = false;
          changedDays.push(day);
        }
        if (now.rebuilds !== then.rebuilds || now.changes < then.changes) onlyAdded = false;
      }
      if (unchanged) plan.reused.push(...computed!.cells);
      else if (
        onlyAdded &&
        changedDays.length > 0 &&
        computed?.live &&
        (computed.live.members !== null || !countCitizens || singleRows)
      ) {
        plan.grown.set(start, { live: computed.live, changedDays });
      } else if (onlyAdded && changedDays.length > 0) plan.promoted.push(start);
      else plan.stale.push(start);
    }
    return plan;
  }

  /** Keeps a period's cells, computed from the rollups as the day counters of this call say. */
  remember(start: string, cells: readonly Cell[], citizensCounted: boolean): ComputedPeriod {
    const key = this.shape + start;
    const known = this.cache.periods;
    dropLive(this.cache, key);
    if (known.size >= COMPUTED_PERIOD_ENTRIES) {
      const oldest = known.keys().next().value!;
      dropLive(this.cache, oldest);
      known.delete(oldest);
    }
    const entry: ComputedPeriod = {
      days: new Map(this.daysOf(start).map((day) => [day, this.changes.get(day) ?? NO_CHANGES])),
      citizensCounted,
      cells,
    };
    known.set(key, entry);
    return entry;
  }

  /**
   * Settles a live period into cells and keeps it live within the budget of kept members
   * (TRENDS_LIVE_MEMBERS), the oldest live periods giving way.
   */
  settle(
    start: string,
    live: LivePeriod,
    flags: { singleRows: boolean; withMembers: boolean; budget: number },
  ): Cell[] {
    const periodCells = new Map<string, Cell>();
    const halves = this.window.halves;
    for (const [day, dayCells] of live.byDay) {
      for (const [key, dayCell] of dayCells) {
        let cell = periodCells.get(key);
        if (!cell)
          periodCells.set(
            key,
            (cell = { period: start, keys: dayCell.keys, signals: 0, citizens: 0, firstHalf: 0, secondHalf: 0 }),
          );
        cell.signals += dayCell.signals;
        if (flags.singleRows) cell.citizens += dayCell.citizens;
        if (halves && day <= halves.firstEnd) cell.firstHalf += dayCell.signals;
        if (halves && day >= halves.secondStart) cell.secondHalf += dayCell.signals;
      }
    }
    if (live.members) for (const [key, cell] of periodCells) cell.citizens = live.members.get(key)?.size ?? 0;
    const cells = [...periodCells.values()];
    const entry = this.remember(start, cells, flags.withMembers || flags.singleRows);
    if (live.size > flags.budget) return cells;
    while (this.cache.liveMembers + live.size > flags.budget && this.cache.live.size > 0)
      dropLive(this.cache, this.cache.live.keys().next().value!);
    entry.live = live;
    this.cache.live.set(this.shape + start, live.size);
    this.cache.liveMembers += live.size;
    return cells;
  }
}

/** A live period's days and members, from the rollup rows of those days and the members read. */
export function takeDays(
  live: LivePeriod,
  days: readonly string[],
  rows: DayRows,
  members: readonly MemberRow[],
): void {
  for (const day of days) {
    live.byDay.set(day, rows.byDay.get(day) ?? new Map());
    live.rollups.set(day, rows.rollupsByDay.get(day) ?? new Map());
  }
  if (!live.members) return;
  for (const { key, citizen } of members) {
    let set = live.members.get(key);
    if (!set) live.members.set(key, (set = new Set()));
    if (!set.has(citizen)) {
      set.add(citizen);
      live.size += 1;
    }
  }
}

export interface DayRows {
  byDay: Map<string, Map<string, DayCell>>;
  rollupsByDay: Map<string, Map<string, number>>;
}

/** Rollup rows by day: the trend's cells of each day, and each rollup row's count of members. */
export function dayRowsOf(rows: readonly RollupDayRow[], separator: string): DayRows {
  const byDay = new Map<string, Map<string, DayCell>>();
  const rollupsByDay = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const key = row.keys.join(separator);
    let day = byDay.get(row.day);
    if (!day) byDay.set(row.day, (day = new Map()));
    const cell = day.get(key);
    if (cell) {
      cell.signals += row.signals;
      cell.citizens += row.citizens;
    } else day.set(key, { keys: row.keys, signals: row.signals, citizens: row.citizens });
    let rollups = rollupsByDay.get(row.day);
    if (!rollups) rollupsByDay.set(row.day, (rollups = new Map()));
    rollups.set(row.fine, row.citizens);
  }
  return { byDay, rollupsByDay };
}

/** The rollup rows of live periods' changed days whose member count moved: only they have new members. */
export function movedRows(grown: PeriodPlan['grown'], rows: DayRows): { day: string; fine: string }[] {
  const moved: { day: string; fine: string }[] = [];
  for (const { live, changedDays } of grown.values()) {
    for (const day of changedDays) {
      const before = live.rollups.get(day);
      for (const [fine, citizens] of rows.rollupsByDay.get(day) ?? []) {
        if (citizens !== (before?.get(fine) ?? 0)) moved.push({ day, fine });
      }
    }
  }
  return moved;
}

/** Merges sorted days into ranges of consecutive days. */
export function dayRanges(days: readonly string[]): [string, string][] {
  const ranges: [string, string][] = [];
  for (const day of days) {
    const last = ranges[ranges.length - 1];
    if (last && addDays(last[1], 1) === day) last[1] = day;
    else ranges.push([day, day]);
  }
  return ranges;
}

export const newLivePeriod = (withMembers: boolean): LivePeriod => ({
  byDay: new Map(),
  rollups: new Map(),
  members: withMembers ? new Map() : null,
  size: 0,
});
