import type { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import {
  districtCodes,
  insertCitizen,
  openTestDatabase,
  publishedServiceIds,
  signalRow,
  type TestDatabase,
} from '../../../test/helpers/test-database';
import { SignalPartitions1796040000000 } from '../../db/migrations/1796040000000-SignalPartitions';
import { applyPendingRollups } from './rollup-worker';
import { runJobOnce } from '../../core/jobs';
import {
  DetachRefused,
  detachMonthsBefore,
  ensureSignalPartitions,
  MONTHS_AHEAD,
  signalPartitionsJob,
} from './signal-partitions';
import { attachedMonths, createMonthPartitions, monthOf, nextMonth } from './signal-partitions.queries';
import { SignalKind } from './signal-kind';
import { insertSignalBatch, insertSignalRows } from './signals.queries';
import { ROUTED_NOTICE } from '../requests/case-opener';
import { deadlineDaysAround } from '../requests/routing';

let t: TestDatabase;
let citizen: string;
let district: string;
let service: string;
/** The citizen's row as batches are built from it. */
let citizenFacts: { citizenDistrictCode: string; citizenBirthYear: number | null };
beforeAll(async () => {
  t = await openTestDatabase();
  citizen = await insertCitizen(t.db.manager);
  [citizenFacts] = await t.db.query(
    'SELECT district_code AS "citizenDistrictCode", birth_year AS "citizenBirthYear" FROM citizen WHERE id = $1',
    [citizen],
  );
  [district] = await districtCodes(t.db, 1);
  [service] = await publishedServiceIds(t.db, 1);
});
afterAll(async () => {
  await t?.close();
});

const view = (clientEventId: string | null, occurredAt = new Date()) =>
  signalRow({
    citizenId: citizen,
    kind: SignalKind.VIEW,
    serviceId: service,
    districtCode: district,
    occurredAt,
    clientEventId,
  });

const batch = (rows: ReturnType<typeof view>[]) => ({
  citizenId: citizen,
  ...citizenFacts,
  rows,
  actorRole: 'CITIZEN',
  kinds: { VIEW: rows.length },
  defaultDepartmentCode: 'none',
  deadlineDays: deadlineDaysAround(new Date()),
  routedNotice: ROUTED_NOTICE,
});

/** The partition each of the signals is stored in, by id. */
const partitionsOf = async (ids: string[], db: EntityManager = t.db.manager): Promise<string[]> =>
  (
    await db.query('SELECT tableoid::regclass::text AS p FROM signal WHERE id = ANY ($1::bigint[]) ORDER BY id', [ids])
  ).map((r: { p: string }) => r.p);

/** Inserts a VIEW signal recorded at `receivedAt` (as the migration's moved rows are). */
const insertReceivedAt = async (receivedAt: string, clientEventId: string | null = null): Promise<string> => {
  const [{ id }] = await t.db.query(
    `INSERT INTO signal (citizen_id, kind, service_id, district_code, occurred_at, received_at, client_event_id)
     VALUES ($1, 'VIEW', $2, $3, $4, $4, $5) RETURNING id::text`,
    [citizen, service, district, receivedAt, clientEventId],
  );
  return id;
};

describe('signal partitions', () => {
  it('has this month and the next ones, and a signal lands in the partition of the month it was received in', async () => {
    const months = await attachedMonths(t.db.manager);
    let month = monthOf(new Date());
    for (let i = 0; i <= MONTHS_AHEAD; i += 1, month = nextMonth(month)) expect(months).toContain(month);
    const { ids } = await insertSignalRows(t.db.manager, [view(randomUUID())]);
    expect(await partitionsOf(ids)).toEqual([`signal_${monthOf(new Date()).replace('-', '_')}`]);
    // A month without a partition of its own goes to the default one; the job leaves it there.
    const old = await insertReceivedAt('2020-03-10T00:00:00Z');
    expect(await partitionsOf([old])).toEqual(['signal_default']);
    expect(await createMonthPartitions(t.db.manager, '2020-03', '2020-03')).toEqual({
      created: [],
      skipped: ['2020-03'],
    });
    await t.db.query('DELETE FROM signal WHERE id = $1', [old]);
  });

  it('bounds a month at city midnight', async () => {
    await createMonthPartitions(t.db.manager, '2021-01', '2021-02');
    const ids = [await insertReceivedAt('2021-01-31T15:59:59Z'), await insertReceivedAt('2021-01-31T16:00:00Z')];
    expect(await partitionsOf(ids)).toEqual(['signal_2021_01', 'signal_2021_02']);
    await t.db.query('DELETE FROM signal WHERE id = ANY ($1::bigint[])', [ids]);
  });

  it('creates the coming months once, whoever runs it', async () => {
    const inAYear = new Date(Date.now() + 366 * 86_400_000);
    const runs = await Promise.all([
      runJobOnce(signalPartitionsJob, t.db, inAYear),
      runJobOnce(signalPartitionsJob, t.db, inAYear),
    ]);
    expect(runs.flatMap((r) => r?.created ?? [])).toHaveLength(MONTHS_AHEAD + 1);
    expect(await ensureSignalPartitions(t.db.manager, inAYear)).toEqual({ created: [], skipped: [] });
  });
});

describe('a client event is stored once', () => {
  it('within a batch and across batches', async () => {
    const event = randomUUID();
    expect((await insertSignalBatch(t.db.manager, batch([view(event), view(event), view(null)]))).accepted).toBe(2);
    expect((await insertSignalBatch(t.db.manager, batch([view(event)]))).accepted).toBe(0);
    expect((await insertSignalRows(t.db.manager, [view(event)])).accepted).toBe(0);
    const [{ n }] = await t.db.query(
      'SELECT count(*)::int AS n FROM signal WHERE citizen_id = $1 AND client_event_id = $2',
      [citizen, event],
    );
    expect(n).toBe(1);
  });

  it('when its first copy is stored in another month', async () => {
    await createMonthPartitions(t.db.manager, '2022-05', '2022-05');
    const event = randomUUID();
    await t.db.query('INSERT INTO signal_client_event (citizen_id, client_event_id) VALUES ($1, $2)', [citizen, event]);
    await insertReceivedAt('2022-05-10T00:00:00Z', event);
    expect((await insertSignalRows(t.db.manager, [view(event)])).accepted).toBe(0);
  });

  it('until its citizen is deleted', async () => {
    const other = await insertCitizen(t.db.manager);
    await insertSignalRows(t.db.manager, [{ ...view('forgotten'), citizenId: other }]);
    const claims = async () =>
      (await t.db.query('SELECT count(*)::int AS n FROM signal_client_event WHERE citizen_id = $1', [other]))[0].n;
    expect(await claims()).toBe(1);
    await t.db.query('DELETE FROM citizen WHERE id = $1', [other]);
    expect(await claims()).toBe(0);
  });

  it('when batches carrying it are inserted concurrently', async () => {
    const events = Array.from({ length: 20 }, () => randomUUID());
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        t.db.transaction((tx) =>
          insertSignalBatch(tx, batch((i % 2 ? [...events].reverse() : events).map((e) => view(e)))),
        ),
      ),
    );
    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(events.length);
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM signal WHERE client_event_id = ANY ($1)', [
      events,
    ]);
    expect(n).toBe(events.length);
  });
});

describe('detaching old months', () => {
  const demandOfDay = async (day: string): Promise<number> => {
    const [{ n }] = await t.db.query('SELECT COALESCE(sum(signals), 0)::int AS n FROM demand_daily WHERE day = $1', [
      day,
    ]);
    return n;
  };

  it('removes the month from the log once the rollups hold it, and the rollups keep it', async () => {
    await createMonthPartitions(t.db.manager, '2023-01', '2023-02');
    const inJanuary = [await insertReceivedAt('2023-01-10T04:00:00Z'), await insertReceivedAt('2023-01-10T05:00:00Z')];
    await insertReceivedAt('2023-02-10T04:00:00Z');
    await expect(detachMonthsBefore(t.db, '2023-02', { drop: true })).rejects.toThrow(DetachRefused);
    await applyPendingRollups(t.db);
    expect(await demandOfDay('2023-01-10')).toBe(2);
    const detached = await detachMonthsBefore(t.db, '2023-02', { drop: true });
    expect(detached.map((d) => d.month)).toContain('2023-01');
    expect(detached.find((d) => d.month === '2023-01')?.rows).toBe(2);
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM signal WHERE id = ANY ($1::bigint[])', [
      inJanuary,
    ]);
    expect(n).toBe(0);
    expect(await attachedMonths(t.db.manager)).not.toContain('2023-01');
    expect(await attachedMonths(t.db.manager)).toContain('2023-02');
    expect(await demandOfDay('2023-01-10')).toBe(2);
  });

  it('refuses a month that a request case refers to, and the current month', async () => {
    await createMonthPartitions(t.db.manager, '2024-01', '2024-01');
    const id = await insertReceivedAt('2024-01-10T04:00:00Z');
    await t.db.query(
      `INSERT INTO request_case (signal_id, signal_received_at, citizen_id, kind, status, district_code, opened_at, updated_at)
       SELECT id, received_at, citizen_id, 'REQUEST', 'OPEN', district_code, received_at, received_at FROM signal WHERE id = $1`,
      [id],
    );
    await applyPendingRollups(t.db);
    await expect(detachMonthsBefore(t.db, '2024-02')).rejects.toThrow(/2024-01: .*foreign key/);
    expect(await attachedMonths(t.db.manager)).toContain('2024-01');
    await expect(detachMonthsBefore(t.db, nextMonth(monthOf(new Date())))).rejects.toThrow(/current month/);
  });

  it('refuses a case whose signal time is not its signal’s', async () => {
    const id = await insertReceivedAt('2024-01-11T04:00:00Z');
    await expect(
      t.db.query(
        `INSERT INTO request_case (signal_id, signal_received_at, citizen_id, kind, status, district_code, opened_at, updated_at)
         SELECT id, received_at + interval '1 second', citizen_id, 'REQUEST', 'OPEN', district_code, received_at, received_at
           FROM signal WHERE id = $1`,
        [id],
      ),
    ).rejects.toThrow(/foreign key/);
  });
});

describe('the migration', () => {
  it('converts a table that holds rows, with their ids, references and client events', async () => {
    const migration = new SignalPartitions1796040000000();
    const runner = t.db.createQueryRunner();
    // The runner's connection throughout: the embedded database has only one.
    const db = runner.manager;
    try {
      await runner.startTransaction();
      await migration.down(runner);
      await runner.commitTransaction();
      const [{ kind }] = await db.query("SELECT relkind AS kind FROM pg_class WHERE relname = 'signal'");
      expect(kind).toBe('r');
      // Rows as the earlier schema stored them, in two months, one referenced by a case and an Open311 request.
      const rows: { id: string }[] = await db.query(
        `INSERT INTO signal (citizen_id, kind, service_id, district_code, occurred_at, received_at, client_event_id)
         SELECT $1, 'REQUEST', $2, $3, at, at, 'm-' || i
           FROM generate_series(1, 6) i, LATERAL (SELECT timestamptz '2025-03-31T12:00:00Z' + i * interval '2 hours') a(at)
         RETURNING id::text`,
        [citizen, service, district],
      );
      await db.query(
        `INSERT INTO request_case (signal_id, citizen_id, kind, status, district_code, opened_at, updated_at)
         SELECT id, citizen_id, 'REQUEST', 'OPEN', district_code, received_at, received_at FROM signal WHERE id = $1`,
        [rows[0].id],
      );
      await db.query(
        `INSERT INTO open311_request (signal_id, client, requested_at, address_string) VALUES ($1, 'test', now(), 'somewhere')`,
        [rows[5].id],
      );
      const before = await db.query('SELECT count(*)::int AS n, max(id)::text AS max FROM signal');

      await runner.startTransaction();
      await migration.up(runner);
      await runner.commitTransaction();

      const [{ kind: after }] = await db.query("SELECT relkind AS kind FROM pg_class WHERE relname = 'signal'");
      expect(after).toBe('p');
      expect(await db.query('SELECT count(*)::int AS n, max(id)::text AS max FROM signal')).toEqual(before);
      expect(
        await partitionsOf(
          rows.map((r) => r.id),
          db,
        ),
      ).toEqual([
        'signal_2025_03',
        // 2025-03-31T16:00Z is the city's first instant of April.
        'signal_2025_04',
        'signal_2025_04',
        'signal_2025_04',
        'signal_2025_04',
        'signal_2025_04',
      ]);
      expect(await attachedMonths(db)).toContain(monthOf(new Date()));
      const [{ cases, requests }] = await db.query(
        `SELECT (SELECT count(*)::int FROM request_case c JOIN signal s ON s.id = c.signal_id AND s.received_at = c.signal_received_at
                  WHERE c.signal_id = $1) AS cases,
                (SELECT count(*)::int FROM open311_request o JOIN signal s ON s.id = o.signal_id AND s.received_at = o.signal_received_at
                  WHERE o.signal_id = $2) AS requests`,
        [rows[0].id, rows[5].id],
      );
      expect({ cases, requests }).toEqual({ cases: 1, requests: 1 });
      // The identity goes on after the moved ids; the moved client events are still stored once.
      const { ids } = await insertSignalRows(db, [view('m-1'), view('m-7')]);
      expect(ids).toHaveLength(1);
      expect(BigInt(ids[0])).toBeGreaterThan(BigInt(before[0].max));
      // Deleting a signal still deletes its case and request.
      await db.query('DELETE FROM signal WHERE id = ANY ($1::bigint[])', [[rows[0].id, rows[5].id]]);
      const [{ left }] = await db.query(
        'SELECT (SELECT count(*) FROM request_case WHERE signal_id = $1) + (SELECT count(*) FROM open311_request WHERE signal_id = $2) AS left',
        [rows[0].id, rows[5].id],
      );
      expect(Number(left)).toBe(0);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
