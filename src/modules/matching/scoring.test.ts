import { candidate, citizen, SCORING_NOW } from '../../../test/helpers/scoring-fixtures';
import { coUseLiftLowerBound } from './aggregates';
import { MatchReasonKind } from './match-reason';
import {
  CATEGORY_CAP,
  categoriesAskedFor,
  cityStandingOf,
  diversifiedTop,
  diversify,
  personalShare,
  rankedTop,
  ratingEvidence,
  scoreCandidates,
  scoredSource,
  slotsOf,
  standingEvidence,
  topReasons,
  TUNING,
  voteEvidence,
  type Candidate,
  type CitizenSignals,
  type ScoredCandidate,
} from './scoring';

const now = SCORING_NOW;
const scoreOf = (scored: ReturnType<typeof scoreCandidates>, id: string) =>
  scored.find((s) => s.candidate.id === id)!.score;

describe('scoreCandidates', () => {
  it('ranks by segment demand for a newcomer, with the segment named in the reason', () => {
    const scored = scoreCandidates(
      [candidate('a'), candidate('b')],
      citizen({
        segment: new Map([
          ['a', 10],
          ['b', 1],
        ]),
      }),
    );
    expect(scoreOf(scored, 'a')).toBeGreaterThan(scoreOf(scored, 'b'));
    const [reason] = topReasons(scored.find((s) => s.candidate.id === 'a')!);
    expect(reason).toMatchObject({ kind: MatchReasonKind.SEGMENT_DEMAND, message: '云岩区60岁以上居民近期常用' });
  });

  it('names the segment, or the age band, only for a service at least three of its citizens used; the demand counts either way', () => {
    const demand = { segment: new Map([['a', 10]]), ageBandDemand: new Map([['a', 30]]) };
    const scoredWith = (segmentUsers: number, ageBandUsers: number) =>
      scoreCandidates(
        [candidate('a'), candidate('b')],
        citizen({
          ...demand,
          segmentUsers: new Map([['a', segmentUsers]]),
          ageBandUsers: new Map([['a', ageBandUsers]]),
        }),
        undefined,
        undefined,
        { ...TUNING, ageBandSmoothing: 50 },
      ).find((s) => s.candidate.id === 'a')!;
    const messages = (s: ScoredCandidate) =>
      topReasons(s)
        .filter((r) => r.kind === MatchReasonKind.SEGMENT_DEMAND)
        .map((r) => r.message);
    const [one, two, three, bandOnly] = [scoredWith(1, 1), scoredWith(2, 2), scoredWith(3, 3), scoredWith(1, 5)];
    expect(messages(one)).toEqual([]);
    expect(messages(two)).toEqual([]);
    expect(messages(three).sort()).toEqual(['云岩区60岁以上居民近期常用', '全市60岁以上居民近期常用'].sort());
    expect(messages(bandOnly)).toEqual(['全市60岁以上居民近期常用']);
    // The same score: only the naming changes.
    for (const s of [one, two, bandOnly]) expect(s.score).toBeCloseTo(three.score, 12);
    // The unnamed part counts in what raised the score: the band's weight is its real share.
    const band = topReasons(bandOnly).find((r) => r.kind === MatchReasonKind.SEGMENT_DEMAND)!;
    const bandPart = bandOnly.components.find((c) => c.kind === MatchReasonKind.SEGMENT_DEMAND)!;
    expect(band.weight).toBeCloseTo(bandPart.contribution / bandOnly.score, 12);
    expect(band.weight).toBeLessThan(1);
  });

  it('gives reason weights equal to each component’s share of the score', () => {
    const [scored] = scoreCandidates(
      [candidate('a', 'c1', { upvotes: 9, downvotes: 1 })],
      citizen({ segment: new Map([['a', 5]]), text: new Map([['a', { score: 0.8, terms: ['公积金'] }]]) }),
    );
    const sum = scored.components.reduce((s, c) => s + c.contribution, 0);
    expect(sum).toBeCloseTo(scored.score, 12);
    for (const reason of topReasons(scored)) {
      const component = scored.components.find((c) => c.kind === reason.kind)!;
      expect(reason.weight).toBeCloseTo(component.contribution / scored.score, 12);
    }
  });

  it('moves weight from segment to personal history as history grows', () => {
    expect(personalShare(new Map())).toBe(0);
    expect(personalShare(new Map([['x', TUNING.historyHalfPoint]]))).toBeCloseTo(0.5);
    expect(personalShare(new Map([['x', 40]]))).toBeGreaterThan(0.9);
    const segment = new Map([
      ['a', 10],
      ['b', 1],
    ]);
    const newcomer = scoreCandidates([candidate('a'), candidate('b')], citizen({ segment }));
    const regular = scoreCandidates(
      [candidate('a'), candidate('b')],
      citizen({
        segment,
        history: new Map([['x', 40]]),
        historyCounts: new Map([['x', 40]]),
        neighbours: new Map([['x', [{ id: 'b', similarity: 0.9 }]]]),
      }),
      (id) => `服务${id}`,
    );
    expect(scoreOf(newcomer, 'a')).toBeGreaterThan(scoreOf(newcomer, 'b'));
    expect(scoreOf(regular, 'b')).toBeGreaterThan(scoreOf(regular, 'a'));
    const reason = topReasons(regular.find((s) => s.candidate.id === 'b')!)[0];
    expect(reason).toMatchObject({ kind: MatchReasonKind.OWN_HISTORY, message: '与您办理过的“服务x”相关' });
  });

  it('lets a short history speak for the services used, and only a long one for their neighbours', () => {
    const candidates = [candidate('used', 'c1'), candidate('popular', 'c2'), candidate('neighbour', 'c3')];
    const segment = new Map([
      ['popular', 30],
      ['neighbour', 3],
      ['used', 3],
    ]);
    const neighbours = new Map([['used', [{ id: 'neighbour', similarity: 0.3 }]]]);
    const once = scoreCandidates(
      candidates,
      citizen({ segment, neighbours, history: new Map([['used', 1]]), historyCounts: new Map([['used', 1]]) }),
    );
    expect(scoreOf(once, 'used')).toBeGreaterThan(scoreOf(once, 'popular'));
    expect(scoreOf(once, 'popular')).toBeGreaterThan(scoreOf(once, 'neighbour'));
    const often = scoreCandidates(
      candidates,
      citizen({ segment, neighbours, history: new Map([['used', 300]]), historyCounts: new Map([['used', 300]]) }),
    );
    expect(scoreOf(often, 'neighbour')).toBeGreaterThan(scoreOf(often, 'popular'));
    expect(scoreOf(often, 'neighbour')).toBeGreaterThan(scoreOf(once, 'neighbour'));
  });

  it('with the early reach on, lets a pair the city’s co-use stands behind reach a one-signal history, not a chance pair', () => {
    const candidates = [
      candidate('step-one', 'c1'),
      candidate('popular', 'c2'),
      candidate('step-two', 'c3'),
      candidate('rare', 'c4'),
      candidate('rare-partner', 'c5'),
    ];
    const segment = new Map([
      ['popular', 30],
      ['step-two', 3],
      ['rare-partner', 3],
    ]);
    // Of 400 citizens who each used as many services, 20 used both steps (25 and 22 used each), 2
    // both rare services (3 and 4 used each). The same similarity: only the evidence differs.
    const chained = { id: 'step-two', similarity: 0.3, lift: coUseLiftLowerBound(20, (25 * 22) / 400) };
    const chance = { id: 'rare-partner', similarity: 0.3, lift: coUseLiftLowerBound(2, (3 * 4) / 400) };
    expect(chained.lift).toBeGreaterThanOrEqual(TUNING.coUseLiftGate);
    expect(chance.lift).toBeLessThan(TUNING.coUseLiftGate);
    const neighbours = new Map([
      ['step-one', [chained]],
      ['rare', [chance]],
    ]);
    // As a fit that turns the early reach on sets it.
    const on = { ...TUNING, coUseEarlyHalfPoint: 5 };
    const afterStepOne = scoreCandidates(
      candidates,
      citizen({ segment, neighbours, history: new Map([['step-one', 1]]), historyCounts: new Map([['step-one', 1]]) }),
      undefined,
      slotsOf(candidates),
      on,
    );
    expect(scoreOf(afterStepOne, 'step-two')).toBeGreaterThan(scoreOf(afterStepOne, 'popular'));
    const afterRare = scoreCandidates(
      candidates,
      citizen({ segment, neighbours, history: new Map([['rare', 1]]), historyCounts: new Map([['rare', 1]]) }),
      undefined,
      slotsOf(candidates),
      on,
    );
    expect(scoreOf(afterRare, 'popular')).toBeGreaterThan(scoreOf(afterRare, 'rare-partner'));
    // With the defaults (the early reach off) the chained pair waits for a longer history too.
    const withoutEarlyReach = scoreCandidates(
      candidates,
      citizen({ segment, neighbours, history: new Map([['step-one', 1]]), historyCounts: new Map([['step-one', 1]]) }),
    );
    expect(scoreOf(withoutEarlyReach, 'popular')).toBeGreaterThan(scoreOf(withoutEarlyReach, 'step-two'));
  });

  it('weighs declared interests while the history is short, less as it grows', () => {
    const candidates = [candidate('a', 'c1'), candidate('b', 'c2')];
    const segment = new Map([
      ['a', 12],
      ['b', 10],
    ]);
    const interestOf = (scored: ReturnType<typeof scoreCandidates>) =>
      scored.find((s) => s.candidate.id === 'b')!.components.find((c) => c.kind === MatchReasonKind.INTEREST)
        ?.contribution ?? 0;
    const newcomer = scoreCandidates(candidates, citizen({ segment, interestCategoryIds: new Set(['c2']) }));
    expect(scoreOf(newcomer, 'b')).toBeGreaterThan(scoreOf(newcomer, 'a'));
    expect(interestOf(newcomer)).toBeCloseTo(TUNING.weights.INTEREST, 12);
    const regular = scoreCandidates(
      candidates,
      citizen({
        segment,
        interestCategoryIds: new Set(['c2']),
        history: new Map([['x', 20]]),
        historyCounts: new Map([['x', 20]]),
      }),
    );
    expect(interestOf(regular)).toBeLessThan(interestOf(newcomer) / 10);
  });

  it('finds interests by category and by parent alike with the catalogue slots and without their parents', () => {
    const candidates = [
      candidate('a', 'c1'),
      candidate('b', 'c2', { parentCategoryId: 'p' }),
      candidate('c', 'c3', { parentCategoryId: null }),
      candidate('d', 'c4', { parentCategoryId: 'q' }),
    ];
    const withParents = slotsOf(candidates);
    // What the fit's slots are: categories without their parents.
    const withoutParents = slotsOf(candidates.map(({ id, categoryId, slot }) => ({ id, categoryId, slot })));
    expect(withParents.byParent).toBeDefined();
    expect(withoutParents.byParent).toBeUndefined();
    for (const interests of [[], ['c1'], ['p'], ['c3', 'q'], ['root', 'c4'], ['unknown']]) {
      const signals = citizen({ interestCategoryIds: new Set(interests) });
      const interestOf = (slots: ReturnType<typeof slotsOf>) =>
        scoreCandidates(candidates, signals, undefined, slots).map(
          (s) => s.components.find((c) => c.kind === MatchReasonKind.INTEREST)?.contribution ?? 0,
        );
      const expected = candidates.map((c) =>
        interests.includes(c.categoryId) || interests.includes(c.parentCategoryId ?? '') ? TUNING.weights.INTEREST : 0,
      );
      expect(interestOf(withParents)).toEqual(expected);
      expect(interestOf(withoutParents)).toEqual(expected);
    }
  });

  it('carries the citizen’s taste over categories to services of those categories, and says so', () => {
    const candidates = [
      candidate('used', 'tax', { categoryName: '税务' }),
      candidate('sibling', 'tax', { categoryName: '税务' }),
      candidate('other', 'health'),
    ];
    const segment = new Map([
      ['sibling', 5],
      ['other', 5],
    ]);
    const scored = scoreCandidates(
      candidates,
      citizen({ segment, history: new Map([['used', 3]]), historyCounts: new Map([['used', 3]]) }),
    );
    expect(scoreOf(scored, 'sibling')).toBeGreaterThan(scoreOf(scored, 'other'));
    const taste = scored
      .find((s) => s.candidate.id === 'sibling')!
      .components.find((c) => c.message === '您常办理“税务”类服务');
    expect(taste?.kind).toBe(MatchReasonKind.OWN_HISTORY);
  });

  it('counts every signal of the history, not only recent ones', () => {
    // Decayed affinity alone would put the recent one-off first; the count says otherwise.
    const history = new Map([
      ['often', 1],
      ['once', 2],
    ]);
    const historyCounts = new Map([
      ['often', 6],
      ['once', 1],
    ]);
    const scored = scoreCandidates([candidate('often'), candidate('once')], citizen({ history, historyCounts }));
    expect(scoreOf(scored, 'often')).toBeGreaterThan(scoreOf(scored, 'once'));
  });

  it('ignores personal components when personalisation is off', () => {
    const personal = citizen({
      personalized: false,
      history: new Map([['b', 50]]),
      text: new Map([['b', { score: 1, terms: ['x'] }]]),
      interestCategoryIds: new Set(['c2']),
      cohort: [{ tag: 'disabled', shares: new Map([['b', 0.9]]) }],
    });
    const scored = scoreCandidates([candidate('a'), candidate('b', 'c2')], personal);
    expect(scoreOf(scored, 'a')).toBeCloseTo(scoreOf(scored, 'b'), 12);
    for (const s of scored)
      for (const c of s.components)
        expect(['SEGMENT_DEMAND', 'POPULAR', 'WELL_RATED', 'NEW_SERVICE']).toContain(c.kind);
  });

  it('boosts new services and well-rated ones', () => {
    const scored = scoreCandidates(
      [
        candidate('old'),
        candidate('new', 'c1', { launchedAt: new Date('2026-11-20T00:00:00Z') }),
        candidate('liked', 'c1', { upvotes: 50, ratingCount: 20, ratingSum: 95 }),
      ],
      citizen({ city: { upShare: 0.7, meanRating: 3.8 } }),
    );
    expect(scoreOf(scored, 'new')).toBeGreaterThan(scoreOf(scored, 'old'));
    expect(scoreOf(scored, 'liked')).toBeGreaterThan(scoreOf(scored, 'old'));
  });
});

describe('votes and ratings', () => {
  const city = { upShare: 0.7, meanRating: 3.8 };
  const kindsOf = (scored: ScoredCandidate) => scored.components.map((c) => c.kind);

  it('count a service’s own votes and ratings only once they tell it from the city, in either direction', () => {
    expect(voteEvidence(0, 0, 0.7)).toBe(0);
    expect(voteEvidence(1, 0, 0.7)).toBe(0);
    expect(voteEvidence(0, 1, 0.7)).toBe(0);
    expect(voteEvidence(30, 0, 0.7)).toBeGreaterThan(0);
    expect(voteEvidence(0, 6, 0.7)).toBeLessThan(0);
    expect(voteEvidence(0, 12, 0.7)).toBeLessThan(voteEvidence(0, 6, 0.7));
    expect(ratingEvidence(1, 1, 3.8)).toBe(0);
    expect(ratingEvidence(6, 6, 3.8)).toBeLessThan(0);
    expect(ratingEvidence(30, 150, 3.8)).toBeGreaterThan(0);
    expect(ratingEvidence(30, 30 * 3.8, 3.8)).toBe(0);
    const voted = candidate('x', 'c', { upvotes: 3, downvotes: 1, ratingCount: 2, ratingSum: 7 });
    expect(cityStandingOf([voted])).toEqual({ upShare: 0.75, meanRating: 3.5 });
  });

  it('lower a service for down-votes and low ratings, never raise it', () => {
    const candidates = [
      candidate('plain'),
      candidate('one-down', 'c1', { downvotes: 1 }),
      candidate('one-star', 'c1', { ratingCount: 1, ratingSum: 1 }),
      candidate('panned', 'c1', { downvotes: 6, ratingCount: 6, ratingSum: 6 }),
    ];
    const scored = scoreCandidates(candidates, citizen({ segment: new Map(candidates.map((c) => [c.id, 5])), city }));
    expect(scoreOf(scored, 'one-down')).toBeLessThanOrEqual(scoreOf(scored, 'plain'));
    expect(scoreOf(scored, 'one-star')).toBeLessThanOrEqual(scoreOf(scored, 'plain'));
    expect(scoreOf(scored, 'panned')).toBeLessThan(scoreOf(scored, 'plain'));
    for (const s of scored) expect(kindsOf(s)).not.toContain(MatchReasonKind.WELL_RATED);
  });

  it('praise only what is praiseworthy: clearly more up than down, ratings above the mean from enough citizens', () => {
    const candidates = [
      candidate('loved', 'c1', { upvotes: 40, downvotes: 2 }),
      candidate('split', 'c1', { upvotes: 20, downvotes: 20 }),
      candidate('rated', 'c1', { ratingCount: 40, ratingSum: 190 }),
      candidate('few', 'c1', { ratingCount: 3, ratingSum: 15 }),
      candidate('poor', 'c1', { ratingCount: 40, ratingSum: 40 }),
    ];
    // A city that votes down more than up: `split` is above its share, yet not clearly liked.
    const scored = scoreCandidates(candidates, citizen({ city: { upShare: 0.3, meanRating: 3.8 } }));
    const messages = (id: string) => scored.find((s) => s.candidate.id === id)!.components.map((c) => c.message);
    expect(messages('loved')).toContain('居民点赞较多');
    expect(messages('rated')).toContain('评价较好（4.8分）');
    for (const id of ['split', 'few', 'poor']) expect(messages(id)).toEqual([]);
  });

  it('move a service by one vote at most by the shrunk share one vote is worth', () => {
    const candidates = Array.from({ length: 40 }, (_, i) =>
      candidate(`s${i}`, `k${i % 8}`, { upvotes: i % 5, downvotes: i % 3 }),
    );
    const segment = new Map(candidates.map((c, i) => [c.id, 40 - i]));
    const rankOf = (list: Candidate[], id: string) =>
      diversify(scoreCandidates(list, citizen({ personalized: false, segment, city }))).findIndex(
        (s) => s.candidate.id === id,
      );
    for (const target of candidates) {
      const voted = candidates.map((c) => (c === target ? { ...c, upvotes: c.upvotes + 1 } : c));
      expect(Math.abs(rankOf(voted, target.id) - rankOf(candidates, target.id))).toBeLessThanOrEqual(3);
    }
  });

  it('score the same from evidence computed ahead as from the counts', () => {
    const candidates = [
      candidate('a', 'c1', { upvotes: 30, downvotes: 2, ratingCount: 12, ratingSum: 30 }),
      candidate('b', 'c2', { downvotes: 9 }),
    ];
    const ahead = candidates.map((c) => ({ ...c, standingEvidence: standingEvidence(c, city) }));
    const summary = (list: ScoredCandidate[]) => list.map((s) => [s.score, s.components.map((c) => c.message)]);
    expect(summary(scoreCandidates(ahead, citizen({ city })))).toEqual(
      summary(scoreCandidates(candidates, citizen({ city }))),
    );
  });

  it('leave a service voted down out without moving any other', () => {
    const candidates = [candidate('a', 'c1'), candidate('b', 'c2', { popularity: 5 }), candidate('c', 'c3')];
    const segment = new Map([
      ['a', 3],
      ['b', 9],
      ['c', 1],
    ]);
    const all = rankedTop(scoreCandidates(candidates, citizen({ segment })), 3);
    const hidden = rankedTop(scoreCandidates(candidates, citizen({ segment })), 3, new Set(), new Set(['b']));
    expect(hidden.map((s) => s.candidate.id)).toEqual(['a', 'c']);
    const summary = (list: ScoredCandidate[]) => list.map((s) => [s.candidate.id, s.score]);
    expect(summary(hidden)).toEqual(summary(all.filter((s) => s.candidate.id !== 'b')));
  });
});

describe('reasons', () => {
  it('name the segment only for what its citizens used, the city for the rest of the smoothed demand', () => {
    const candidates = [candidate('used', 'c1', { popularity: 5 }), candidate('elsewhere', 'c2', { popularity: 20 })];
    const scored = scoreCandidates(candidates, citizen({ segment: new Map([['used', 4]]) }));
    const kinds = (id: string) => scored.find((s) => s.candidate.id === id)!.components.map((c) => c.kind);
    expect(kinds('used')).toEqual(expect.arrayContaining([MatchReasonKind.SEGMENT_DEMAND]));
    expect(kinds('elsewhere')).toEqual([MatchReasonKind.POPULAR]);
    expect(topReasons(scored.find((s) => s.candidate.id === 'elsewhere')!)[0].message).toBe('全市居民常用');
  });

  it('name the city only for a service the city used: not while it has no use at all, whatever the smoothing', () => {
    // The segment's use read before the city's (each copy is cached on its own): the city has
    // none yet, and its share of the smoothing is even over the candidates.
    const cold = [candidate('used', 'c1', { popularity: 0 }), candidate('unused', 'c2', { popularity: 0 })];
    const withBand = { ...TUNING, ageBandSmoothing: 20 };
    for (const [signals, tuning] of [
      [citizen({ segment: new Map([['used', 4]]) }), TUNING],
      [citizen({ ageBandDemand: new Map([['used', 4]]) }), withBand],
      [citizen({ segment: new Map([['used', 4]]) }), { ...TUNING, trendMix: 0.5 }],
    ] as const) {
      const scored = scoreCandidates(cold, signals, undefined, undefined, tuning);
      const kinds = scored.map((s) => s.components.map((c) => c.kind));
      expect(kinds.flat()).not.toContain(MatchReasonKind.POPULAR);
      expect(kinds[0]).toEqual([MatchReasonKind.SEGMENT_DEMAND]);
      // The scores are those of the smoothing as it was; only the reason goes.
      expect(scored[1].score).toBeGreaterThan(0);
      expect(topReasons(scored[1])).toEqual([]);
      expect(scored[0].score).toBeGreaterThan(scored[1].score);
      const shares = topReasons(scored[0]).reduce((sum, r) => sum + r.weight, 0);
      expect(shares).toBeLessThan(1);
    }
    // With the city's recent use (trendMix), a service used lately is named, one not used is not.
    const recent = [
      candidate('used', 'c1', { popularity: 0, recentDemand: 3 }),
      candidate('unused', 'c2', { popularity: 0 }),
    ];
    const mixed = scoreCandidates(recent, citizen({ segment: new Map([['used', 4]]) }), undefined, undefined, {
      ...TUNING,
      trendMix: 0.5,
    });
    expect(mixed[0].components.map((c) => c.kind)).toContain(MatchReasonKind.POPULAR);
    expect(mixed[1].components).toEqual([]);
    // Nothing used anywhere and nothing known: no score, no reason.
    const none = scoreCandidates(cold, citizen());
    expect(none.map((s) => [s.score, s.components])).toEqual([
      [0, []],
      [0, []],
    ]);
  });

  it('leave a ranking where nothing scores in catalogue order, not in the order of the ids', () => {
    const catalogue = ['z', 'b', 'y', 'a'].map((id) => candidate(id, 'c1', { popularity: 0 }));
    const source = scoredSource(catalogue, citizen());
    expect(rankedTop(source, 4).map((s) => s.candidate.id)).toEqual(['z', 'b', 'y', 'a']);
    expect(rankedTop(source, 2).map((s) => s.candidate.id)).toEqual(['z', 'b']);
  });

  it('each disappear, and the score falls, when the signal behind it is taken away', () => {
    const base = candidate('s', 'c1', { categoryName: '税务', popularity: 4, upvotes: 40, downvotes: 1 });
    const other = candidate('o', 'c2', { popularity: 4 });
    const full = citizen({
      segment: new Map([
        ['s', 6],
        ['o', 6],
      ]),
      text: new Map([['s', { score: 0.7, terms: ['税'] }]]),
      history: new Map([
        ['s', 2],
        ['h', 2],
      ]),
      historyCounts: new Map([
        ['s', 2],
        ['h', 2],
      ]),
      neighbours: new Map([['h', [{ id: 's', similarity: 0.8 }]]]),
      cohort: [{ tag: 'retiree', shares: new Map([['s', 0.3]]) }],
      interestCategoryIds: new Set(['c1']),
      city: { upShare: 0.6, meanRating: 3.8 },
    });
    const launched = { ...base, launchedAt: new Date(now.getTime() - 86_400_000) };
    const withouts: [MatchReasonKind, Candidate, Partial<CitizenSignals>][] = [
      [MatchReasonKind.TEXT_MATCH, launched, { text: new Map() }],
      [MatchReasonKind.OWN_HISTORY, launched, { history: new Map(), historyCounts: new Map() }],
      [MatchReasonKind.SIMILAR_CITIZENS, launched, { cohort: [] }],
      [MatchReasonKind.SEGMENT_DEMAND, launched, { segment: new Map([['o', 6]]) }],
      [MatchReasonKind.POPULAR, { ...launched, popularity: 0 }, {}],
      [MatchReasonKind.WELL_RATED, { ...launched, upvotes: 0, downvotes: 0 }, {}],
      [MatchReasonKind.INTEREST, launched, { interestCategoryIds: new Set() }],
      [MatchReasonKind.NEW_SERVICE, base, {}],
    ];
    const scoredOf = (c: Candidate, signals: CitizenSignals) =>
      scoreCandidates([c, other], signals, (id) => `服务${id}`)[0];
    const before = scoredOf(launched, full);
    for (const [kind, changed, removed] of withouts) {
      expect(before.components.map((c) => c.kind)).toContain(kind);
      const after = scoredOf(changed, { ...full, ...removed });
      expect({ kind, left: after.components.map((c) => c.kind).filter((k) => k === kind) }).toEqual({ kind, left: [] });
      expect(after.score).toBeLessThan(before.score);
    }
  });
});

describe('diversify', () => {
  it('interleaves categories instead of stacking near-equal scores of one category', () => {
    const scored = scoreCandidates(
      [candidate('a1', 'A'), candidate('a2', 'A'), candidate('a3', 'A'), candidate('b1', 'B')],
      citizen({
        segment: new Map([
          ['a1', 10],
          ['a2', 9.9],
          ['a3', 9.8],
          ['b1', 9.7],
        ]),
      }),
    );
    const order = diversify(scored).map((s) => s.candidate.id);
    expect(order[0]).toBe('a1');
    expect(order.indexOf('b1')).toBeLessThan(3);
  });

  it('is deterministic and keeps every candidate', () => {
    const scored = scoreCandidates(
      ['x', 'y', 'z'].map((id) => candidate(id)),
      citizen(),
    );
    expect(diversify(scored).map((s) => s.candidate.id)).toEqual(
      diversify([...scored].reverse()).map((s) => s.candidate.id),
    );
    expect(diversify(scored)).toHaveLength(3);
  });

  it('gives the first positions of the full diversification when it sorts only the contenders', () => {
    // Scores close together over many categories (picks skip ahead to categories not seen lately), with ties.
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const scored: ScoredCandidate[] = Array.from({ length: 600 }, (_, i) => ({
      candidate: candidate(`s${String(i).padStart(3, '0')}`, `k${i % 29}`, { parentCategoryId: `p${i % 7}` }),
      score: Math.round((1 - random() ** 3) * 400) / 400,
      components: [],
    }));
    for (const count of [1, 5, 10, 37, 100]) {
      expect(diversifiedTop(scored, count).map((s) => s.candidate.id)).toEqual(
        diversify(scored, count)
          .slice(0, count)
          .map((s) => s.candidate.id),
      );
    }
    expect(diversifiedTop([], 10)).toEqual([]);
  });
});

describe('the diversity cap', () => {
  const crowded = () => {
    // Twelve housing-fund services outscore everything else; a few other categories follow.
    const list = [
      ...Array.from({ length: 12 }, (_, i) => candidate(`hf${String(i).padStart(2, '0')}`, 'hf')),
      ...Array.from({ length: 12 }, (_, i) => candidate(`x${String(i).padStart(2, '0')}`, `k${i % 4}`)),
    ];
    const segment = new Map(list.map((c, i) => [c.id, c.categoryId === 'hf' ? 100 - i : 20 - i]));
    return scoreCandidates(list, citizen({ segment }));
  };
  const housingFund = (ranked: ScoredCandidate[]) =>
    ranked.slice(0, CATEGORY_CAP.positions).filter((s) => s.candidate.categoryId === 'hf').length;
  const ids = (ranked: ScoredCandidate[]) => ranked.map((s) => s.candidate.id);

  it('holds at most three services of one leaf category in the first ten', () => {
    const ranked = diversify(crowded());
    expect(housingFund(ranked)).toBe(CATEGORY_CAP.perCategory);
    expect(ranked.slice(0, 3).every((s) => s.candidate.categoryId === 'hf')).toBe(true);
    expect(ids(diversifiedTop(crowded(), 10))).toEqual(ids(ranked.slice(0, 10)));
  });

  it('gives way where the citizen’s own history asks for the category', () => {
    const ranked = diversify(crowded(), 100, new Set(['hf']));
    expect(housingFund(ranked)).toBeGreaterThan(CATEGORY_CAP.perCategory);
    expect(ids(diversifiedTop(crowded(), 10, new Set(['hf'])))).toEqual(ids(ranked.slice(0, 10)));
  });

  it('counts a history as asking for a category when it holds most of its recent use', () => {
    const categoryOf = (id: string) => ({ a: 'hf', b: 'hf', c: 'tax' })[id];
    const history = new Map([
      ['a', 3],
      ['b', 1],
      ['c', 1],
    ]);
    const counts = new Map([
      ['a', 3],
      ['b', 1],
      ['c', 1],
    ]);
    expect(categoriesAskedFor(citizen({ history, historyCounts: counts }), categoryOf)).toEqual(new Set(['hf']));
    const once = citizen({ history: new Map([['a', 1]]), historyCounts: new Map([['a', 1]]) });
    expect(categoriesAskedFor(once, categoryOf).size).toBe(0);
    const unpersonalised = citizen({ personalized: false, history, historyCounts: counts });
    expect(categoriesAskedFor(unpersonalised, categoryOf).size).toBe(0);
  });

  it('falls back to score order when only capped categories are left', () => {
    const only = Array.from({ length: 6 }, (_, i) => candidate(`hf${i}`, 'hf'));
    const scored = scoreCandidates(only, citizen({ segment: new Map(only.map((c, i) => [c.id, 10 - i])) }));
    expect(diversifiedTop(scored, 5).map((s) => s.candidate.id)).toEqual(['hf0', 'hf1', 'hf2', 'hf3', 'hf4']);
  });
});

describe('scoredSource', () => {
  // 120 services in 12 categories, a history over a few of them, segment demand over all.
  const list = Array.from({ length: 120 }, (_, i) => candidate(`s${String(i).padStart(3, '0')}`, `c${i % 12}`));
  const history = new Map(['s000', 's012', 's024', 's005'].map((id, i) => [id, 3 - i * 0.5]));
  const profile = citizen({
    segment: new Map(list.map((c, i) => [c.id, 1000 / (1 + ((i * 37) % 120))])),
    history,
    historyCounts: new Map([...history.keys()].map((id) => [id, 2])),
    text: new Map([['s030', { score: 0.7, terms: ['社保'] }]]),
  });
  const shown = (ranked: ScoredCandidate[]) =>
    ranked.map((s) => [s.candidate.id, s.score, s.components.map((c) => [c.kind, c.contribution, c.message])]);

  it('ranks exactly as the scored list does, for a page, a deep page and with hidden services', () => {
    const hidden = new Set(['s012']);
    for (const [count, uncapped, hide] of [
      [10, new Set<string>(), new Set<string>()],
      [10, new Set(['c0']), hidden],
      [150, new Set<string>(), hidden],
    ] as const) {
      expect(shown(rankedTop(scoredSource(list, profile), count, uncapped, hide))).toEqual(
        shown(rankedTop(scoreCandidates(list, profile), count, uncapped, hide)),
      );
    }
  });

  it('builds the scored candidates of the contenders for the page only', () => {
    const source = scoredSource(list, profile);
    let built = 0;
    const counted = { ...source, scored: (index: number) => (built++, source.scored(index)) };
    expect(rankedTop(counted, 10)).toHaveLength(10);
    expect(built).toBeGreaterThanOrEqual(10);
    // The 20 services of the history's two categories all contend (the taste lifts them), though
    // only three of each may be shown: about half the list, not all of it.
    expect(built).toBeLessThan(list.length * 0.6);
  });
});
