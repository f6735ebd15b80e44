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

/** Which areas a trend reads: every district (grouped by district), or one area. */
export type AreaRead = { byDistrict: true; districtCode: string | null } | { byDistrict: false; area: string };

export interface AreaDayRow {
  day: string;
  area: string;
  signals: number;
  citizens: number;
}

/** The area rollups' rows of the window's days: signals and distinct citizens per day and area. */
export async function readAreaDays(db: EntityManager, window: DemandWindow, read: AreaRead): Promise<AreaDayRow[]> {
  const params: unknown[] = [window.firstDay, window.lastDay];
  const areaWhere = areaCondition(read, params);
  return queryRows<AreaDayRow>(
    db,
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, area, signals, citizens
       FROM demand_area_daily WHERE day BETWEEN $1::date AND $2::date AND ${areaWhere}`,
    params,
  );
}

/**
 * Distinct citizens per week or month and area from the span counts: the firsts of the period
 * up to the window's last day, or, for the period the window starts in after its first day,
 * the lasts from the window's first day on.
 */
export async function readAreaPeriodCitizens(
  db: EntityManager,
  window: DemandWindow,
  granularity: Granularity.WEEK | Granularity.MONTH,
  periodStart: string,
  read: AreaRead,
): Promise<{ period: string; area: string; citizens: number }[]> {
  const params: unknown[] = [window.firstDay, window.lastDay];
  const areaWhere = areaCondition(read, params);
  const spanParams = [...params, SPAN_GRANULARITY[granularity], periodStart];
  return queryRows<{ period: string; area: string; citizens: number }>(
    db,
    `SELECT to_char(period_start, 'YYYY-MM-DD') AS period, area,
              (CASE WHEN period_start < $1::date THEN coalesce(sum(lasts) FILTER (WHERE day >= $1::date), 0)
                    ELSE coalesce(sum(firsts) FILTER (WHERE day <= $2::date), 0) END)::int AS citizens
         FROM demand_area_span
        WHERE granularity = $${params.length + 1} AND period_start BETWEEN $${params.length + 2}::date AND $2::date AND ${areaWhere}
        GROUP BY period_start, area`,
    spanParams,
  );
}

function areaCondition(read: AreaRead, params: unknown[], alias = ''): string {
  const a = alias ? `${alias}.` : '';
  if (!read.byDistrict) return `${a}area = $${params.push(read.area)}`;
  return read.districtCode !== null ? `${a}area = $${params.push(read.districtCode)}` : `${a}area <> '${CITY_AREA}'`;
}

/**
 * What the signals past the rollup watermark add to the area cells: signals and halves, and
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
  const areaWhere = areaCondition(read, params, 't');
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
    keys: read.byDistrict ? [row.area] : [],
    signals: row.signals,
    citizens: row.citizens,
    firstHalf: row.first_half,
    secondHalf: row.second_half,
  }));
}
