import { DemandDimension } from './analytics.types';
import type { Cell } from './trends.queries';

/**
 * A trend of fewer dimensions whose cells hold every cell of the estimated trend: the same
 * periods and area, one of its sliced dimensions (category, age band or kind), read exactly
 * from the slice rollups.
 */
export interface Projection {
  dims: readonly DemandDimension[];
  cells: readonly Cell[];
}

const cellKey = (period: string, keys: readonly (string | null)[]) => JSON.stringify([period, ...keys]);

interface IndexedProjection {
  dims: readonly DemandDimension[];
  positions: number[];
  cells: Map<string, Cell>;
}

/**
 * Distinct citizens of each cell, estimated from its exact signal count and its projections'
 * exact counts. Signals and halves are left as they are.
 *
 * - Each cell: its signals times the highest citizens-per-signal of its projections (a
 *   narrower set of signals repeats its citizens less often than a wider one, so the highest
 *   ratio is the nearest).
 * - Split by age band: a citizen has one age band, so the age bands of a cell share out its
 *   citizens without overlap. Where the trend without the age band is a projection, its exact
 *   citizens are shared out over the bands in proportion to each band's signals times that
 *   band's citizens-per-signal (the age band's own projection).
 *
 * Never more than a cell's signals nor than any projection's citizens, and at least one where
 * it has a signal (its signals, the most it can have, when no projection holds it).
 */
export function estimateCitizens(
  cells: readonly Cell[],
  dims: readonly DemandDimension[],
  projections: readonly Projection[],
): Cell[] {
  const indexed = projections.map((projection): IndexedProjection => ({
    dims: projection.dims,
    positions: projection.dims.map((d) => dims.indexOf(d)),
    cells: new Map(projection.cells.map((cell) => [cellKey(cell.period, cell.keys), cell])),
  }));
  const wholeOf = (projection: IndexedProjection, cell: Cell) =>
    projection.cells.get(
      cellKey(
        cell.period,
        projection.positions.map((i) => cell.keys[i]),
      ),
    );
  const estimates = cells.map((cell): Estimate => {
    let ratio: number | null = null;
    let ceiling = cell.signals;
    for (const projection of indexed) {
      const whole = wholeOf(projection, cell);
      if (!whole || whole.signals === 0) continue;
      ratio = Math.max(ratio ?? 0, whole.citizens / whole.signals);
      ceiling = Math.min(ceiling, whole.citizens);
    }
    return { cell, ceiling, estimate: cell.signals * (ratio ?? 1) };
  });
  shareOutOverAgeBands(estimates, dims, indexed, wholeOf);
  return estimates.map(({ cell, ceiling, estimate }) => ({
    ...cell,
    citizens: cell.signals > 0 ? Math.max(1, Math.min(ceiling, Math.round(estimate))) : 0,
  }));
}

interface Estimate {
  cell: Cell;
  ceiling: number;
  estimate: number;
}

function shareOutOverAgeBands(
  estimates: Estimate[],
  dims: readonly DemandDimension[],
  projections: readonly IndexedProjection[],
  wholeOf: (projection: IndexedProjection, cell: Cell) => Cell | undefined,
): void {
  const band = dims.indexOf(DemandDimension.AGE_BAND);
  if (band < 0) return;
  const withoutBand = dims.filter((d) => d !== DemandDimension.AGE_BAND);
  const rest = projections.find(
    (p) => p.dims.length === withoutBand.length && p.dims.every((d, i) => d === withoutBand[i]),
  );
  const ownBand = projections.find((p) => p.dims.includes(DemandDimension.AGE_BAND));
  if (!rest || !ownBand) return;
  const groups = new Map<string, { entry: Estimate; weight: number }[]>();
  for (const entry of estimates) {
    const bandWhole = wholeOf(ownBand, entry.cell);
    const bandRatio = bandWhole && bandWhole.signals > 0 ? bandWhole.citizens / bandWhole.signals : 1;
    const key = cellKey(
      entry.cell.period,
      entry.cell.keys.filter((_, i) => i !== band),
    );
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push({ entry, weight: entry.cell.signals * bandRatio });
  }
  for (const group of groups.values()) {
    const whole = wholeOf(rest, group[0].entry.cell);
    const total = group.reduce((sum, { weight }) => sum + weight, 0);
    if (!whole || total === 0) continue;
    for (const { entry, weight } of group) entry.estimate = (whole.citizens * weight) / total;
  }
}
