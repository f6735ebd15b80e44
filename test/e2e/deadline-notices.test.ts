import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Role, signToken } from '../../src/core/auth';
import { DEADLINE_NOTICE_LOCK_KEY, writeDeadlineNotices } from '../../src/modules/requests/deadline-notices';
import {
  dispatchOutbox,
  PRUNE_BATCH,
  pruneDeliveredNotifications,
} from '../../src/modules/notifications/outbox.dispatcher';
import { countRows, newCitizen } from '../helpers/fixtures';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../helpers/test-app';

let t: TestApp;
const SUBMIT = `mutation($input: RequestInput!) { submitRequest(input: $input) { unmet request { id } } }`;
const ACK = `mutation($id: ID!) { acknowledgeRequest(id: $id) { status } }`;
const NOTIFICATIONS = `{ notifications(first: 50) { edges { node { kind requestId message } } } }`;
const HOUR = 3600_000;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

interface OpenCase {
  id: string;
  departmentId: string;
  acknowledgeDue: Date;
  resolveDue: Date;
}

async function openUnmetCase(): Promise<OpenCase> {
  const citizen = await newCitizen(t);
  const { submitRequest } = await citizen.client.request<any>(SUBMIT, {
    input: { text: '我家狗狗的狂犬疫苗去哪里打', districtCode: '520103' },
  });
  expect(submitRequest.unmet).toBe(true);
  const [row] = await t.db.query(
    `SELECT signal_id::text AS id, department_id AS "departmentId", acknowledge_due AS "acknowledgeDue",
            resolve_due AS "resolveDue" FROM request_case WHERE signal_id = $1 AND status = 'OPEN'`,
    [submitRequest.request.id],
  );
  return { ...row, acknowledgeDue: new Date(row.acknowledgeDue), resolveDue: new Date(row.resolveDue) };
}

const noticesOf = async (requestId: string): Promise<{ kind: string; departmentId: string }[]> =>
  t.db.query(
    `SELECT kind, department_id AS "departmentId" FROM notification
      WHERE request_id = $1 AND kind LIKE 'request.%\\_near' OR request_id = $1 AND kind LIKE 'request.%\\_overdue'
      ORDER BY id`,
    [requestId],
  );

describe('deadline notices', () => {
  it('tells the department once when a deadline is near, once when it has passed, with an outbox row each', async () => {
    const rc = await openUnmetCase();
    const nearHours = 4;
    // Two hours before the acknowledge deadline: near (the resolve deadline, days later, is not).
    const beforeAck = new Date(rc.acknowledgeDue.getTime() - 2 * HOUR);
    expect(await writeDeadlineNotices(t.db, { now: beforeAck, nearHours })).toBeGreaterThanOrEqual(1);
    expect(await noticesOf(rc.id)).toEqual([{ kind: 'request.acknowledge_near', departmentId: rc.departmentId }]);
    expect(
      await countRows(t, `notification_outbox WHERE request_id = $1 AND kind = 'request.acknowledge_near'`, [rc.id]),
    ).toBe(1);

    // Again, same clock: nothing new for this case.
    await writeDeadlineNotices(t.db, { now: beforeAck, nearHours });
    expect(await noticesOf(rc.id)).toHaveLength(1);

    // Five hours before: not yet near, nothing.
    const other = await openUnmetCase();
    await writeDeadlineNotices(t.db, { now: new Date(other.acknowledgeDue.getTime() - 5 * HOUR), nearHours });
    expect(await noticesOf(other.id)).toEqual([]);

    // The acknowledge deadline passed: the overdue notice, once.
    const afterAck = new Date(rc.acknowledgeDue.getTime() + 60_000);
    await writeDeadlineNotices(t.db, { now: afterAck, nearHours });
    await writeDeadlineNotices(t.db, { now: afterAck, nearHours });
    expect((await noticesOf(rc.id)).map((n) => n.kind)).toEqual([
      'request.acknowledge_near',
      'request.acknowledge_overdue',
    ]);
    expect(await countRows(t, `notification_outbox WHERE request_id = $1`, [rc.id])).toBeGreaterThanOrEqual(2);

    // The department's staff read them.
    const staff = t.client(await t.token(Role.STAFF, { dept: rc.departmentId }));
    const { notifications } = await staff.request<any>(NOTIFICATIONS);
    const mine = notifications.edges.map((e: any) => e.node).filter((n: any) => n.requestId === rc.id);
    expect(mine.map((n: any) => n.kind)).toEqual(expect.arrayContaining(['request.acknowledge_overdue']));
    expect(mine.find((n: any) => n.kind === 'request.acknowledge_overdue').message).toContain('已超过签收期限');

    // Acknowledged, then the resolve deadline passes unnoticed by the job until after it: only the overdue notice.
    await staff.request(ACK, { id: rc.id });
    const afterResolve = new Date(rc.resolveDue.getTime() + 60_000);
    await writeDeadlineNotices(t.db, { now: afterResolve, nearHours });
    expect((await noticesOf(rc.id)).map((n) => n.kind)).toEqual([
      'request.acknowledge_near',
      'request.acknowledge_overdue',
      'request.resolve_overdue',
    ]);
  });

  it('skips the run while another process holds the job lock (PostgreSQL: the embedded database serves one session)', async () => {
    if (t.databaseKind !== 'postgres') return;
    const rc = await openUnmetCase();
    const other = t.db.createQueryRunner();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [DEADLINE_NOTICE_LOCK_KEY]);
      expect(
        await writeDeadlineNotices(t.db, { now: new Date(rc.acknowledgeDue.getTime() + HOUR), nearHours: 4 }),
      ).toBeNull();
      expect(await noticesOf(rc.id)).toEqual([]);
    } finally {
      await other.query('ROLLBACK');
      await other.release();
    }
    expect(
      await writeDeadlineNotices(t.db, { now: new Date(rc.acknowledgeDue.getTime() + HOUR), nearHours: 4 }),
    ).toBeGreaterThanOrEqual(1);
    expect((await noticesOf(rc.id)).map((n) => n.kind)).toEqual(['request.acknowledge_overdue']);
  });

  it('says nothing of cases that are resolved or closed', async () => {
    const rc = await openUnmetCase();
    await t.db.query(
      `UPDATE request_case SET status = 'CLOSED', closed_at = now(), close_reason = 'test' WHERE signal_id = $1`,
      [rc.id],
    );
    await writeDeadlineNotices(t.db, { now: new Date(rc.resolveDue.getTime() + HOUR), nearHours: 4 });
    expect(await noticesOf(rc.id)).toEqual([]);
  });
});

describe('rectification deadlines', () => {
  const RATE = `mutation($input: RateOutcomeInput!) { rateOutcome(input: $input) { id rectificationDue } }`;
  const ANSWER = `mutation($id: ID!, $answer: String!) { answerRectification(id: $id, answer: $answer) { id } }`;
  const RATING_NOTICES = `{ notifications(first: 50) { edges { node { kind ratingId message } } } }`;

  async function badRating(): Promise<{ id: string; due: Date; departmentId: string }> {
    const citizen = await newCitizen(t);
    const [{ id: service, departmentId }] = await t.db.query(
      `SELECT id, department_id AS "departmentId" FROM service WHERE code = 'EL-0003'`,
    );
    await citizen.client.request(`mutation($s: [SignalInput!]!) { recordSignals(signals: $s) { accepted } }`, {
      s: [{ kind: 'USE', serviceId: service }],
    });
    const [{ id: use }] = await t.db.query(`SELECT id::text AS id FROM signal WHERE citizen_id = $1 AND kind = 'USE'`, [
      citizen.id,
    ]);
    const { rateOutcome } = await citizen.client.request<any>(RATE, {
      input: { useSignalId: use, level: 'DISSATISFIED' },
    });
    return { id: rateOutcome.id, due: new Date(rateOutcome.rectificationDue), departmentId };
  }
  const kindsOf = async (ratingId: string): Promise<string[]> =>
    (await t.db.query(`SELECT kind FROM notification WHERE rating_id = $1 ORDER BY id`, [ratingId])).map(
      (n: { kind: string }) => n.kind,
    );

  it('tells the department once when the answer is near and once when it is late, naming the rating to answer', async () => {
    const rating = await badRating();
    expect(await kindsOf(rating.id)).toEqual(['rating.rectification']);
    const near = new Date(rating.due.getTime() - 2 * HOUR);
    await writeDeadlineNotices(t.db, { now: new Date(rating.due.getTime() - 5 * HOUR), nearHours: 4 });
    expect(await kindsOf(rating.id)).toEqual(['rating.rectification']);
    await writeDeadlineNotices(t.db, { now: near, nearHours: 4 });
    await writeDeadlineNotices(t.db, { now: near, nearHours: 4 });
    expect(await kindsOf(rating.id)).toEqual(['rating.rectification', 'rating.rectification_near']);
    const late = new Date(rating.due.getTime() + 60_000);
    await writeDeadlineNotices(t.db, { now: late, nearHours: 4 });
    await writeDeadlineNotices(t.db, { now: late, nearHours: 4 });
    expect(await kindsOf(rating.id)).toEqual([
      'rating.rectification',
      'rating.rectification_near',
      'rating.rectification_overdue',
    ]);
    expect(
      await countRows(
        t,
        'notification_outbox o JOIN notification n ON n.id = o.notification_id WHERE n.rating_id = $1',
        [rating.id],
      ),
    ).toBe(3);

    const staff = t.client(await t.token(Role.STAFF, { dept: rating.departmentId }));
    const { notifications } = await staff.request<any>(RATING_NOTICES);
    const mine = notifications.edges.map((e: any) => e.node).filter((n: any) => n.ratingId === rating.id);
    expect(mine.find((n: any) => n.kind === 'rating.rectification_overdue').message).toContain('已超过整改答复期限');
    // The notice names the rating the department answers.
    await staff.request(ANSWER, { id: mine[0].ratingId, answer: '已整改并回访' });
    const [{ rectified }] = await t.db.query(
      'SELECT rectified_at IS NOT NULL AS rectified FROM satisfaction_rating WHERE id = $1',
      [rating.id],
    );
    expect(rectified).toBe(true);
  });

  it('says nothing of a rectification already answered', async () => {
    const rating = await badRating();
    const staff = t.client(await t.token(Role.STAFF, { dept: rating.departmentId }));
    await staff.request(ANSWER, { id: rating.id, answer: '已整改' });
    await writeDeadlineNotices(t.db, { now: new Date(rating.due.getTime() + HOUR), nearHours: 4 });
    // The department's notice of the bad rating and the citizen's of the answer; no deadline notice.
    expect(await kindsOf(rating.id)).toEqual(['rating.rectification', 'rating.answer']);
  });
});

describe('retention', () => {
  it('prunes dispatched outbox rows and finished deliveries older than the cutoff, in batches, and keeps the rest', async () => {
    await dispatchOutbox(t.db, false);
    const old = PRUNE_BATCH + 5;
    // Old dispatched rows (more than one batch), an old undispatched one, a recent dispatched one.
    await t.db.query(
      `INSERT INTO notification_outbox (event_id, notification_id, kind, message, created_at, dispatched_at)
       SELECT gen_random_uuid(), -g, 'request.routed', 'old', now() - interval '40 days', now() - interval '40 days'
         FROM generate_series(1, $1::int) g`,
      [old],
    );
    await t.db.query(
      `INSERT INTO notification_outbox (event_id, notification_id, kind, message, created_at, dispatched_at) VALUES
         (gen_random_uuid(), -900001, 'request.routed', 'old, never dispatched', now() - interval '40 days', NULL),
         (gen_random_uuid(), -900002, 'request.routed', 'recent', now() - interval '2 days', now() - interval '2 days')`,
    );
    const hook = randomUUID();
    await t.db.query(
      `INSERT INTO webhook_subscription (id, url, secret, created_by) VALUES ($1, 'http://127.0.0.1:9/hook', 'a-secret-of-the-receiver', $2)`,
      [hook, randomUUID()],
    );
    await t.db.query(
      `INSERT INTO webhook_delivery (subscription_id, event_id, kind, payload, status, created_at) VALUES
         ($1, gen_random_uuid(), 'request.routed', '{}', 'DELIVERED', now() - interval '40 days'),
         ($1, gen_random_uuid(), 'request.routed', '{}', 'FAILED', now() - interval '40 days'),
         ($1, gen_random_uuid(), 'request.routed', '{}', 'PENDING', now() - interval '40 days'),
         ($1, gen_random_uuid(), 'request.routed', '{}', 'DELIVERED', now() - interval '2 days')`,
      [hook],
    );
    const outboxBefore = await countRows(t, 'notification_outbox');
    const result = await pruneDeliveredNotifications(t.db, new Date(Date.now() - 30 * 24 * HOUR));
    expect(result).toEqual({ outboxRows: old, webhookDeliveries: 2 });
    expect(await countRows(t, 'notification_outbox')).toBe(outboxBefore - old);
    expect(await countRows(t, `notification_outbox WHERE message = 'old'`)).toBe(0);
    expect(await countRows(t, `notification_outbox WHERE notification_id IN (-900001, -900002)`)).toBe(2);
    expect(
      (
        await t.db.query(`SELECT status::text FROM webhook_delivery WHERE subscription_id = $1 ORDER BY id`, [hook])
      ).map((r: { status: string }) => r.status),
    ).toEqual(['PENDING', 'DELIVERED']);
    // Nothing left to prune.
    expect(await pruneDeliveredNotifications(t.db, new Date(Date.now() - 30 * 24 * HOUR))).toEqual({
      outboxRows: 0,
      webhookDeliveries: 0,
    });
  });
});

/** Connects with `token`; resolves with the close code and how long after the connection it came (or 'open' after `waitMs`). */
function closeOf(token: string, waitMs: number): Promise<{ code: number; afterMs: number } | 'open'> {
  return new Promise((resolve, reject) => {
    let connectedAt = 0;
    let stillOpen: NodeJS.Timeout | undefined;
    const client = createClient({
      url: t.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
      on: {
        connected: () => {
          connectedAt = Date.now();
          stillOpen = setTimeout(() => {
            resolve('open');
            void client.dispose();
          }, waitMs);
        },
        closed: (event) => {
          clearTimeout(stillOpen);
          if (!connectedAt) reject(new Error(`refused: ${(event as { code: number }).code}`));
          resolve({ code: (event as { code: number }).code, afterMs: Date.now() - connectedAt });
        },
      },
      onNonLazyError: () => undefined,
    });
  });
}

describe('a WebSocket connection whose token expires', () => {
  it('is closed with 4401 at the expiry; one with a longer-lived token stays open', async () => {
    const sub = randomUUID();
    const shortLived = await signToken({ sub, role: Role.CITIZEN }, TEST_JWT_SECRET, '2s');
    const longLived = await t.token(Role.CITIZEN, { sub });
    const [short, long] = await Promise.all([closeOf(shortLived, 5_000), closeOf(longLived, 3_500)]);
    expect(short).not.toBe('open');
    const { code, afterMs } = short as { code: number; afterMs: number };
    expect(code).toBe(4401);
    // exp is in whole seconds: 1 to 2 s after a connection made at once.
    expect(afterMs).toBeLessThan(3_000);
    expect(long).toBe('open');
  });
});
