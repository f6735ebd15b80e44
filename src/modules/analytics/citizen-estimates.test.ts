import { DemandDimension } from './analytics.types';
import { estimateCitizens } from './citizen-estimates';
import type { Cell } from './trends.queries';

const cell = (period: string, keys: string[], signals: number, citizens = 0): Cell => ({
  period,
  keys,
  signals,
  citizens,
  firstHalf: 0,
  secondHalf: 0,
});
const { CATEGORY, AGE_BAND, DISTRICT } = DemandDimension;

describe('estimateCitizens', () => {
  it("scales a cell's signals by the highest citizens-per-signal of its projections", () => {
    const [estimated] = estimateCitizens(
      [cell('2026-11-02', ['gov', 'ADULT'], 40)],
      [CATEGORY, AGE_BAND],
      [
        { dims: [CATEGORY], cells: [cell('2026-11-02', ['gov'], 200, 100)] },
        { dims: [AGE_BAND], cells: [cell('2026-11-02', ['ADULT'], 1000, 250)] },
      ],
    );
    // 40 × max(100/200, 250/1000) = 20.
    expect(estimated.citizens).toBe(20);
    expect(estimated.signals).toBe(40);
  });

  it("never counts more citizens than the cell's signals or than a projection's citizens", () => {
    const [fewerSignals, fewerInProjection] = estimateCitizens(
      [cell('2026-11-02', ['520102', 'gov', 'ADULT'], 3), cell('2026-11-02', ['520103', 'gov', 'ADULT'], 30)],
      [DISTRICT, CATEGORY, AGE_BAND],
      [
        {
          dims: [DISTRICT, CATEGORY],
          cells: [cell('2026-11-02', ['520102', 'gov'], 10, 10), cell('2026-11-02', ['520103', 'gov'], 40, 40)],
        },
        { dims: [DISTRICT, AGE_BAND], cells: [cell('2026-11-02', ['520103', 'ADULT'], 30, 12)] },
      ],
    );
    expect(fewerSignals.citizens).toBe(3);
    expect(fewerInProjection.citizens).toBe(12);
  });

  it('keeps at least one citizen where there is a signal, none where there is none, and the signals where nothing projects', () => {
    const cells = estimateCitizens(
      [
        cell('2026-11-02', ['gov', 'ADULT'], 1),
        cell('2026-11-09', ['gov', 'ADULT'], 0),
        cell('2026-11-16', ['gov', 'ADULT'], 5),
      ],
      [CATEGORY, AGE_BAND],
      [
        {
          dims: [CATEGORY],
          cells: [cell('2026-11-02', ['gov'], 100, 10), cell('2026-11-09', ['gov'], 3, 1)],
        },
      ],
    );
    expect(cells.map((c) => c.citizens)).toEqual([1, 0, 5]);
  });
});
