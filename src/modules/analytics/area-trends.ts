import { DemandDimension, Granularity } from './analytics.types';
import { addDays, type DemandWindow, nextPeriodStart, periodStartOf } from './periods';
import { CITY_AREA } from './rollups.queries';
import type { Cell, Selection } from './trends.queries';
import { type AreaRead, readAreaDays, readAreaPeriodCitizens, type SliceSet } from './area-trends.queries';
import { SignalKind } from '../signals/signal-kind';
import type { EntityManager } from 'typeorm';

const ALL_KINDS = Object.values(SignalKind);

/**
 * What to read when the area or slice rollups answer the trend exactly, null otherwise (the
 * daily rollups at all their keys answer it):
 *
 * - every category and kind (no category or age-band filter, all kinds), grouped by district
 *   or not at all: the area rollups;
 * - one dimension among category, age band and kind, filtered or grouped by (not both of two
 *   of them), grouped by district or not at all: the slice rollups — one category (a category
 *   without children, or a top-level one with its children), one age band or one kind; or a
 *   split by category (every category, or those of the filter), by age band or by kind (every
 *   kind, or those of the filter). Several kinds, not all, without a split by kind cannot be
 *   read from slices (their citizens overlap);
 *
 * and in both, no period cut at both ends by the window (a window inside one week or month),
 * whose citizens the first and last days cannot tell.
 */
export function areaReadOf(
  granularity: Granularity,
  dims: readonly DemandDimension[],
  selection: Selection,
  window: DemandWindow,
): AreaRead | null {
  const start = periodStartOf(window.firstDay, granularity);
  const insideOnePeriod = start === periodStartOf(window.lastDay, granularity);
  if (insideOnePeriod && start < window.firstDay && addDays(nextPeriodStart(start, granularity), -1) > window.lastDay)
    return null;
  const { sliced, kinds } = slicedDimensionsOf(dims, selection);
  if (sliced.length > 1) return null;
  const area = dims.includes(DemandDimension.DISTRICT) ? selection.districtCode : (selection.districtCode ?? CITY_AREA);
  const keys = dims.map((d) => (d === DemandDimension.DISTRICT ? ('area' as const) : ('slice' as const)));
  if (sliced.length === 0) return { area, slices: null, keys };
  const slices = slicesOf(sliced[0], dims.includes(sliced[0]), { ...selection, kinds });
  return slices ? { area, slices, keys } : null;
}

/**
 * The dimensions among category, age band and kind that a trend groups by or filters on (kinds
 * only when some but not all are asked for), and those kinds (null: every kind).
 */
export function slicedDimensionsOf(
  dims: readonly DemandDimension[],
  selection: Selection,
): { sliced: DemandDimension[]; kinds: Selection['kinds'] } {
  const kinds = selection.kinds && !ALL_KINDS.every((kind) => selection.kinds!.includes(kind)) ? selection.kinds : null;
  const sliced = [
    dims.includes(DemandDimension.CATEGORY) || selection.categoryIds !== null ? DemandDimension.CATEGORY : null,
    dims.includes(DemandDimension.AGE_BAND) || selection.ageBand !== null ? DemandDimension.AGE_BAND : null,
    dims.includes(DemandDimension.KIND) || kinds !== null ? DemandDimension.KIND : null,
  ].filter((d): d is DemandDimension => d !== null);
  return { sliced, kinds };
}

/** The slices of one dimension a trend reads (`grouped`: split by it), null when slices cannot answer. */
function slicesOf(dimension: DemandDimension, grouped: boolean, s: Selection): SliceSet | null {
  switch (dimension) {
    case DemandDimension.CATEGORY:
      if (!s.categoryIds) return { prefix: 'c:' };
      if (grouped) return { values: s.categoryIds.map((id) => `c:${id}`) };
      return s.categorySlice ? { values: [s.categorySlice] } : null;
    case DemandDimension.AGE_BAND:
      return s.ageBand ? { values: [`a:${s.ageBand}`] } : { prefix: 'a:' };
    case DemandDimension.KIND:
      if (!s.kinds) return { prefix: 'k:' };
      return grouped || s.kinds.length === 1 ? { values: s.kinds.map((kind) => `k:${kind}`) } : null;
    default:
      return null;
  }
}

/**
 * A trend's cells from the area or slice rollups: signals per period and the halves of `change` from
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
  // A slice's value follows its prefix ('c:', 'a:', 'k:').
  const keysOf = (row: { slice: string; area: string }) =>
    read.keys.map((k) => (k === 'area' ? row.area : row.slice.slice(2)));
  for (const row of days) {
    const period = periodStartOf(row.day, granularity);
    const key = `${period} ${row.slice} ${row.area}`;
    let cell = cells.get(key);
    if (!cell)
      cells.set(
        key,
        (cell = {
          period,
          keys: keysOf(row),
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
      const cell = cells.get(`${row.period} ${row.slice} ${row.area}`);
      if (cell) cell.citizens = row.citizens;
    }
  }
  return [...cells.values()];
}
