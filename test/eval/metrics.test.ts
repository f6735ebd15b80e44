import { averagePrecisionAtK, gini, ndcgAtK, recallAtK } from './metrics';

describe('ranking metrics', () => {
  const relevant = new Set(['a', 'b']);
  it('score a perfect ranking 1 and an empty one 0', () => {
    expect(ndcgAtK(['a', 'b', 'c'], relevant)).toBeCloseTo(1);
    expect(averagePrecisionAtK(['a', 'b', 'c'], relevant)).toBeCloseTo(1);
    expect(recallAtK(['c', 'd'], relevant)).toBe(0);
    expect(ndcgAtK(['c', 'd'], relevant)).toBe(0);
  });
  it('reward relevant items higher up', () => {
    expect(ndcgAtK(['a', 'c', 'b'], relevant)).toBeGreaterThan(ndcgAtK(['c', 'a', 'b'], relevant));
    expect(recallAtK(['c', 'a'], relevant)).toBe(0.5);
    expect(averagePrecisionAtK(['c', 'a'], relevant)).toBeCloseTo(0.25);
  });
  it('measures concentration with Gini', () => {
    expect(gini([5, 5, 5, 5])).toBeCloseTo(0);
    expect(gini([0, 0, 0, 20])).toBeCloseTo(0.75);
  });
});
