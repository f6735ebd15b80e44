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

/**
 * Distinct citizens of each cell, estimated from its exact signal count and its projections'
 * exact counts: the cell's signals times the highest citizens-per-signal of its projections
 * (a narrower set of signals repeats its citizens less often than a wider one, so the
 * highest ratio is the nearest), never more than its signals nor than any projection's
 * citizens, and at least one where it has a signal (its signals, the most it can have, when no
 * projection holds it). Signals and halves are left as they are.
 */
export function estimateCitizens(
  cells: readonly Cell[],
  dims: readonly DemandDimension[],
  projections: readonly Projection[],
): Cell[] {
  const indexed = projections.map((projection) => ({
    positions: projection.dims.map((d) => dims.indexOf(d)),
    cells: new Map(projection.cells.map((cell) => [cellKey(cell.period, cell.keys), cell])),
  }));
  return cells.map((cell) => {
    let ratio: number | null = null;
    let ceiling = cell.signals;
    for (const projection of indexed) {
      const whole = projection.cells.get(
        cellKey(
          cell.period,
          projection.positions.map((i) => cell.keys[i]),
        ),
      );
      if (!whole || whole.signals === 0) continue;
      ratio = Math.max(ratio ?? 0, whole.citizens / whole.signals);
      ceiling = Math.min(ceiling, whole.citizens);
    }
    const estimate = Math.min(ceiling, Math.round(cell.signals * (ratio ?? 1)));
    return { ...cell, citizens: cell.signals > 0 ? Math.max(1, estimate) : 0 };
  });
}
