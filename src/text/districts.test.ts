import { districtsNamed, isDistrictName, withoutDistrictNames } from './districts';

describe('isDistrictName', () => {
  it("is true of a district's name alone, with or without 区/县 or District", () => {
    for (const name of ['白云区', '开阳', '观山湖区', '息烽县', 'Huaxi District'])
      expect(isDistrictName(name)).toBe(true);
    for (const tag of ['开阳富硒茶', '修文猕猴桃', '花溪大学城', '调解', '老旧小区改造'])
      expect(isDistrictName(tag)).toBe(false);
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

describe('withoutDistrictNames', () => {
  it("takes the city's district names out of a text, with 区/县 or District, in either script", () => {
    expect(withoutDistrictNames('白云区老年人上门助浴').trim()).toBe('老年人上门助浴');
    expect(withoutDistrictNames('開陽縣農村老年人助餐點').trim()).toBe('農村老年人助餐點');
    expect(withoutDistrictNames('Home bathing help, Baiyun District').trim()).toBe('Home bathing help,');
    expect(withoutDistrictNames('社区长者食堂助餐')).toBe('社区长者食堂助餐');
  });
});
