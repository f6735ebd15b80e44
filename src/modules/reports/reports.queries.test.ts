import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { insertCitizen, openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import { AgeBand } from '../citizens/age-band';
import { SignalKind } from '../signals/signal-kind';
import { insertSignalRows, type SignalRow } from '../signals/signals.queries';
import { ReportTrigger } from './report.types';
import {
  insertReport,
  outsideDistrictSignals,
  overlappingReportId,
  previousReport,
  reportCount,
  reportIdOfPeriod,
  reportPage,
  reportRowsByIds,
  type NewReport,
} from './reports.queries';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

/** City (UTC+8) midnight of a day. */
const midnight = (day: string) => new Date(`${day}T00:00:00+08:00`);

const report = (from: string, to: string, granularity: string, overrides: Partial<NewReport> = {}): NewReport => ({
  id: randomUUID(),
  from: midnight(from),
  to: midnight(to),
  granularity,
  trigger: ReportTrigger.MANUAL,
  summary: JSON.stringify({ signals: 1 }),
  findings: JSON.stringify([{ key: 'k', kind: 'ADD_SERVICE' }]),
  resolved: '[]',
  previousId: null,
  requestedBy: null,
  ...overrides,
});

/** The SQLSTATE of a failed statement (on either driver). */
async function failureCode(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (error) {
    const e = error as { code?: string; driverError?: { code?: string } };
    return e.code ?? e.driverError?.code;
  }
  return undefined;
}

/** Runs a statement expected to fail in a savepoint, so that the test's transaction goes on. */
const inSavepoint = (db: EntityManager, work: (tx: EntityManager) => Promise<unknown>) => db.transaction(work);

describe('catalogue report queries on the database', () => {
  it('stores one report per period: the same period again stores nothing', async () => {
    await rolledBack(t.db, async (db) => {
      const before = await reportCount(db);
      const first = report('2026-11-02', '2026-11-09', 'week');
      const stored = await insertReport(db, first);
      expect(stored).toMatchObject({ id: first.id, trigger: 'MANUAL', previousId: null });
      expect(new Date(stored!.periodStart)).toEqual(first.from);
      const findings = typeof stored!.findings === 'string' ? JSON.parse(stored!.findings) : stored!.findings;
      expect(findings).toEqual([{ key: 'k', kind: 'ADD_SERVICE' }]);

      expect(await insertReport(db, report('2026-11-02', '2026-11-09', 'week'))).toBeUndefined();
      expect(await reportCount(db)).toBe(before + 1);
      expect(await reportIdOfPeriod(db, first.from, first.to)).toBe(first.id);
      expect(await reportIdOfPeriod(db, first.from, midnight('2026-11-08'))).toBeNull();
    });
  });

  it('finds and refuses a period overlapping a report of the same granularity, not of another or an adjacent one', async () => {
    await rolledBack(t.db, async (db) => {
      const week = report('2026-11-02', '2026-11-09', 'week');
      await insertReport(db, week);
      expect(await overlappingReportId(db, midnight('2026-10-30'), midnight('2026-11-06'), 'week')).toBe(week.id);
      expect(await overlappingReportId(db, midnight('2026-11-08'), midnight('2026-11-15'), 'week')).toBe(week.id);
      expect(await overlappingReportId(db, midnight('2026-11-09'), midnight('2026-11-16'), 'week')).toBeNull();
      expect(await overlappingReportId(db, midnight('2026-10-26'), midnight('2026-11-02'), 'week')).toBeNull();
      expect(await overlappingReportId(db, midnight('2026-11-03'), midnight('2026-11-04'), 'day')).toBeNull();

      // The exclusion constraint refuses what the guard would have (a concurrent writer): 23P01.
      const overlapping = report('2026-11-05', '2026-11-12', 'week');
      expect(await failureCode(inSavepoint(db, (tx) => insertReport(tx, overlapping)))).toBe('23P01');
      // Other granularities and adjacent periods are stored.
      expect(await insertReport(db, report('2026-11-03', '2026-11-04', 'day'))).toBeDefined();
      expect(await insertReport(db, report('2026-11-09', '2026-11-16', 'week'))).toBeDefined();
      expect(await reportIdOfPeriod(db, overlapping.from, overlapping.to)).toBeNull();
    });
  });

  it('reads the newest report ended by a time, pages newest first, and reads by ids', async () => {
    await rolledBack(t.db, async (db) => {
      const october = report('2026-10-01', '2026-11-01', 'month');
      const week = report('2026-10-26', '2026-11-02', 'week');
      const later = report('2026-11-02', '2026-11-09', 'week', { previousId: week.id });
      for (const r of [october, week, later]) await insertReport(db, r);
      // Both end by 2026-11-02: the later end wins, then the later start.
      expect((await previousReport(db, midnight('2026-11-02')))?.id).toBe(week.id);
      expect((await previousReport(db, midnight('2026-11-01')))?.id).toBe(october.id);
      expect(await previousReport(db, midnight('2026-10-31'))).toBeUndefined();

      const page = await reportPage(db, 2, 0);
      expect(page.map((r) => r.id)).toEqual([later.id, week.id]);
      expect((await reportPage(db, 2, 2)).map((r) => r.id)).toEqual([october.id]);
      const byIds = await reportRowsByIds(db, [later.id, randomUUID()]);
      expect(byIds).toHaveLength(1);
      expect(byIds[0]).toMatchObject({ id: later.id, previousId: week.id });
    });
  });

  it('counts the demand on district-limited services from the districts they do not serve', async () => {
    await rolledBack(t.db, async (db) => {
      const [served, other] = (await db.query('SELECT code FROM district ORDER BY code LIMIT 2')).map(
        (r: { code: string }) => r.code,
      );
      const [{ id: serviceId }] = await db.query(
        "SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT 1",
      );
      await db.query('UPDATE service SET district_codes = $2 WHERE id = $1', [serviceId, [served]]);
      const [a, b] = [await insertCitizen(db), await insertCitizen(db)];
      const at = new Date('2026-11-03T04:00:00Z');
      const signal = (citizenId: string, districtCode: string, kind: SignalKind, occurredAt = at): SignalRow => ({
        citizenId,
        kind,
        serviceId,
        categoryId: null,
        districtCode,
        ageBand: AgeBand.ADULT,
        text: null,
        rating: null,
        occurredAt,
        clientEventId: null,
        matchedServiceId: null,
        matchScore: null,
        unmet: null,
        needCode: null,
      });
      await insertSignalRows(db, [
        signal(a, other, SignalKind.VIEW),
        signal(a, other, SignalKind.USE),
        signal(b, other, SignalKind.VIEW),
        signal(b, other, SignalKind.SEARCH),
        signal(b, served, SignalKind.VIEW),
        signal(b, other, SignalKind.VIEW, new Date('2026-11-20T04:00:00Z')),
      ]);
      const rows = await outsideDistrictSignals(db, [serviceId], midnight('2026-11-02'), midnight('2026-11-09'));
      expect(rows).toEqual([{ serviceId, districtCode: other, signals: 3, citizens: 2 }]);
    });
  });
});
