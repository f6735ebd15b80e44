import { openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import { cityServicePoints } from '../../geo/service-points';
import { loadServicePoints } from './service-point.seed';
import { districtNames, pointsOfServices, servicePointsWhere } from './service-points.queries';

let t: TestDatabase;
let serviceId: string;
let serviceCode: string;
beforeAll(async () => {
  t = await openTestDatabase();
  [{ id: serviceId, code: serviceCode }] = await t.db.query(
    `SELECT s.id, s.code FROM service s JOIN service_point_service l ON l.service_id = s.id
      GROUP BY s.id, s.code ORDER BY count(*) DESC, s.code LIMIT 1`,
  );
});
afterAll(async () => {
  await t?.close();
});

const seeded = cityServicePoints();

describe('service-points queries on the database', () => {
  it('holds every seeded point, by code, and filters by service and by district', async () => {
    const all = await servicePointsWhere(t.db.manager, null, null);
    expect(all.map((p) => p.code)).toEqual(seeded.map((p) => p.code).sort());

    const forService = await servicePointsWhere(t.db.manager, serviceId, null);
    const expected = seeded.filter((p) => p.services.includes(serviceCode)).map((p) => p.code);
    expect(forService.map((p) => p.code)).toEqual(expected.sort());
    expect(forService.length).toBeGreaterThan(1);

    const district = forService[0].districtCode;
    const both = await servicePointsWhere(t.db.manager, serviceId, district);
    expect(both.map((p) => p.code)).toEqual(forService.filter((p) => p.districtCode === district).map((p) => p.code));
    expect(both.every((p) => p.districtCode === district)).toBe(true);
  });

  it('reads a point with its position as numbers and its hours per weekday', async () => {
    const [row] = await servicePointsWhere(t.db.manager, serviceId, null);
    const point = seeded.find((p) => p.code === row.code)!;
    expect(Number(row.lat)).toBeCloseTo(point.location.lat, 6);
    expect(Number(row.long)).toBeCloseTo(point.location.long, 6);
    const hours = typeof row.hours === 'string' ? JSON.parse(row.hours) : row.hours;
    expect(hours).toEqual(point.hours);
    expect(row).toMatchObject({ name: point.name, closedOnHolidays: point.closedOnHolidays, phone: point.phone });
  });

  it("lists each service's points, none for an unknown service", async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const rows = await pointsOfServices(t.db.manager, [serviceId, unknown]);
    expect(rows.every((r) => r.serviceId === serviceId)).toBe(true);
    expect(rows.map((r) => r.code)).toEqual(
      (await servicePointsWhere(t.db.manager, serviceId, null)).map((p) => p.code),
    );
  });

  it('seeds again without duplicating points or links', async () => {
    await rolledBack(t.db, async (db) => {
      const count = async () =>
        (
          await db.query(
            'SELECT (SELECT count(*) FROM service_point)::int AS points, (SELECT count(*) FROM service_point_service)::int AS links',
          )
        )[0];
      const before = await count();
      await loadServicePoints(db);
      expect(await count()).toEqual(before);
      expect(before.links).toBeGreaterThan(0);
    });
  });

  it('names the districts', async () => {
    const districts = await districtNames(t.db.manager);
    expect(districts.length).toBeGreaterThan(5);
    expect(districts.every((d) => /^52\d{4}$/.test(d.code) && d.name.length > 1)).toBe(true);
  });
});
