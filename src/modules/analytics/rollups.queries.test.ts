import type { EntityManager } from 'typeorm';
import {
  daySignal,
  districtCodes,
  insertCitizen,
  openTestDatabase,
  type TestDatabase,
} from '../../../test/helpers/test-database';
import { drainRollups } from '../signals/rollup-worker';
import { SignalKind } from '../signals/signal-kind';
import { insertSignalRows, type SignalRow } from '../signals/signals.queries';
import { rebuildDemandRollups } from './rollups';
import { REBUILD_SHARD } from './rollups.queries';

let t: TestDatabase;
let citizens: string[];
let districts: string[];
let categoryId: string;
beforeAll(async () => {
  t = await openTestDatabase();
  citizens = [await insertCitizen(t.db.manager), await insertCitizen(t.db.manager), await insertCitizen(t.db.manager)];
  districts = await districtCodes(t.db, 2);
  [{ id: categoryId }] = await t.db.query('SELECT id FROM category ORDER BY code LIMIT 1');
});
afterAll(async () => {
  await t?.close();
});

const signal = (citizen: number, day: string, overrides: Partial<SignalRow> = {}): SignalRow =>
  daySignal(citizens, districts)(citizen, day, overrides);

/** Commits the signals in a transaction of their own. */
const commit = (rows: SignalRow[]) => t.db.transaction((tx) => insertSignalRows(tx, rows));

/** The rollup tables' contents, as sorted lines (the area members without their previous bounds, spans that count). */
async function rollupContents(db: EntityManager = t.db.manager): Promise<Record<string, string[]>> {
  const lines = async (sql: string) =>
    ((await db.query(sql)) as Record<string, unknown>[]).map((row) => JSON.stringify(Object.values(row))).sort();
  return {
    daily: await lines(
      "SELECT to_char(day, 'YYYY-MM-DD'), category_id, district_code, age_band, kind, signals, citizens FROM demand_daily",
    ),
    members: await lines(
      "SELECT to_char(day, 'YYYY-MM-DD'), category_id, district_code, age_band, kind, citizen_id FROM demand_daily_citizen",
    ),
    areaDaily: await lines("SELECT to_char(day, 'YYYY-MM-DD'), area, signals, citizens FROM demand_area_daily"),
    areaMembers: await lines(
      `SELECT granularity, to_char(period_start, 'YYYY-MM-DD'), area, citizen_id, to_char(first_day, 'YYYY-MM-DD'),
              to_char(last_day, 'YYYY-MM-DD'), days FROM demand_area_citizen`,
    ),
    areaSpans: await lines(
      `SELECT granularity, to_char(period_start, 'YYYY-MM-DD'), area, to_char(day, 'YYYY-MM-DD'), firsts, lasts
         FROM demand_area_span WHERE firsts <> 0 OR lasts <> 0`,
    ),
    sliceDaily: await lines(
      "SELECT slice, to_char(day, 'YYYY-MM-DD'), area, signals, citizens FROM demand_slice_daily",
    ),
    sliceSpans: await lines(
      `SELECT granularity, slice, to_char(period_start, 'YYYY-MM-DD'), area, to_char(day, 'YYYY-MM-DD'), firsts, lasts
         FROM demand_slice_span WHERE firsts <> 0 OR lasts <> 0`,
    ),
  };
}

const count = async (table: string) => (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

describe('demand rollup queries on the database', () => {
  it('a rebuild recounts what the worker applied, row for row, and reports the counts it wrote', async () => {
    // Citizens on several days of two weeks and two months, under keys that merge and keys that do not.
    await commit([
      signal(0, '2026-10-30'),
      signal(0, '2026-10-30', { kind: SignalKind.REQUEST, categoryId }),
      signal(1, '2026-10-30'),
      signal(0, '2026-11-02'),
    ]);
    // Two runs of the worker: the second adds to what the first applied.
    await drainRollups(t.db);
    await commit([
      signal(0, '2026-11-03', { ageBand: null }),
      signal(1, '2026-11-03', { categoryId }),
      signal(2, '2026-11-03'),
      signal(2, '2026-11-09', { kind: SignalKind.VIEW }),
      // A citizen already counted on a day, under another key: in the slices they share, not new.
      signal(1, '2026-10-30', { kind: SignalKind.VIEW }),
    ]);
    await drainRollups(t.db);
    const byWorker = await rollupContents();
    expect(byWorker.daily.length).toBeGreaterThan(0);
    // Slices of the category (its own and its top-level one's), the age bands and the kinds.
    expect(new Set(byWorker.sliceDaily.map((line) => (JSON.parse(line) as string[])[0].slice(0, 2)))).toEqual(
      new Set(['c:', 'p:', 'a:', 'k:']),
    );

    const rebuilt = await rebuildDemandRollups(t.db.manager);
    expect(rebuilt).toEqual({
      rollupRows: await count('demand_daily'),
      memberRows: await count('demand_daily_citizen'),
      areaMemberRows: await count('demand_area_citizen'),
    });
    expect(await rollupContents()).toEqual(byWorker);
    const [{ signals }] = await t.db.query('SELECT sum(signals)::int AS signals FROM demand_daily');
    expect(signals).toBe(await count('signal'));
    // Every rollup day counts the rebuild twice (before and after) on the rebuild shard.
    const marks = await t.db.query(
      `SELECT DISTINCT changes::int AS changes FROM demand_day_change c JOIN demand_daily d USING (day) WHERE c.shard = $1`,
      [REBUILD_SHARD],
    );
    expect(marks).toEqual([{ changes: 2 }]);
  });

  it('leaves the signals past the watermark to the worker, which then adds them once', async () => {
    const before = await rollupContents();
    await commit([signal(1, '2026-11-02'), signal(2, '2026-11-10', { kind: SignalKind.REQUEST })]);
    await rebuildDemandRollups(t.db.manager);
    expect(await rollupContents()).toEqual(before);

    expect(await drainRollups(t.db)).toBe(2);
    const afterWorker = await rollupContents();
    expect(afterWorker).not.toEqual(before);
    const [{ signals }] = await t.db.query('SELECT sum(signals)::int AS signals FROM demand_daily');
    expect(signals).toBe(await count('signal'));
    await rebuildDemandRollups(t.db.manager);
    expect(await rollupContents()).toEqual(afterWorker);
    expect(await drainRollups(t.db)).toBe(0);
  });
});
