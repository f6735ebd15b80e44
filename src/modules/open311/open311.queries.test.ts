import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import { SignalKind } from '../signals/signal-kind';
import { insertSignals } from '../signals/signals.service';
import {
  insertOpen311Request,
  insertPosterCitizen,
  open311RequestsByIds,
  open311RequestsIn,
  publishedServiceEligibility,
  publishedServices,
  publishedServiceToFile,
} from './open311.queries';

let t: TestDatabase;
let services: { id: string; code: string; categoryId: string }[];
let districtCode: string;
beforeAll(async () => {
  t = await openTestDatabase();
  services = await t.db.query(
    `SELECT id, code, category_id AS "categoryId" FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT 2`,
  );
  [{ code: districtCode }] = await t.db.query('SELECT code FROM district ORDER BY code LIMIT 1');
});
afterAll(async () => {
  await t?.close();
});

/** Files a request through Open311 as the facade does: poster, signal (and its case), Open311 fields. */
async function file(
  db: EntityManager,
  service: (typeof services)[number],
  at: string,
  fields: { kind?: SignalKind; unmet?: boolean | null } = {},
): Promise<string> {
  const citizenId = randomUUID();
  await insertPosterCitizen(db, citizenId, districtCode);
  const kind = fields.kind ?? SignalKind.REQUEST;
  const { ids } = await insertSignals(db, [
    {
      citizenId,
      kind,
      serviceId: service.id,
      categoryId: service.categoryId,
      districtCode,
      birthYear: null,
      text: '想问问怎么办',
      rating: null,
      occurredAt: new Date(at),
      clientEventId: null,
      unmet: fields.unmet ?? null,
    },
  ]);
  await insertOpen311Request(db, {
    signalId: ids[0],
    client: 'test-client',
    requestedAt: new Date(at),
    lat: 26.5,
    long: 106.7,
    addressString: '中华北路1号',
    addressId: null,
    mediaUrl: null,
  });
  return ids[0];
}

const window = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-31T00:00:00Z') };

describe('open311 queries on the database', () => {
  it('lists the published services in code order, and finds only published ones by code', async () => {
    const listed = await publishedServices(t.db.manager);
    expect(listed.map((s) => s.code)).toEqual([...listed.map((s) => s.code)].sort());
    expect(listed.every((s) => typeof s.categoryName === 'string')).toBe(true);
    await rolledBack(t.db, async (db) => {
      await db.query("UPDATE service SET status = 'RETIRED' WHERE id = $1", [services[0].id]);
      expect(await publishedServiceToFile(db, services[0].code)).toBeUndefined();
      expect(await publishedServiceEligibility(db, services[0].code)).toBeUndefined();
      expect(await publishedServiceToFile(db, services[1].code)).toMatchObject({ id: services[1].id });
    });
  });

  it('creates a poster once', async () => {
    await rolledBack(t.db, async (db) => {
      const id = randomUUID();
      expect(await insertPosterCitizen(db, id, districtCode)).toBe(true);
      expect(await insertPosterCitizen(db, id, districtCode)).toBe(false);
      const [row] = await db.query('SELECT personalization FROM citizen WHERE id = $1', [id]);
      expect(row.personalization).toBe(false);
    });
  });

  it('lists the requests of a window newest first, narrowed by service and by open or closed', async () => {
    await rolledBack(t.db, async (db) => {
      const before = await file(db, services[0], '2026-02-27T10:00:00Z');
      const early = await file(db, services[0], '2026-03-02T10:00:00Z');
      const answered = await file(db, services[1], '2026-03-05T10:00:00Z', { unmet: false });
      const late = await file(db, services[1], '2026-03-09T10:00:00Z', { unmet: true });
      await db.query("UPDATE request_case SET status = 'RESOLVED', resolution = '已办结' WHERE signal_id = $1", [late]);

      const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
      expect(ids(await open311RequestsIn(db, window))).toEqual([late, answered, early]);
      expect(ids(await open311RequestsIn(db, { ...window, serviceCodes: [services[1].code] }))).toEqual([
        late,
        answered,
      ]);
      // Closed: a resolved case, or a request the catalogue answered; open: the rest.
      expect(ids(await open311RequestsIn(db, { ...window, closed: true }))).toEqual([late, answered]);
      expect(ids(await open311RequestsIn(db, { ...window, closed: false }))).toEqual([early]);
      expect(ids(await open311RequestsIn(db, { ...window, serviceCodes: [services[0].code], closed: true }))).toEqual(
        [],
      );

      const byId = await open311RequestsByIds(db, [early, before, '999999999']);
      expect(ids(byId)).toEqual([early, before]);
      expect(byId[0]).toMatchObject({ serviceCode: services[0].code, addressString: '中华北路1号', kind: 'REQUEST' });
      const [resolved] = await open311RequestsByIds(db, [late]);
      expect(resolved).toMatchObject({ caseStatus: 'RESOLVED', caseResolution: '已办结' });
    });
  });
});
