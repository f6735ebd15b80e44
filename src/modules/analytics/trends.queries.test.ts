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
import { readWatermark, type RollupWatermark } from '../signals/signal-log';
import { insertSignalRows, type SignalRow } from '../signals/signals.queries';
import { DemandDimension, Granularity } from './analytics.types';
import { areaCells } from './area-trends';
import { type AreaRead, readAreaTailCells } from './area-trends.queries';
import { cityMidnight, demandWindow, type DemandWindow } from './periods';
import { CITY_AREA } from './rollups.queries';
import {
  type Cell,
  readPeriodCells,
  readPeriodCitizens,
  readTailCells,
  type Selection,
  type TrendShape,
} from './trends.queries';

let t: TestDatabase;
let citizens: string[];
let districts: string[];
beforeAll(async () => {
  t = await openTestDatabase();
  citizens = [];
  for (let i = 0; i < 4; i += 1) citizens.push(await insertCitizen(t.db.manager));
  districts = await districtCodes(t.db, 2);
  // Applied by the worker: two weeks before 2026-11-09 (Mondays 2026-10-26 and 2026-11-02) and one after.
  await commit([
    signal(0, '2026-10-27'),
    signal(0, '2026-10-30'),
    signal(1, '2026-10-30'),
    signal(0, '2026-11-03'),
    signal(1, '2026-11-04', { kind: SignalKind.REQUEST }),
    signal(2, '2026-11-10', { kind: SignalKind.VIEW }),
  ]);
  await drainRollups(t.db);
  // The tail past the watermark: citizens the rollups already count in the period, and new ones.
  await commit([
    signal(0, '2026-10-28'),
    signal(3, '2026-10-29'),
    signal(2, '2026-11-11', { kind: SignalKind.VIEW }),
    signal(1, '2026-11-12', { kind: SignalKind.REQUEST }),
    signal(3, '2026-11-03', { kind: SignalKind.REQUEST }),
  ]);
});
afterAll(async () => {
  await t?.close();
});

const signal = (citizen: number, day: string, overrides: Partial<SignalRow> = {}): SignalRow =>
  daySignal(citizens, districts)(citizen, day, overrides);

const commit = (rows: SignalRow[]) => t.db.transaction((tx) => insertSignalRows(tx, rows));

const ALL: Selection = { categoryIds: null, categorySlice: null, districtCode: null, kinds: null, ageBand: null };
const windowOf = (firstDay: string, endDay: string) => demandWindow(cityMidnight(firstDay), cityMidnight(endDay));

type Point = { signals: number; citizens: number; firstHalf: number; secondHalf: number };

/** Cells summed per period and keys, as "period keys…" → figures. */
function summed(...lists: Cell[][]): Record<string, Point> {
  const result: Record<string, Point> = {};
  for (const cell of lists.flat()) {
    const key = [cell.period, ...cell.keys].join(' ');
    const point = (result[key] ??= { signals: 0, citizens: 0, firstHalf: 0, secondHalf: 0 });
    point.signals += cell.signals;
    point.citizens += cell.citizens;
    point.firstHalf += cell.firstHalf;
    point.secondHalf += cell.secondHalf;
  }
  return result;
}

/** The same figures counted on the signal table itself (every signal, applied or not), per week and `key`. */
async function fromSignals(
  db: EntityManager,
  window: DemandWindow,
  key: string | null,
): Promise<Record<string, Point>> {
  const day = "(occurred_at AT TIME ZONE 'Asia/Shanghai')::date";
  const rows: (Point & { k: string })[] = await db.query(
    `SELECT concat_ws(' ', to_char(date_trunc('week', ${day}::timestamp), 'YYYY-MM-DD'), ${key ?? 'NULL'}) AS k,
            count(*)::int AS signals, count(DISTINCT citizen_id)::int AS citizens,
            count(*) FILTER (WHERE ${day} <= $3::date)::int AS "firstHalf",
            count(*) FILTER (WHERE ${day} >= $4::date)::int AS "secondHalf"
       FROM signal WHERE ${day} BETWEEN $1::date AND $2::date GROUP BY 1`,
    [window.firstDay, window.lastDay, window.halves!.firstEnd, window.halves!.secondStart],
  );
  return Object.fromEntries(rows.map(({ k, ...point }) => [k, point]));
}

/** Runs `read` in one REPEATABLE READ snapshot with the watermark, as demandTrends does. */
const inSnapshot = <T>(read: (db: EntityManager, watermark: RollupWatermark) => Promise<T>) =>
  t.db.transaction('REPEATABLE READ', async (db) => read(db, await readWatermark(db)));

describe('trend reads on the database', () => {
  for (const [name, window] of [
    ['whole weeks', windowOf('2026-10-26', '2026-11-16')],
    ['a window starting mid-week', windowOf('2026-10-28', '2026-11-16')],
  ] as const) {
    it(`the daily rollups plus the tail give every signal and distinct citizen once (${name})`, async () => {
      await inSnapshot(async (db, watermark) => {
        for (const [dims, key] of [
          [[], null],
          [[DemandDimension.KIND], 'kind::text'],
        ] as const) {
          const shape: TrendShape = { dims, granularity: Granularity.WEEK, selection: ALL, window };
          const ranges: [string, string][] = [[window.firstDay, window.lastDay]];
          const cells = await readPeriodCells(db, shape, ranges, false);
          expect(cells.every((cell) => cell.citizens === 0)).toBe(true);
          const byKey = new Map(cells.map((cell) => [[cell.period, ...cell.keys].join(' '), cell]));
          for (const row of await readPeriodCitizens(db, shape, ranges))
            byKey.get([row.period, ...row.keys].join(' '))!.citizens = row.citizens;
          const tail = await readTailCells(db, shape, watermark, true);
          expect(tail.reduce((sum, cell) => sum + cell.signals, 0)).toBeGreaterThan(0);
          expect(summed(cells, tail)).toEqual(await fromSignals(db, window, key));
        }
      });
    });

    it(`the area rollups plus the tail give the same figures, city-wide and by district (${name})`, async () => {
      await inSnapshot(async (db, watermark) => {
        for (const [read, key] of [
          [{ area: CITY_AREA, slices: null, keys: [] }, null],
          [{ area: null, slices: null, keys: ['area'] }, 'district_code'],
        ] satisfies [AreaRead, string | null][]) {
          const cells = await areaCells(db, window, Granularity.WEEK, read);
          const tail = await readAreaTailCells(db, window, Granularity.WEEK, read, watermark);
          expect(summed(cells, tail)).toEqual(await fromSignals(db, window, key));
        }
      });
    });
    it(`the slice rollups plus the daily tail give the same figures, split by kind, age band and district (${name})`, async () => {
      await inSnapshot(async (db, watermark) => {
        for (const [dims, read, key] of [
          [[DemandDimension.KIND], { area: CITY_AREA, slices: { prefix: 'k:' }, keys: ['slice'] }, 'kind::text'],
          [
            [DemandDimension.DISTRICT, DemandDimension.KIND],
            { area: null, slices: { prefix: 'k:' }, keys: ['area', 'slice'] },
            `concat_ws(' ', district_code, kind::text)`,
          ],
          [
            [DemandDimension.AGE_BAND],
            { area: CITY_AREA, slices: { prefix: 'a:' }, keys: ['slice'] },
            `coalesce(age_band::text, 'UNKNOWN')`,
          ],
        ] satisfies [DemandDimension[], AreaRead, string][]) {
          const shape: TrendShape = { dims, granularity: Granularity.WEEK, selection: ALL, window };
          const cells = await areaCells(db, window, Granularity.WEEK, read);
          const tail = await readTailCells(db, shape, watermark, true);
          expect(tail.reduce((sum, cell) => sum + cell.signals, 0)).toBeGreaterThan(0);
          expect(summed(cells, tail)).toEqual(await fromSignals(db, window, key));
        }
      });
    });
  }
});
