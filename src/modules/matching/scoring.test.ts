import { AgeBand } from '../citizens/age-band';
import { MatchReasonKind } from './match-reason';
import { diversifiedTop, diversify, personalShare, scoreCandidates, topReasons, TUNING, type Candidate, type CitizenSignals, type ScoredCandidate } from './scoring';

const now = new Date('2026-11-29T00:00:00Z');
let nextSlot = 0;
const candidate = (id: string, categoryId = 'c1', extra: Partial<Candidate> = {}): Candidate => ({
  slot: nextSlot++,
  id,
  title: `服务${id}`,
  categoryId,
  parentCategoryId: 'root',
  categoryName: '类别',
  publishedAt: new Date('2025-01-01T00:00:00Z'),
  upvotes: 0,
  downvotes: 0,
  ratingCount: 0,
  ratingSum: 0,
  popularity: 1,
  ...extra,
});
const citizen = (extra: Partial<CitizenSignals> = {}): CitizenSignals => ({
  personalized: true,
  districtName: '云岩区',
  ageBand: AgeBand.SENIOR,
  interestCategoryIds: new Set(),
  segment: new Map(),
  cohort: [],
  history: new Map(),
  historyCounts: new Map(),
  neighbours: new Map(),
  text: new Map(),
  now,
  ...extra,
});
const scoreOf = (scored: ReturnType<typeof scoreCandidates>, id: string) => scored.find((s) => s.candidate.id === id)!.score;

describe('scoreCandidates', () => {
  it('ranks by segment demand for a newcomer, with the segment named in the reason', () => {
    const scored = scoreCandidates([candidate('a'), candidate('b')], citizen({ segment: new Map([['a', 10], ['b', 1]]) }));
    expect(scoreOf(scored, 'a')).toBeGreaterThan(scoreOf(scored, 'b'));
    const [reason] = topReasons(scored.find((s) => s.candidate.id === 'a')!);
    expect(reason).toMatchObject({ kind: MatchReasonKind.SEGMENT_DEMAND, message: '云岩区60岁以上居民近期常用' });
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
    const segment = new Map([['a', 10], ['b', 1]]);
    const newcomer = scoreCandidates([candidate('a'), candidate('b')], citizen({ segment }));
    const regular = scoreCandidates(
      [candidate('a'), candidate('b')],
      citizen({ segment, history: new Map([['x', 40]]), historyCounts: new Map([['x', 40]]), neighbours: new Map([['x', [{ id: 'b', similarity: 0.9 }]]]) }),
      (id) => `服务${id}`,
    );
    expect(scoreOf(newcomer, 'a')).toBeGreaterThan(scoreOf(newcomer, 'b'));
    expect(scoreOf(regular, 'b')).toBeGreaterThan(scoreOf(regular, 'a'));
    const reason = topReasons(regular.find((s) => s.candidate.id === 'b')!)[0];
    expect(reason).toMatchObject({ kind: MatchReasonKind.OWN_HISTORY, message: '与您办理过的“服务x”相关' });
  });

  it('lets a short history speak for the services used, and only a long one for their neighbours', () => {
    const candidates = [candidate('used', 'c1'), candidate('popular', 'c2'), candidate('neighbour', 'c3')];
    const segment = new Map([['popular', 30], ['neighbour', 3], ['used', 3]]);
    const neighbours = new Map([['used', [{ id: 'neighbour', similarity: 0.3 }]]]);
    const once = scoreCandidates(candidates, citizen({ segment, neighbours, history: new Map([['used', 1]]), historyCounts: new Map([['used', 1]]) }));
    expect(scoreOf(once, 'used')).toBeGreaterThan(scoreOf(once, 'popular'));
    expect(scoreOf(once, 'popular')).toBeGreaterThan(scoreOf(once, 'neighbour'));
    const often = scoreCandidates(candidates, citizen({ segment, neighbours, history: new Map([['used', 300]]), historyCounts: new Map([['used', 300]]) }));
    expect(scoreOf(often, 'neighbour')).toBeGreaterThan(scoreOf(often, 'popular'));
  });

  it('weighs declared interests while the history is short, less as it grows', () => {
    const candidates = [candidate('a', 'c1'), candidate('b', 'c2')];
    const segment = new Map([['a', 12], ['b', 10]]);
    const interestOf = (scored: ReturnType<typeof scoreCandidates>) =>
      scored.find((s) => s.candidate.id === 'b')!.components.find((c) => c.kind === MatchReasonKind.INTEREST)?.contribution ?? 0;
    const newcomer = scoreCandidates(candidates, citizen({ segment, interestCategoryIds: new Set(['c2']) }));
    expect(scoreOf(newcomer, 'b')).toBeGreaterThan(scoreOf(newcomer, 'a'));
    expect(interestOf(newcomer)).toBeCloseTo(TUNING.weights.INTEREST, 12);
    const regular = scoreCandidates(
      candidates,
      citizen({ segment, interestCategoryIds: new Set(['c2']), history: new Map([['x', 20]]), historyCounts: new Map([['x', 20]]) }),
    );
    expect(interestOf(regular)).toBeLessThan(interestOf(newcomer) / 10);
  });

  it('carries the citizen’s taste over categories to services of those categories, and says so', () => {
    const candidates = [candidate('used', 'tax', { categoryName: '税务' }), candidate('sibling', 'tax', { categoryName: '税务' }), candidate('other', 'health')];
    const segment = new Map([['sibling', 5], ['other', 5]]);
    const scored = scoreCandidates(candidates, citizen({ segment, history: new Map([['used', 3]]), historyCounts: new Map([['used', 3]]) }));
    expect(scoreOf(scored, 'sibling')).toBeGreaterThan(scoreOf(scored, 'other'));
    const taste = scored.find((s) => s.candidate.id === 'sibling')!.components.find((c) => c.message === '您常办理“税务”类服务');
    expect(taste?.kind).toBe(MatchReasonKind.OWN_HISTORY);
  });

  it('counts every signal of the history, not only recent ones', () => {
    // Decayed affinity alone would put the recent one-off first; the count says otherwise.
    const history = new Map([['often', 1], ['once', 2]]);
    const historyCounts = new Map([['often', 6], ['once', 1]]);
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
    for (const s of scored) for (const c of s.components) expect(['SEGMENT_DEMAND', 'POPULAR', 'WELL_RATED', 'NEW_SERVICE']).toContain(c.kind);
  });

  it('boosts new services and well-rated ones', () => {
    const scored = scoreCandidates(
      [candidate('old'), candidate('new', 'c1', { publishedAt: new Date('2026-11-20T00:00:00Z') }), candidate('liked', 'c1', { upvotes: 50, ratingCount: 20, ratingSum: 95 })],
      citizen(),
    );
    expect(scoreOf(scored, 'new')).toBeGreaterThan(scoreOf(scored, 'old'));
    expect(scoreOf(scored, 'liked')).toBeGreaterThan(scoreOf(scored, 'old'));
  });
});

describe('diversify', () => {
  it('interleaves categories instead of stacking near-equal scores of one category', () => {
    const scored = scoreCandidates(
      [candidate('a1', 'A'), candidate('a2', 'A'), candidate('a3', 'A'), candidate('b1', 'B')],
      citizen({ segment: new Map([['a1', 10], ['a2', 9.9], ['a3', 9.8], ['b1', 9.7]]) }),
    );
    const order = diversify(scored).map((s) => s.candidate.id);
    expect(order[0]).toBe('a1');
    expect(order.indexOf('b1')).toBeLessThan(3);
  });

  it('is deterministic and keeps every candidate', () => {
    const scored = scoreCandidates(['x', 'y', 'z'].map((id) => candidate(id)), citizen());
    expect(diversify(scored).map((s) => s.candidate.id)).toEqual(diversify([...scored].reverse()).map((s) => s.candidate.id));
    expect(diversify(scored)).toHaveLength(3);
  });

  it('gives the first positions of the full diversification when it sorts only the contenders', () => {
    // Scores close together over many categories (picks skip ahead to categories not seen lately), with ties.
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const scored: ScoredCandidate[] = Array.from({ length: 600 }, (_, i) => ({
      candidate: candidate(`s${String(i).padStart(3, '0')}`, `k${i % 29}`, { parentCategoryId: `p${i % 7}` }),
      score: Math.round((1 - random() ** 3) * 400) / 400,
      components: [],
    }));
    for (const count of [1, 5, 10, 37, 100]) {
      expect(diversifiedTop(scored, count).map((s) => s.candidate.id)).toEqual(diversify(scored, count).slice(0, count).map((s) => s.candidate.id));
    }
    expect(diversifiedTop([], 10)).toEqual([]);
  });
});
