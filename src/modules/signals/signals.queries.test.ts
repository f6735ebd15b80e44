import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { insertCitizen, openTestDatabase, rolledBack, type TestDatabase } from '../../../test/helpers/test-database';
import { AgeBand } from '../citizens/age-band';
import { SignalKind } from './signal-kind';
import { ROUTED_NOTICE } from '../requests/case-opener';
import { caseDeadlines, deadlineDaysAround, serviceLevelFor } from '../requests/routing';
import { BurstPacer, type WorkerPacing } from './rollup-worker';
import { readWatermark } from './signal-log';
import {
  advanceWatermark,
  applySignals,
  deleteServiceActivity,
  insertServiceActivityOfAppliedSignals,
  insertSignalBatch,
  insertSignalRows,
  pendingChunk,
  pendingSignalAges,
  readRunStart,
  tryWorkerLock,
  watermarkToSnapshot,
  type SignalRow,
} from './signals.queries';

let t: TestDatabase;
let services: string[];
let citizen: string;
let districtCode: string;
beforeAll(async () => {
  t = await openTestDatabase();
  services = (await t.db.query("SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT 2")).map(
    (r: { id: string }) => r.id,
  );
  citizen = await insertCitizen(t.db.manager);
  [{ districtCode }] = await t.db.query('SELECT district_code AS "districtCode" FROM citizen WHERE id = $1', [citizen]);
});
afterAll(async () => {
  await t?.close();
});

const signal = (overrides: Partial<SignalRow> = {}): SignalRow => ({
  citizenId: citizen,
  kind: SignalKind.VIEW,
  serviceId: services[0],
  categoryId: null,
  districtCode: '',
  ageBand: AgeBand.ADULT,
  text: null,
  rating: null,
  occurredAt: new Date(),
  clientEventId: null,
  matchedServiceId: null,
  matchScore: null,
  unmet: null,
  needCode: null,
  ...overrides,
});

const withDistrict = async (rows: SignalRow[]) => rows.map((row) => ({ ...row, districtCode }));

const activity = async (db: EntityManager = t.db.manager) =>
  (
    await db.query(
      `SELECT service_id AS "serviceId", kind, sum(count)::int AS count, sum(citizens)::int AS citizens
         FROM service_activity_daily GROUP BY 1, 2`,
    )
  )
    .map(
      (r: { serviceId: string; kind: string; count: number; citizens: number }) =>
        `${r.serviceId}:${r.kind}:${r.count}:${r.citizens}`,
    )
    .sort();

/** The daily rows and memberships of service activity, for comparing the worker's with a rebuild's. */
const activityRows = async (db: EntityManager = t.db.manager) => ({
  daily: await db.query(
    'SELECT service_id, day::text, kind::text, count, citizens FROM service_activity_daily ORDER BY 1, 2, 3',
  ),
  members: await db.query(
    'SELECT service_id, day::text, kind::text, citizen_id FROM service_activity_citizen ORDER BY 1, 2, 3, 4',
  ),
});

/** One run of the worker's statements in a transaction, as applyPendingRollupsIn runs them. */
async function workerRun(chunk: number): Promise<number | null> {
  return t.db.transaction(async (tx) => {
    if (!(await tryWorkerLock(tx))) return null;
    const run = await readRunStart(tx);
    const { chunkEnd, due } = await pendingChunk(tx, run, chunk);
    if (!due) return 0;
    const through = chunkEnd ?? (BigInt(run.xmax) - 1n).toString();
    const applied = await applySignals(tx, run, through);
    await advanceWatermark(tx, { appliedBelow: (BigInt(through) + 1n).toString(), pendingXids: [] }, applied);
    return applied;
  });
}

describe('signals queries on the database', () => {
  it('inserts a batch in one statement, skipping events the citizen already sent', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const rows = await withDistrict([signal({ clientEventId: a }), signal({ clientEventId: b })]);
    const first = await insertSignalRows(t.db.manager, rows);
    expect(first.accepted).toBe(2);
    expect(first.ids).toEqual([...first.ids].sort((x, y) => Number(BigInt(x) - BigInt(y))));
    const again = await insertSignalRows(t.db.manager, await withDistrict([signal({ clientEventId: a })]));
    expect(again).toEqual({ accepted: 0, ids: [] });
  });

  it('the worker applies committed signals once, a transaction at a time, and moves the watermark past them', async () => {
    // Three transactions of signals, then runs of at most one transaction's worth each.
    for (const service of [services[0], services[1], services[1]]) {
      await t.db.transaction(async (tx) => {
        await insertSignalRows(tx, await withDistrict([signal({ serviceId: service, kind: SignalKind.USE })]));
      });
    }
    const before = await readWatermark(t.db.manager);
    const applied: (number | null)[] = [];
    for (let run = 0; run < 6; run += 1) applied.push(await workerRun(0));
    // The first transaction of the earlier test held two signals; nothing is applied twice.
    expect(applied.filter((n) => n !== 0)).toEqual([2, 1, 1, 1]);
    expect(applied.slice(4)).toEqual([0, 0]);
    const after = await readWatermark(t.db.manager);
    expect(BigInt(after.appliedBelow) > BigInt(before.appliedBelow)).toBe(true);
    expect(after.pendingXids).toEqual([]);
    const [{ rows }] = await t.db.query('SELECT applied_rows::int AS rows FROM signal_rollup_watermark');
    expect(rows).toBe(5);
    // One citizen: two views of a service on one day are one citizen-day.
    expect(await activity()).toEqual(
      [`${services[0]}:USE:1:1`, `${services[0]}:VIEW:2:1`, `${services[1]}:USE:2:1`].sort(),
    );
  });

  it('counts a citizen once per service, city day and kind across the worker’s runs, as a rebuild does', async () => {
    const other = await insertCitizen(t.db.manager);
    const day = (daysAgo: number, hour = 3) => new Date(Date.now() - daysAgo * 86_400_000 + hour * 60_000);
    // Many uses of one citizen in several runs, on two days; one use of another citizen.
    const runs: Partial<SignalRow>[][] = [
      Array.from({ length: 40 }, () => ({ kind: SignalKind.USE, serviceId: services[1], occurredAt: day(3) })),
      [
        ...Array.from({ length: 40 }, () => ({ kind: SignalKind.USE, serviceId: services[1], occurredAt: day(3, 1) })),
        { kind: SignalKind.USE, serviceId: services[1], occurredAt: day(4) },
      ],
      [{ citizenId: other, kind: SignalKind.USE, serviceId: services[1], occurredAt: day(3) }],
    ];
    const uses = async () => {
      const [row] = await t.db.query(
        `SELECT coalesce(sum(count), 0)::int AS signals, coalesce(sum(citizens), 0)::int AS citizens
           FROM service_activity_daily WHERE service_id = $1 AND kind = 'USE'`,
        [services[1]],
      );
      return row as { signals: number; citizens: number };
    };
    const before = await uses();
    for (const rows of runs) {
      await insertSignalRows(t.db.manager, await withDistrict(rows.map((r) => signal(r))));
      await workerRun(1000);
    }
    const after = await uses();
    // 82 signals; citizen-days: the first citizen on two days, the other on one.
    expect({ signals: after.signals - before.signals, citizens: after.citizens - before.citizens }).toEqual({
      signals: 82,
      citizens: 3,
    });
    const worker = await activityRows();
    await rolledBack(t.db, async (tx) => {
      await watermarkToSnapshot(tx);
      await deleteServiceActivity(tx);
      await insertServiceActivityOfAppliedSignals(tx);
      expect(await activityRows(tx)).toEqual(worker);
    });
  });

  it('a rebuild recounts the same service activity from the signals below the watermark', async () => {
    const worker = await activityRows();
    await t.db.transaction(async (tx) => {
      await watermarkToSnapshot(tx);
      await deleteServiceActivity(tx);
      expect(await insertServiceActivityOfAppliedSignals(tx)).toBe(worker.daily.length);
    });
    expect(await activityRows()).toEqual(worker);
    expect(await workerRun(1000)).toBe(0);
  });

  it("inserts one citizen's batch with its audit event, the cases of its requests and complaints and their notices in one statement", async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const row = (overrides: Partial<SignalRow>) => {
      const { citizenId: _citizen, ...rest } = signal({ districtCode, ...overrides });
      return rest;
    };
    const [{ birthYear }] = await t.db.query('SELECT birth_year AS "birthYear" FROM citizen WHERE id = $1', [citizen]);
    const batch = (rows: ReturnType<typeof row>[]) => ({
      citizenId: citizen,
      citizenDistrictCode: districtCode,
      citizenBirthYear: birthYear,
      rows,
      actorRole: 'CITIZEN',
      kinds: { VIEW: 1, REQUEST: 1, COMPLAINT: 1 },
      defaultDepartmentCode: 'GY-GSC',
      deadlineDays: deadlineDaysAround(new Date()),
      routedNotice: ROUTED_NOTICE,
    });
    const rows = [
      row({ clientEventId: a }),
      row({ clientEventId: b, kind: SignalKind.REQUEST, serviceId: null, text: '想申请养老服务' }),
      row({ clientEventId: c, kind: SignalKind.COMPLAINT, text: '排队太久' }),
    ];
    const first = await insertSignalBatch(t.db.manager, batch(rows));
    expect(first.accepted).toBe(3);
    const cases = async () =>
      t.db.query(
        `SELECT rc.kind::text AS kind, rc.status::text AS status, rc.department_id AS "departmentId",
                rc.opened_at AS "openedAt", rc.acknowledge_due AS "acknowledgeDue", rc.resolve_due AS "resolveDue",
                rc.signal_received_at = s.received_at AS "sameInstant", c.code AS "categoryCode", p.code AS "parentCode",
                (SELECT count(*)::int FROM notification n JOIN notification_outbox o ON o.notification_id = n.id
                  WHERE n.request_id = rc.signal_id AND n.department_id = rc.department_id) AS notices
           FROM request_case rc JOIN signal s ON s.id = rc.signal_id
           LEFT JOIN category c ON c.id = s.category_id LEFT JOIN category p ON p.id = c.parent_id
          WHERE rc.citizen_id = $1 ORDER BY rc.kind`,
        [citizen],
      );
    const opened = await cases();
    const [serviceRow] = await t.db.query('SELECT department_id AS "departmentId" FROM service WHERE id = $1', [
      services[0],
    ]);
    const [gsc] = await t.db.query(`SELECT id FROM department WHERE code = 'GY-GSC'`);
    expect(opened.map((r: { kind: string; status: string }) => `${r.kind}:${r.status}`)).toEqual([
      'REQUEST:OPEN',
      'COMPLAINT:OPEN',
    ]);
    const [request, complaint] = opened;
    // Routed as routeCase routes them, with caseDeadlines' deadlines from the signal's received_at.
    expect(complaint.departmentId).toBe(serviceRow.departmentId);
    expect(request.departmentId).toBe(gsc.id);
    for (const opened of [request, complaint]) {
      expect(opened.sameInstant).toBe(true);
      expect(opened.notices).toBe(1);
      const due = caseDeadlines(
        opened.openedAt,
        serviceLevelFor([opened.categoryCode ?? null, opened.parentCode ?? null]),
      );
      expect([opened.acknowledgeDue.getTime(), opened.resolveDue.getTime()]).toEqual([
        due.acknowledgeDue.getTime(),
        due.resolveDue.getTime(),
      ]);
    }
    // The same batch again: nothing new, no second case or notice, and still its event.
    const again = await insertSignalBatch(t.db.manager, batch(rows));
    expect(again).toEqual({ accepted: 0, citizenHeld: true });
    expect(await cases()).toEqual(opened);
    const events = await t.db.query(
      `SELECT actor_id AS "actorId", actor_role AS "actorRole", target_id AS "targetId", details FROM audit_event
        WHERE action = 'signals.record' AND target_id = $1 ORDER BY id`,
      [citizen],
    );
    expect(events).toEqual([
      {
        actorId: citizen,
        actorRole: 'CITIZEN',
        targetId: citizen,
        details: { received: 3, accepted: 3, duplicates: 0, kinds: { VIEW: 1, REQUEST: 1, COMPLAINT: 1 } },
      },
      {
        actorId: citizen,
        actorRole: 'CITIZEN',
        targetId: citizen,
        details: { received: 3, accepted: 0, duplicates: 3, kinds: { VIEW: 1, REQUEST: 1, COMPLAINT: 1 } },
      },
    ]);

    // Built from a district or birth year the citizen's row no longer holds: nothing written.
    const counts = async () =>
      (
        await t.db.query(
          `SELECT (SELECT count(*)::int FROM signal WHERE citizen_id = $1) AS signals,
                  (SELECT count(*)::int FROM signal_client_event WHERE citizen_id = $1) AS claims,
                  (SELECT count(*)::int FROM request_case WHERE citizen_id = $1) AS cases,
                  (SELECT count(*)::int FROM audit_event WHERE action = 'signals.record' AND target_id = $1::text) AS events`,
          [citizen],
        )
      )[0];
    const before = await counts();
    const fresh = [
      row({ clientEventId: randomUUID() }),
      row({ clientEventId: randomUUID(), kind: SignalKind.COMPLAINT, text: '排队太久' }),
    ];
    const otherYear = birthYear === null ? 1980 : birthYear + 1;
    expect(await insertSignalBatch(t.db.manager, { ...batch(fresh), citizenBirthYear: otherYear })).toEqual({
      accepted: 0,
      citizenHeld: false,
    });
    expect(
      await insertSignalBatch(t.db.manager, { ...batch(fresh), citizenDistrictCode: `${districtCode}x`.slice(-6) }),
    ).toEqual({ accepted: 0, citizenHeld: false });
    expect(await counts()).toEqual(before);
    expect(await insertSignalBatch(t.db.manager, batch(fresh))).toEqual({ accepted: 2, citizenHeld: true });
  });

  it('tells the worker how old the newest and the oldest pending signals are, and makes it wait only inside a burst', async () => {
    const pacing = (quietMs: number, maxLagMs: number, smallBacklog = 0, smallBacklogLagMs = 0) => ({
      quietMs,
      maxLagMs,
      smallBacklog,
      smallBacklogLagMs,
    });
    // A fresh pacer (this process has inserted nothing) asks the database, as a scheduled run does.
    const waitsForBurst = (paced: WorkerPacing) =>
      new BurstPacer(paced, () => pendingSignalAges(t.db.manager, paced.smallBacklog)).waits();
    while ((await workerRun(100_000)) !== 0);
    expect(await pendingSignalAges(t.db.manager)).toBeNull();
    expect(await waitsForBurst(pacing(60_000, 60_000))).toBe(false);
    await insertSignalRows(t.db.manager, await withDistrict([signal({ clientEventId: randomUUID() })]));
    const ages = (await pendingSignalAges(t.db.manager, 10))!;
    expect(ages.newestMs).toBeGreaterThanOrEqual(0);
    expect(ages.newestMs).toBeLessThan(60_000);
    expect(ages.oldestMs).toBeGreaterThanOrEqual(ages.newestMs);
    expect(ages.pending).toBe(1);
    expect((await pendingSignalAges(t.db.manager, 0))!.pending).toBe(0);
    expect(await waitsForBurst(pacing(60_000, 60_000))).toBe(true);
    // No longer arriving, or waiting too long already, or pacing off: the worker runs.
    expect(await waitsForBurst(pacing(0, 60_000))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await waitsForBurst(pacing(60_000, 10))).toBe(false);
    expect(await waitsForBurst(pacing(60_000, 0))).toBe(false);
    // A backlog under smallBacklog waits only smallBacklogLagMs; one at or over it, maxLagMs.
    expect(await waitsForBurst(pacing(60_000, 60_000, 10, 60_000))).toBe(true);
    expect(await waitsForBurst(pacing(60_000, 60_000, 10, 10))).toBe(false);
    expect(await waitsForBurst(pacing(60_000, 60_000, 1, 10))).toBe(true);
    expect(await workerRun(100_000)).toBe(1);
    expect(await pendingSignalAges(t.db.manager)).toBeNull();
  });
});
