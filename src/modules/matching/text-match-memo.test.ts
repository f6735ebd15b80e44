import { TextMatchMemo } from './text-match-memo';
import { TextMatcher, type MatchableService } from './text-matcher';

const service = (id: string, title: string, tags: string[], summary: string): MatchableService => ({
  id,
  title,
  titleEn: null,
  tags,
  summary,
  description: null,
  categoryCodes: ['gov.x', 'gov'],
  districtCodes: [],
});

const matcher = new TextMatcher([
  service('fund', '租房提取住房公积金', ['公积金', '提取', '租房'], '租房的职工可以提取住房公积金支付房租。'),
  service('loan', '住房公积金贷款', ['公积金', '贷款', '购房'], '缴存职工购房可以申请公积金贷款。'),
  service('card', '社会保障卡挂失与补换', ['社保卡', '补办', '挂失'], '社保卡丢失后先挂失再补换。'),
  service('elder', '老年人优待证办理', ['老年证', '优待证'], '60岁以上老年人可以办理优待证。'),
]);

const remembered = (memo: TextMatchMemo, text: string) => {
  const matches: { serviceId: string; score: number }[] = [];
  memo.forEach(text, (index, score) => matches.push({ serviceId: matcher.serviceIdAt(index), score }));
  return matches;
};

describe('TextMatchMemo', () => {
  it('gives the matcher’s best matches, in its order, up to its limit', () => {
    const memo = new TextMatchMemo(matcher, 10, 2);
    for (const text of ['公积金提取', '社保卡补办', '公积金', '的了吗']) {
      const expected = matcher.match(text, { limit: 2 });
      const got = remembered(memo, text);
      expect(got.map((m) => m.serviceId)).toEqual(expected.map((m) => m.serviceId));
      got.forEach((m, i) => expect(m.score).toBeCloseTo(expected[i].score, 6));
    }
    expect(remembered(memo, '公积金')).toHaveLength(2);
    expect(remembered(memo, '的了吗')).toEqual([]);
  });

  it('matches a text once, and again only after it forgot everything past its capacity', () => {
    const rank = jest.spyOn(matcher, 'rank');
    const memo = new TextMatchMemo(matcher, 2, 5);
    remembered(memo, '公积金提取');
    remembered(memo, '公积金提取');
    remembered(memo, '社保卡补办');
    expect(rank).toHaveBeenCalledTimes(2);
    remembered(memo, '老年证');
    expect(rank).toHaveBeenCalledTimes(3);
    // The third text emptied the memo: the first is matched again, with the same answer.
    expect(remembered(memo, '公积金提取').map((m) => m.serviceId)).toEqual(
      matcher.match('公积金提取', { limit: 5 }).map((m) => m.serviceId),
    );
    expect(rank).toHaveBeenCalledTimes(4);
    rank.mockRestore();
  });

  it('keeps texts apart across its blocks of arrays', () => {
    const memo = new TextMatchMemo(matcher, 10_000, 3);
    const texts = Array.from({ length: 5_000 }, (_, i) => (i % 2 ? `公积金提取${i}` : `社保卡补办${i}`));
    for (const text of texts) remembered(memo, text);
    expect(remembered(memo, texts[4_999])[0].serviceId).toBe('fund');
    expect(remembered(memo, texts[4_998])[0].serviceId).toBe('card');
    expect(remembered(memo, texts[1])[0].serviceId).toBe('fund');
  });
});

describe('TextMatchMemo.matchedTerms', () => {
  it('gives the words match() reports, and segments a text once', () => {
    const memo = new TextMatchMemo(matcher, 10, 3);
    const words = jest.spyOn(matcher, 'words');
    const [best, second] = matcher.match('租房提取公积金贷款');
    words.mockClear();
    const index = (id: string) => [0, 1, 2, 3].find((i) => matcher.serviceIdAt(i) === id)!;
    expect(memo.matchedTerms('租房提取公积金贷款', index(best.serviceId))).toEqual(best.matchedTerms);
    expect(memo.matchedTerms('租房提取公积金贷款', index(second.serviceId))).toEqual(second.matchedTerms);
    expect(words).toHaveBeenCalledTimes(1);
    words.mockRestore();
  });
});
