import { candidate, citizen, SCORING_NOW } from '../../../test/helpers/scoring-fixtures';
import { MatchReasonKind } from './match-reason';
import {
  cityStandingOf,
  historyOf,
  ratingEvidence,
  scoreCandidates as scoreWith,
  segmentPriorOf,
  selfShareOf,
  slotsOf,
  standingEvidence,
  thinCityShare,
  thinLeanShareOf,
  thinTasteFactor,
  TUNING as DEFAULT_TUNING,
  voteEvidence,
  type CitizenSignals,
  type ScoredCandidate,
} from './scoring';

// Scores worked out by hand from the default tuning (ranking-model.ts), so that a change of
// any term of the blend shows: shareToScore(share, n) = share·n / (share·n + demandHalfPoint 2).
// The sums below smooth a segment with segmentSmoothing's 10 pseudo-signals alone and let a
// history reach its neighbours by h / (h + 100): the defaults' catalogue-sized prior
// (segmentPriorPerService) and neighbour reach are worked out in their own tests
// ("the defaults' prior and reach", at the end).
const TUNING = { ...DEFAULT_TUNING, segmentPriorPerService: 0, neighbourHalfPoint: 100 };
const scoreCandidates = (...[list, signals, titleOf, slots, tuning = TUNING]: Parameters<typeof scoreWith>) =>
  scoreWith(list, signals, titleOf, slots, tuning);
const toScore = (share: number, n: number) => (share * n) / (share * n + 2);
// The category taste's weight for a history of size h: 0.075 × α × (1 + 8 × 1 / (h + 1)).
const thin = (h: number) => 1 + 8 / (h + 1);

const now = SCORING_NOW;
/** Each component as [kind, contribution rounded to 6 places, sentence], largest first. */
const parts = (scored: ScoredCandidate) =>
  scored.components.map((c) => [c.kind, Math.round(c.contribution * 1e6) / 1e6, c.message]);
const round = (value: number) => Math.round(value * 1e6) / 1e6;

describe('scores worked out by hand', () => {
  it('a newcomer: the segment’s demand smoothed towards the city’s, split between the segment and the city', () => {
    // Popularity 3 and 1 (city shares 0.75, 0.25); the segment used `a` 4 times. Smoothed shares
    // (own + 10 × city share) / (4 + 10): a 11.5/14, b 2.5/14; weight 0.56 (no history).
    const [a, b] = scoreCandidates(
      [candidate('a', 'c1', { popularity: 3 }), candidate('b', 'c2')],
      citizen({ personalized: false, segment: new Map([['a', 4]]) }),
    );
    const valueA = 0.56 * toScore(11.5 / 14, 2);
    expect(round(a.score)).toBe(round(valueA));
    expect(parts(a)).toEqual([
      [MatchReasonKind.POPULAR, round((valueA * 7.5) / 11.5), '全市居民常用'],
      [MatchReasonKind.SEGMENT_DEMAND, round((valueA * 4) / 11.5), '云岩区60岁以上居民近期常用'],
    ]);
    expect(parts(b)).toEqual([[MatchReasonKind.POPULAR, round(0.56 * toScore(2.5 / 14, 2)), '全市居民常用']]);
  });

  it('a history: the service used, its co-used neighbour and the category taste', () => {
    // History h ×2 (not a candidate any more), s ×1: total 3, α = 3 / (3 + 0.5).
    // Reach: s itself 5 × 1; t from h's neighbour 2 × 3/103 × 0.5, and from s's category 1 × 3/103 × 0.01.
    const alpha = 3 / 3.5;
    const confidence = 3 / 103;
    const tReach = 2 * confidence * 0.5 + confidence * 0.01;
    const own = (share: number) => 2.4 * alpha * (share / (share + 0.45));
    // Category taste: c1 holds 1 of the 3 (h has no category among candidates); its share passed
    // on to s and t by their demand (the city's: equal), 1/6 each of 3 candidates.
    const taste = 0.075 * alpha * thin(3) * toScore(1 / 6, 3);
    const [s, t, o] = scoreCandidates(
      [candidate('s'), candidate('t'), candidate('o', 'c2')],
      citizen({
        history: new Map([
          ['h', 2],
          ['s', 1],
        ]),
        historyCounts: new Map([
          ['h', 2],
          ['s', 1],
        ]),
        neighbours: new Map([['h', [{ id: 't', similarity: 0.5 }]]]),
      }),
      (id) => (id === 'h' ? '老年证办理' : undefined),
    );
    expect(parts(s)).toEqual([
      [MatchReasonKind.OWN_HISTORY, round(own(5 / 3)), '您办理或浏览过此服务'],
      [MatchReasonKind.OWN_HISTORY, round(taste), '您常办理“类别”类服务'],
    ]);
    expect(parts(t)).toEqual([
      [MatchReasonKind.OWN_HISTORY, round(own(tReach / 3)), '与您办理过的“老年证办理”相关'],
      [MatchReasonKind.OWN_HISTORY, round(taste), '您常办理“类别”类服务'],
    ]);
    expect(round(s.score)).toBe(round(own(5 / 3) + taste));
    expect(o.score).toBe(0);
    expect(o.components).toEqual([]);
  });

  it('a short history: text, circumstance, interests (of the parent category) and novelty, each weighed', () => {
    // History s ×1: α = 1 / 1.5. Nothing of the segment, so no demand component (POPULAR weighs 0).
    const alpha = 1 / 1.5;
    const [s, o] = scoreCandidates(
      [
        candidate('s'),
        candidate('o', 'c2', { parentCategoryId: 'p', launchedAt: new Date(now.getTime() - 3 * 86_400_000) }),
      ],
      citizen({
        history: new Map([['s', 1]]),
        historyCounts: new Map([['s', 1]]),
        interestCategoryIds: new Set(['p']),
        cohort: [
          { tag: 'retiree', shares: new Map([['o', 0.5]]) },
          {
            tag: 'disabled',
            shares: new Map([
              ['o', 0.8],
              ['s', 0.1],
            ]),
          },
        ],
        text: new Map([['o', { score: 0.5, terms: ['养老', '补贴', '申领', '材料'] }]]),
      }),
    );
    expect(parts(o)).toEqual([
      [MatchReasonKind.TEXT_MATCH, 0.2, '匹配您的需求：养老、补贴、申领'],
      [MatchReasonKind.INTEREST, round(0.2 * (1 - alpha)), '属于您关注的“类别”'],
      [MatchReasonKind.SIMILAR_CITIZENS, round(0.07 * toScore(0.8, 2)), '与您情况相似的居民（残疾人）常用'],
      [MatchReasonKind.NEW_SERVICE, round(0.02 * (1 - 3 / 30)), '新上线服务'],
    ]);
    expect(parts(s)).toEqual([
      [MatchReasonKind.OWN_HISTORY, round(2.4 * alpha * (5 / 5.45)), '您办理或浏览过此服务'],
      [MatchReasonKind.OWN_HISTORY, round(0.075 * alpha * thin(1) * toScore(1, 2)), '您常办理“类别”类服务'],
      [MatchReasonKind.SIMILAR_CITIZENS, round(0.07 * toScore(0.1, 2)), '与您情况相似的居民（残疾人）常用'],
    ]);
  });

  it('novelty fades over thirty days, and a service launched later than now is not new yet', () => {
    const launched = (days: number) =>
      scoreCandidates(
        [candidate('n', 'c1', { launchedAt: new Date(now.getTime() - days * 86_400_000) })],
        citizen({ personalized: false }),
      )[0];
    expect(round(launched(0).score)).toBe(0.02);
    expect(round(launched(15).score)).toBe(0.01);
    expect(launched(30).score).toBe(0);
    expect(launched(-1).score).toBe(0);
  });

  it('votes and ratings: shrunk towards the city, less one deviation, praised by the larger', () => {
    const city = { upShare: 0.6, meanRating: 3.8 };
    // Votes 40 up, 1 down: Beta(6 + 40, 4 + 1), mean 46/51, less its deviation, minus the city's 0.6.
    const mean = 46 / 51;
    const votes = mean - 0.6 - Math.sqrt((mean * (1 - mean)) / 52);
    expect(round(voteEvidence(40, 1, 0.6))).toBe(round(votes));
    expect(round(voteEvidence(1, 40, 0.4))).toBe(-round(votes));
    // Ratings 20 of mean 4.5: (90 + 10 × 3.8) / 30, less 1/√30, in quarters of the scale.
    const ratings = ((90 + 38) / 30 - 3.8 - 1 / Math.sqrt(30)) / 4;
    expect(round(ratingEvidence(20, 90, 3.8))).toBe(round(ratings));
    expect(round(ratingEvidence(20, 62, 3.8))).toBe(-round(ratings));
    const loved = candidate('v', 'c1', { upvotes: 40, downvotes: 1, ratingCount: 20, ratingSum: 90 });
    expect(round(standingEvidence(loved, city))).toBe(round(votes + ratings));
    const [scored] = scoreCandidates([loved], citizen({ personalized: false, city }));
    expect(parts(scored)).toEqual([[MatchReasonKind.WELL_RATED, round(0.02 * (votes + ratings)), '居民点赞较多']]);
    // Ratings praised more than votes: the mean rating is named.
    const rated = candidate('r', 'c1', { upvotes: 3, ratingCount: 40, ratingSum: 190 });
    expect(
      scoreCandidates([rated], citizen({ personalized: false, city }))[0].components.map((c) => c.message),
    ).toEqual(['评价较好（4.8分）']);
    // Five ratings earn praise, four do not; praise of votes needs a Wilson lower bound above 0.5.
    expect(standingEvidence({ upvotes: 0, downvotes: 0, ratingCount: 5, ratingSum: 25 }, city)).toBeGreaterThan(0);
    expect(standingEvidence({ upvotes: 0, downvotes: 0, ratingCount: 4, ratingSum: 20 }, city)).toBe(0);
    // … but four poor ratings lower it: only praise needs enough citizens.
    expect(standingEvidence({ upvotes: 0, downvotes: 0, ratingCount: 4, ratingSum: 4 }, city)).toBeLessThan(0);
    // As many up as down is above a city that votes down more.
    expect(voteEvidence(20, 20, 0.3)).toBeGreaterThan(0);
    expect(voteEvidence(8, 4, 0.3)).toBeGreaterThan(0);
    expect(
      standingEvidence({ upvotes: 8, downvotes: 4, ratingCount: 0, ratingSum: 0 }, { ...city, upShare: 0.3 }),
    ).toBe(0);
    expect(standingEvidence({ upvotes: 0, downvotes: 12, ratingCount: 0, ratingSum: 0 }, city)).toBe(
      voteEvidence(0, 12, 0.6),
    );
  });

  it('the city’s standing: shares kept off 0 and 1, defaults without votes or ratings', () => {
    const counts = (upvotes: number, downvotes: number, ratingCount = 0, ratingSum = 0) => ({
      upvotes,
      downvotes,
      ratingCount,
      ratingSum,
    });
    expect(cityStandingOf([])).toEqual({ upShare: 0.5, meanRating: 3.5 });
    expect(cityStandingOf([counts(100, 0)])).toEqual({ upShare: 0.95, meanRating: 3.5 });
    expect(cityStandingOf([counts(0, 100)])).toEqual({ upShare: 0.05, meanRating: 3.5 });
    expect(cityStandingOf([counts(3, 1, 2, 9), counts(0, 4, 2, 3)])).toEqual({ upShare: 0.375, meanRating: 3 });
  });

  it('a fitted tuning: recent and related categories, fading, the age band’s demand', () => {
    const day = 86_400_000;
    const tuning = { ...TUNING, recentTaste: 0.3, relatedTaste: 0.2, categoryTaste: 0 };
    // Used lately: r (category A) 2 times, 3 days ago; long ago: q (category B) 4 times, 40 days ago.
    // A's services are co-used with C's (r → c1 0.6) and B's (r → q 0.2): links A→C 0.75, A→B 0.25.
    const list = [
      candidate('r', 'A', { categoryName: '户籍' }),
      candidate('a2', 'A'),
      candidate('q', 'B', { categoryName: '公积金' }),
      candidate('c1', 'C'),
    ];
    const signals = citizen({
      history: new Map([
        ['r', 2],
        ['q', 4],
      ]),
      historyCounts: new Map([
        ['r', 2],
        ['q', 4],
      ]),
      historyLastAt: new Map([
        ['r', now.getTime() - 3 * day],
        ['q', now.getTime() - 40 * day],
      ]),
      neighbours: new Map([
        [
          'r',
          [
            { id: 'c1', similarity: 0.6 },
            { id: 'q', similarity: 0.2 },
          ],
        ],
      ]),
    });
    const byId = new Map(scoreCandidates(list, signals, undefined, undefined, tuning).map((s) => [s.candidate.id, s]));
    const messagesOf = (id: string) => byId.get(id)!.components.map((c) => c.message);
    // Recent use is all A's: its two services share it (by the city's demand, equal), 1/2 each of 4.
    const recent = round(0.3 * toScore(0.5, 4));
    expect(parts(byId.get('a2')!)).toContainEqual([MatchReasonKind.OWN_HISTORY, recent, '您近期办理过“类别”类服务']);
    // C is related only through A (share 1 × link 0.75), its one service holding it all.
    expect(parts(byId.get('c1')!)).toContainEqual([
      MatchReasonKind.OWN_HISTORY,
      round(0.2 * toScore(0.75, 4)),
      '常与您近期办理的“户籍”类服务一起办理',
    ]);
    expect(messagesOf('q')).toContain('常与您近期办理的“户籍”类服务一起办理');
    expect(messagesOf('q')).not.toContain('您近期办理过“公积金”类服务');
    // Nothing used lately: neither recent nor related taste.
    const old = { ...signals, historyLastAt: new Map([['r', now.getTime() - 30 * day]]) };
    const oldScored = scoreCandidates(list, old, undefined, undefined, tuning);
    const oldMessages = oldScored.flatMap((s) => s.components.map((c) => c.message));
    expect(oldMessages.filter((m) => m.includes('近期'))).toEqual([]);
    expect(oldMessages).toContain('您办理或浏览过此服务');

    // Fading halves a service's weight in the history per 1/fading days since its last use.
    const faded = scoreCandidates(list, signals, undefined, undefined, { ...TUNING, historyFading: 1 / 40 });
    const plain = scoreCandidates(list, signals);
    const ownOf = (scored: ScoredCandidate[], id: string) =>
      scored.find((s) => s.candidate.id === id)!.components.find((c) => c.message === '您办理或浏览过此服务')!
        .contribution;
    // Plain: r 2 of 6 (α 6/6.5); faded: r 2 × 2^(−3/40), q 4 × 2^(−1), α of their sum.
    const rFaded = 2 * 2 ** (-3 / 40);
    const total = rFaded + 2;
    // OWN_HISTORY of a reach: weight × α × share / (share + 0.45), share = reach / history total.
    const ownOfReach = (reach: number, all: number) =>
      ((2.4 * all) / (all + 0.5)) * (reach / all / (reach / all + 0.45));
    expect(round(ownOf(plain, 'r'))).toBe(round(ownOfReach(2 * 5, 6)));
    expect(round(ownOf(faded, 'r'))).toBe(round(ownOfReach(rFaded * 5, total)));
    // q: itself, and r's co-used neighbour (r's weight × total / (total + 100) × 0.2).
    const qReach = 2 * 5 + rFaded * (total / (total + 100)) * 0.2;
    expect(round(ownOf(faded, 'q'))).toBe(round(ownOfReach(qReach, total)));
  });

  it('a fitted tuning: a segment’s demand smoothed towards its age band’s across the city', () => {
    const tuning = { ...TUNING, ageBandSmoothing: 6 };
    // The segment used `a` 2 times; the band across the city used `b` 3 times, `a` once.
    // Shares: (own + 6 × band share + 10 × city share) / (2 + 6 + 10), city shares 1/2.
    const [a, b] = scoreCandidates(
      [candidate('a'), candidate('b', 'c2')],
      citizen({
        personalized: false,
        segment: new Map([['a', 2]]),
        ageBandDemand: new Map([
          ['a', 1],
          ['b', 3],
        ]),
      }),
      undefined,
      undefined,
      tuning,
    );
    const valueB = 0.56 * toScore((4.5 + 5) / 18, 2);
    expect(parts(b)).toEqual([
      [MatchReasonKind.POPULAR, round((valueB * 5) / 9.5), '全市居民常用'],
      [MatchReasonKind.SEGMENT_DEMAND, round((valueB * 4.5) / 9.5), '全市60岁以上居民近期常用'],
    ]);
    const valueA = 0.56 * toScore((2 + 1.5 + 5) / 18, 2);
    expect(round(a.score)).toBe(round(valueA));
  });

  it('reads a shared map anew for another catalogue (its copy by slot is kept per catalogue)', () => {
    const segment = new Map([
      ['a', 4],
      ['b', 1],
    ]);
    const neighbours = new Map([['a', [{ id: 'b', similarity: 0.5 }]]]);
    const signals = citizen({ segment, neighbours, history: new Map([['a', 1]]), historyCounts: new Map([['a', 1]]) });
    const tuning = { ...TUNING, relatedTaste: 0.2 };
    const summary = (list: ScoredCandidate[]) => list.map((x) => [x.candidate.id, round(x.score)]);
    const first = [candidate('a', 'A'), candidate('b', 'B')];
    // The same services in another catalogue, at other slots.
    const second = [candidate('b', 'B', { slot: 1 }), candidate('a', 'A', { slot: 0 })];
    const copy = () => citizen({ ...signals, segment: new Map(segment), neighbours: new Map(neighbours) });
    const withLastAt = (c: CitizenSignals) => ({ ...c, historyLastAt: new Map([['a', now.getTime()]]) });
    scoreCandidates(first, withLastAt(signals), undefined, undefined, tuning);
    expect(summary(scoreCandidates(second, withLastAt(signals), undefined, undefined, tuning))).toEqual(
      summary(scoreCandidates(second, withLastAt(copy()), undefined, undefined, tuning)),
    );
    expect(summary(scoreCandidates(first, withLastAt(signals), undefined, undefined, tuning))).toEqual(
      summary(scoreCandidates(first, withLastAt(copy()), undefined, undefined, tuning)),
    );
  });
});

// The thin-history fixture: the citizen used s (c1) once; the segment used p and q (c2) 20
// times each, t and u (c1) once each.
const thinHistoryCandidates = () => [
  candidate('s'),
  candidate('t'),
  candidate('u'),
  candidate('p', 'c2'),
  candidate('q', 'c2'),
];
const thinHistorySegment = new Map([
  ['p', 20],
  ['q', 20],
  ['t', 1],
  ['u', 1],
]);

describe('a thin history leans on its category', () => {
  // The segment's demand is smoothed as for anyone; only the taste's weight moves.
  const candidates = thinHistoryCandidates;
  const segment = thinHistorySegment;
  const ranked = (signals: number, tuning = TUNING) =>
    scoreCandidates(
      candidates(),
      citizen({ segment, history: new Map([['s', signals]]), historyCounts: new Map([['s', signals]]) }),
      undefined,
      undefined,
      tuning,
    )
      .sort((a, b) => b.score - a.score)
      .map((c) => c.candidate.id);

  it('one signal: the category’s other services come before the segment’s popular ones', () => {
    expect(ranked(1)).toEqual(['s', 't', 'u', 'p', 'q']);
    // Without the lean, the segment's popular services come first after the one used.
    expect(ranked(1, { ...TUNING, thinTasteBoost: 0 })).toEqual(['s', 'p', 'q', 't', 'u']);
  });

  it('the lean fades as the history grows, and a taste turned off stays off', () => {
    expect(thinTasteFactor(1)).toBe(5);
    expect(thinTasteFactor(10)).toBeCloseTo(1 + 8 / 11, 12);
    expect(thinTasteFactor(100)).toBeCloseTo(1 + 8 / 101, 12);
    expect(thinTasteFactor(1, { ...TUNING, thinTasteHalfPoint: 0 })).toBe(1);
    const taste = (tuning: typeof TUNING) =>
      scoreCandidates(
        candidates(),
        citizen({ segment, history: new Map([['s', 1]]), historyCounts: new Map([['s', 1]]) }),
        undefined,
        undefined,
        tuning,
      )
        .find((c) => c.candidate.id === 't')!
        .components.filter((c) => c.message === '您常办理“类别”类服务');
    expect(taste({ ...TUNING, categoryTaste: 0 })).toEqual([]);
  });

  it('a thin history’s taste is passed on by the city’s demand more than the segment’s, a long one’s by the segment’s', () => {
    // c1: s (used), t (the segment's: 10 of its 10 uses), u (the city's: popularity 5 of 7).
    const list = () => [candidate('s'), candidate('t'), candidate('u', 'c1', { popularity: 5 }), candidate('o', 'c2')];
    const tasteOf = (signals: number) => {
      const scored = scoreCandidates(
        list(),
        citizen({
          segment: new Map([['t', 10]]),
          history: new Map([['s', signals]]),
          historyCounts: new Map([['s', signals]]),
        }),
      );
      const taste = (id: string) =>
        scored.find((c) => c.candidate.id === id)!.components.find((c) => c.message === '您常办理“类别”类服务')!
          .contribution;
      return { t: taste('t'), u: taste('u') };
    };
    expect(thinCityShare(1)).toBeCloseTo(5 / 6, 12);
    expect(thinCityShare(45)).toBeCloseTo(0.1, 12);
    expect(thinCityShare(1, { ...TUNING, thinCityHalfPoint: 0 })).toBe(0);
    const thinTaste = tasteOf(1);
    expect(thinTaste.u).toBeGreaterThan(thinTaste.t);
    const longTaste = tasteOf(200);
    expect(longTaste.t).toBeGreaterThan(longTaste.u);
    // By hand, one signal: segment shares (own + 10 × city share) / 20, city shares 1/8, 1/8, 5/8, 1/8;
    // each blended 1/6 segment, 5/6 city, then as shares of c1's (s, t, u).
    const city = [1 / 8, 1 / 8, 5 / 8];
    const segmentShare = [1.25 / 20, 11.25 / 20, 6.25 / 20];
    const value = city.map((c, i) => (1 / 6) * segmentShare[i] + (5 / 6) * c);
    const total = value.reduce((a, b) => a + b, 0);
    expect(thinTaste.u).toBeCloseTo(0.075 * (1 / 1.5) * 5 * toScore(value[2] / total, 4), 9);
  });
});

describe('terms the default tuning leaves out (a fitted model may weigh them)', () => {
  const day = 86_400_000;

  it('the city’s popularity weighed directly, the history blending decayed affinity with counts, co-use doubled', () => {
    const tuning = {
      ...TUNING,
      weights: { ...TUNING.weights, [MatchReasonKind.POPULAR]: 0.1 },
      historyCountShare: 0.25,
      coUse: 2,
      categoryTaste: 0,
    };
    // s: affinity 2 from 4 signals: 0.75 × 2 + 0.25 × 4 = 2.5, the whole history; α = 2.5 / 3.
    // t is s's co-used neighbour (0.5) and of its category: 2.5 × 2.5/102.5 × (2 × 0.5 + 0.01).
    const alpha = 2.5 / 3;
    const confidence = 2.5 / 102.5;
    const own = (share: number) => 2.4 * alpha * (share / (share + 0.45));
    const [s, t, o] = scoreCandidates(
      [candidate('s', 'c1', { popularity: 3 }), candidate('t'), candidate('o', 'c2', { popularity: 0 })],
      citizen({
        history: new Map([['s', 2]]),
        historyCounts: new Map([['s', 4]]),
        neighbours: new Map([['s', [{ id: 't', similarity: 0.5 }]]]),
      }),
      undefined,
      undefined,
      tuning,
    );
    // City shares 3/4, 1/4 and 0 of 3 candidates.
    expect(parts(s)).toEqual([
      [MatchReasonKind.OWN_HISTORY, round(own(5)), '您办理或浏览过此服务'],
      [MatchReasonKind.POPULAR, round(0.1 * toScore(0.75, 3)), '全市居民常用'],
    ]);
    expect(parts(t)).toEqual([
      [MatchReasonKind.OWN_HISTORY, round(own(confidence * 1.01)), '与您办理过的“服务s”相关'],
      [MatchReasonKind.POPULAR, round(0.1 * toScore(0.25, 3)), '全市居民常用'],
    ]);
    expect(round(t.score)).toBe(round(own(confidence * 1.01) + 0.1 * toScore(0.25, 3)));
    expect(o.score).toBe(0);
  });

  it('without citywide demand, the city’s shares are even and nothing is popular of itself', () => {
    const tuning = { ...TUNING, weights: { ...TUNING.weights, [MatchReasonKind.POPULAR]: 0.1 } };
    // Shares of the segment smoothed towards even city shares: a (4 + 10 × 1/2) / 14, b 5 / 14.
    const [a, b] = scoreCandidates(
      [candidate('a', 'c1', { popularity: 0 }), candidate('b', 'c2', { popularity: 0 })],
      citizen({ personalized: false, segment: new Map([['a', 4]]) }),
      undefined,
      undefined,
      tuning,
    );
    expect(round(a.score)).toBe(round(0.56 * toScore(9 / 14, 2)));
    expect(round(b.score)).toBe(round(0.56 * toScore(5 / 14, 2)));
  });

  it('a service nobody uses scores nothing, and passes on no taste through its empty demand', () => {
    // z: no popularity, no segment demand; the citizen used it once.
    const [a, z] = scoreCandidates(
      [candidate('a', 'c1', { popularity: 2 }), candidate('z', 'cz', { popularity: 0 })],
      citizen({ segment: new Map([['a', 2]]), history: new Map([['z', 1]]), historyCounts: new Map([['z', 1]]) }),
    );
    // α = 1 / 1.5: the segment weighs 0.56 × (0.1 + 0.9 / 3); z's own use alone speaks for it.
    const alpha = 1 / 1.5;
    expect(parts(z)).toEqual([[MatchReasonKind.OWN_HISTORY, round(2.4 * alpha * (5 / 5.45)), '您办理或浏览过此服务']]);
    expect(round(z.score)).toBe(round(2.4 * alpha * (5 / 5.45)));
    expect(round(a.score)).toBe(round(0.56 * (0.1 + 0.9 * (1 - alpha)) * toScore(12 / 12, 2)));
    const [, nobody] = scoreCandidates(
      [candidate('a', 'c1', { popularity: 2 }), candidate('z', 'cz', { popularity: 0 })],
      citizen({ personalized: false, segment: new Map([['a', 2]]) }),
    );
    expect(nobody.score).toBe(0);
    expect(nobody.components).toEqual([]);
  });

  it('age band smoothing changes nothing for a citizen without an age band’s demand', () => {
    const list = () => [candidate('a', 'c1', { popularity: 3 }), candidate('b', 'c2')];
    const signals = citizen({ personalized: false, ageBand: null, segment: new Map([['a', 2]]) });
    const scores = (tuning: typeof TUNING) =>
      scoreCandidates(list(), signals, undefined, undefined, tuning).map((s) => round(s.score));
    expect(scores({ ...TUNING, ageBandSmoothing: 6 })).toEqual(scores(TUNING));
    expect(scores({ ...TUNING, ageBandSmoothing: 6 })).toEqual([
      round(0.56 * toScore((2 + 7.5) / 12, 2)),
      round(0.56 * toScore(2.5 / 12, 2)),
    ]);
  });

  it('recent use: up to recentDays ago inclusive; a link within the category of recent use is no related category', () => {
    const tuning = { ...TUNING, recentTaste: 0.3, relatedTaste: 0.2, categoryTaste: 0 };
    const list = [candidate('r', 'A'), candidate('a2', 'A'), candidate('b', 'B')];
    const at = (days: number) =>
      citizen({
        history: new Map([['r', 1]]),
        historyCounts: new Map([['r', 1]]),
        historyLastAt: new Map([['r', now.getTime() - days * day]]),
        // r is co-used with a2 only: a link within A.
        neighbours: new Map([['r', [{ id: 'a2', similarity: 0.9 }]]]),
      });
    const messages = (days: number) =>
      scoreCandidates(list, at(days), undefined, undefined, tuning).flatMap((s) => s.components.map((c) => c.message));
    expect(messages(14)).toContain('您近期办理过“类别”类服务');
    expect(messages(14).filter((m) => m.startsWith('常与'))).toEqual([]);
    expect(messages(14.01)).not.toContain('您近期办理过“类别”类服务');
  });

  it('a related category names the category of recent use it owes most to, whatever the order', () => {
    const tuning = { ...TUNING, relatedTaste: 0.2, categoryTaste: 0 };
    // Used today: q (B) 3 times, r (A) once: recent shares B 3/4, A 1/4. Both are co-used with c1
    // (C) alone, besides a service no longer in the catalogue: links A→C and B→C of 1.
    const list = [
      candidate('c1', 'C'),
      candidate('r', 'A', { categoryName: '户籍' }),
      candidate('q', 'B', { categoryName: '公积金' }),
    ];
    const related = (order: string[]) => {
      const [c1] = scoreCandidates(
        list,
        citizen({
          history: new Map(order.map((id) => [id, id === 'q' ? 3 : 1])),
          historyCounts: new Map(order.map((id) => [id, id === 'q' ? 3 : 1])),
          historyLastAt: new Map(order.map((id) => [id, now.getTime()])),
          neighbours: new Map([
            [
              'r',
              [
                { id: 'c1', similarity: 0.5 },
                { id: 'gone', similarity: 5 },
              ],
            ],
            ['q', [{ id: 'c1', similarity: 0.5 }]],
          ]),
        }),
        undefined,
        undefined,
        tuning,
      );
      return parts(c1).filter(([, , message]) => String(message).startsWith('常与'));
    };
    // C: 3/4 × 1 + 1/4 × 1, its one service holding it all.
    const expected = [
      [MatchReasonKind.OWN_HISTORY, round(0.2 * toScore(1, 3)), '常与您近期办理的“公积金”类服务一起办理'],
    ];
    expect(related(['q', 'r'])).toEqual(expected);
    expect(related(['r', 'q'])).toEqual(expected);
  });
});

describe('the catalogue, the history and the band at their edges', () => {
  const day = 86_400_000;

  it('a catalogue larger than the candidates: services that are no candidate reach nothing and are reached by nothing', () => {
    // The catalogue holds x (c1, like s and t) and y (c2), which the citizen may not use: no
    // candidates. The citizen used s once and x twice.
    const s = candidate('s', 'c1', { slot: 0 });
    const t = candidate('t', 'c1', { slot: 1 });
    const catalogue = slotsOf([s, t, candidate('x', 'c1', { slot: 2 }), candidate('y', 'c2', { slot: 3 })]);
    const [scoredS, scoredT] = scoreCandidates(
      [s, t],
      citizen({
        history: new Map([
          ['s', 1],
          ['x', 2],
        ]),
        historyCounts: new Map([
          ['s', 1],
          ['x', 2],
        ]),
        text: new Map([['x', { score: 0.9, terms: ['证'] }]]),
      }),
      undefined,
      catalogue,
    );
    // History 3: α = 3 / 3.5, confidence 3 / 103. t is reached once, as s's sibling (x is no
    // candidate, so it has no category among them); x's text match goes nowhere. The taste:
    // c1 holds s's 1 of the 3, passed on to s and t by their demand (equal).
    const alpha = 3 / 3.5;
    const own = (share: number) => 2.4 * alpha * (share / (share + 0.45));
    const taste = 0.075 * alpha * thin(3) * toScore(1 / 6, 2);
    expect(parts(scoredT)).toEqual([
      [MatchReasonKind.OWN_HISTORY, round(taste), '您常办理“类别”类服务'],
      [MatchReasonKind.OWN_HISTORY, round(own(((3 / 103) * 0.01) / 3)), '与您办理过的“服务s”相关'],
    ]);
    expect(parts(scoredS)).toEqual([
      [MatchReasonKind.OWN_HISTORY, round(own(5 / 3)), '您办理或浏览过此服务'],
      [MatchReasonKind.OWN_HISTORY, round(taste), '您常办理“类别”类服务'],
    ]);
  });

  it('fading leaves a service of the history without a last-use time as it is', () => {
    const history = new Map([
      ['s', 2],
      ['u', 2],
      ['w', 2],
    ]);
    const signals = citizen({
      history,
      historyCounts: history,
      // s last used 40 days ago; u has no time, w a time that is no number.
      historyLastAt: new Map([
        ['s', now.getTime() - 40 * day],
        ['w', Number.NaN],
      ]),
    });
    expect(historyOf(signals, { ...TUNING, historyFading: 1 / 40 })).toEqual(
      new Map([
        ['s', 1],
        ['u', 2],
        ['w', 2],
      ]),
    );
    expect(historyOf({ ...signals, historyLastAt: undefined }, { ...TUNING, historyFading: 1 / 40 })).toEqual(history);
  });

  it('a segment without demand of its own leans on its age band’s across the city', () => {
    const tuning = { ...TUNING, ageBandSmoothing: 6 };
    // Nothing of the segment; the band used b 3 times, a once. Shares: (6 × band share + 10 ×
    // city share) / (6 + 10), city shares 1/2: a (1.5 + 5) / 16, b (4.5 + 5) / 16.
    const [a, b] = scoreCandidates(
      [candidate('a'), candidate('b', 'c2')],
      citizen({
        personalized: false,
        ageBandDemand: new Map([
          ['a', 1],
          ['b', 3],
        ]),
      }),
      undefined,
      undefined,
      tuning,
    );
    const valueB = 0.56 * toScore(9.5 / 16, 2);
    expect(parts(b)).toEqual([
      [MatchReasonKind.POPULAR, round((valueB * 5) / 9.5), '全市居民常用'],
      [MatchReasonKind.SEGMENT_DEMAND, round((valueB * 4.5) / 9.5), '全市60岁以上居民近期常用'],
    ]);
    expect(round(a.score)).toBe(round(0.56 * toScore(6.5 / 16, 2)));
  });

  it('a category’s taste is passed on to its services by what the segment and its age band use of each', () => {
    // thinCityHalfPoint 0: the segment's demand alone passes the taste on, however thin the history.
    const tuning = { ...TUNING, ageBandSmoothing: 6, thinCityHalfPoint: 0 };
    // History: s once (category c1, all of it), α = 1 / 1.5. The segment used t 6 times; the band
    // s 3 times, t once (prior 6 × 3/4 and 6 × 1/4); city shares 1/3 each (× smoothing 10). Demand
    // within c1: s 0 + 4.5 + 10/3, t 6 + 1.5 + 10/3; c1's whole share passed on in that proportion.
    const scored = scoreCandidates(
      [candidate('s'), candidate('t'), candidate('o', 'c2')],
      citizen({
        segment: new Map([['t', 6]]),
        ageBandDemand: new Map([
          ['s', 3],
          ['t', 1],
        ]),
        history: new Map([['s', 1]]),
        historyCounts: new Map([['s', 1]]),
      }),
      undefined,
      undefined,
      tuning,
    );
    const [s, t] = ['s', 't'].map((id) => scored.find((c) => c.candidate.id === id)!);
    const demandS = 4.5 + 10 / 3;
    const demandT = 6 + 1.5 + 10 / 3;
    const taste = (share: number) => round(0.075 * (1 / 1.5) * thin(1) * toScore(share, 3));
    const tasteOf = (scored: ScoredCandidate) =>
      parts(scored).filter(([, , message]) => message === '您常办理“类别”类服务');
    expect(tasteOf(s)).toEqual([
      [MatchReasonKind.OWN_HISTORY, taste(demandS / (demandS + demandT)), '您常办理“类别”类服务'],
    ]);
    expect(tasteOf(t)).toEqual([
      [MatchReasonKind.OWN_HISTORY, taste(demandT / (demandS + demandT)), '您常办理“类别”类服务'],
    ]);
  });

  it('a service reached as much from two services of the history is said to be reached from the first', () => {
    // h1 and h2 (no candidates any more) are each used once and co-used with t alike.
    const names = new Map([
      ['h1', '老年证办理'],
      ['h2', '医保报销'],
    ]);
    const reasonOf = (order: string[]) => {
      const [t] = scoreCandidates(
        [candidate('t', 'c2')],
        citizen({
          history: new Map(order.map((id) => [id, 1])),
          historyCounts: new Map(order.map((id) => [id, 1])),
          neighbours: new Map(order.map((id) => [id, [{ id: 't', similarity: 0.5 }]])),
        }),
        (id) => names.get(id),
      );
      return t.components.map((c) => c.message);
    };
    expect(reasonOf(['h1', 'h2'])).toEqual(['与您办理过的“老年证办理”相关']);
    expect(reasonOf(['h2', 'h1'])).toEqual(['与您办理过的“医保报销”相关']);
  });

  it('a category related as much through two categories of recent use is said to be related through the first', () => {
    const tuning = { ...TUNING, relatedTaste: 0.2, categoryTaste: 0 };
    // r (A) and q (B) used once each today, each co-used with c1 (C) alike: links A→C and B→C of 1.
    const list = [
      candidate('c1', 'C'),
      candidate('r', 'A', { categoryName: '户籍' }),
      candidate('q', 'B', { categoryName: '公积金' }),
    ];
    const relatedOf = (order: string[]) => {
      const [c1] = scoreCandidates(
        list,
        citizen({
          history: new Map(order.map((id) => [id, 1])),
          historyCounts: new Map(order.map((id) => [id, 1])),
          historyLastAt: new Map(order.map((id) => [id, now.getTime()])),
          neighbours: new Map(order.map((id) => [id, [{ id: 'c1', similarity: 0.5 }]])),
        }),
        undefined,
        undefined,
        tuning,
      );
      return c1.components.filter((c) => c.message.startsWith('常与')).map((c) => c.message);
    };
    expect(relatedOf(['r', 'q'])).toEqual(['常与您近期办理的“户籍”类服务一起办理']);
    expect(relatedOf(['q', 'r'])).toEqual(['常与您近期办理的“公积金”类服务一起办理']);
  });
});

describe('the category taste faded by a model', () => {
  const day = 86_400_000;

  it('a category fades from the last use of any of its services; one without a time, or no candidate, does not', () => {
    const tuning = { ...TUNING, categoryTaste: 1, tasteFading: 1 / 10 };
    const list = [
      candidate('a1', 'A', { categoryName: '户籍' }),
      candidate('a2', 'A', { categoryName: '户籍' }),
      candidate('b1', 'B', { categoryName: '公积金' }),
    ];
    // A: a1 twice (last 20 days ago) and a2 twice (last 10 days ago); B: b1 4 times, at a time
    // that is no number; g 3 times today, no candidate.
    const counts = new Map([
      ['a1', 2],
      ['a2', 2],
      ['b1', 4],
      ['g', 3],
    ]);
    const scored = scoreCandidates(
      list,
      citizen({
        history: counts,
        historyCounts: counts,
        historyLastAt: new Map([
          ['a1', now.getTime() - 20 * day],
          ['a2', now.getTime() - 10 * day],
          ['b1', Number.NaN],
          ['g', now.getTime()],
        ]),
      }),
      undefined,
      undefined,
      tuning,
    );
    const tasteOf = (id: string) =>
      scored.find((s) => s.candidate.id === id)!.components.find((c) => c.message.startsWith('您常办理'));
    // A: 4 halved once (10 days since its last use) = 2; B: 4. Shares A 1/3, B 2/3 (g has no
    // category among the candidates: it counts in neither). α = 11 / 11.5; A's share passed
    // on to a1 and a2 by their demand (equal); a history of 11 leans on it 1 + 8 / 12 times.
    const weight = (11 / 11.5) * thin(11);
    expect(round(tasteOf('a1')!.contribution)).toBe(round(weight * toScore(1 / 6, 3)));
    expect(round(tasteOf('a2')!.contribution)).toBe(round(weight * toScore(1 / 6, 3)));
    expect(tasteOf('b1')).toEqual({
      kind: MatchReasonKind.OWN_HISTORY,
      contribution: expect.closeTo(weight * toScore(2 / 3, 3), 9),
      message: '您常办理“公积金”类服务',
    });
  });
});

describe('without personalisation', () => {
  it('a citizen’s own signals change nothing: the ranking is a stranger’s of the same profile', () => {
    const list = () => [
      candidate('a', 'c1', { popularity: 3 }),
      candidate('b', 'c2'),
      candidate('c', 'c3', { parentCategoryId: 'p' }),
    ];
    const stranger = citizen({ personalized: false, segment: new Map([['a', 4]]) });
    const known = citizen({
      ...stranger,
      interestCategoryIds: new Set(['c2', 'p']),
      history: new Map([['b', 3]]),
      historyCounts: new Map([['b', 3]]),
      historyLastAt: new Map([['b', now.getTime()]]),
      neighbours: new Map([['b', [{ id: 'c', similarity: 0.9 }]]]),
      text: new Map([['c', { score: 1, terms: ['证'] }]]),
      cohort: [{ tag: 'disabled', shares: new Map([['b', 0.9]]) }],
    });
    const tuning = { ...TUNING, recentTaste: 0.3, relatedTaste: 0.2 };
    const summary = (signals: CitizenSignals) =>
      scoreCandidates(list(), signals, undefined, undefined, tuning).map((s) => [s.candidate.id, s.score, parts(s)]);
    expect(summary(known)).toEqual(summary(stranger));
    // The segment's weight in full (α 0): 0.56 × its smoothed share, a (4 + 10 × 3/5) / 14.
    expect(round(summary(known)[0][1] as number)).toBe(round(0.56 * toScore(10 / 14, 3)));
  });
});

describe('standing computed ahead', () => {
  it('is the evidence counted: the votes and ratings are not read again', () => {
    // No votes of its own in the list, evidence 0.5 from the last refresh of the standing.
    const [a] = scoreCandidates(
      [candidate('a', 'c1', { standingEvidence: 0.5, popularity: 0 })],
      citizen({ personalized: false }),
    );
    expect(round(a.score)).toBe(round(0.02 * 0.5));
    expect(a.components.map((c) => c.kind)).toEqual([MatchReasonKind.WELL_RATED]);
  });
});

describe('a fitted model’s fading and recent use at their edges', () => {
  const day = 86_400_000;
  const longAgo = now.getTime() - 2000 * day;
  const summary = (list: ScoredCandidate[]) => list.map((s) => [s.candidate.id, s.score, parts(s)]);

  it('a history faded to nothing says nothing; a category faded to nothing passes on no taste', () => {
    const list = () => [candidate('s', 'c1', { popularity: 3 }), candidate('t', 'c1')];
    const used = citizen({
      segment: new Map([['s', 2]]),
      history: new Map([['s', 1]]),
      historyCounts: new Map([['s', 1]]),
      historyLastAt: new Map([['s', longAgo]]),
    });
    // 2^(−2 × 2000) is 0 in floating point: as if nothing had been used.
    const gone = { ...TUNING, historyFading: 2 };
    const stranger = { ...used, history: new Map(), historyCounts: new Map(), historyLastAt: new Map() };
    expect(summary(scoreCandidates(list(), used, undefined, undefined, gone))).toEqual(
      summary(scoreCandidates(list(), stranger, undefined, undefined, gone)),
    );
    // The service itself still counts (no history fading), its category's taste is gone.
    const [s] = scoreCandidates(list(), used, undefined, undefined, { ...TUNING, tasteFading: 2 });
    expect(parts(s).map(([, , message]) => message)).toEqual([
      '您办理或浏览过此服务',
      '全市居民常用',
      '云岩区60岁以上居民近期常用',
    ]);
    expect(Number.isFinite(s.score)).toBe(true);
  });

  it('recent use is unknown without last-use times', () => {
    const scored = scoreCandidates(
      [candidate('s'), candidate('t')],
      citizen({ history: new Map([['s', 1]]), historyCounts: new Map([['s', 1]]) }),
      undefined,
      undefined,
      { ...TUNING, recentTaste: 0.3, relatedTaste: 0.2 },
    );
    expect(scored.flatMap((s) => s.components.map((c) => c.message)).filter((m) => m.includes('近期'))).toEqual([]);
  });

  it('a related category is passed on to its services among the candidates, whatever else the catalogue holds', () => {
    const tuning = { ...TUNING, relatedTaste: 0.2, categoryTaste: 0 };
    // C holds c1 (a candidate) and c9 (in the catalogue, no candidate); r (A), used today, is co-used with c1.
    const c1 = candidate('c1', 'C', { slot: 1 });
    const r = candidate('r', 'A', { slot: 0, categoryName: '户籍' });
    const [scored] = scoreCandidates(
      [c1, r],
      citizen({
        history: new Map([['r', 1]]),
        historyCounts: new Map([['r', 1]]),
        historyLastAt: new Map([['r', now.getTime()]]),
        neighbours: new Map([['r', [{ id: 'c1', similarity: 0.5 }]]]),
      }),
      undefined,
      slotsOf([r, c1, candidate('c9', 'C', { slot: 2 })]),
      tuning,
    );
    // C's share 1 × link 1, all of it c1's (of 2 candidates).
    expect(parts(scored).filter(([, , message]) => String(message).startsWith('常与'))).toEqual([
      [MatchReasonKind.OWN_HISTORY, round(0.2 * toScore(1, 2)), '常与您近期办理的“户籍”类服务一起办理'],
    ]);
  });
});

describe('what the whole city uses now (trendMix, the city’s share read from its last days)', () => {
  // Long-run popularity says c; the city's last days say a (a payment window), then b.
  const list = () => [
    candidate('a', 'c1', { popularity: 1, recentDemand: 6 }),
    candidate('b', 'c2', { popularity: 1, recentDemand: 2 }),
    candidate('c', 'c3', { popularity: 4 }),
  ];
  const newcomer = () => citizen({ personalized: false, segment: new Map([['c', 4]]) });

  it('is off by default (trendMix 0): the recent demand moves no score', () => {
    const withRecent = scoreCandidates(list(), newcomer()).map((s) => s.score);
    const without = scoreCandidates(
      list().map((c) => ({ ...c, recentDemand: undefined })),
      newcomer(),
    ).map((s) => s.score);
    expect(withRecent).toEqual(without);
  });

  it('when fitted, the city’s share that a segment’s demand is smoothed towards is that of its recent use', () => {
    // trendMix 1: city shares a 6/8, b 2/8, c 0 instead of 1/6, 1/6, 4/6; the segment used c 4
    // times. Smoothed shares (own + 10 × city share) / (4 + 10).
    const [a, b, c] = scoreCandidates(list(), newcomer(), undefined, undefined, { ...TUNING, trendMix: 1 });
    expect(parts(a)).toEqual([[MatchReasonKind.POPULAR, round(0.56 * toScore(7.5 / 14, 3)), '全市居民常用']]);
    expect(parts(b)).toEqual([[MatchReasonKind.POPULAR, round(0.56 * toScore(2.5 / 14, 3)), '全市居民常用']]);
    expect(parts(c)).toEqual([
      [MatchReasonKind.SEGMENT_DEMAND, round(0.56 * toScore(4 / 14, 3)), '云岩区60岁以上居民近期常用'],
    ]);
    // Without it the long-run favourite leads; with it the wave's service does.
    const [a0, , c0] = scoreCandidates(list(), newcomer());
    expect(c0.score).toBeGreaterThan(a0.score);
    expect(a.score).toBeGreaterThan(c.score);
    // Half and half: a's city share (1/6 + 6/8) / 2.
    const [half] = scoreCandidates(list(), newcomer(), undefined, undefined, { ...TUNING, trendMix: 0.5 });
    expect(round(half.score)).toBe(round(0.56 * toScore((10 * (1 / 6 + 6 / 8)) / 2 / 14, 3)));
  });

  it('counts nothing when the city used nothing lately', () => {
    const quiet = list().map((c) => ({ ...c, recentDemand: 0 }));
    expect(
      scoreCandidates(quiet, newcomer(), undefined, undefined, { ...TUNING, trendMix: 1 }).map((s) => s.score),
    ).toEqual(scoreCandidates(quiet, newcomer()).map((s) => s.score));
  });
});

describe("the city's repeat rate sets how much a used service itself counts", () => {
  // The citizen used u (c1, little used in the city) twice and v (c1) once; the city's c1 demand
  // is mostly a and b, and p (c2) is the city's most popular service.
  const candidates = () => [
    candidate('u', 'c1', { popularity: 2 }),
    candidate('v', 'c1', { popularity: 4 }),
    candidate('a', 'c1', { popularity: 60 }),
    candidate('b', 'c1', { popularity: 40 }),
    candidate('p', 'c2', { popularity: 100 }),
  ];
  const ranked = (repeatRate: CitizenSignals['repeatRate']) =>
    scoreCandidates(
      candidates(),
      citizen({
        history: new Map([
          ['u', 2],
          ['v', 1],
        ]),
        historyCounts: new Map([
          ['u', 2],
          ['v', 1],
        ]),
        repeatRate,
      }),
    )
      .sort((x, y) => y.score - x.score)
      .map((c) => c.candidate.id);

  it('a city whose citizens come back to what they used: the used services lead', () => {
    expect(ranked({ repeats: 30_000, expected: 10_000 })).toEqual(['u', 'v', 'a', 'b', 'p']);
  });

  it('a city whose citizens land on a used service only as its popularity says: the category’s popular services lead', () => {
    // The category's services by their demand, the used ones among them: u's two signals no
    // longer lift it above v, which the city uses more.
    expect(ranked({ repeats: 10_000, expected: 10_000 })).toEqual(['a', 'b', 'v', 'u', 'p']);
  });

  it('a young city (few repeats to go by) ranks as the defaults always did', () => {
    const before = ranked(undefined);
    expect(before).toEqual(['u', 'v', 'a', 'b', 'p']);
    // No repeat among the few the city's popularity predicts: too few to say.
    expect(ranked({ repeats: 0, expected: 20 })).toEqual(before);
    expect(selfShareOf({ repeats: 0, expected: 20 })).toBe(1);
  });

  it('its reasons name only what is there: the used service’s own history only for one the citizen used', () => {
    const scored = scoreCandidates(
      candidates(),
      citizen({
        history: new Map([['u', 2]]),
        historyCounts: new Map([['u', 2]]),
        repeatRate: { repeats: 9e4, expected: 9e4 },
      }),
    );
    const a = scored.find((c) => c.candidate.id === 'a')!;
    expect(a.components.map((c) => c.message)).not.toContain('您办理或浏览过此服务');
    expect(a.components.map((c) => c.message)).toContain('您常办理“类别”类服务');
  });
});

describe('the defaults’ prior and reach', () => {
  it('a segment is smoothed with 10 pseudo-signals plus a third of one per service that may be shown', () => {
    expect(segmentPriorOf(2)).toBeCloseTo(10 + 0.33 * 2, 12);
    expect(segmentPriorOf(300)).toBeCloseTo(109, 12);
    // A newcomer of two candidates: (own + P × city share) / (4 + P), P = 10.66, city shares 0.75, 0.25.
    const [a] = scoreWith(
      [candidate('a', 'c1', { popularity: 3 }), candidate('b', 'c2')],
      citizen({ personalized: false, segment: new Map([['a', 4]]) }),
    );
    const prior = 10 + 0.33 * 2;
    expect(round(a.score)).toBe(round(0.56 * toScore((4 + prior * 0.75) / (4 + prior), 2)));
  });

  it('a few signals of a segment do not reorder a large catalogue’s popular services for a newcomer', () => {
    // 60 services, the city's use falling as 1 / rank; the segment used p9 (the city's tenth) twice.
    // Smoothed with 10: p9 2 + 10 × 0.021 against p0's 10 × 0.21; with 10 + 0.33 × 60, 2.6 against 6.4.
    const list = Array.from({ length: 60 }, (_, i) => candidate(`p${i}`, `c${i % 6}`, { popularity: 600 / (i + 1) }));
    const newcomer = citizen({ personalized: false, segment: new Map([['p9', 2]]) });
    const top = (tuning: typeof DEFAULT_TUNING) =>
      scoreWith(list, newcomer, undefined, undefined, tuning)
        .sort((x, y) => y.score - x.score)
        .map((x) => x.candidate.id)
        .slice(0, 3);
    expect(top(DEFAULT_TUNING).slice(0, 2)).toEqual(['p0', 'p1']);
    // With segmentSmoothing's 10 alone, two signals put the segment's service first.
    expect(top({ ...DEFAULT_TUNING, segmentPriorPerService: 0 })[0]).toBe('p9');
  });

  it('a history of one signal reaches its co-used neighbour by 1 / (1 + 100)', () => {
    const [, t] = scoreWith(
      [candidate('s'), candidate('t', 'c2')],
      citizen({
        history: new Map([['s', 1]]),
        historyCounts: new Map([['s', 1]]),
        neighbours: new Map([['s', [{ id: 't', similarity: 0.5 }]]]),
      }),
    );
    const alpha = 1 / 1.5;
    const share = (1 / 101) * 0.5;
    expect(round(t.components.find((c) => c.kind === MatchReasonKind.OWN_HISTORY)!.contribution)).toBe(
      round(2.4 * alpha * (share / (share + 0.45))),
    );
  });
});

describe('the city’s category lean sets how far a thin history leans on its category', () => {
  const candidates = thinHistoryCandidates;
  const segment = thinHistorySegment;
  // 1,000 citizens of two signals or more, whose signals share a category half the time more
  // than popularity says, or just as often as it says.
  const strong = { observed: 600, expected: 100, citizens: 1_000 };
  const none = { observed: 100, expected: 100, citizens: 1_000 };
  const ranked = (categoryLean: CitizenSignals['categoryLean'], repeatRate?: CitizenSignals['repeatRate']) =>
    scoreCandidates(
      candidates(),
      citizen({ segment, history: new Map([['s', 1]]), historyCounts: new Map([['s', 1]]), categoryLean, repeatRate }),
    )
      .sort((a, b) => b.score - a.score)
      .map((c) => c.candidate.id);

  it('with strong evidence one signal’s category leads the page; with none, the segment’s popular services do', () => {
    expect(thinLeanShareOf(strong)).toBe(1);
    expect(thinLeanShareOf(none)).toBe(0);
    expect(ranked(strong)).toEqual(['s', 't', 'u', 'p', 'q']);
    expect(ranked(none)).toEqual(['s', 'p', 'q', 't', 'u']);
    // A young city (no lean read): as the defaults always did.
    expect(ranked(undefined)).toEqual(ranked(strong));
  });

  it('a city at repeat lift 1: the used service’s weight goes to its category only where the category says something', () => {
    const lift1 = { repeats: 10_000, expected: 10_000 };
    expect(ranked(strong, lift1).slice(0, 3).sort()).toEqual(['s', 't', 'u']);
    expect(ranked(none, lift1).slice(0, 2)).toEqual(['p', 'q']);
  });

  it('with none, the category taste keeps its plain weight: neither the thin boost nor the repeat gain', () => {
    const tasteOf = (categoryLean: CitizenSignals['categoryLean']) =>
      scoreCandidates(
        candidates(),
        citizen({
          segment,
          history: new Map([['s', 1]]),
          historyCounts: new Map([['s', 1]]),
          categoryLean,
          repeatRate: { repeats: 10_000, expected: 10_000 },
        }),
      )
        .find((c) => c.candidate.id === 't')!
        .components.find((c) => c.message === '您常办理“类别”类服务')!.contribution;
    const plain = scoreCandidates(
      candidates(),
      citizen({ segment, history: new Map([['s', 1]]), historyCounts: new Map([['s', 1]]) }),
      undefined,
      undefined,
      { ...TUNING, thinTasteBoost: 0 },
    )
      .find((c) => c.candidate.id === 't')!
      .components.find((c) => c.message === '您常办理“类别”类服务')!.contribution;
    expect(tasteOf(none)).toBeCloseTo(plain, 12);
    // In full: × thinTasteFactor(1) × (1 + repeatTasteGain) at lift 1.
    expect(tasteOf(strong)).toBeCloseTo(plain * thin(1) * 4, 12);
  });
});
