import { coverageOf, unmetCounts } from './reports.service';

describe('the report summary’s unmet requests', () => {
  it('leaves out unmet requests that express no need, counting those without a text as unmet', () => {
    expect(
      unmetCounts([
        { text: '电动车上牌在哪里办', count: 5 },
        { text: '你好', count: 7 },
        { text: '<script>alert(1)</script>', count: 2 },
        { text: null, count: 1 },
      ]),
    ).toEqual({ unmet: 6, noNeed: 9 });
  });

  it('takes the coverage over the requests that express a need', () => {
    expect(coverageOf(20, 5, 10)).toEqual({ requests: 20, unmetRequests: 5, coverage: 0.5 });
    expect(coverageOf(20, 5, 0)).toEqual({ requests: 20, unmetRequests: 5, coverage: 0.75 });
    // Only requests of no need, or none at all: everything expressed was met.
    expect(coverageOf(4, 0, 4)).toEqual({ requests: 4, unmetRequests: 0, coverage: 1 });
    expect(coverageOf(0, 0, 0)).toEqual({ requests: 0, unmetRequests: 0, coverage: 1 });
    // Rollups behind the signals: unmet is at most the requests that express a need.
    expect(coverageOf(3, 5, 1)).toEqual({ requests: 3, unmetRequests: 2, coverage: 0 });
  });
});
