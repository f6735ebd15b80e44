import { normalizeText } from './normalize';
import { TypoCorrector } from './typo-correction';
import { queryTokens, toTsQuery, tokenize } from './tokenize';

describe('normalizeText', () => {
  it('turns traditional script and full-width characters into simplified half-width text', () => {
    expect(normalizeText('醫保報銷')).toBe('医保报销');
    expect(normalizeText('給狗打疫苗在哪裏預約')).toBe('给狗打疫苗在哪里预约');
    expect(normalizeText('ＡＢＣ１２３　住房公積金')).toBe('abc123 住房公积金');
  });

  it("reads Taiwan's and Hong Kong's 身分證 as the identity card 身份证", () => {
    expect(normalizeText('身分證過期了')).toBe('身份证过期了');
    expect(normalizeText('身分证丢了')).toBe('身份证丢了');
  });
});

describe('tokenize', () => {
  it('segments Chinese and keeps English words, without stop words', () => {
    const tokens = tokenize('我想办理住房公积金提取 Housing Fund');
    expect(tokens).toEqual(expect.arrayContaining(['住房', '公积金', '提取', 'housing', 'fund']));
    expect(tokens).not.toContain('我');
    expect(tokens).not.toContain('想');
  });

  it('gives the same tokens for traditional and simplified text', () => {
    expect(tokenize('醫療保險報銷')).toEqual(tokenize('医疗保险报销'));
  });

  it('adds the canonical term of a synonym group', () => {
    expect(tokenize('医疗保险')).toContain('医保');
    expect(tokenize('老年人优待证')).toContain('老年证');
    expect(tokenize('housing fund withdrawal')).toContain('公积金');
  });

  it('stems English plurals the same way on both sides', () => {
    expect(tokenize('Benefits')).toContain('benefit');
    expect(tokenize('subsidies')).toContain('subsidy');
  });
});

describe('queryTokens', () => {
  it('drops words that only widen a search, unless nothing else is left', () => {
    expect(queryTokens('办理低保申请')).toEqual(expect.arrayContaining(['低保']));
    expect(queryTokens('办理低保申请')).not.toContain('办理');
    expect(queryTokens('申请')).toEqual(['申请']);
  });
});

describe('toTsQuery', () => {
  it('ORs quoted lexemes and escapes quotes', () => {
    expect(toTsQuery(['医保', "it's"])).toBe("'医保' | 'it''s'");
    expect(toTsQuery([])).toBeNull();
  });
});

describe('tokenize: synonyms as whole words', () => {
  it('never finds a synonym inside another word', () => {
    expect(tokenize('vocational certificate education')).not.toContain('宠物');
    expect(tokenize('my cat is missing')).toContain('宠物');
  });

  it('does not read "lost" alone as a replacement: losing a job is not a lost card', () => {
    expect(tokenize('I lost my job')).not.toContain('补办');
    expect(tokenize('I lost my ID card')).toContain('补办');
  });
});

describe('TypoCorrector', () => {
  it('corrects a run only where it is likelier a typo than meant as typed', () => {
    const corrector = new TypoCorrector(['水管', '公积金', '社保卡'], ['水管', '公积金', '社保卡', '谁', '管']);
    expect(corrector.correct('狗咬人了谁管')).toBe('狗咬人了谁管');
    expect(corrector.correct('公基金怎么取')).toBe('公积金怎么取');
    expect(corrector.correct('社宝卡丢了')).toBe('社保卡丢了');
  });
});
