import type { EntityManager } from 'typeorm';
import { insertCitizen, openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import { insertNotifications } from '../notifications/notifications.queries';
import { SignalKind } from '../signals/signal-kind';
import { insertSignals } from '../signals/signals.service';
import { dueRectificationDeadlines, transactionNow } from './requests.queries';
import { SatisfactionLevel } from './satisfaction';
import {
  answerRectificationRow,
  caseToRate,
  countRatings,
  insertRating,
  lockRectification,
  ratingById,
  ratingsPage,
  signalToRate,
  type NewRating,
  type RatingCriteria,
} from './satisfaction.queries';

let t: TestDatabase;
let services: { id: string; categoryId: string; departmentId: string }[];
beforeAll(async () => {
  t = await openTestDatabase();
  services = await t.db.query(
    `SELECT DISTINCT ON (department_id) id, category_id AS "categoryId", department_id AS "departmentId"
       FROM service WHERE status = 'PUBLISHED' ORDER BY department_id, code LIMIT 2`,
  );
});
afterAll(async () => {
  await t?.close();
});

async function file(db: EntityManager, citizenId: string, kind: SignalKind, service = 0): Promise<string> {
  const [{ code: districtCode }] = await db.query('SELECT code FROM district ORDER BY code LIMIT 1');
  const { ids } = await insertSignals(db, [
    {
      citizenId,
      kind,
      serviceId: services[service].id,
      categoryId: services[service].categoryId,
      districtCode,
      birthYear: null,
      text: kind === SignalKind.USE ? null : '想问问',
      rating: null,
      occurredAt: new Date(),
      clientEventId: null,
      unmet: kind === SignalKind.REQUEST ? false : null,
    },
  ]);
  return ids[0];
}

const rating = (fields: Partial<NewRating> & Pick<NewRating, 'citizenId'>): NewRating => ({
  requestId: null,
  useSignalId: null,
  serviceId: services[0].id,
  departmentId: services[0].departmentId,
  level: SatisfactionLevel.SATISFIED,
  comment: null,
  rectificationDue: null,
  ...fields,
});

describe('satisfaction queries on the database', () => {
  it('reads what rating a case and a USE signal need', async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      const request = await file(db, citizen, SignalKind.REQUEST);
      await db.query(
        'UPDATE request_case SET service_id = NULL, offered_service_ids = $2::uuid[] WHERE signal_id = $1',
        [request, [services[1].id, services[0].id]],
      );
      // No service of its own: the first one offered.
      expect(await caseToRate(db, request)).toMatchObject({
        citizenId: citizen,
        status: 'RESOLVED',
        serviceId: services[1].id,
      });
      const use = await file(db, citizen, SignalKind.USE, 1);
      expect(await signalToRate(db, use)).toEqual({
        citizenId: citizen,
        kind: 'USE',
        departmentId: services[1].departmentId,
        serviceId: services[1].id,
      });
      expect(await caseToRate(db, '999999999')).toBeUndefined();
    });
  });

  it('keeps one rating per case and per USE signal', async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      const request = await file(db, citizen, SignalKind.REQUEST);
      const use = await file(db, citizen, SignalKind.USE);
      const first = await insertRating(db, rating({ citizenId: citizen, requestId: request, comment: '不错' }));
      expect(first).toMatchObject({ requestId: request, useSignalId: null, level: 'SATISFIED', comment: '不错' });
      expect(
        await insertRating(
          db,
          rating({ citizenId: citizen, requestId: request, level: SatisfactionLevel.DISSATISFIED }),
        ),
      ).toBeUndefined();
      expect(await insertRating(db, rating({ citizenId: citizen, useSignalId: use }))).toMatchObject({
        useSignalId: use,
      });
      expect(await insertRating(db, rating({ citizenId: citizen, useSignalId: use }))).toBeUndefined();
    });
  });

  it('answers a rectification under its row lock', async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      const request = await file(db, citizen, SignalKind.REQUEST);
      const now = await transactionNow(db);
      const due = new Date(now.getTime() + 86_400_000);
      const bad = (await insertRating(
        db,
        rating({
          citizenId: citizen,
          requestId: request,
          level: SatisfactionLevel.DISSATISFIED,
          rectificationDue: due,
        }),
      ))!;
      expect(await lockRectification(db, bad.id)).toEqual({
        departmentId: services[0].departmentId,
        citizenId: citizen,
        requestId: request,
        serviceId: services[0].id,
        due,
        rectifiedAt: null,
      });
      const [{ locked }] = await db.query(
        `SELECT xmax::text = (txid_current() % 4294967296)::text AS locked FROM satisfaction_rating WHERE id = $1`,
        [bad.id],
      );
      expect(locked).toBe(true);
      await answerRectificationRow(db, bad.id, '已整改');
      expect(await ratingById(db, bad.id)).toMatchObject({ rectificationAnswer: '已整改', rectifiedAt: now });
    });
  });

  it("lists a department's ratings and those of its services, newest first, by the rectification's state", async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM satisfaction_rating');
      const citizen = await insertCitizen(db);
      const now = await transactionNow(db);
      const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
      const add = async (fields: Partial<NewRating>, atHoursAgo: number) => {
        const use = await file(db, citizen, SignalKind.USE);
        const row = (await insertRating(db, rating({ citizenId: citizen, useSignalId: use, ...fields })))!;
        await db.query('UPDATE satisfaction_rating SET at = $2 WHERE id = $1', [row.id, hours(-atHoursAgo)]);
        return row.id;
      };
      const good = await add({}, 1);
      const overdue = await add({ level: SatisfactionLevel.DISSATISFIED, rectificationDue: hours(-1) }, 2);
      const pending = await add({ level: SatisfactionLevel.VERY_DISSATISFIED, rectificationDue: hours(10) }, 3);
      // Handled by the other department, about a service the first leads.
      const handledElsewhere = await add({ departmentId: services[1].departmentId }, 4);
      const elsewhere = await add({ departmentId: services[1].departmentId, serviceId: services[1].id }, 5);
      await answerRectificationRow(db, pending, '已答复');

      const list = (criteria: Partial<RatingCriteria>) =>
        ratingsPage(
          db,
          {
            departmentId: services[0].departmentId,
            serviceId: null,
            badOnly: false,
            unanswered: false,
            rectificationOverdue: null,
            now,
            ...criteria,
          },
          0,
          20,
        ).then((rows) => rows.map((r) => r.id));
      expect(await list({})).toEqual([good, overdue, pending, handledElsewhere]);
      expect(await list({ departmentId: services[1].departmentId })).toEqual([handledElsewhere, elsewhere]);
      expect(await list({ departmentId: null })).toEqual([good, overdue, pending, handledElsewhere, elsewhere]);
      expect(await list({ badOnly: true })).toEqual([overdue, pending]);
      expect(await list({ unanswered: true })).toEqual([overdue]);
      expect(await list({ rectificationOverdue: true })).toEqual([overdue]);
      expect(await list({ rectificationOverdue: false })).toEqual([good, pending, handledElsewhere]);
      expect(await list({ departmentId: null, serviceId: services[1].id })).toEqual([elsewhere]);
      const criteria = {
        departmentId: null,
        serviceId: null,
        badOnly: true,
        unanswered: false,
        rectificationOverdue: null,
        now,
      };
      expect(await countRatings(db, criteria)).toBe(2);
      expect((await ratingsPage(db, criteria, 0, 1))[0].totalCount).toBe(2);
    });
  });

  it('finds rectification deadlines near or passed once per rating and kind', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM satisfaction_rating');
      const citizen = await insertCitizen(db);
      const now = await transactionNow(db);
      const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
      const bad = async (dueInHours: number) => {
        const use = await file(db, citizen, SignalKind.USE);
        return (await insertRating(
          db,
          rating({
            citizenId: citizen,
            useSignalId: use,
            level: SatisfactionLevel.DISSATISFIED,
            rectificationDue: hours(dueInHours),
          }),
        ))!.id;
      };
      const passed = await bad(-2);
      const near = await bad(3);
      await bad(30);
      const answered = await bad(-1);
      await answerRectificationRow(db, answered, '已答复');
      const due = await dueRectificationDeadlines(db, now, 4, 100);
      expect(due.map((d) => [d.ratingId, d.kind])).toEqual([
        [passed, 'rating.rectification_overdue'],
        [near, 'rating.rectification_near'],
      ]);
      await insertNotifications(db, [
        { departmentId: due[0].departmentId, kind: due[0].kind, ratingId: passed, message: '已提醒' },
      ]);
      expect((await dueRectificationDeadlines(db, now, 4, 100)).map((d) => d.ratingId)).toEqual([near]);
    });
  });
});
