import { serviceId } from '../../seeds/catalogue';
import { ServicePoints1795988000001 } from '../../src/db/migrations/1795988000001-ServicePoints';
import { haversineMetres, wgs84ToGcj02 } from '../../src/geo/geometry';
import {
  MatchNearbyDocument,
  ServicePointsDocument,
  ServiceWithPointsDocument,
  SubmitNearbyDocument,
} from '../generated/graphql';
import { newCitizen } from '../helpers/fixtures';
import { expectError } from '../helpers/errors';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

const PASSPORT = serviceId('HR-0015');
// A GPS (WGS-84) position in central Huaxi; its GCJ-02 shift is a few hundred metres.
const HUAXI = { lat: 26.4335, long: 106.6655 };

async function openAt(instant: string, codes: string[]): Promise<Record<string, boolean>> {
  const { servicePoints } = await t.client().request(ServicePointsDocument, { openAt: instant, first: 100 });
  return Object.fromEntries(servicePoints.filter((p) => codes.includes(p.code)).map((p) => [p.code, p.open]));
}

describe('servicePoints', () => {
  it('orders the points of a service nearest first, with distances from the converted GPS position', async () => {
    const { servicePoints } = await t.client().request(ServicePointsDocument, {
      serviceId: PASSPORT,
      near: HUAXI,
      first: 5,
    });
    expect(servicePoints).toHaveLength(5);
    expect(servicePoints[0]).toMatchObject({ code: 'GY-DC-520111', districtCode: '520111', kind: 'DISTRICT_CENTRE' });
    const from = wgs84ToGcj02(HUAXI);
    for (const p of servicePoints) {
      expect(p.distanceMeters).toBe(Math.round(haversineMetres(from, p.location)));
    }
    const distances = servicePoints.map((p) => p.distanceMeters!);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // Measured from the unconverted position the distance would differ (the shift is hundreds of metres).
    expect(servicePoints[0].distanceMeters).toBeGreaterThan(100);
    expect(servicePoints[0].distanceMeters).toBeLessThan(1500);
    expect(Math.round(haversineMetres(HUAXI, servicePoints[0].location))).not.toBe(servicePoints[0].distanceMeters);
  });

  it('gives no distance without a position, and keeps to a district', async () => {
    const { servicePoints } = await t.client().request(ServicePointsDocument, { districtCode: '520111', first: 100 });
    expect(servicePoints.length).toBeGreaterThan(1);
    for (const p of servicePoints) expect(p).toMatchObject({ districtCode: '520111', distanceMeters: null });
    expect(servicePoints.map((p) => p.code)).toContain('GY-DC-520111');
  });

  it('tells open from closed in city time on a weekday, a weekend, a holiday and a 调休 Saturday', async () => {
    const codes = ['GY-DC-520102', 'GY-DC-520111', 'GY-HALL-POWER'];
    // Tuesday 13 October 2026, 10:00 and 12:30 in Guiyang (02:00 and 04:30 UTC).
    expect(await openAt('2026-10-13T02:00:00Z', codes)).toEqual({
      'GY-DC-520102': true,
      'GY-DC-520111': true,
      'GY-HALL-POWER': true,
    });
    expect(await openAt('2026-10-13T04:30:00Z', codes)).toMatchObject({ 'GY-DC-520102': false, 'GY-HALL-POWER': true });
    // Monday 12 October: 16:59 city time is still open, 17:00 is not.
    expect(await openAt('2026-10-12T08:59:00Z', codes)).toMatchObject({ 'GY-DC-520102': true });
    expect(await openAt('2026-10-12T09:00:00Z', codes)).toMatchObject({ 'GY-DC-520102': false });
    // Saturday 17 October: Nanming's centre opens in the morning, Huaxi's does not; Sunday: neither.
    expect(await openAt('2026-10-17T02:00:00Z', codes)).toEqual({
      'GY-DC-520102': true,
      'GY-DC-520111': false,
      'GY-HALL-POWER': true,
    });
    expect(await openAt('2026-10-18T02:00:00Z', codes)).toMatchObject({ 'GY-DC-520102': false, 'GY-DC-520111': false });
    // National Day, Thursday 1 October: government windows closed, the power hall open.
    expect(await openAt('2026-10-01T02:00:00Z', codes)).toEqual({
      'GY-DC-520102': false,
      'GY-DC-520111': false,
      'GY-HALL-POWER': true,
    });
    // Saturday 10 October 2026 is worked in exchange: Monday hours.
    expect(await openAt('2026-10-10T02:00:00Z', codes)).toMatchObject({ 'GY-DC-520111': true });
    // 01:30 UTC is 09:30 in the city, inside the morning span.
    expect(await openAt('2026-10-12T01:30:00Z', codes)).toMatchObject({ 'GY-DC-520111': true });
  });

  it('keeps only open points when asked', async () => {
    const { servicePoints } = await t.client().request(ServicePointsDocument, {
      serviceId: PASSPORT,
      near: HUAXI,
      openAt: '2026-10-01T02:00:00Z',
      openOnly: true,
      first: 100,
    });
    for (const p of servicePoints) expect(p.open).toBe(true);
    expect(servicePoints.map((p) => p.code)).not.toContain('GY-DC-520111');
  });

  it('lists the points of a service on the service', async () => {
    const { service } = await t.client().request(ServiceWithPointsDocument, { id: PASSPORT });
    const codes = service!.points.map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['GY-CC', 'GY-DC-520102', 'GY-DC-520181']));
    for (const p of service!.points) expect(p.distanceMeters).toBeNull();
  });

  it('rejects a malformed service id and a position off the globe', async () => {
    await expectError(t.client().request(ServicePointsDocument, { serviceId: 'x' }), 'BAD_USER_INPUT');
    await expectError(t.client().request(ServicePointsDocument, { near: { lat: 95, long: 106 } }), 'BAD_USER_INPUT');
  });

  it('are seeded by the migration into a database whose catalogue was loaded before it', async () => {
    const runner = t.db.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('DROP TABLE service_point_service');
      await runner.query('DROP TABLE service_point');
      await new ServicePoints1795988000001().up(runner);
      const [{ points, links }] = await runner.query(
        `SELECT (SELECT count(*) FROM service_point)::int AS points,
                (SELECT count(*) FROM service_point_service)::int AS links`,
      );
      expect(points).toBe(62);
      expect(links).toBeGreaterThan(1000);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});

describe('matchRequest with where the citizen is', () => {
  const TUESDAY_10 = '2026-10-13T02:00:00Z';

  it('gives each match the open points of the district the text names', async () => {
    const { matchRequest } = await t.client().request(MatchNearbyDocument, {
      text: '我在花溪区，想办理普通护照',
      openAt: TUESDAY_10,
    });
    const passport = matchRequest.find((m) => m.service.code === 'HR-0015')!;
    expect(passport.nearbyOpenPoints.map((p) => p.code)).toContain('GY-DC-520111');
    for (const p of passport.nearbyOpenPoints) expect(p).toMatchObject({ districtCode: '520111', open: true });
    const sunday = await t.client().request(MatchNearbyDocument, {
      text: '我在花溪区，想办理普通护照',
      openAt: '2026-10-18T02:00:00Z',
    });
    expect(sunday.matchRequest.find((m) => m.service.code === 'HR-0015')!.nearbyOpenPoints).toEqual([]);
  });

  it('orders them nearest first from a GPS position, and gives none when nothing says where', async () => {
    const { matchRequest } = await t.client().request(MatchNearbyDocument, {
      text: '想办理普通护照',
      near: HUAXI,
      openAt: TUESDAY_10,
    });
    const points = matchRequest.find((m) => m.service.code === 'HR-0015')!.nearbyOpenPoints;
    expect(points[0].code).toBe('GY-DC-520111');
    const distances = points.map((p) => p.distanceMeters!);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    const nowhere = await t.client().request(MatchNearbyDocument, { text: '想办理普通护照', openAt: TUESDAY_10 });
    for (const m of nowhere.matchRequest) expect(m.nearbyOpenPoints).toEqual([]);
  });

  it('uses the district found from the position or the text for eligibility', async () => {
    const text = '大学生创业孵化基地入驻';
    const codes = async (vars: Record<string, unknown>) =>
      (await t.client().request(MatchNearbyDocument, { text, ...vars })).matchRequest.map((m) => m.service.code);
    expect(await codes({ near: HUAXI })).toContain('EM-0019');
    expect(await codes({ text: `我在花溪区，${text}` })).toContain('EM-0019');
    const kaiyang = { lat: 27.0575, long: 106.965 }; // 开阳县城, a position in another district
    expect(await codes({ near: kaiyang })).not.toContain('EM-0019');
    expect(await codes({ text: `我在开阳县，${text}` })).not.toContain('EM-0019');
  });
});

describe('submitRequest with where the citizen is', () => {
  const TUESDAY_10 = '2026-10-13T02:00:00Z';
  const KAIYANG = { lat: 27.0575, long: 106.965 }; // 开阳县城

  it('records the district of the GPS position and answers each match with the nearest open points', async () => {
    const citizen = await newCitizen(t, { districtCode: '520103' });
    const { submitRequest } = await citizen.client.request(SubmitNearbyDocument, {
      input: { text: '想办理普通护照', near: HUAXI },
      openAt: TUESDAY_10,
    });
    expect(submitRequest.request.district.code).toBe('520111');
    const points = submitRequest.matches.find((m) => m.service.code === 'HR-0015')!.nearbyOpenPoints;
    expect(points[0].code).toBe('GY-DC-520111');
    const distances = points.map((p) => p.distanceMeters!);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  it('uses the resolved district for eligibility, the given districtCode first', async () => {
    const text = '大学生创业孵化基地入驻';
    const citizen = await newCitizen(t, { districtCode: '520121' });
    const submit = async (input: Record<string, unknown>) =>
      (await citizen.client.request(SubmitNearbyDocument, { input: { text, ...input }, openAt: TUESDAY_10 }))
        .submitRequest;
    const fromHuaxi = await submit({ near: HUAXI });
    expect(fromHuaxi.request.district.code).toBe('520111');
    expect(fromHuaxi.matches.map((m) => m.service.code)).toContain('EM-0019');
    const atHome = await submit({});
    expect(atHome.request.district.code).toBe('520121');
    expect(atHome.matches.map((m) => m.service.code)).not.toContain('EM-0019');
    const given = await submit({ near: HUAXI, districtCode: '520121' });
    expect(given.request.district.code).toBe('520121');
    expect(given.matches.map((m) => m.service.code)).not.toContain('EM-0019');
    // Without a position the points are those of the district, with no distance.
    for (const m of atHome.matches)
      for (const p of m.nearbyOpenPoints) expect(p).toMatchObject({ districtCode: '520121', distanceMeters: null });
    expect((await submit({ near: KAIYANG })).request.district.code).toBe('520121');
  });

  it('refuses a position outside the city, and stores nothing', async () => {
    const citizen = await newCitizen(t);
    const [{ before }] = await t.db.query('SELECT count(*)::int AS before FROM signal WHERE citizen_id = $1', [
      citizen.id,
    ]);
    const error = await expectError(
      citizen.client.request(SubmitNearbyDocument, {
        input: { text: '想办理普通护照', near: { lat: 39.9, long: 116.4 } },
      }),
      'BAD_USER_INPUT',
    );
    expect(JSON.stringify(error)).toContain('input.near');
    const [{ after }] = await t.db.query('SELECT count(*)::int AS after FROM signal WHERE citizen_id = $1', [
      citizen.id,
    ]);
    expect(after).toBe(before);
  });
});
