import type { EntityManager } from 'typeorm';
import { cityDay, queryRows } from '../../db/sql';
import { pendingSignals, type RollupWatermark } from '../signals/signal-log';
import type { SignalKind } from '../signals/signal-kind';
import type { AgeBand } from '../citizens/age-band';
import { DemandDimension, Granularity } from './analytics.types';
import type { DemandWindow } from './periods';
import { REBUILD_SHARD, UNCATEGORISED, UNKNOWN_AGE_BAND } from './rollups.queries';

/** The SQL reads of demandTrends over the daily rollups (`demand_daily`, `demand_daily_citizen`) and the signal tail. */

export interface Selection {
  categoryIds: string[] | null;
  /**
   * The slice of the filter's category (`c:` a category without children, `p:` a top-level
   * category with its children), or null (no category filter, or one the slices do not hold).
   */
  categorySlice: string | null;
  districtCode: string | null;
  kinds: SignalKind[] | null;
  ageBand: AgeBand | null;
}

/** What a trend reads: its grouping, granularity, filter and window. */
export interface TrendShape {
  dims: readonly DemandDimension[];
  granularity: Granularity;
  selection: Selection;
  window: DemandWindow;
}

export interface Cell {
  period: string;
  keys: (string | null)[];
  signals: number;
  citizens: number;
  firstHalf: number;
  secondHalf: number;
}

const COLUMN: Record<DemandDimension, string> = {
  [DemandDimension.CATEGORY]: 'category_id',
  [DemandDimension.DISTRICT]: 'district_code',
  [DemandDimension.AGE_BAND]: 'age_band',
  [DemandDimension.KIND]: 'kind',
};
/** The first day of a rollup day's period, as a date (grouped on dates, written as text at the end). */
function periodOf(granularity: Granularity, day = 'day'): string {
  if (granularity === Granularity.DAY) return day;
  return `date_trunc('${granularity === Granularity.WEEK ? 'week' : 'month'}', ${day}::timestamp)::date`;
}

/** The filter and `day BETWEEN` each range, as conditions on rows with the rollups' column names. */
class Conditions {
  readonly params: unknown[];
  readonly sql: string[] = [];
  constructor(params: unknown[] = []) {
    this.params = [...params];
  }
  param(value: unknown, cast = ''): string {
    return `$${this.params.push(value)}${cast}`;
  }
  filter(s: Selection, alias = ''): this {
    const a = alias ? `${alias}.` : '';
    if (s.categoryIds) this.sql.push(`${a}category_id = ANY(${this.param(s.categoryIds, '::uuid[]')})`);
    if (s.districtCode) this.sql.push(`${a}district_code = ${this.param(s.districtCode)}`);
    if (s.kinds) this.sql.push(`${a}kind = ANY(${this.param(s.kinds, '::signal_kind[]')})`);
    if (s.ageBand) this.sql.push(`${a}age_band = ${this.param(s.ageBand, '::demand_age_band')}`);
    return this;
  }
  days(ranges: readonly [string, string][], alias = ''): this {
    const a = alias ? `${alias}.` : '';
    const each = ranges.map(
      ([from, to]) => `${a}day BETWEEN ${this.param(from, '::date')} AND ${this.param(to, '::date')}`,
    );
    this.sql.push(each.length === 1 ? each[0] : `(${each.join(' OR ')})`);
    return this;
  }
  get where(): string {
    return this.sql.length ? this.sql.join(' AND ') : 'true';
  }
}

/** The window's days (which bound the planner's estimates), as the first condition of every rollup read. */
const windowOf = (shape: TrendShape) => new Conditions().days([[shape.window.firstDay, shape.window.lastDay]]);

const keyColumns = (dims: readonly DemandDimension[], alias = '') =>
  dims.map((d, i) => `, ${alias}${COLUMN[d]} AS k${i}`).join('');
const keysAsText = (dims: readonly DemandDimension[]) => dims.map((_, i) => `, k${i}::text AS k${i}`).join('');
const groupByKeys = (dims: readonly DemandDimension[]) => ['p', ...dims.map((_, i) => `k${i}`)].join(', ');
const keysOf = (dims: readonly DemandDimension[], row: Record<string, unknown>) =>
  dims.map((_, i) => row[`k${i}`] as string);

/**
 * The ids of the category of `code` and of its children (none for an unknown code), and its
 * slice in the slice rollups: `c:` for a category without children, `p:` for a top-level one
 * with children (they hold its signals and its children's), null for a child with children.
 */
export async function categoryFilterOf(
  db: EntityManager,
  code: string,
): Promise<{ ids: string[]; slice: string | null }> {
  const rows = await queryRows<{ id: string; top: boolean; own: boolean }>(
    db,
    `SELECT id, parent_id IS NULL AS top, true AS own FROM category WHERE code = $1 UNION ALL
       SELECT c.id, false, false FROM category c JOIN category p ON p.id = c.parent_id WHERE p.code = $1`,
    [code],
  );
  const own = rows.find((row) => row.own);
  if (!own) return { ids: [], slice: null };
  const ids = [own.id, ...rows.filter((row) => !row.own).map((row) => row.id)];
  return { ids, slice: ids.length === 1 ? `c:${own.id}` : own.top ? `p:${own.id}` : null };
}

export interface DayChangeRow {
  day: string;
  changes: number;
  rebuilds: number;
}

/** The change and rebuild counts of every day of the window that has any. */
export async function readDayChanges(db: EntityManager, firstDay: string, lastDay: string): Promise<DayChangeRow[]> {
  const rows = await queryRows<{ day: string; changes: string; rebuilds: string }>(
    db,
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(changes)::text AS changes,
            coalesce(sum(changes) FILTER (WHERE shard = $3), 0)::text AS rebuilds
       FROM demand_day_change WHERE day BETWEEN $1::date AND $2::date GROUP BY day`,
    [firstDay, lastDay, REBUILD_SHARD],
  );
  return rows.map((row) => ({ day: row.day, changes: Number(row.changes), rebuilds: Number(row.rebuilds) }));
}

/**
 * The cells of whole periods over the given day ranges: signals and the halves of `change`
 * from `demand_daily`; citizens from its own column where a point is one rollup row
 * (`singleRows`), else 0 (see readPeriodCitizens).
 */
export async function readPeriodCells(
  db: EntityManager,
  shape: TrendShape,
  ranges: [string, string][],
  singleRows: boolean,
): Promise<Cell[]> {
  const c = windowOf(shape).filter(shape.selection).days(ranges);
  const firstEnd = c.param(shape.window.halves?.firstEnd ?? null, '::date');
  const secondStart = c.param(shape.window.halves?.secondStart ?? null, '::date');
  const rows = await queryRows<Record<string, string | number>>(
    db,
    `SELECT to_char(p, 'YYYY-MM-DD') AS period${keysAsText(shape.dims)}, sum(signals)::int AS signals,
            ${singleRows ? 'sum(citizens)::int' : '0'} AS citizens,
            coalesce(sum(signals) FILTER (WHERE day <= ${firstEnd}), 0)::int AS first_half,
            coalesce(sum(signals) FILTER (WHERE day >= ${secondStart}), 0)::int AS second_half
       FROM (SELECT ${periodOf(shape.granularity)} AS p${keyColumns(shape.dims)}, day, signals, citizens FROM demand_daily WHERE ${c.where}) AS r
      GROUP BY ${groupByKeys(shape.dims)}`,
    c.params,
  );
  return rows.map((row) => ({
    period: row.period as string,
    keys: keysOf(shape.dims, row),
    signals: row.signals as number,
    citizens: row.citizens as number,
    firstHalf: row.first_half as number,
    secondHalf: row.second_half as number,
  }));
}

/** Distinct citizens per period and keys over the day ranges, from the memberships. */
export async function readPeriodCitizens(
  db: EntityManager,
  shape: TrendShape,
  ranges: [string, string][],
): Promise<{ period: string; keys: string[]; citizens: number }[]> {
  const c = windowOf(shape).filter(shape.selection).days(ranges);
  // DISTINCT on the raw columns in a subquery, then count: hashed, where count(DISTINCT …) sorts.
  const rows = await queryRows<Record<string, string | number>>(
    db,
    `SELECT to_char(p, 'YYYY-MM-DD') AS period${keysAsText(shape.dims)}, count(*)::int AS citizens
       FROM (SELECT DISTINCT ${periodOf(shape.granularity)} AS p${keyColumns(shape.dims)}, citizen_id
               FROM demand_daily_citizen WHERE ${c.where}) AS m
      GROUP BY ${groupByKeys(shape.dims)}`,
    c.params,
  );
  return rows.map((row) => ({
    period: row.period as string,
    keys: keysOf(shape.dims, row),
    citizens: row.citizens as number,
  }));
}

/** Joins a rollup row's keys into one text (never part of a key). */
export const KEY_SEPARATOR = '\u001f';

export interface RollupDayRow {
  day: string;
  /** The rollup row's own keys (other than its day), joined by KEY_SEPARATOR. */
  fine: string;
  /** The trend's keys of the row. */
  keys: string[];
  signals: number;
  citizens: number;
}

/** The rollup rows of the day ranges, at their own keys. */
export async function readRollupDays(
  db: EntityManager,
  shape: TrendShape,
  ranges: [string, string][],
): Promise<RollupDayRow[]> {
  const c = windowOf(shape).filter(shape.selection).days(ranges);
  const rows = await queryRows<
    { day: string; fine: string; signals: number; citizens: number } & Record<string, unknown>
  >(
    db,
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, concat_ws(chr(31), category_id::text, district_code, age_band::text, kind::text) AS fine,
            signals, citizens${shape.dims.map((d, i) => `, ${COLUMN[d]}::text AS k${i}`).join('')}
       FROM demand_daily WHERE ${c.where}`,
    c.params,
  );
  return rows.map((row) => ({
    day: row.day,
    fine: row.fine,
    keys: keysOf(shape.dims, row),
    signals: row.signals,
    citizens: row.citizens,
  }));
}

export interface MemberRow {
  period: string;
  /** The trend's keys, joined by KEY_SEPARATOR. */
  key: string;
  citizen: string;
}

function memberSql(shape: TrendShape, where: string): string {
  const key = shape.dims.length
    ? `concat_ws(chr(31), ${shape.dims.map((d) => `${COLUMN[d]}::text`).join(', ')})`
    : `''`;
  return `SELECT DISTINCT to_char(${periodOf(shape.granularity)}, 'YYYY-MM-DD') AS period, ${key} AS key, citizen_id::text AS citizen
            FROM demand_daily_citizen WHERE ${where}`;
}

/** The members of every cell over the day ranges. */
export async function readMembersOfDays(
  db: EntityManager,
  shape: TrendShape,
  ranges: [string, string][],
): Promise<MemberRow[]> {
  const c = windowOf(shape).filter(shape.selection).days(ranges);
  return queryRows<MemberRow>(db, memberSql(shape, c.where), c.params);
}

/** The members of the given rollup rows (day and fine keys). */
export async function readMembersOfRows(
  db: EntityManager,
  shape: TrendShape,
  rows: { day: string; fine: string }[],
): Promise<MemberRow[]> {
  const c = windowOf(shape).filter(shape.selection);
  const columns = rows.map(({ fine }) => fine.split(KEY_SEPARATOR));
  c.sql.push(`(day, category_id, district_code, age_band, kind) IN (SELECT * FROM unnest(
    ${c.param(
      rows.map((m) => m.day),
      '::date[]',
    )}, ${c.param(
      columns.map((k) => k[0]),
      '::uuid[]',
    )}, ${c.param(
      columns.map((k) => k[1]),
      '::varchar[]',
    )},
    ${c.param(
      columns.map((k) => k[2]),
      '::demand_age_band[]',
    )}, ${c.param(
      columns.map((k) => k[3]),
      '::signal_kind[]',
    )}))`);
  return queryRows<MemberRow>(db, memberSql(shape, c.where), c.params);
}

/** A pending signal's rollup key columns, as the worker will file it. */
const TAIL_KEYS = `${cityDay('occurred_at')} AS day,
       coalesce(category_id, '${UNCATEGORISED}'::uuid) AS category_id, district_code,
       coalesce(age_band::text, '${UNKNOWN_AGE_BAND}')::demand_age_band AS age_band, kind, citizen_id`;

/**
 * What the signals past the rollup watermark add to a trend's cells: their signals and halves
 * per cell, and (`citizens`) the citizens of a cell that no membership of the rollups already
 * counts in it (the same period, keys and filter, inside the window). Few rows: the tail is
 * what the worker has not applied yet.
 */
export async function readTailCells(
  db: EntityManager,
  shape: TrendShape,
  watermark: RollupWatermark,
  citizens: boolean,
): Promise<Cell[]> {
  const { window, dims, granularity } = shape;
  const c = new Conditions().filter(shape.selection, 't').days([[window.firstDay, window.lastDay]], 't');
  const firstEnd = c.param(window.halves?.firstEnd ?? null, '::date');
  const secondStart = c.param(window.halves?.secondStart ?? null, '::date');
  const pending = pendingSignals(c.param(watermark.appliedBelow), c.param(watermark.pendingXids));
  const counted = new Conditions(c.params).filter(shape.selection, 'm').days([[window.firstDay, window.lastDay]], 'm');
  counted.sql.push(
    'm.citizen_id = t.citizen_id',
    `${periodOf(granularity, 'm.day')} = ${periodOf(granularity, 't.day')}`,
  );
  dims.forEach((d) => counted.sql.push(`m.${COLUMN[d]} = t.${COLUMN[d]}`));
  const isNew = citizens ? `NOT EXISTS (SELECT 1 FROM demand_daily_citizen m WHERE ${counted.where})` : 'false';
  const rows = await queryRows<Record<string, string | number>>(
    db,
    `SELECT to_char(p, 'YYYY-MM-DD') AS period${keysAsText(dims)}, count(*)::int AS signals,
            count(DISTINCT citizen_id) FILTER (WHERE is_new)::int AS citizens,
            count(*) FILTER (WHERE day <= ${firstEnd})::int AS first_half,
            count(*) FILTER (WHERE day >= ${secondStart})::int AS second_half
       FROM (SELECT ${periodOf(granularity, 't.day')} AS p${keyColumns(dims, 't.')}, t.day, t.citizen_id, ${isNew} AS is_new
               FROM (SELECT ${TAIL_KEYS} FROM ${pending}) AS t WHERE ${c.where}) AS r
      GROUP BY ${groupByKeys(dims)}`,
    citizens ? counted.params : c.params,
  );
  return rows.map((row) => ({
    period: row.period as string,
    keys: keysOf(dims, row),
    signals: row.signals as number,
    citizens: row.citizens as number,
    firstHalf: row.first_half as number,
    secondHalf: row.second_half as number,
  }));
}
