import { operationPoints } from './rate-limit';

describe('operationPoints', () => {
  it('charges one point, and one more per costPerPoint objects of the cost', () => {
    expect(operationPoints(0, 1000)).toBe(1);
    expect(operationPoints(999, 1000)).toBe(1);
    expect(operationPoints(1000, 1000)).toBe(2);
    expect(operationPoints(10_000, 1000)).toBe(11);
  });

  it('charges one point when the cost is unknown or weighting is off', () => {
    expect(operationPoints(undefined, 1000)).toBe(1);
    expect(operationPoints(10_000, 0)).toBe(1);
  });
});
