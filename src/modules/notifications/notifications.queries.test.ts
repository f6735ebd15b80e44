import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { insertCitizen, openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import { SignalKind } from '../signals/signal-kind';
import { insertSignals } from '../signals/signals.service';
import { NEED_MET_KIND } from './notifications.service';
import {
  claimDueDeliveries,
  claimOutbox,
  deleteDispatchedOutbox,
  deleteFinishedDeliveries,
  insertNotifications,
  insertWebhook,
  loadLiveNotifications,
  markDelivered,
  markOutboxDispatched,
  markRead,
  queueWebhookDeliveries,
  recipientNotifications,
  recordFailedAttempt,
} from './notifications.queries';

let t: TestDatabase;
let service: { id: string; categoryId: string; departmentId: string };
let otherDepartment: string;
let districtCode: string;
beforeAll(async () => {
  t = await openTestDatabase();
  [service] = await t.db.query(
    `SELECT id, category_id AS "categoryId", department_id AS "departmentId" FROM service
      WHERE status = 'PUBLISHED' ORDER BY code LIMIT 1`,
  );
  [{ id: otherDepartment }] = await t.db.query('SELECT id FROM department WHERE id <> $1 ORDER BY code LIMIT 1', [
    service.departmentId,
  ]);
  [{ code: districtCode }] = await t.db.query('SELECT code FROM district ORDER BY code LIMIT 1');
});
afterAll(async () => {
  await t?.close();
});

/** A citizen's free-text request (its case opened, and routed); its id and the department holding it. */
async function fileRequest(db: EntityManager, citizenId: string): Promise<{ requestId: string; holder: string }> {
  const { ids } = await insertSignals(db, [
    {
      citizenId,
      kind: SignalKind.REQUEST,
      serviceId: service.id,
      categoryId: service.categoryId,
      districtCode,
      birthYear: null,
      text: '想办证',
      rating: null,
      occurredAt: new Date(),
      clientEventId: null,
    },
  ]);
  const [{ holder }] = await db.query('SELECT department_id AS holder FROM request_case WHERE signal_id = $1', [
    ids[0],
  ]);
  return { requestId: ids[0], holder };
}

/** The outbox rows past `after` (rows filing a request wrote are left out by reading past them). */
const outbox = (db: EntityManager, after = '0') =>
  db.query(
    `SELECT id::text AS id, notification_id::text AS "notificationId", concerns_department_id AS "concerns", dispatched_at AS "dispatchedAt"
       FROM notification_outbox WHERE id > $1::bigint ORDER BY notification_outbox.id`,
    [after],
  );
const lastOutboxId = async (db: EntityManager): Promise<string> =>
  (await db.query('SELECT coalesce(max(id), 0)::text AS id FROM notification_outbox'))[0].id;

describe('notifications queries on the database', () => {
  it('writes each notice with its outbox row, concerning the department holding the request', async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      const { requestId, holder } = await fileRequest(db, citizen);
      const mark = await lastOutboxId(db);
      const written = await insertNotifications(db, [
        { citizenId: citizen, kind: 'request.status', requestId, message: '已受理' },
        { departmentId: otherDepartment, kind: 'request.transferred', requestId, message: '转来一件' },
      ]);
      expect(written).toBe(2);
      const rows = await outbox(db, mark);
      expect(rows.map((r: { concerns: string }) => r.concerns)).toEqual([holder, otherDepartment]);
      const live = await loadLiveNotifications(
        db,
        rows.map((r: { id: string }) => r.id),
      );
      expect(live.map((n) => [n.citizenId, n.departmentId, n.kind, n.requestId])).toEqual([
        [citizen, null, 'request.status', requestId],
        [null, otherDepartment, 'request.transferred', requestId],
      ]);
    });
  });

  it('writes one need-met notice per request, and no outbox row for the one refused', async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      const { requestId } = await fileRequest(db, citizen);
      const notice = { citizenId: citizen, kind: NEED_MET_KIND, requestId, serviceId: service.id, message: '有新服务' };
      expect(await insertNotifications(db, [notice])).toBe(1);
      expect(await insertNotifications(db, [notice, { ...notice, message: '又一次' }])).toBe(0);
      const [{ notices, queued }] = await db.query(
        `SELECT (SELECT count(*) FROM notification WHERE request_id = $1 AND kind = $2)::int AS notices,
                (SELECT count(*) FROM notification_outbox WHERE request_id = $1 AND kind = $2)::int AS queued`,
        [requestId, NEED_MET_KIND],
      );
      expect({ notices, queued }).toEqual({ notices: 1, queued: 1 });
    });
  });

  it("pages a recipient's notifications newest first and marks them read", async () => {
    await rolledBack(t.db, async (db) => {
      const citizen = await insertCitizen(db);
      const other = await insertCitizen(db);
      for (const message of ['一', '二', '三'])
        await insertNotifications(db, [{ citizenId: citizen, kind: 'k', message }]);
      await insertNotifications(db, [{ citizenId: other, kind: 'k', message: '别人的' }]);
      const to = { column: 'citizen_id' as const, id: citizen };
      // limit + 1 rows: the last tells of a next page.
      const page = await recipientNotifications(db, to, { unreadOnly: false, offset: 0, limit: 2 });
      expect(page.map((n) => n.message).sort()).toEqual(['一', '三', '二']);
      expect(page[0].totalCount).toBe(3);
      const second = page.find((n) => n.message === '二')!;
      expect(await markRead(db, to, [second.id])).toBe(1);
      expect(await markRead(db, to, [second.id])).toBe(0);
      const unread = await recipientNotifications(db, to, { unreadOnly: true, offset: 0, limit: 10 });
      expect(unread.map((n) => n.message).sort()).toEqual(['一', '三']);
      expect(await markRead(db, to, null)).toBe(2);
      expect(await recipientNotifications(db, to, { unreadOnly: true, offset: 0, limit: 10 })).toEqual([]);
    });
  });

  it('orders by the numeric id, not its text, across a change in the number of digits', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM webhook_delivery');
      await db.query('DELETE FROM notification_outbox');
      const citizen = await insertCitizen(db);
      // Ids up to and past a power of ten (98, 99, 100, 101 …): as text, '99' sorts after '100'.
      for (const table of ['notification', 'notification_outbox']) {
        const [{ last }] = await db.query(`SELECT coalesce(max(id), 0)::bigint AS last FROM ${table}`);
        const power = 10 ** String(Number(last) + 3).length;
        await db.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`, [table, power - 3]);
      }
      const span = 4;
      for (let i = 0; i < span; i++)
        await insertNotifications(db, [{ citizenId: citizen, kind: 'k', message: `${i}` }]);
      const newestFirst = (
        await db.query('SELECT id::text AS id FROM notification WHERE citizen_id = $1 ORDER BY notification.id DESC', [
          citizen,
        ])
      ).map((r: { id: string }) => r.id);
      const page = await recipientNotifications(
        db,
        { column: 'citizen_id', id: citizen },
        { unreadOnly: false, offset: 0, limit: span },
      );
      expect(page.map((n) => n.id)).toEqual(newestFirst);
      const outboxIds = (await outbox(db)).map((r: { id: string }) => r.id);
      expect(await claimOutbox(db, span)).toEqual(outboxIds);
    });
  });

  it('claims undispatched outbox rows oldest first, a batch at a time', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM webhook_delivery');
      await db.query('DELETE FROM notification_outbox');
      const citizen = await insertCitizen(db);
      await insertNotifications(
        db,
        ['一', '二', '三'].map((message) => ({ citizenId: citizen, kind: 'k', message })),
      );
      const all = (await outbox(db)).map((r: { id: string }) => r.id);
      expect(await claimOutbox(db, 2)).toEqual(all.slice(0, 2));
      await markOutboxDispatched(db, all.slice(0, 2));
      expect(await claimOutbox(db, 2)).toEqual(all.slice(2));
    });
  });

  it('skips outbox rows another transaction has claimed (PostgreSQL: PGlite has one connection)', async () => {
    if (t.databaseKind !== 'postgres') return;
    const citizen = await insertCitizen(t.db.manager);
    await insertNotifications(
      t.db.manager,
      ['一', '二', '三'].map((message) => ({ citizenId: citizen, kind: 'k', message })),
    );
    try {
      await t.db.transaction(async (first) => {
        const mine = await claimOutbox(first, 2);
        expect(mine).toHaveLength(2);
        const theirs = await t.db.transaction((second) => claimOutbox(second, 200));
        expect(theirs.length).toBeGreaterThan(0);
        expect(theirs.filter((id) => mine.includes(id))).toEqual([]);
      });
    } finally {
      await t.db.query('DELETE FROM notification_outbox WHERE citizen_id = $1', [citizen]);
      await t.db.query('DELETE FROM notification WHERE citizen_id = $1', [citizen]);
    }
  });

  it('queues a delivery per active subscription concerned, once per subscription and event', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM webhook_delivery');
      await db.query('DELETE FROM webhook_subscription');
      const webhook = (departmentId: string | null) =>
        insertWebhook(db, {
          id: randomUUID(),
          url: 'https://example.org/hook',
          secret: 'a-secret-of-16-chars',
          departmentId,
          createdBy: randomUUID(),
        });
      const everything = await webhook(null);
      const citizen = await insertCitizen(db);
      const { requestId, holder } = await fileRequest(db, citizen);
      const holding = await webhook(holder);
      const [{ id: notHolder }] = await db.query('SELECT id FROM department WHERE id <> $1 ORDER BY code LIMIT 1', [
        holder,
      ]);
      const other = await webhook(notHolder);
      const inactive = await webhook(null);
      await db.query('UPDATE webhook_subscription SET active = false WHERE id = $1', [inactive.id]);

      const mark = await lastOutboxId(db);
      await insertNotifications(db, [{ citizenId: citizen, kind: 'request.status', requestId, message: '已受理' }]);
      const ids = (await outbox(db, mark)).map((r: { id: string }) => r.id);
      expect(await queueWebhookDeliveries(db, ids)).toBe(2);
      expect(await queueWebhookDeliveries(db, ids)).toBe(0);
      const deliveries = await db.query(
        'SELECT subscription_id AS "webhookId", payload FROM webhook_delivery ORDER BY id',
      );
      expect(deliveries.map((d: { webhookId: string }) => d.webhookId).sort()).toEqual(
        [everything.id, holding.id].sort(),
      );
      expect(deliveries.some((d: { webhookId: string }) => d.webhookId === other.id)).toBe(false);
      const payload =
        typeof deliveries[0].payload === 'string' ? JSON.parse(deliveries[0].payload) : deliveries[0].payload;
      expect(payload).toMatchObject({
        type: 'request.status',
        data: { citizenId: citizen, requestId, concernsDepartmentId: holder, message: '已受理' },
      });
    });
  });

  it('claims due deliveries with a lease, retries failures later and never reclaims finished ones', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM webhook_delivery');
      const hook = await insertWebhook(db, {
        id: randomUUID(),
        url: 'https://example.org/hook',
        secret: 'a-secret-of-16-chars',
        departmentId: null,
        createdBy: randomUUID(),
      });
      for (let i = 0; i < 3; i++) {
        await db.query(
          `INSERT INTO webhook_delivery (subscription_id, event_id, kind, payload, next_attempt_at)
           VALUES ($1, $2, 'k', '{}'::jsonb, now() - make_interval(mins => $3))`,
          [hook.id, randomUUID(), 10 - i],
        );
      }
      const first = await claimDueDeliveries(db, 60, 2);
      expect(first.map((d) => d.attempts)).toEqual([1, 1]);
      expect(first[0]).toMatchObject({ url: 'https://example.org/hook', secret: 'a-secret-of-16-chars' });
      // Leased: not due again until the lease ends.
      const second = await claimDueDeliveries(db, 60, 20);
      expect(second.map((d) => d.id)).toEqual(
        (await db.query('SELECT id::text AS id FROM webhook_delivery ORDER BY webhook_delivery.id DESC LIMIT 1')).map(
          (r: { id: string }) => r.id,
        ),
      );
      await markDelivered(db, first[0].id, 204);
      await recordFailedAttempt(db, first[1].id, { failed: true, statusCode: 500, error: 'HTTP 500', retrySeconds: 0 });
      await recordFailedAttempt(db, second[0].id, {
        failed: false,
        statusCode: null,
        error: 'timed out',
        retrySeconds: 0,
      });
      const again = await claimDueDeliveries(db, 60, 20);
      expect(again.map((d) => [d.id, d.attempts])).toEqual([[second[0].id, 2]]);
      const rows = await db.query(
        'SELECT status::text AS status, last_status_code AS code FROM webhook_delivery ORDER BY id',
      );
      expect(rows.map((r: { status: string }) => r.status).sort()).toEqual(['DELIVERED', 'FAILED', 'PENDING']);
    });
  });

  it('prunes only dispatched outbox rows and finished deliveries older than the cut, a batch at a time', async () => {
    await rolledBack(t.db, async (db) => {
      await db.query('DELETE FROM webhook_delivery');
      await db.query('DELETE FROM notification_outbox');
      const citizen = await insertCitizen(db);
      await insertNotifications(
        db,
        ['一', '二', '三', '四'].map((message) => ({ citizenId: citizen, kind: 'k', message })),
      );
      const ids = (await outbox(db)).map((r: { id: string }) => r.id);
      await db.query(
        `UPDATE notification_outbox SET dispatched_at = now() - interval '40 days' WHERE id = ANY ($1::bigint[])`,
        [ids.slice(0, 3)],
      );
      await db.query(`UPDATE notification_outbox SET dispatched_at = now() WHERE id = $1`, [ids[2]]);
      const cut = new Date(Date.now() - 30 * 24 * 3600 * 1000);
      expect(await deleteDispatchedOutbox(db, cut, 1)).toBe(1);
      expect(await deleteDispatchedOutbox(db, cut, 10)).toBe(1);
      expect(await deleteDispatchedOutbox(db, cut, 10)).toBe(0);
      expect((await outbox(db)).map((r: { id: string }) => r.id)).toEqual(ids.slice(2));

      const hook = await insertWebhook(db, {
        id: randomUUID(),
        url: 'https://example.org/hook',
        secret: 'a-secret-of-16-chars',
        departmentId: null,
        createdBy: randomUUID(),
      });
      for (const status of ['DELIVERED', 'FAILED', 'PENDING']) {
        await db.query(
          `INSERT INTO webhook_delivery (subscription_id, event_id, kind, payload, status, created_at)
           VALUES ($1, $2, 'k', '{}'::jsonb, $3::webhook_delivery_status, now() - interval '40 days')`,
          [hook.id, randomUUID(), status],
        );
      }
      expect(await deleteFinishedDeliveries(db, cut, 10)).toBe(2);
      const left = await db.query('SELECT status::text AS status FROM webhook_delivery');
      expect(left).toEqual([{ status: 'PENDING' }]);
    });
  });
});
