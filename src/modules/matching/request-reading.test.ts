import { commercialServiceAskedFor, disclaimersOf, districtsNamed, otherCityAskedAbout } from './request-reading';

const wanted = (text: string) => disclaimersOf(text).wanted;

describe('disclaimersOf', () => {
  it('takes out the clause that says what is not wanted, with or without punctuation', () => {
    expect(disclaimersOf('不是要办新的社保卡，是原来那张丢了')).toEqual({
      wanted: '是原来那张丢了',
      disclaimed: ['不是要办新的社保卡'],
    });
    expect(wanted('不是查电费是家里突然停电了')).toBe('是家里突然停电了');
    expect(wanted('我不要贷款，只是想查一下公积金还剩多少钱')).toBe('只是想查一下公积金还剩多少钱');
    expect(wanted('不办护照，要办去香港用的那个证')).toBe('要办去香港用的那个证');
    expect(wanted('不是驾照到期换证，我驾照是弄丢了')).toBe('我驾照是弄丢了');
    expect(wanted('我没有失业，只是想换个工作')).toBe('只是想换个工作');
    expect(wanted('不是要辦新卡，是舊的不見了')).toBe('是舊的不見了');
    expect(wanted('not a new card, I lost mine')).toBe('I lost mine');
    expect(wanted("I don't want a loan, I just want my balance")).toBe('I just want my balance');
  });

  it('leaves questions, situations and a lone disclaimer as they are', () => {
    for (const text of [
      '她八十五了每个月是不是有高龄补贴',
      '不是本地户口，是不是不能办',
      '不是本地户口，能办吗',
      '不是本地户口',
      '坐公交不要钱吗',
      '没有工作怎么办',
      '没有工作，想找个活',
      '没有钱是不是可以申请低保',
      '不想活了',
      '老公不要我了，要离婚',
      '孩子不是贵阳户口，能上公办小学吗',
    ]) {
      expect(disclaimersOf(text)).toEqual({ wanted: text, disclaimed: [] });
    }
  });
});

describe('otherCityAskedAbout', () => {
  it('names the other city whose own service is asked about', () => {
    expect(otherCityAskedAbout('深圳地铁老人卡怎么办')).toBe('深圳');
    expect(otherCityAskedAbout('重庆的居住证到期了要签注')).toBe('重庆');
    expect(otherCityAskedAbout('成都的孩子小升初怎么报名')).toBe('成都');
    expect(otherCityAskedAbout('how do I apply for a Shanghai residence permit')).toBe('Shanghai');
  });

  it('is null for this city, for matters that cross cities, and for where a citizen comes from', () => {
    for (const text of [
      '我从深圳辞职回贵阳了那边交的社保要转回来',
      '身份证快过期了，我是四川户口能在贵阳换吗',
      '在上海住院了怎么报销',
      '要去北京看病，医保要备案吗',
      "I'm moving to Shanghai, can I keep my Guiyang medical insurance",
      'my fiancee is from Zunyi, how do we register our marriage',
      '地铁老人卡怎么办',
      '在深圳交的公积金',
      'my mother lives with me in Shenzhen, is she insured there',
    ]) {
      expect(otherCityAskedAbout(text)).toBeNull();
    }
  });
});

describe('commercialServiceAskedFor', () => {
  it('names the good or service a request asks a seller for', () => {
    expect(commercialServiceAskedFor('冰箱坏了找谁修')).toBe('冰箱');
    expect(commercialServiceAskedFor('健身卡哪家划算')).toBe('健身卡');
    expect(commercialServiceAskedFor('where can I get my laptop fixed')).toBe('laptop');
  });

  it('is null for what the city does for customers and for a device that is only the means', () => {
    for (const text of [
      '买的冰箱坏了商家不给修，要投诉', // a complaint against the seller: 12315
      '买空调的国补怎么领', // a trade-in subsidy
      '手机上能不能充燃气费', // the phone is the means
      '去药店买药，手机上可以扫码付吗',
      '给我妈请个保洁，她八十多了一个人住', // care for an older person
      '冰箱以旧换新',
    ]) {
      expect(commercialServiceAskedFor(text)).toBeNull();
    }
  });
});

describe('districtsNamed', () => {
  it("finds the city's districts and counties a request names, in either script or in English", () => {
    expect(districtsNamed('我们住在观山湖，孩子上哪个小学')).toEqual(['520115']);
    expect(districtsNamed('開陽縣的老人助餐')).toEqual(['520121']);
    expect(districtsNamed('lunch for older people in Nanming or Yunyan')).toEqual(['520102', '520103']);
    expect(districtsNamed('贵阳的公租房怎么申请')).toEqual([]);
  });
});
