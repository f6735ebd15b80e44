import { AgeBand } from '../citizens/age-band';
import { MatchReasonKind } from './match-reason';
import { reasonSentence, shownTerms, TAG_LABELS, topReasons, type SentenceContext } from './reasons';
import type { Candidate, ScoredCandidate } from './scoring';

const candidate = (extra: Partial<Candidate> = {}): Candidate => ({
  slot: 0,
  id: 's',
  title: '服务s',
  categoryId: 'c1',
  parentCategoryId: null,
  categoryName: '社会保障',
  launchedAt: null,
  upvotes: 0,
  downvotes: 0,
  ratingCount: 0,
  ratingSum: 0,
  popularity: 1,
  ...extra,
});
const context = (
  extra: Partial<SentenceContext> = {},
  citizen: Partial<SentenceContext['citizen']> = {},
): SentenceContext => ({
  citizen: { text: new Map(), cohort: [], districtName: '南明区', ageBand: AgeBand.YOUTH, ...citizen },
  reachedVia: (id: string) => (id === 's' ? 's' : undefined),
  nameOf: () => undefined,
  city: { upShare: 0.5, meanRating: 3.5 },
  relatedThrough: () => undefined,
  ...extra,
});

describe('reasonSentence', () => {
  const s = candidate();
  it('names the words matched, at most three, single characters left out beside longer words', () => {
    const ctx = context({}, { text: new Map([['s', { score: 1, terms: ['社保', '卡', '补办', '挂失'] }]]) });
    expect(reasonSentence(MatchReasonKind.TEXT_MATCH, 'item', s, ctx)).toBe('匹配您的需求：社保、补办、挂失');
  });

  it('names what of the history led to the service, or says it in general', () => {
    expect(reasonSentence(MatchReasonKind.OWN_HISTORY, 'item', s, context())).toBe('您办理或浏览过此服务');
    const viaOther = { reachedVia: (id: string) => (id === 's' ? 'h' : undefined) };
    expect(reasonSentence(MatchReasonKind.OWN_HISTORY, 'item', s, context(viaOther))).toBe('与您办理过的服务相关');
    expect(
      reasonSentence(
        MatchReasonKind.OWN_HISTORY,
        'item',
        s,
        context({ ...viaOther, nameOf: (id) => (id === 'h' ? '医保报销' : undefined) }),
      ),
    ).toBe('与您办理过的“医保报销”相关');
    expect(reasonSentence(MatchReasonKind.OWN_HISTORY, 'taste', s, context())).toBe('您常办理“社会保障”类服务');
    expect(reasonSentence(MatchReasonKind.OWN_HISTORY, 'recent', s, context())).toBe('您近期办理过“社会保障”类服务');
    expect(reasonSentence(MatchReasonKind.OWN_HISTORY, 'related', s, context())).toBe('常与您近期办理的服务一起办理');
    const through = context({ relatedThrough: (id) => (id === 'c1' ? '户籍' : undefined) });
    expect(reasonSentence(MatchReasonKind.OWN_HISTORY, 'related', s, through)).toBe(
      '常与您近期办理的“户籍”类服务一起办理',
    );
  });

  it('names the circumstance with the best share for the service, the first one on ties, the tag itself when unlabelled', () => {
    const cohort = [
      { tag: 'retiree', shares: new Map([['s', 0.2]]) },
      { tag: 'disabled', shares: new Map([['s', 0.5]]) },
      { tag: 'veteran', shares: new Map([['s', 0.5]]) },
    ];
    expect(reasonSentence(MatchReasonKind.SIMILAR_CITIZENS, 'item', s, context({}, { cohort }))).toBe(
      '与您情况相似的居民（残疾人）常用',
    );
    const first = [
      { tag: 'student', shares: new Map<string, number>() },
      { tag: 'veteran', shares: new Map<string, number>() },
    ];
    expect(reasonSentence(MatchReasonKind.SIMILAR_CITIZENS, 'item', s, context({}, { cohort: first }))).toBe(
      '与您情况相似的居民（学生）常用',
    );
    const unlabelled = [{ tag: 'beekeeper', shares: new Map([['s', 0.1]]) }];
    expect(reasonSentence(MatchReasonKind.SIMILAR_CITIZENS, 'item', s, context({}, { cohort: unlabelled }))).toBe(
      '与您情况相似的居民（beekeeper）常用',
    );
  });

  it('names the segment, or the age band across the city', () => {
    expect(reasonSentence(MatchReasonKind.SEGMENT_DEMAND, 'item', s, context())).toBe('南明区18至34岁居民近期常用');
    expect(reasonSentence(MatchReasonKind.SEGMENT_DEMAND, 'band', s, context())).toBe('全市18至34岁居民近期常用');
    expect(reasonSentence(MatchReasonKind.SEGMENT_DEMAND, 'item', s, context({}, { ageBand: AgeBand.CHILD }))).toBe(
      '南明区未成年居民近期常用',
    );
    expect(reasonSentence(MatchReasonKind.SEGMENT_DEMAND, 'item', s, context({}, { ageBand: AgeBand.ADULT }))).toBe(
      '南明区35至59岁居民近期常用',
    );
    // Without an age band, the district alone, even for the band's part.
    expect(reasonSentence(MatchReasonKind.SEGMENT_DEMAND, 'band', s, context({}, { ageBand: null }))).toBe(
      '南明区居民近期常用',
    );
  });

  it('says the rest in a fixed sentence each', () => {
    expect(reasonSentence(MatchReasonKind.POPULAR, 'item', s, context())).toBe('全市居民常用');
    expect(reasonSentence(MatchReasonKind.INTEREST, 'item', s, context())).toBe('属于您关注的“社会保障”');
    expect(reasonSentence(MatchReasonKind.NEW_SERVICE, 'item', s, context())).toBe('新上线服务');
    const rated = candidate({ ratingCount: 30, ratingSum: 141 });
    expect(reasonSentence(MatchReasonKind.WELL_RATED, 'item', rated, context())).toBe('评价较好（4.7分）');
    const voted = candidate({ upvotes: 30, ratingCount: 30, ratingSum: 108 });
    expect(reasonSentence(MatchReasonKind.WELL_RATED, 'item', voted, context())).toBe('居民点赞较多');
  });

  it('labels every tag of the seeded circumstances', () => {
    expect(Object.keys(TAG_LABELS).length).toBe(12);
    expect(TAG_LABELS['low-income']).toBe('低收入家庭');
  });
});

describe('topReasons', () => {
  const scored = (score: number, contributions: number[]): ScoredCandidate => ({
    candidate: candidate(),
    score,
    components: contributions.map((contribution, i) => ({
      kind: MatchReasonKind.POPULAR,
      contribution,
      message: `m${i}`,
    })),
  });

  it('gives each component’s share of what raised the score, from 5% up, at most three', () => {
    const list = [0.5, 0.25, 0.125, 0.09375, 0.03125]; // dyadic: the shares are exact
    expect(topReasons(scored(1, list))).toEqual([
      { kind: MatchReasonKind.POPULAR, weight: 0.5, message: 'm0' },
      { kind: MatchReasonKind.POPULAR, weight: 0.25, message: 'm1' },
      { kind: MatchReasonKind.POPULAR, weight: 0.125, message: 'm2' },
    ]);
    expect(topReasons(scored(1, list), 5).map((r) => r.message)).toEqual(['m0', 'm1', 'm2', 'm3']);
    // 5% exactly is enough.
    expect(topReasons(scored(1, [0.95, 0.05]), 4).map((r) => r.weight)).toEqual([0.95, 0.05]);
    // Poor votes took 0.5 off: the shares are of the 1.5 that raised it, not of the score.
    expect(topReasons(scored(1, [1, 0.5])).map((r) => r.weight)).toEqual([2 / 3, 1 / 3]);
    expect(topReasons(scored(0, [0.5]))).toEqual([]);
    expect(topReasons(scored(-0.1, [0.5]))).toEqual([]);
  });
});

describe('shownTerms', () => {
  it('leaves out single Chinese characters when a longer word matched, and shows at most three words', () => {
    expect(shownTerms(['失业', '不', '上'])).toBe('失业');
    expect(shownTerms(['社保', '交', '单位', '缴费', '证明'])).toBe('社保、单位、缴费');
    expect(shownTerms(['证'])).toBe('证');
    expect(shownTerms(['id', 'card'])).toBe('id、card');
  });
});
