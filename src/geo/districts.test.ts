import { districtAt, districtAtGps, districtsAt, guiyangDistricts } from './districts';
import { gcj02ToWgs84, haversineMetres, ringContains, wgs84ToGcj02 } from './geometry';

describe('district boundaries', () => {
  it('has the ten county-level divisions of Guiyang', () => {
    expect(guiyangDistricts().map((d) => d.code)).toEqual([
      '520102',
      '520103',
      '520111',
      '520112',
      '520113',
      '520115',
      '520121',
      '520122',
      '520123',
      '520181',
    ]);
  });
});

describe('districtAt', () => {
  it.each([
    ['the 筑城广场 in the old centre', 26.5719, 106.7135, '520102'],
    ['黔灵山公园', 26.5993, 106.6985, '520103'],
    ['花溪公园', 26.4125, 106.6632, '520111'],
    ['青岩古镇', 26.3311, 106.6919, '520111'],
    ['开阳县城', 27.0575, 106.965, '520121'],
    ['息烽县城', 27.0915, 106.7407, '520122'],
    ['修文县城', 26.8389, 106.5921, '520123'],
    ['清镇市区', 26.5561, 106.4707, '520181'],
  ])('puts %s inside its district', (_place, lat, long, code) => {
    expect(districtAt({ lat, long })).toBe(code);
    expect(districtsAt({ lat, long })).toEqual([code]);
  });

  it('resolves a point on the border shared by 南明区 and 云岩区 to both, and to the lower code', () => {
    const border = { lat: (26.56640625 + 26.5654296875) / 2, long: 106.6689453125 };
    expect(districtsAt(border)).toEqual(['520102', '520103']);
    expect(districtAt(border)).toBe('520102');
  });

  it('answers null outside the city', () => {
    expect(districtAt({ lat: 26.253, long: 105.947 })).toBeNull(); // 安顺, west of 清镇
    expect(districtAt({ lat: 26.2547, long: 107.5183 })).toBeNull(); // 都匀
    expect(districtAt({ lat: 39.9042, long: 116.4074 })).toBeNull(); // Beijing
    expect(districtsAt({ lat: 27.7, long: 106.9 })).toEqual([]); // 遵义
  });

  it('rejects what is not a position', () => {
    expect(() => districtAt({ lat: 91, long: 106 })).toThrow('not a latitude/longitude');
    expect(() => districtAt({ lat: Number.NaN, long: 106 })).toThrow('not a latitude/longitude');
  });
});

describe('geometry', () => {
  it('measures great-circle distances', () => {
    // one degree of latitude is about 111.2 km
    expect(haversineMetres({ lat: 26, long: 106.7 }, { lat: 27, long: 106.7 })).toBeCloseTo(111_195, -1);
    expect(haversineMetres({ lat: 26.57, long: 106.71 }, { lat: 26.57, long: 106.71 })).toBe(0);
  });

  it('tells inside, border and outside of a ring', () => {
    const square: [number, number][] = [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 0],
    ];
    expect(ringContains(square, { long: 1, lat: 1 })).toBe('inside');
    expect(ringContains(square, { long: 2, lat: 1 })).toBe('border');
    expect(ringContains(square, { long: 0, lat: 0 })).toBe('border');
    expect(ringContains(square, { long: 3, lat: 1 })).toBe('outside');
  });

  it('offsets a WGS-84 position in Guiyang by a few hundred metres into GCJ-02, and none abroad', () => {
    const gps = { lat: 26.5719, long: 106.7135 };
    const gcj = wgs84ToGcj02(gps);
    const shift = haversineMetres(gps, gcj);
    expect(shift).toBeGreaterThan(200);
    expect(shift).toBeLessThan(800);
    expect(wgs84ToGcj02({ lat: 51.5, long: -0.12 })).toEqual({ lat: 51.5, long: -0.12 });
  });

  it('converts GCJ-02 back to WGS-84 within a millionth of a metre', () => {
    const gcj = { lat: 26.5719, long: 106.7135 };
    const back = wgs84ToGcj02(gcj02ToWgs84(gcj));
    expect(haversineMetres(back, gcj)).toBeLessThan(1e-6);
  });

  it('resolves a GPS position after converting it: inside, on the border and outside the city', () => {
    expect(districtAtGps({ lat: 26.4335, long: 106.6655 })).toBe('520111');
    const border = gcj02ToWgs84({ lat: (26.56640625 + 26.5654296875) / 2, long: 106.6689453125 });
    expect(districtAtGps(border)).toBe('520102');
    // The same numbers read as GCJ-02 lie a few hundred metres away, off the border.
    expect(districtsAt(border)).toHaveLength(1);
    expect(districtAtGps({ lat: 29.563, long: 106.551 })).toBeNull(); // Chongqing
  });
});
