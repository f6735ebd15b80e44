import type { EntityManager } from 'typeorm';
import { cityDay, queryRows } from '../../db/sql';
import { pendingSignals, type RollupWatermark } from '../signals/signal-log';
import { Granularity } from './analytics.types';
import type { DemandWindow } from './periods';
import { CITY_AREA } from './rollups.queries';
import type { Cell } from './trends.queries';

/** The SQL reads of the trends the area rollups answer (`demand_area_daily`, `demand_area_span`, `demand_area_citizen`) and of their tail. */

/** The periods with span counts, as `demand_area_span.granularity` writes them (days need none). */
const SPAN_GRANULARITY: Record<Granularity.WEEK | Granularity.MONTH, string> = {
  [Granularity.WEEK]: 'W',
  [Granularity.MONTH]: 'M',
};

/** The slices a trend reads: these, or every slice of a dimension (its prefix: `c:`, `a:`, `k:`). */
export type SliceSet = { values: string[] } | { prefix: string };

/**
 * What a trend reads from the area rollups (`slices` null: every category and kind) or the
 * slice rollups: one area, or every district (`area` null); and its keys in the order of its
 * dimensions, each a slice's value or the area.
 */
export interface AreaRead {
  area: string | null;
  slices: SliceSet | null;
  keys: ('slice' | 'area')[];
}

export interface AreaDayRow {
  day: string;
  slice: string;
  area: string;
  signals: number;
  citizens: number;
}

/** The tables and conditions of a read: the area rollups, or the slice rollups and the slices' condition. */
function source(
  read: AreaRead,
  params: unknown[],
  alias = '',
): { daily: string; span: string; where: string; slice: string } {
  const a = alias ? `${alias}.` : '';
  const area = read.area === null ? `${a}area <> '${CITY_AREA}'` : `${a}area = $${params.push(read.area)}`;
  if (read.slices === null) return { daily: 'demand_area_daily', span: 'demand_area_span', where: area, slice: `''` };
  const slices =
    'values' in read.slices
      ? `${a}slice = ANY($${params.push(read.slices.values)}::varchar[])`
      : // The slice column sorts bytewise (COLLATE "C"): a prefix is a range of the primary key.
        `${a}slice >= $${params.push(read.slices.prefix)} AND ${a}slice < $${params.push(nextPrefix(read.slices.prefix))}`;
  return { daily: 'demand_slice_daily', span: 'demand_slice_span', where: `${slices} AND ${area}`, slice: `${a}slice` };
}

/** The first text after every text that starts with `prefix` ('c:' → 'c;'). */
const nextPrefix = (prefix: string) =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

/** The rollups' rows of the window's days: signals and distinct citizens per day, slice and area. */
export async function readAreaDays(db: EntityManager, window: DemandWindow, read: AreaRead): Promise<AreaDayRow[]> {
  const params: unknown[] = [window.firstDay, window.lastDay];
  const from = source(read, params);
  return queryRows<AreaDayRow>(
    db,
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, ${from.slice} AS slice, area, signals, citizens
       FROM ${from.daily} WHERE day BETWEEN $1::date AND $2::date AND ${from.where}`,
    params,
  );
}

/**
 * Distinct citizens per week or month, slice and area from the span counts: the firsts of the
 * period up to the window's last day, or, for the period the window starts in after its first
 * day, the lasts from the window's first day on.
 */
export async function readAreaPeriodCitizens(
  db: EntityManager,
  window: DemandWindow,
  granularity: Granularity.WEEK | Granularity.MONTH,
  periodStart: string,
  read: AreaRead,
): Promise<{ period: string; slice: string; area: string; citizens: number }[]> {
  const params: unknown[] = [window.firstDay, window.lastDay, SPAN_GRANULARITY[granularity], periodStart];
  const from = source(read, params);
  return queryRows<{ period: string; slice: string; area: string; citizens: number }>(
    db,
    `SELECT to_char(period_start, 'YYYY-MM-DD') AS period, ${from.slice} AS slice, area,
              (CASE WHEN period_start < $1::date THEN coalesce(sum(lasts) FILTER (WHERE day >= $1::date), 0)
                    ELSE coalesce(sum(firsts) FILTER (WHERE day <= $2::date), 0) END)::int AS citizens
         FROM ${from.span}
        WHERE granularity = $3 AND ${from.where} AND period_start BETWEEN $4::date AND $2::date
        GROUP BY period_start, area${read.slices ? ', slice' : ''}`,
    params,
  );
}

/**
 * What the signals past the rollup watermark add to the cells of the area rollups (not the
 * slices': their tail is the daily rollups', `readTailCells`): signals and halves, and
 * the citizens of a period and area that the area rollups do not count in the window yet (a
 * day: no bit for it in the citizen's week; a week or month: no day seen within the window).
 */
export async function readAreaTailCells(
  db: EntityManager,
  window: DemandWindow,
  granularity: Granularity,
  read: AreaRead,
  watermark: RollupWatermark,
): Promise<Cell[]> {
  const params: unknown[] = [
    window.firstDay,
    window.lastDay,
    window.halves?.firstEnd ?? null,
    window.halves?.secondStart ?? null,
    watermark.appliedBelow,
    watermark.pendingXids,
  ];
  const areaWhere = source(read, params, 't').where;
  const counted =
    granularity === Granularity.DAY
      ? `c.granularity = 'W' AND c.period_start = date_trunc('week', t.day::timestamp)::date
           AND c.days & (1 << (t.day - c.period_start))::smallint <> 0`
      : `c.granularity = '${SPAN_GRANULARITY[granularity]}' AND c.period_start = t.p AND c.first_day <= $2::date AND c.last_day >= $1::date`;
  const period =
    granularity === Granularity.DAY
      ? 't.day'
      : `date_trunc('${granularity === Granularity.WEEK ? 'week' : 'month'}', t.day::timestamp)::date`;
  const rows = await queryRows<{
    period: string;
    area: string;
    signals: number;
    citizens: number;
    first_half: number;
    second_half: number;
  }>(
    db,
    `SELECT to_char(p, 'YYYY-MM-DD') AS period, area, count(*)::int AS signals,
            count(DISTINCT citizen_id) FILTER (WHERE is_new)::int AS citizens,
            count(*) FILTER (WHERE day <= $3::date)::int AS first_half,
            count(*) FILTER (WHERE day >= $4::date)::int AS second_half
       FROM (SELECT t.p, t.area, t.day, t.citizen_id,
                    NOT EXISTS (SELECT 1 FROM demand_area_citizen c WHERE c.area = t.area AND c.citizen_id = t.citizen_id AND ${counted}) AS is_new
               FROM (SELECT s.day, ${period.replace(/t\.day/g, 's.day')} AS p, a.area, s.citizen_id
                       FROM (SELECT ${cityDay('occurred_at')} AS day, district_code, citizen_id FROM ${pendingSignals('$5', '$6')}) AS s
                      CROSS JOIN LATERAL (VALUES (s.district_code::varchar), ('${CITY_AREA}'::varchar)) AS a(area)
                      WHERE s.day BETWEEN $1::date AND $2::date) AS t
              WHERE ${areaWhere}) AS r
      GROUP BY p, area`,
    params,
  );
  return rows.map((row) => ({
    period: row.period,
    keys: read.keys.map(() => row.area),
    signals: row.signals,
    citizens: row.citizens,
    firstHalf: row.first_half,
    secondHalf: row.second_half,
  }));
}
