import { AgeBand } from '../citizens/age-band';
import { MatchReasonKind } from './match-reason';
import {
  meanNdcg,
  multiStartAscent,
  pairedGain,
  queryNdcgs,
  shrunkTowardsDefaults,
  stepsFrom,
  validateFit,
  type RankingQuery,
} from './ranking-fit';
import { FITTED_PARAMETERS, parametersOf, TUNING, tuningWith } from './ranking-model';
import {
  categoriesAskedFor,
  exemptionRuleOf,
  scoreCandidates,
  slotsOf,
  type Candidate,
  type CitizenSignals,
} from './scoring';

const now = new Date('2026-11-29T00:00:00Z');
const DAY_MS = 86_400_000;
const candidate = (id: string, categoryId: string, slot: number): Candidate => ({
  slot,
  id,
  title: `服务${id}`,
  categoryId,
  parentCategoryId: null,
  categoryName: `类${categoryId}`,
  launchedAt: null,
  upvotes: 0,
  downvotes: 0,
  ratingCount: 0,
  ratingSum: 0,
  popularity: 1,
});
const candidates = [candidate('a1', 'a', 0), candidate('a2', 'a', 1), candidate('b1', 'b', 2), candidate('b2', 'b', 3)];
/** Long use of category a, one signal about b: recent (3 days ago) or not (40 days ago). */
const citizen = (bDaysAgo: number): CitizenSignals => ({
  personalized: true,
  districtName: '云岩区',
  ageBand: AgeBand.ADULT,
  interestCategoryIds: new Set(),
  segment: new Map(),
  cohort: [],
  history: new Map([
    ['a1', 8],
    ['b1', 1],
  ]),
  historyCounts: new Map([
    ['a1', 8],
    ['b1', 1],
  ]),
  historyLastAt: new Map([
    ['a1', now.getTime() - 60 * DAY_MS],
    ['b1', now.getTime() - bDaysAgo * DAY_MS],
  ]),
  neighbours: new Map(),
  text: new Map(),
  now,
});

describe('ranking model parameters', () => {
  it('reads a fitted model back only with known names within bounds', () => {
    expect(tuningWith(parametersOf(TUNING))).toEqual(TUNING);
    expect(tuningWith({ 'weights.OWN_HISTORY': 3 }).weights.OWN_HISTORY).toBe(3);
    expect(TUNING.weights.OWN_HISTORY).toBe(2.4);
    expect(() => tuningWith({ mmrLambda: 0.5 })).toThrow(/Unknown ranking parameter/);
    expect(() => tuningWith({ coUse: -1 })).toThrow(/out of bounds/);
    expect(() => tuningWith({ coUse: Number.NaN })).toThrow(/out of bounds/);
    for (const p of FITTED_PARAMETERS) expect(p.min).toBeLessThanOrEqual(p.max);
  });

  it('weighs the categories of recent use when a model turns recent taste on, with its own reason', () => {
    const recentOn = tuningWith({ recentTaste: 1 });
    const score = (days: number, tuning = recentOn) =>
      scoreCandidates(candidates, citizen(days), undefined, undefined, tuning).find((s) => s.candidate.id === 'b2')!;
    const recent = score(3);
    expect(recent.components.map((c) => c.message)).toContain('您近期办理过“类b”类服务');
    expect(recent.components.find((c) => c.message.startsWith('您近期'))!.kind).toBe(MatchReasonKind.OWN_HISTORY);
    // Not recent, or off (the defaults): no such part.
    expect(score(40).components.some((c) => c.message.startsWith('您近期'))).toBe(false);
    expect(score(3, TUNING).components.some((c) => c.message.startsWith('您近期'))).toBe(false);
    expect(recent.score).toBeGreaterThan(score(40).score);
  });
});

describe('components a fitted model may turn on', () => {
  const part = (scored: ReturnType<typeof scoreCandidates>, id: string, prefix: string) =>
    scored.find((s) => s.candidate.id === id)!.components.find((c) => c.message.startsWith(prefix));
  const scoreOf = (scored: ReturnType<typeof scoreCandidates>, id: string) =>
    scored.find((s) => s.candidate.id === id)!.score;

  it('fades a service of the history by the time since its last use, only when a model says so', () => {
    // a1 and b1 are used as often; a1 last 60 days ago, b1 3 days ago.
    const even = {
      ...citizen(3),
      historyCounts: new Map([
        ['a1', 2],
        ['b1', 2],
      ]),
    };
    const at = (tuning: ReturnType<typeof tuningWith>) =>
      scoreCandidates(candidates, even, undefined, undefined, tuning);
    expect(scoreOf(at(TUNING), 'a1')).toBeCloseTo(scoreOf(at(TUNING), 'b1'), 12);
    const faded = at(tuningWith({ historyFading: 0.1 }));
    expect(scoreOf(faded, 'a1')).toBeLessThan(scoreOf(faded, 'b1'));
  });

  it('fades a category of the taste by the time since any of its services was last used', () => {
    // Category a: 8 signals, the last 60 days ago; category b: 1 signal 3 days ago.
    const taste = (tuning: ReturnType<typeof tuningWith>) =>
      scoreCandidates(candidates, citizen(3), undefined, undefined, tuning);
    const whole = taste(tuningWith({ categoryTaste: 1 }));
    const fading = taste(tuningWith({ categoryTaste: 1, tasteFading: 0.2 }));
    expect(part(whole, 'a2', '您常办理')!.contribution).toBeGreaterThan(part(whole, 'b2', '您常办理')!.contribution);
    expect(part(fading, 'a2', '您常办理')!.contribution).toBeLessThan(part(fading, 'b2', '您常办理')!.contribution);
  });

  it('raises the categories co-used with those of recent use, naming the category it came through', () => {
    const linked = [...candidates, candidate('c1', 'c', 4), candidate('c2', 'c', 5)];
    // Citizens who used b1 also used c1: b's services are co-used with c's.
    const neighbours = new Map([['b1', [{ id: 'c1', similarity: 0.6 }]]]);
    const signals = { ...citizen(3), neighbours };
    const related = tuningWith({ relatedTaste: 1 });
    const scored = scoreCandidates(linked, signals, undefined, undefined, related);
    const reason = part(scored, 'c2', '常与您近期办理');
    expect(reason?.message).toBe('常与您近期办理的“类b”类服务一起办理');
    expect(reason?.kind).toBe(MatchReasonKind.OWN_HISTORY);
    // Not recent (b1 used 40 days ago), no link, or off: no such part.
    const without = [
      scoreCandidates(linked, { ...citizen(40), neighbours }, undefined, undefined, related),
      scoreCandidates(linked, citizen(3), undefined, undefined, related),
      scoreCandidates(linked, signals, undefined, undefined, TUNING),
    ];
    for (const s of without) expect(part(s, 'c2', '常与您近期办理')).toBeUndefined();
    expect(scoreOf(scored, 'c2')).toBeGreaterThan(scoreOf(without[0], 'c2'));
  });

  it('leans a thin segment on its age band across the city, named only where the band used the service', () => {
    const stranger: CitizenSignals = {
      ...citizen(3),
      history: new Map(),
      historyCounts: new Map(),
      historyLastAt: new Map(),
      segment: new Map([['a1', 1]]),
      ageBandDemand: new Map([
        ['a1', 1],
        ['b2', 30],
      ]),
    };
    const band = tuningWith({ ageBandSmoothing: 20 });
    const leaning = scoreCandidates(candidates, stranger, undefined, undefined, band);
    const plain = scoreCandidates(candidates, stranger, undefined, undefined, TUNING);
    expect(scoreOf(leaning, 'b2')).toBeGreaterThan(scoreOf(leaning, 'b1'));
    expect(scoreOf(plain, 'b2')).toBeCloseTo(scoreOf(plain, 'b1'), 12);
    const reason = part(leaning, 'b2', '全市');
    expect(reason?.message).toBe('全市35至59岁居民近期常用');
    expect(reason?.kind).toBe(MatchReasonKind.SEGMENT_DEMAND);
    // b1: no use in the band, no band reason; a1 keeps its segment's own.
    expect(part(leaning, 'b1', '全市35')).toBeUndefined();
    expect(part(leaning, 'a1', '云岩区')?.kind).toBe(MatchReasonKind.SEGMENT_DEMAND);
    for (const s of plain) expect(s.components.some((c) => c.message.startsWith('全市35'))).toBe(false);
  });

  it('lets a model set how many signals a history needs to ask for more of a category', () => {
    const categoryOf = (id: string) => id.slice(0, 1);
    const once = { ...citizen(3), history: new Map([['a1', 1]]), historyCounts: new Map([['a1', 1]]) };
    const rule = (minSignals: number, fading = 0) => ({ minSignals, fading });
    expect(categoriesAskedFor(once, categoryOf)).toEqual(new Set());
    expect(categoriesAskedFor(once, categoryOf, rule(1))).toEqual(new Set(['a']));
    expect(categoriesAskedFor(once, categoryOf, rule(0))).toEqual(new Set(['a']));
    expect(categoriesAskedFor({ ...once, personalized: false }, categoryOf, rule(1))).toEqual(new Set());
  });

  it('reads the recent history for the cap as the model fades it: a burst that stopped asks for nothing', () => {
    // Category a: 8 signals, the last 60 days ago; category b: 1 signal 3 days ago.
    const categoryOf = (id: string) => id.slice(0, 1);
    const signals = citizen(3);
    expect(categoriesAskedFor(signals, categoryOf, { minSignals: 3, fading: 0 })).toEqual(new Set(['a']));
    expect(categoriesAskedFor(signals, categoryOf, { minSignals: 3, fading: 0.2 })).toEqual(new Set(['b']));
    expect(categoriesAskedFor(signals, categoryOf, exemptionRuleOf(tuningWith({ tasteFading: 0.2 })))).toEqual(
      new Set(['b']),
    );
  });
});

describe('the fit’s steps', () => {
  it('stay within the bounds a value can reach, wide first and finer later', () => {
    expect(stepsFrom(0, 0, { min: 0, max: 5 })).toEqual([0.0005, 0.005, 0.05, 0.5, 5]);
    expect(stepsFrom(2, 1, { min: 2, max: 60 })).toEqual([4, 8, 16, 32, 128]);
    expect(stepsFrom(1, 0, { min: 0, max: 5 })).toEqual([0, 0.125, 0.25, 0.5, 2, 4, 8]);
    expect(stepsFrom(1, 2, { min: 0, max: 5 })).toEqual([0.85, 1.15, 0.6, 1.6]);
  });
});

describe('the fit’s starts', () => {
  const query = (citizenId: string, relevant: string): RankingQuery => ({
    citizenId,
    candidates,
    signals: citizen(3),
    relevant: new Set([relevant]),
  });
  const slots = slotsOf(candidates);
  // Recent taste (off by default) raises b2, of the category used 3 days ago, above a2.
  const recent = { recentTaste: 5 };

  it('measures a gain by the paired differences of the same citizens', () => {
    expect(pairedGain([0.5, 0.5, 0.5], [0.6, 0.6, 0.6])).toEqual({ gain: expect.closeTo(0.1, 10), standardError: 0 });
    const noisy = pairedGain([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0.2]);
    expect(noisy.gain).toBeCloseTo(0.05, 10);
    expect(noisy.standardError).toBeGreaterThan(noisy.gain);
  });

  it('keeps a later start’s search only when it is clearly better on the fit week', async () => {
    const clear = { queries: ['c1', 'c2', 'c3'].map((id) => query(id, 'b2')), slots };
    expect(meanNdcg(clear, tuningWith(recent))).toBeGreaterThan(meanNdcg(clear, TUNING) + 0.01);
    // Rounds 0: each search is its start alone.
    const better = await multiStartAscent(clear, 0, [{}, recent]);
    expect(better.tuning.recentTaste).toBe(5);
    expect(better.trace.start).toEqual(recent);
    expect(better.trace.evaluations).toBe(2);
    expect(better.trace.searches!.map((s) => s.kept)).toEqual([false, true]);

    // The same start is no gain: the first search stays.
    const same = await multiStartAscent(clear, 0, [{}, {}]);
    expect(same.trace.start).toEqual({});
    expect(same.trace.searches!.map((s) => s.kept)).toEqual([true, false]);

    // Better for some citizens, worse for others: kept only if the gain stands a standard error clear.
    const mixed = { queries: [query('m1', 'b2'), query('m2', 'a2'), query('m3', 'a2'), query('m4', 'b2')], slots };
    const { gain, standardError } = pairedGain(queryNdcgs(mixed, TUNING), queryNdcgs(mixed, tuningWith(recent)));
    // Two citizens gain, two lose less: a gain on average, within one standard error.
    expect(gain).toBeGreaterThan(0.0005);
    expect(gain).toBeLessThan(standardError);
    const fit = await multiStartAscent(mixed, 0, [{}, recent]);
    expect(fit.tuning.recentTaste).toBe(0);
    expect(fit.trace.start).toEqual({});
    expect(fit.trace.searches![1]).toMatchObject({
      gain: expect.closeTo(gain, 10),
      standardError: expect.closeTo(standardError, 10),
    });
  });

  it('keeps a fitted model only when it beats the defaults on the validation week, which the search did not read', () => {
    const fitted = tuningWith(recent);
    // The week before the fit week asked for b2 (what recent taste raises): the fit carries over.
    const carries = { queries: ['v1', 'v2', 'v3'].map((id) => query(id, 'b2')), slots };
    const kept = validateFit(carries, [{ tuning: fitted, ndcg: 0.5 }], 1);
    expect(kept.tuning.recentTaste).toBe(5);
    expect(kept.kept).toBe('search 1');
    expect(kept.candidates.map((c) => c.label)).toEqual(['defaults', 'search 1', 'search 1, shrunk']);
    // It asked for a2, which recent taste pushes down: the defaults stay.
    const fails = { queries: ['w1', 'w2', 'w3'].map((id) => query(id, 'a2')), slots };
    expect(meanNdcg(fails, fitted)).toBeLessThan(meanNdcg(fails, TUNING));
    const guarded = validateFit(fails, [{ tuning: fitted, ndcg: 0.5 }], 1);
    expect(guarded.kept).toBe('defaults');
    expect(parametersOf(guarded.tuning)).toEqual(parametersOf(TUNING));
    // Between two searches, both weeks decide: the first's lead on the fit week (which both
    // searches were fitted on) does not outweigh the second's on the validation week.
    const two = validateFit(
      carries,
      [
        { tuning: TUNING, ndcg: 0.52 },
        { tuning: fitted, ndcg: 0.5 },
      ],
      1,
    );
    expect(two.kept).toBe('search 2');
    expect(
      validateFit(
        carries,
        [
          { tuning: TUNING, ndcg: 2 },
          { tuning: fitted, ndcg: 0.5 },
        ],
        1,
      ).kept,
    ).toBe('defaults');
    // Too few citizens in the validation week to judge: the defaults stay.
    expect(validateFit(carries, [{ tuning: fitted, ndcg: 0.5 }], 4).kept).toBe('defaults');
  });

  it('shrinks a fitted model towards the defaults, geometrically where both are above 0', () => {
    const fitted = tuningWith({ recentTaste: 4, 'weights.OWN_HISTORY': TUNING.weights.OWN_HISTORY * 4 });
    const half = shrunkTowardsDefaults(fitted, 0.5);
    expect(half.recentTaste).toBeCloseTo(2, 10);
    expect(half.weights.OWN_HISTORY).toBeCloseTo(TUNING.weights.OWN_HISTORY * 2, 10);
    expect(parametersOf(shrunkTowardsDefaults(fitted, 1))).toEqual(parametersOf(TUNING));
    expect(parametersOf(shrunkTowardsDefaults(fitted, 0))).toEqual(parametersOf(fitted));
  });
});
