import {
  averagePrecisionAtK,
  chooseUnmetThreshold,
  flaggedUnmet,
  gini,
  hitAt,
  ndcgAtK,
  recallAtK,
  requestFigures,
  unmetF1,
  type RequestOutcome,
} from './metrics';

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

describe('request matching figures', () => {
  const met = (expected: string[], ranked: string[], score: number): RequestOutcome => ({
    kind: 'clean',
    expected,
    ranked,
    score,
  });
  const unmet = (ranked: string[], score: number): RequestOutcome => ({ kind: 'unmet', expected: null, ranked, score });

  it('count a hit when any acceptable code is among the first k answers', () => {
    const outcome = met(['B', 'C'], ['A', 'C', 'D', 'B'], 0.5);
    expect(hitAt(outcome, 1)).toBe(false);
    expect(hitAt(outcome, 2)).toBe(true);
    expect(hitAt(met(['B'], ['A', 'C', 'D', 'B'], 0.5), 3)).toBe(false);
    expect(hitAt(unmet(['A'], 0.9), 3)).toBe(false);
  });

  it('flag a request unmet under the threshold or with no answer at all', () => {
    expect(flaggedUnmet(met(['A'], ['A'], 0.2), 0.25)).toBe(true);
    expect(flaggedUnmet(met(['A'], ['A'], 0.25), 0.25)).toBe(false);
    expect(flaggedUnmet(met(['A'], [], 0), 0)).toBe(true);
  });

  it('compute top-k over met requests and the unmet flag over all', () => {
    const outcomes = [
      met(['A'], ['A', 'B'], 0.9), // top-1
      met(['B'], ['A', 'B'], 0.6), // top-3 only
      met(['C'], ['A', 'B'], 0.1), // miss, flagged unmet at 0.3
      met(['D'], ['E', 'F', 'G', 'D'], 0.4), // miss (fourth)
      unmet(['A'], 0.2), // flagged
      unmet(['B'], 0.5), // not flagged
      unmet([], 0), // flagged: nothing found
    ];
    const figures = requestFigures(outcomes, 0.3);
    expect(figures).toEqual({
      met: 4,
      unmet: 3,
      top1: 0.25,
      top3: 0.5,
      metFlagged: 0.25,
      unmetPrecision: 2 / 3,
      unmetRecall: 2 / 3,
    });
    expect(unmetF1(figures)).toBeCloseTo(2 / 3);
  });

  it('report no precision when nothing is flagged and no recall without unmet requests', () => {
    const figures = requestFigures([met(['A'], ['A'], 0.9)], 0.3);
    expect(figures.unmetPrecision).toBeNull();
    expect(figures.unmetRecall).toBeNull();
    expect(unmetF1(figures)).toBe(0);
    expect(requestFigures([unmet(['A'], 0.1)], 0.3).top1).toBeNull();
  });

  it('choose the threshold that best flags the unmet requests, between two scores', () => {
    const outcomes = [
      met(['A'], ['A'], 0.8),
      met(['A'], ['A'], 0.32),
      met(['A'], ['A'], 0.3),
      unmet(['A'], 0.1),
      unmet(['A'], 0.2),
      unmet(['A'], 0.35), // flagging it would flag two met requests too: F1 0.75 against 0.8
    ];
    expect(chooseUnmetThreshold(outcomes)).toBeCloseTo(0.25);
    const separable = [met(['A'], ['A'], 0.6), unmet(['A'], 0.2), unmet([], 0)];
    expect(chooseUnmetThreshold(separable)).toBeCloseTo(0.4);
    const figures = requestFigures(separable, chooseUnmetThreshold(separable));
    expect([figures.unmetPrecision, figures.unmetRecall, figures.metFlagged]).toEqual([1, 1, 0]);
  });

  it('break ties of F1 by balanced accuracy', () => {
    // Under 0.15 one unmet request is flagged and no met one; under 0.65 both unmet requests and
    // two met ones: unmet F1 2/3 either way, balanced accuracy 0.75 against 0.67.
    const outcomes = [
      unmet(['A'], 0.1),
      met(['A'], ['A'], 0.2),
      met(['A'], ['A'], 0.3),
      unmet(['A'], 0.4),
      met(['A'], ['A'], 0.9),
    ];
    expect(unmetF1(requestFigures(outcomes, 0.15))).toBeCloseTo(unmetF1(requestFigures(outcomes, 0.65)));
    expect(chooseUnmetThreshold(outcomes)).toBeCloseTo(0.15);
  });
});
