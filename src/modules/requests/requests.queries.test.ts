import type { EntityManager } from 'typeorm';
import { insertCitizen, openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import { insertNotifications } from '../notifications/notifications.queries';
import { NEED_MET_KIND } from '../notifications/notifications.service';
import { SignalKind } from '../signals/signal-kind';
import { insertSignals } from '../signals/signals.service';
import { CaseStatus } from './case-state';
import { routeCase, routeCaseSql, type CaseFacts } from './routing';
import {
  caseById,
  casesPage,
  citizenCases,
  countCases,
  departmentFigureRows,
  dueCaseDeadlines,
  inboxCases,
  insertCases,
  lockCaseRow,
  needMetCandidates,
  setOfferedServices,
  signalFactsForCases,
  transactionNow,
  updateCaseMove,
  type InboxCriteria,
} from './requests.queries';

let t: TestDatabase;
let services: { id: string; categoryId: string; departmentId: string }[];
let districts: string[];
beforeAll(async () => {
  t = await openTestDatabase();
  services = await t.db.query(
    `SELECT DISTINCT ON (department_id) id, category_id AS "categoryId", department_id AS "departmentId"
       FROM service WHERE status = 'PUBLISHED' ORDER BY department_id, code LIMIT 3`,
  );
  districts = (await t.db.query('SELECT code FROM district ORDER BY code LIMIT 2')).map(
    (d: { code: string }) => d.code,
  );
});
afterAll(async () => {
  await t?.close();
});

const HOUR = 3_600_000;

/** Files a signal (a case is opened for a REQUEST or COMPLAINT); its id. */
async function file(
  db: EntityManager,
  citizenId: string,
  fields: { kind?: SignalKind; service?: number; unmet?: boolean | null; district?: string; text?: string } = {},
): Promise<string> {
  const service = services[fields.service ?? 0];
  const { ids } = await insertSignals(db, [
    {
      citizenId,
      kind: fields.kind ?? SignalKind.REQUEST,
      serviceId: service.id,
      categoryId: service.categoryId,
      districtCode: fields.district ?? districts[0],
      birthYear: null,
      text: fields.text ?? '想问问怎么办',
      rating: null,
      occurredAt: new Date(),
      clientEventId: null,
      unmet: fields.unmet ?? null,
    },
  ]);
  return ids[0];
}

/** Sets a case's deadlines relative to now (hours; null leaves it). */
const setDue = (db: EntityManager, id: string, acknowledgeInHours: number, resolveInHours: number) =>
  db.query(
    `UPDATE request_case SET acknowledge_due = now() + make_interval(secs => $2), resolve_due = now() + make_interval(secs => $3)
      WHERE signal_id = $1`,
    [id, acknowledgeInHours * 3600, resolveInHours * 3600],
  );

describe('requests queries on the database', () => {
  it('opens a case per REQUEST and COMPLAINT, once: OPEN with deadlines when unmet, RESOLVED when met', async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      const unmet = await file(db, citizen, { unmet: true });
      const met = await file(db, citizen, { unmet: false });
      const complaint = await file(db, citizen, { kind: SignalKind.COMPLAINT });
      const use = await file(db, citizen, { kind: SignalKind.USE });
      const facts = await signalFactsForCases(db, [unmet, met, complaint, use], 'NO-SUCH-CODE');
      expect(facts.map((f) => f.id).sort()).toEqual([unmet, met, complaint].sort());
      expect(facts.every((f) => f.serviceDepartmentId === services[0].departmentId)).toBe(true);

      expect(await caseById(db, use)).toBeUndefined();
      expect(await caseById(db, unmet)).toMatchObject({ status: 'OPEN', kind: 'REQUEST', citizenId: citizen });
      expect((await caseById(db, unmet))!.acknowledgeDue).toBeInstanceOf(Date);
      expect(await caseById(db, met)).toMatchObject({ status: 'RESOLVED', acknowledgeDue: null });
      expect(await caseById(db, complaint)).toMatchObject({ status: 'OPEN', kind: 'COMPLAINT' });

      // A second opening of the same signal changes nothing.
      const { receivedAt, citizenId, kind, serviceId, districtCode } = facts.find((f) => f.id === unmet)!;
      expect({ citizenId, kind, serviceId }).toEqual({
        citizenId: citizen,
        kind: 'REQUEST',
        serviceId: services[0].id,
      });
      const again = { id: unmet, receivedAt, citizenId, kind, serviceId, districtCode, departmentId: null, due: null };
      await insertCases(db, [{ ...again, status: 'RESOLVED' }], { kind: 'request.routed', message: '-' });
      expect(await caseById(db, unmet)).toMatchObject({ status: 'OPEN' });
      await setOfferedServices(db, met, [services[1].id]);
      expect((await caseById(db, met))!.offeredServiceIds).toEqual([services[1].id]);
    });
  });

  it('moves a case only from the status it was locked in, writing the move fields', async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      const id = await file(db, citizen, { unmet: true });
      const locked = (await lockCaseRow(db, id))!;
      expect(locked).toMatchObject({ id, status: 'OPEN', citizenId: citizen });
      const now = await transactionNow(db);
      expect(await updateCaseMove(db, id, CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED, now, { acknowledgedAt: now })).toBe(
        1,
      );
      // The same move again, from the state read before it: nothing changes.
      expect(await updateCaseMove(db, id, CaseStatus.OPEN, CaseStatus.CLOSED, now, { closedAt: now })).toBe(0);
      expect(await caseById(db, id)).toMatchObject({ status: 'ACKNOWLEDGED', acknowledgedAt: now, closedAt: null });

      const due = new Date(now.getTime() + 24 * HOUR);
      expect(
        await updateCaseMove(db, id, CaseStatus.ACKNOWLEDGED, CaseStatus.OPEN, now, {
          departmentId: services[1].departmentId,
          acknowledgedAt: null,
          acknowledgeDue: due,
        }),
      ).toBe(1);
      expect(await caseById(db, id)).toMatchObject({
        status: 'OPEN',
        departmentId: services[1].departmentId,
        acknowledgedAt: null,
        acknowledgeDue: due,
      });
      expect(
        await updateCaseMove(db, id, CaseStatus.OPEN, CaseStatus.RESOLVED, now, {
          resolvedAt: now,
          resolution: '已办',
        }),
      ).toBe(1);
      expect(await caseById(db, id)).toMatchObject({ status: 'RESOLVED', resolution: '已办', resolvedAt: now });
    });
  });

  it('locks the case row for the rest of the transaction', async () => {
    await rolledBack(t.db, async (db) => {
      const id = await file(db, await insertCitizen(db), { unmet: true });
      await lockCaseRow(db, id);
      const [{ locked }] = await db.query(
        `SELECT xmax::text = (txid_current() % 4294967296)::text AS locked FROM request_case WHERE signal_id = $1`,
        [id],
      );
      expect(locked).toBe(true);
    });
  });

  it("filters a department's inbox and orders it by the next deadline", async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM request_case');
      const citizen = await insertCitizen(db);
      const late = await file(db, citizen, { unmet: true });
      const soon = await file(db, citizen, { unmet: true, district: districts[1] });
      const acknowledged = await file(db, citizen, { unmet: true });
      const complaint = await file(db, citizen, { kind: SignalKind.COMPLAINT, service: 1 });
      const answered = await file(db, citizen, { unmet: false });
      // All handled by the first department, the complaint about another department's service too.
      await db.query('UPDATE request_case SET department_id = $1', [services[0].departmentId]);
      await setDue(db, late, -2, 48);
      await setDue(db, soon, 1, 48);
      await setDue(db, acknowledged, -5, 10);
      await setDue(db, complaint, 5, 48);
      await db.query("UPDATE request_case SET status = 'ACKNOWLEDGED' WHERE signal_id = $1", [acknowledged]);
      await setOfferedServices(db, answered, [services[2].id]);

      const now = await transactionNow(db);
      const inbox = (criteria: Partial<InboxCriteria>) =>
        casesPage(
          db,
          inboxCases({
            departmentId: services[0].departmentId,
            aboutOwnServices: false,
            status: null,
            overdue: null,
            serviceId: null,
            districtCode: null,
            now,
            ...criteria,
          }),
          0,
          20,
        ).then((rows) => rows.map((r) => r.id));

      // Routed cases only (the met request has no deadlines): next deadline first.
      expect(await inbox({})).toEqual([late, soon, complaint, acknowledged]);
      expect(await inbox({ overdue: true })).toEqual([late]);
      expect(await inbox({ overdue: false })).toEqual([soon, complaint, acknowledged]);
      expect(await inbox({ status: [CaseStatus.ACKNOWLEDGED] })).toEqual([acknowledged]);
      expect(await inbox({ districtCode: districts[1] })).toEqual([soon]);
      expect(await inbox({ serviceId: services[1].id })).toEqual([complaint]);
      expect(await inbox({ departmentId: services[1].departmentId })).toEqual([]);
      // Complaints about the department's services, whoever handles them.
      expect(await inbox({ departmentId: services[1].departmentId, aboutOwnServices: true })).toEqual([complaint]);
      expect(await inbox({ departmentId: null })).toEqual([late, soon, complaint, acknowledged]);

      const mine = citizenCases(citizen);
      const page = await casesPage(db, mine, 0, 2);
      expect(page).toHaveLength(3);
      expect(page[0].totalCount).toBe(5);
      expect(page[0].text).toBe('想问问怎么办');
      expect(await casesPage(db, mine, 10, 2)).toEqual([]);
      expect(await countCases(db, mine)).toBe(5);
    });
  });

  it('finds near and passed deadlines once per case, kind and department', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM request_case');
      const citizen = await insertCitizen(db);
      const near = await file(db, citizen, { unmet: true });
      const passed = await file(db, citizen, { unmet: true });
      const far = await file(db, citizen, { unmet: true });
      const done = await file(db, citizen, { unmet: true });
      await setDue(db, near, 2, 100);
      await setDue(db, passed, -1, 3);
      await setDue(db, far, 50, 100);
      await setDue(db, done, -1, -1);
      await db.query("UPDATE request_case SET status = 'RESOLVED' WHERE signal_id = $1", [done]);

      const at = await transactionNow(db);
      const due = await dueCaseDeadlines(db, at, 4, 100);
      expect(due.map((d) => [d.requestId, d.kind])).toEqual([
        [passed, 'request.acknowledge_overdue'],
        [near, 'request.acknowledge_near'],
        [passed, 'request.resolve_near'],
      ]);
      expect((await dueCaseDeadlines(db, at, 4, 1)).map((d) => d.requestId)).toEqual([passed]);

      const [first] = due;
      await insertNotifications(db, [
        { departmentId: first.departmentId, kind: first.kind, requestId: first.requestId, message: '已提醒' },
      ]);
      expect((await dueCaseDeadlines(db, at, 4, 100)).map((d) => d.kind)).toEqual([
        'request.acknowledge_near',
        'request.resolve_near',
      ]);
    });
  });

  it('reads the unmet requests a new service may meet, leaving out those already told', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query("UPDATE signal SET unmet = NULL WHERE kind = 'REQUEST'");
      const citizen = await insertCitizen(db);
      const older = await file(db, citizen, { unmet: true, text: '早些的' });
      const newer = await file(db, citizen, { unmet: true, text: '晚些的' });
      const old = await file(db, citizen, { unmet: true, text: '太早的' });
      await file(db, citizen, { unmet: false, text: '已满足' });
      await db.query(`UPDATE signal SET occurred_at = now() - interval '1 hour' WHERE id = $1`, [older]);
      await db.query(`UPDATE signal SET occurred_at = now() - interval '40 days' WHERE id = $1`, [old]);

      expect((await needMetCandidates(db, 30, NEED_MET_KIND, 10)).map((r) => r.id)).toEqual([newer, older]);
      expect((await needMetCandidates(db, 30, NEED_MET_KIND, 1)).map((r) => r.id)).toEqual([newer]);
      await insertNotifications(db, [{ citizenId: citizen, kind: NEED_MET_KIND, requestId: newer, message: '有了' }]);
      const [candidate] = await needMetCandidates(db, 30, NEED_MET_KIND, 10);
      expect(candidate).toMatchObject({ id: older, text: '早些的', citizenId: citizen, districtCode: districts[0] });
    });
  });

  it("counts a department's cases received, acknowledged on time and overdue in a window", async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM satisfaction_rating');
      await db.query('DELETE FROM request_case');
      const citizen = await insertCitizen(db);
      const onTime = await file(db, citizen, { unmet: true });
      const overdue = await file(db, citizen, { unmet: true });
      await file(db, citizen, { unmet: false });
      const department = services[0].departmentId;
      await db.query('UPDATE request_case SET department_id = $1', [department]);
      await setDue(db, onTime, 5, 50);
      await setDue(db, overdue, -1, 50);
      await db.query("UPDATE request_case SET status = 'ACKNOWLEDGED', acknowledged_at = now() WHERE signal_id = $1", [
        onTime,
      ]);
      const now = await transactionNow(db);
      const rows = await departmentFigureRows(db, new Date(now.getTime() - HOUR), new Date(now.getTime() + HOUR), now);
      expect(rows).toEqual([
        expect.objectContaining({
          departmentId: department,
          received: 2,
          acknowledged: 1,
          acknowledgedOnTime: 1,
          resolved: 0,
          overdue: 1,
          ratings: 0,
          satisfactionRate: null,
        }),
      ]);
      expect(
        await departmentFigureRows(db, new Date(now.getTime() + HOUR), new Date(now.getTime() + 2 * HOUR), now),
      ).toEqual([]);
    });
  });

  it('routes in SQL (routeCaseSql) as routeCase does, for every kind, verdict and missing department', async () => {
    const cases: CaseFacts[] = [];
    for (const kind of ['REQUEST', 'COMPLAINT'] as const)
      for (const unmet of [true, false])
        for (const serviceDepartmentId of ['svc', null])
          for (const closestDepartmentId of ['closest', null])
            cases.push({ kind, unmet, serviceDepartmentId, closestDepartmentId });
    for (const defaultDepartmentId of ['hotline', null]) {
      const rows: { department: string | null }[] = await t.db.query(
        `SELECT ${routeCaseSql({
          kind: 'f.kind',
          unmet: 'f.unmet',
          serviceDepartmentId: 'f.service_department',
          closestDepartmentId: 'f.closest_department',
          defaultDepartmentId: '$5::text',
        })} AS department
           FROM unnest($1::text[], $2::boolean[], $3::text[], $4::text[]) WITH ORDINALITY
             AS f(kind, unmet, service_department, closest_department, n)
          ORDER BY f.n`,
        [
          cases.map((c) => c.kind),
          cases.map((c) => c.unmet),
          cases.map((c) => c.serviceDepartmentId),
          cases.map((c) => c.closestDepartmentId),
          defaultDepartmentId,
        ],
      );
      expect(rows.map((r) => r.department)).toEqual(cases.map((c) => routeCase(c, defaultDepartmentId)));
    }
  });
});
