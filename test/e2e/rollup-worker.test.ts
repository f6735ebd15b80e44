import { randomUUID } from 'node:crypto';
import { Role } from '../../src/core/auth';
import { Granularity } from '../../src/modules/analytics/analytics.types';
import { addDays, cityDayOf, cityMidnight, periodStartOf } from '../../src/modules/analytics/periods';
import { rebuildDemandRollups } from '../../src/modules/analytics/rollups';
import { rebuildMatchingAggregates } from '../../src/modules/matching/aggregates';
import {
  applyPendingRollupsIn,
  drainRollups,
  rebuildDerivedTables,
  startRollupWorker,
} from '../../src/modules/signals/rollup-worker';
import { rebuildServiceActivity } from '../../src/modules/signals/service-activity.backfill';
import pino from 'pino';
import {
  DemandTrendsDocument,
  RecordSignalsDocument,
  type DemandTrendsQueryVariables,
  type SignalInput,
} from '../generated/graphql';
import { newCitizen, publishedServiceIds, type TestCitizen } from '../helpers/fixtures';
import { readDemandRollups } from '../helpers/rollups';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { IS_PENDING } from '../../src/modules/signals/signal-log';

// The worker never runs by itself here (ROLLUP_WORKER_MS=0): each test says when it does.
let t: TestApp;
let services: string[];
const D0 = periodStartOf(addDays(cityDayOf(new Date()), -35), Granularity.WEEK);
const at = (day: number, hour: number) =>
  new Date(cityMidnight(addDays(D0, day)).getTime() + hour * 3_600_000).toISOString();
const WINDOW = { from: cityMidnight(D0).toISOString(), to: cityMidnight(addDays(D0, 28)).toISOString() };

beforeAll(async () => {
  t = await startTestApp({ ROLLUP_WORKER_MS: '0' });
  services = await publishedServiceIds(t, 6);
});
afterAll(async () => {
  await t?.stop();
});

const pending = async () =>
  Number(
    (await t.db.query(`SELECT count(*)::int AS n FROM signal s, signal_rollup_watermark w WHERE ${IS_PENDING}`))[0].n,
  );

async function send(
  who: TestCitizen,
  signals: { day: number; hour: number; kind: SignalInput['kind']; service?: number }[],
): Promise<void> {
  const inputs = signals.map((s) => ({
    kind: s.kind,
    serviceId: s.service !== undefined ? services[s.service] : null,
    text: s.kind === 'SEARCH' ? '社保卡' : null,
    occurredAt: at(s.day, s.hour),
    clientEventId: randomUUID(),
  }));
  expect((await who.client.request(RecordSignalsDocument, { signals: inputs })).recordSignals.accepted).toBe(
    inputs.length,
  );
}

/** Shapes of every kind of rollups: the area rollups (every kind, by district or city-wide), the slices (one category, age band or kind, or split by one) and the daily ones. */
const SHAPES: DemandTrendsQueryVariables[] = [
  { filter: WINDOW },
  { filter: WINDOW, granularity: 'DAY', groupBy: ['DISTRICT'] },
  { filter: WINDOW, granularity: 'MONTH' },
  { filter: WINDOW, groupBy: ['KIND'] },
  { filter: WINDOW, groupBy: ['CATEGORY', 'DISTRICT'] },
  { filter: { ...WINDOW, kinds: ['VIEW'] }, granularity: 'DAY', groupBy: ['CATEGORY', 'DISTRICT', 'AGE_BAND'] },
  { filter: { ...WINDOW, districtCode: '520102' }, groupBy: ['AGE_BAND'] },
];

async function allTrends(): Promise<unknown[]> {
  const planner = t.client(await t.token(Role.PLANNER));
  const answers = [];
  for (const variables of SHAPES) answers.push((await planner.request(DemandTrendsDocument, variables)).demandTrends);
  return answers;
}

/** The derived tables as they are, and as a rebuild from the applied signals makes them (rolled back). */
async function derivedAndRebuilt(): Promise<{ kept: unknown; rebuilt: unknown }> {
  const read = async (db: { query(sql: string): Promise<unknown[]> }) => ({
    ...(await readDemandRollups(db)),
    activity: await db.query(
      'SELECT service_id, day::text, kind::text, count, citizens FROM service_activity_daily WHERE count <> 0 ORDER BY 1, 2, 3',
    ),
    activityMembers: await db.query('SELECT count(*)::int AS n FROM service_activity_citizen'),
    segmentUsers: await db.query(
      'SELECT district_code, age_band::text, service_id, citizens FROM segment_service_score WHERE citizens <> 0 ORDER BY 1, 2, 3',
    ),
    popularity: await db.query(
      'SELECT service_id, round(score::numeric, 6)::text AS score FROM service_popularity ORDER BY 1',
    ),
    personal: await db.query('SELECT citizen_id, service_id, signals FROM citizen_service_score ORDER BY 1, 2'),
  });
  const kept = await read(t.db);
  let rebuilt: unknown;
  const rollback = new Error('rolled back');
  await t.db
    .transaction(async (tx) => {
      await rebuildServiceActivity(tx);
      await rebuildMatchingAggregates(tx);
      await rebuildDemandRollups(tx);
      rebuilt = await read(tx);
      throw rollback;
    })
    .catch((error) => {
      if (error !== rollback) throw error;
    });
  return { kept, rebuilt };
}

describe('the rollup worker', () => {
  it('leaves the derived tables to the worker, and trends add the tail past the watermark exactly', async () => {
    const [a, b, c] = [
      await newCitizen(t, { districtCode: '520102', birthYear: 1980 }),
      await newCitizen(t, { districtCode: '520103', birthYear: 1950 }),
      await newCitizen(t, { districtCode: '520102', birthYear: null }),
    ];
    await send(a, [
      { day: 0, hour: 10, kind: 'VIEW', service: 0 },
      { day: 1, hour: 10, kind: 'USE', service: 1 },
      { day: 8, hour: 9, kind: 'SEARCH' },
    ]);
    await send(b, [{ day: 0, hour: 11, kind: 'VIEW', service: 0 }]);
    expect(await pending()).toBe(4);
    // Nothing applied: the rollups are empty, the answers already count every signal.
    const beforeAny = await allTrends();
    expect(await drainRollups(t.db)).toBe(4);
    expect(await pending()).toBe(0);
    expect(await allTrends()).toEqual(beforeAny);

    // A tail on top of applied rollups: A again in a week and on a day it is counted in (no
    // second citizen there), C new, B on a new day and in another category.
    await send(a, [
      { day: 0, hour: 12, kind: 'VIEW', service: 0 },
      { day: 2, hour: 10, kind: 'VIEW', service: 2 },
    ]);
    await send(b, [
      { day: 9, hour: 10, kind: 'USE', service: 3 },
      { day: 15, hour: 10, kind: 'COMPLAINT', service: 0 },
    ]);
    await send(c, [
      { day: 0, hour: 13, kind: 'VIEW', service: 0 },
      { day: 22, hour: 8, kind: 'USE', service: 4 },
    ]);
    const withTail = await allTrends();
    const [weekly] = withTail[0] as { total: number; points: { signals: number; citizens: number }[] }[];
    expect(weekly.total).toBe(10);
    expect(weekly.points.map((p) => [p.signals, p.citizens])).toEqual([
      [6, 3],
      [2, 2],
      [1, 1],
      [1, 1],
    ]);
    expect(await drainRollups(t.db)).toBe(6);
    expect(await allTrends()).toEqual(withTail);
    const { kept, rebuilt } = await derivedAndRebuilt();
    expect(kept).toEqual(rebuilt);
  });

  it('applies each signal once with writers racing the worker, and a run that dies leaves nothing behind', async () => {
    const writers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        newCitizen(t, { districtCode: i % 2 ? '520102' : '520111', birthYear: 1960 + i }),
      ),
    );
    let writing = true;
    const runs: number[] = [];
    const worker = (async () => {
      while (writing) runs.push(await drainRollups(t.db));
    })();
    await Promise.all(
      writers.map(async (who, i) => {
        for (let round = 0; round < 5; round += 1) {
          await send(
            who,
            Array.from({ length: 7 }, (_, k) => ({
              day: (i + round + k) % 20,
              hour: 8 + k,
              kind: k % 3 ? ('VIEW' as const) : ('USE' as const),
              service: (i + k) % 6,
            })),
          );
        }
      }),
    );
    writing = false;
    await worker;
    await drainRollups(t.db);
    expect(await pending()).toBe(0);
    const { kept, rebuilt } = await derivedAndRebuilt();
    expect(kept).toEqual(rebuilt);

    // A run that dies before it commits (a crash, a lost connection): nothing of it stays, and
    // the next worker — a new one, as after a restart — applies the same signals once.
    await send(writers[0], [
      { day: 3, hour: 10, kind: 'VIEW', service: 5 },
      { day: 3, hour: 11, kind: 'USE', service: 5 },
    ]);
    const before = await readDemandRollups(t.db);
    const runner = t.db.createQueryRunner();
    await runner.startTransaction();
    expect(await applyPendingRollupsIn(runner.manager, { wait: true })).toMatchObject({ applied: 2 });
    await runner.rollbackTransaction();
    await runner.release();
    expect(await readDemandRollups(t.db)).toEqual(before);
    expect(await pending()).toBe(2);
    const restarted = startRollupWorker(t.db, pino({ level: 'silent' }), 10);
    try {
      for (let i = 0; i < 200 && (await pending()) > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await restarted.stop();
    }
    expect(await pending()).toBe(0);
    const after = await derivedAndRebuilt();
    expect(after.kept).toEqual(after.rebuilt);
  });

  it('applies what committed while an older transaction still runs, and that one once it commits', async () => {
    if (t.databaseKind !== 'postgres') return; // one connection at a time on PGlite: no transaction can stay open beside another
    const [early, late] = [
      await newCitizen(t, { districtCode: '520102' }),
      await newCitizen(t, { districtCode: '520103' }),
    ];
    const open = t.db.createQueryRunner();
    await open.startTransaction();
    try {
      // The lower id, committed last.
      await open.query(
        `INSERT INTO signal (citizen_id, kind, service_id, category_id, district_code, occurred_at)
         SELECT $1, 'VIEW', s.id, s.category_id, '520102', $2 FROM service s WHERE s.id = $3`,
        [early.id, at(5, 10), services[0]],
      );
      const [{ xid: openXid }] = await open.query('SELECT pg_current_xact_id()::text AS xid');
      await send(late, [{ day: 5, hour: 11, kind: 'VIEW', service: 0 }]);
      const ids = await t.db.query(`SELECT id::text FROM signal WHERE citizen_id = ANY($1::uuid[]) ORDER BY id`, [
        [early.id, late.id],
      ]);
      expect(ids).toHaveLength(1);
      // The later signal is applied at once; the running transaction is remembered, not waited for.
      expect(await drainRollups(t.db)).toBeGreaterThanOrEqual(1);
      expect(await pending()).toBe(0);
      const [watermark] = await t.db.query(
        'SELECT applied_below::text AS "appliedBelow", pending_xids::text[] AS "pendingXids" FROM signal_rollup_watermark',
      );
      expect(watermark.pendingXids).toContain(openXid);
      expect(BigInt(watermark.appliedBelow)).toBeGreaterThan(BigInt(openXid));
      const planner = t.client(await t.token(Role.PLANNER));
      const day5 = { from: cityMidnight(addDays(D0, 5)).toISOString(), to: cityMidnight(addDays(D0, 6)).toISOString() };
      const before = (await planner.request(DemandTrendsDocument, { filter: day5 })).demandTrends[0].total;
      await open.commitTransaction();
      // Committed past the watermark's bound but listed as pending: answers count it before the worker does.
      expect(await pending()).toBe(1);
      expect((await planner.request(DemandTrendsDocument, { filter: day5 })).demandTrends[0].total).toBe(before + 1);
    } finally {
      if (open.isTransactionActive) await open.rollbackTransaction();
      await open.release();
    }
    expect(await drainRollups(t.db)).toBe(1);
    expect(await pending()).toBe(0);
    expect(await drainRollups(t.db)).toBe(0);
    const { kept, rebuilt } = await derivedAndRebuilt();
    expect(kept).toEqual(rebuilt);
  });

  it('rebuilds every derived table after a bulk load in the loading transaction, and the worker adds nothing twice', async () => {
    const loader = await newCitizen(t, { districtCode: '520111' });
    await send(loader, [{ day: 6, hour: 9, kind: 'VIEW', service: 1 }]);
    await t.db.transaction(async (tx) => {
      // As a seed does: rows written past recordSignals, then the rebuild, in one transaction.
      await tx.query(
        `INSERT INTO signal (citizen_id, kind, service_id, category_id, district_code, occurred_at)
         SELECT $1, 'USE', s.id, s.category_id, '520111', $2 FROM service s WHERE s.id = ANY($3::uuid[])`,
        [loader.id, at(6, 10), services],
      );
      await rebuildDerivedTables(tx);
    });
    expect(await pending()).toBe(0);
    expect(await drainRollups(t.db)).toBe(0);
    const { kept, rebuilt } = await derivedAndRebuilt();
    expect(kept).toEqual(rebuilt);
  });
});
