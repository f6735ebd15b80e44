import { districtsNamed, isDistrictName } from './districts';

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
