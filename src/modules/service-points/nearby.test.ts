import { cityServicePoints } from '../../geo/service-points';
import { districtNamedIn, nearbyOpenPoints } from './nearby';

const DISTRICTS = [
  { code: '520102', name: '南明区' },
  { code: '520111', name: '花溪区' },
  { code: '520181', name: '清镇市' },
  { code: '520113', name: '白云区' },
];

describe('districtNamedIn', () => {
  it('finds a full district name or a short one after 在', () => {
    expect(districtNamedIn('我在花溪区，想办护照', DISTRICTS)).toBe('520111');
    expect(districtNamedIn('我在花溪上班，社保怎么交', DISTRICTS)).toBe('520111');
    expect(districtNamedIn('清镇市的老人补贴', DISTRICTS)).toBe('520181');
  });

  it('finds none in a text without a district, a short name without 在, or two districts', () => {
    expect(districtNamedIn('想办护照', DISTRICTS)).toBeNull();
    expect(districtNamedIn('天上的白云很好看', DISTRICTS)).toBeNull();
    expect(districtNamedIn('从南明区搬到花溪区', DISTRICTS)).toBeNull();
  });
});

describe('nearbyOpenPoints', () => {
  const points = cityServicePoints().filter((p) => p.services.includes('HR-0015'));
  const tuesdayMorning = new Date('2026-10-13T02:00:00Z');

  it('orders open points nearest first from a GPS position', () => {
    const near = nearbyOpenPoints(
      points,
      { near: { lat: 26.4335, long: 106.6655 }, districtCode: null },
      tuesdayMorning,
      3,
    );
    expect(near).toHaveLength(3);
    expect(near[0].point.code).toBe('GY-DC-520111');
    expect(near.map((p) => p.distanceMetres)).toEqual([...near.map((p) => p.distanceMetres)].sort((a, b) => a! - b!));
  });

  it('keeps to the district without a position, and leaves out closed points', () => {
    const inDistrict = nearbyOpenPoints(points, { near: null, districtCode: '520111' }, tuesdayMorning, 5);
    expect(inDistrict.map((p) => p.point.code)).toContain('GY-DC-520111');
    for (const p of inDistrict) expect(p).toMatchObject({ distanceMetres: null, point: { districtCode: '520111' } });
    const sunday = new Date('2026-10-18T02:00:00Z');
    expect(nearbyOpenPoints(points, { near: null, districtCode: '520111' }, sunday, 5)).toEqual([]);
  });

  it('gives nothing when the origin is unknown', () => {
    expect(nearbyOpenPoints(points, { near: null, districtCode: null }, tuesdayMorning, 3)).toEqual([]);
  });
});
