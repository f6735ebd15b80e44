import { DemandDimension, Granularity } from './analytics.types';
import { addDays, type DemandWindow, nextPeriodStart, periodStartOf } from './periods';
import { CITY_AREA } from './rollups.queries';
import type { Cell, Selection } from './trends.queries';
import { type AreaRead, readAreaDays, readAreaPeriodCitizens } from './area-trends.queries';
import { SignalKind } from '../signals/signal-kind';
import type { EntityManager } from 'typeorm';

const ALL_KINDS = Object.values(SignalKind);

/**
 * The areas to read when the area rollups answer the trend exactly: every category and kind
 * (no category or age-band filter, all kinds), grouped by district or not at all; and no
 * period cut at both ends by the window (a window inside one week or month), whose citizens
 * the first and last days cannot tell. Null otherwise: the trend is read from the daily
 * rollups at all their keys.
 */
export function areaReadOf(
  granularity: Granularity,
  dims: readonly DemandDimension[],
  selection: Selection,
  window: DemandWindow,
): AreaRead | null {
  if (selection.categoryIds !== null || selection.ageBand !== null) return null;
  if (selection.kinds !== null && !ALL_KINDS.every((kind) => selection.kinds!.includes(kind))) return null;
  if (dims.some((d) => d !== DemandDimension.DISTRICT)) return null;
  const start = periodStartOf(window.firstDay, granularity);
  const insideOnePeriod = start === periodStartOf(window.lastDay, granularity);
  if (insideOnePeriod && start < window.firstDay && addDays(nextPeriodStart(start, granularity), -1) > window.lastDay)
    return null;
  if (dims.length > 0) return { byDistrict: true, districtCode: selection.districtCode };
  return { byDistrict: false, area: selection.districtCode ?? CITY_AREA };
}

/**
 * A trend's cells from the area rollups: signals per period and the halves of `change` from
 * the days of the window (`demand_area_daily`); distinct citizens per day from the same rows,
 * per week or month from the span counts (readAreaPeriodCitizens). A few rows per period and
 * area, however many signals they count.
 */
export async function areaCells(
  db: EntityManager,
  window: DemandWindow,
  granularity: Granularity,
  read: AreaRead,
): Promise<Cell[]> {
  const days = await readAreaDays(db, window, read);
  const cells = new Map<string, Cell>();
  for (const row of days) {
    const period = periodStartOf(row.day, granularity);
    const key = `${period} ${row.area}`;
    let cell = cells.get(key);
    if (!cell)
      cells.set(
        key,
        (cell = {
          period,
          keys: read.byDistrict ? [row.area] : [],
          signals: 0,
          citizens: 0,
          firstHalf: 0,
          secondHalf: 0,
        }),
      );
    cell.signals += row.signals;
    if (granularity === Granularity.DAY) cell.citizens = row.citizens;
    if (window.halves && row.day <= window.halves.firstEnd) cell.firstHalf += row.signals;
    if (window.halves && row.day >= window.halves.secondStart) cell.secondHalf += row.signals;
  }

  if (granularity !== Granularity.DAY && cells.size > 0) {
    const periodStart = periodStartOf(window.firstDay, granularity);
    const spans = await readAreaPeriodCitizens(db, window, granularity, periodStart, read);
    for (const row of spans) {
      const cell = cells.get(`${row.period} ${row.area}`);
      if (cell) cell.citizens = row.citizens;
    }
  }
  return [...cells.values()];
}
