import { TextMatcher, type MatchableService } from './text-matcher';
import { TypoCorrector } from '../../text/typo-correction';

const service = (id: string, title: string, tags: string[], summary: string, category = 'gov.x'): MatchableService => ({
  id,
  title,
  titleEn: null,
  tags,
  summary,
  description: null,
  categoryCodes: [category, 'gov'],
  districtCodes: id === 'local' ? ['520111'] : [],
});

const matcher = new TextMatcher([
  service(
    'fund',
    '租房提取住房公积金',
    ['公积金', '提取', '租房'],
    '租房的职工可以提取住房公积金支付房租。',
    'gov.housing-fund',
  ),
  service(
    'card',
    '社会保障卡挂失与补换',
    ['社保卡', '补办', '挂失'],
    '社保卡丢失后先挂失再补换。',
    'gov.social-security',
  ),
  service('elder', '老年人优待证办理', ['老年证', '优待证'], '60岁以上老年人可以办理优待证。', 'community.elderly'),
  service('local', '花溪区社区食堂', ['食堂', '助餐'], '花溪区老年人助餐。', 'community.elderly'),
]);

describe('TextMatcher', () => {
  it('finds the service in simplified, traditional and full-width text', () => {
    for (const text of ['租房提取公积金', '租房提取公積金', '租房提取公积金？'])
      expect(matcher.match(text)[0].serviceId).toBe('fund');
  });
  it('finds it through synonyms and typos of the pinyin input method', () => {
    expect(matcher.match('老人证')[0].serviceId).toBe('elder');
    expect(matcher.match('社宝卡补办')[0].serviceId).toBe('card');
    expect(matcher.match('公基金提取')[0].serviceId).toBe('fund');
  });
  it('scores from 0 to 1, lower when much of the request is not there', () => {
    const full = matcher.match('社保卡补办')[0].score;
    const partial = matcher.match('宠物狗狂犬疫苗补办')[0]?.score ?? 0;
    expect(full).toBeGreaterThan(0.7);
    expect(full).toBeLessThanOrEqual(1);
    expect(partial).toBeLessThan(0.4);
    expect(matcher.match('的了吗')).toEqual([]);
  });
  it('leaves out services of other districts when a district is given', () => {
    expect(matcher.match('社区食堂').map((m) => m.serviceId)).toContain('local');
    expect(matcher.match('社区食堂', { districtCode: '520103' }).map((m) => m.serviceId)).not.toContain('local');
  });
});

describe('TypoCorrector', () => {
  const corrector = new TypoCorrector(
    ['公积金', '社保卡', '迁移', '医保'],
    ['公积金', '社保卡', '迁移', '医保', '报销', '户口'],
  );
  it('replaces sound-alike runs by catalogue words', () => {
    expect(corrector.correct('公基金提取')).toBe('公积金提取');
    expect(corrector.correct('户口迁一')).toBe('户口迁移');
  });
  it('never cuts through a known word', () => {
    expect(corrector.correct('医保报销')).toBe('医保报销');
  });
});
