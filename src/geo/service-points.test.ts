import { districtAt } from './districts';
import { haversineMetres } from './geometry';
import {
  cityServicePoints,
  isOpenAt,
  nearestFirst,
  parseSpans,
  pointsForService,
  ServicePoint,
} from './service-points';

const city = (local: string) => new Date(`${local}+08:00`);
const points = cityServicePoints();
const byCode = (code: string) => {
  const p = points.find((x) => x.code === code);
  if (!p) throw new Error(`no point ${code}`);
  return p;
};

describe('isOpenAt in city time', () => {
  const nanming = byCode('GY-DC-520102'); // Mon–Fri 09:00–12:00, 13:00–17:00, Saturday 09:00–12:00
  const street = byCode('GY-SC-520102016'); // weekdays only
  const power = byCode('GY-HALL-POWER'); // every day, holidays too

  it('is open in office hours on a weekday and closed at lunch and after hours', () => {
    expect(isOpenAt(nanming, city('2026-03-04T09:00:00'))).toBe(true); // Wednesday, opening minute
    expect(isOpenAt(nanming, city('2026-03-04T12:30:00'))).toBe(false);
    expect(isOpenAt(nanming, city('2026-03-04T16:59:00'))).toBe(true);
    expect(isOpenAt(nanming, city('2026-03-04T17:00:00'))).toBe(false);
  });

  it('reads the instant in Asia/Shanghai, whatever the server time zone', () => {
    // 01:30 UTC on Wednesday is 09:30 in the city
    expect(isOpenAt(nanming, new Date('2026-03-04T01:30:00Z'))).toBe(true);
    // 10:00 UTC is 18:00 in the city
    expect(isOpenAt(nanming, new Date('2026-03-04T10:00:00Z'))).toBe(false);
  });

  it('keeps Saturday-morning hours where a point has them, and weekends closed elsewhere', () => {
    expect(isOpenAt(nanming, city('2026-03-07T10:00:00'))).toBe(true); // Saturday
    expect(isOpenAt(nanming, city('2026-03-07T14:00:00'))).toBe(false);
    expect(isOpenAt(street, city('2026-03-07T10:00:00'))).toBe(false);
    expect(isOpenAt(nanming, city('2026-03-08T10:00:00'))).toBe(false); // Sunday
    expect(isOpenAt(power, city('2026-03-08T10:00:00'))).toBe(true);
  });

  it('closes government windows on a public holiday and opens them on a 调休 Saturday', () => {
    const nationalDay = city('2026-10-05T10:00:00'); // Monday, in the National Day holiday
    expect(isOpenAt(nanming, nationalDay)).toBe(false);
    expect(isOpenAt(street, nationalDay)).toBe(false);
    expect(isOpenAt(power, nationalDay)).toBe(true);
    const adjusted = city('2026-10-10T15:00:00'); // Saturday worked in exchange
    expect(isOpenAt(street, adjusted)).toBe(true);
    expect(isOpenAt(nanming, adjusted)).toBe(true); // weekday hours, not the Saturday morning
  });
});

describe('nearestFirst', () => {
  it('orders points by great-circle distance from the citizen and reports the distances', () => {
    const atQianlingPark = { lat: 26.5993, long: 106.6985 };
    const ranked = nearestFirst(points, atQianlingPark);
    expect(ranked).toHaveLength(points.length);
    for (let i = 1; i < ranked.length; i++) {
      expect(ranked[i].distanceMetres).toBeGreaterThanOrEqual(ranked[i - 1].distanceMetres);
    }
    expect(ranked[0].distanceMetres).toBeCloseTo(haversineMetres(atQianlingPark, ranked[0].point.location), 6);
    expect(ranked[0].point.districtCode).toBe('520103');
    expect(nearestFirst(points, atQianlingPark, 3)).toEqual(ranked.slice(0, 3));
  });

  it('finds the nearest window for a service in a county town within a few kilometres', () => {
    const inXifeng = { lat: 27.0915, long: 106.7407 };
    const [first] = nearestFirst(pointsForService(points, 'SS-0001'), inXifeng);
    expect(first.point.districtCode).toBe('520122');
    expect(first.distanceMetres).toBeLessThan(3000);
  });

  it('breaks ties by code so the order is stable', () => {
    const twin = (code: string): ServicePoint => ({ ...byCode('GY-CC'), code });
    const ranked = nearestFirst([twin('B'), twin('A')], { lat: 26.6, long: 106.7 });
    expect(ranked.map((r) => r.point.code)).toEqual(['A', 'B']);
  });
});

describe('the seeded points', () => {
  it('lie in the district they name', () => {
    for (const p of points) expect([p.code, districtAt(p.location)]).toEqual([p.code, p.districtCode]);
  });

  it('only list services that are open to their district', () => {
    // 开阳县富硒茶种植技术指导 is for 开阳县 only
    expect(pointsForService(points, 'AG-0005').every((p) => p.districtCode === '520121')).toBe(true);
    expect(pointsForService(points, 'AG-0005')).not.toHaveLength(0);
  });
});

describe('parseSpans', () => {
  it('accepts ordered spans and refuses malformed or overlapping ones', () => {
    expect(parseSpans(['09:00-12:00', '13:00-17:00'])).toEqual([
      [540, 720],
      [780, 1020],
    ]);
    expect(() => parseSpans(['9:00-12:00'])).toThrow('HH:MM-HH:MM');
    expect(() => parseSpans(['12:00-09:00'])).toThrow('ends before it starts');
    expect(() => parseSpans(['09:00-13:00', '12:00-17:00'])).toThrow('overlap');
  });
});
