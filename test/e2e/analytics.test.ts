import type { GraphQLClient } from 'graphql-request';
import { Role } from '../../src/core/auth';
import { Granularity } from '../../src/modules/analytics/analytics.types';
import {
  addDays,
  cityDayOf,
  cityMidnight,
  demandWindow,
  nextPeriodStart,
  periodStartOf,
  periodsOf,
  relativeChange,
} from '../../src/modules/analytics/periods';
import { seededNeedsModel } from '../../src/modules/needs/needs-data';
import { rebuildDemandRollups } from '../../src/modules/analytics/rollups';
import { UNMET_THRESHOLD } from '../../src/modules/matching/request-matching.service';
import {
  DemandTrendsDocument,
  RecordSignalsDocument,
  SubmitRequestDocument,
  UnmetDemandDocument,
  UpdateMyProfileDocument,
  type DemandDimension,
  type DemandFilter,
  type DemandTrendsQuery,
  type DemandTrendsQueryVariables,
  type SignalInput,
} from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { newCitizen, type TestCitizen } from '../helpers/fixtures';
import { readDemandRollups } from '../helpers/rollups';
import { seededRandom } from '../helpers/seeded-random';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let planner: GraphQLClient;

// Week 1 starts on a Monday about nine weeks ago (signals may be up to 90 days old).
const D0 = periodStartOf(addDays(cityDayOf(new Date()), -63), Granularity.WEEK);
/** An instant at a city (Asia/Shanghai) wall-clock time, `day` days after D0. */
const at = (day: number, time: string) =>
  new Date(cityMidnight(addDays(D0, day)).getTime() + Date.parse(`1970-01-01T${time}Z`)).toISOString();
const midnight = (day: number) => cityMidnight(addDays(D0, day)).toISOString();

type Who = 'A' | 'B' | 'C' | 'D';
interface Plant {
  who: Who;
  day: number;
  time: string;
  kind: SignalInput['kind'];
  service?: 'S1' | 'S2';
  categoryCode?: string;
  text?: string;
}
// A: 南明区, adult. B: 云岩区, senior. C: 花溪区, no birth year. D: 南明区, youth.
// S1 is a housing-fund service (gov), S2 a health service (life).
const PLANTED: Plant[] = [
  { who: 'A', day: 0, time: '10:00:00', kind: 'VIEW', service: 'S1' },
  { who: 'A', day: 0, time: '11:00:00', kind: 'USE', service: 'S1' },
  { who: 'A', day: 1, time: '09:00:00', kind: 'VIEW', service: 'S1' },
  { who: 'B', day: 0, time: '12:00:00', kind: 'VIEW', service: 'S1' },
  { who: 'B', day: 2, time: '10:00:00', kind: 'SEARCH', text: '宠物美容哪家好' },
  // The last second of day 0 and the first of day 1 in the city: 15:59:59Z and 16:00:00Z.
  { who: 'C', day: 0, time: '23:59:59', kind: 'USE', service: 'S2' },
  { who: 'C', day: 1, time: '00:00:00', kind: 'USE', service: 'S2' },
  // Week 2 is empty.
  { who: 'A', day: 14, time: '10:00:00', kind: 'VIEW', service: 'S2' },
  { who: 'D', day: 15, time: '10:00:00', kind: 'VIEW', service: 'S1' },
  { who: 'D', day: 15, time: '11:00:00', kind: 'COMPLAINT', service: 'S1' },
  { who: 'B', day: 16, time: '10:00:00', kind: 'USE', service: 'S1' },
  { who: 'B', day: 16, time: '11:00:00', kind: 'SEARCH', text: '个税申报', categoryCode: 'gov.tax' },
];
const WINDOW: DemandFilter = { from: midnight(0), to: midnight(21) };

let citizens: Record<Who, TestCitizen>;
let services: Record<'S1' | 'S2', string>;

async function trends(variables: DemandTrendsQueryVariables): Promise<DemandTrendsQuery['demandTrends']> {
  return (await planner.request(DemandTrendsDocument, variables)).demandTrends;
}
const series = (trend: DemandTrendsQuery['demandTrends'][number]) => trend.points.map((p) => [p.signals, p.citizens]);

beforeAll(async () => {
  t = await startTestApp();
  planner = t.client(await t.token(Role.PLANNER));
  const first = async (category: string) =>
    (
      await t.db.query(
        `SELECT s.id FROM service s JOIN category c ON c.id = s.category_id WHERE c.code = $1 AND s.status = 'PUBLISHED' ORDER BY s.code LIMIT 1`,
        [category],
      )
    )[0].id as string;
  services = { S1: await first('gov.housing-fund'), S2: await first('life.health') };
  citizens = {
    A: await newCitizen(t, { districtCode: '520102', birthYear: 1985 }),
    B: await newCitizen(t, { districtCode: '520103', birthYear: 1950 }),
    C: await newCitizen(t, { districtCode: '520111', birthYear: null }),
    D: await newCitizen(t, { districtCode: '520102', birthYear: 2000 }),
  };
  for (const who of Object.keys(citizens) as Who[]) {
    const signals = PLANTED.filter((p) => p.who === who).map((p, i): SignalInput => ({
      kind: p.kind,
      serviceId: p.service ? services[p.service] : null,
      categoryCode: p.categoryCode ?? null,
      text: p.text ?? null,
      occurredAt: at(p.day, p.time),
      clientEventId: `plant-${i}`,
    }));
    expect((await citizens[who].client.request(RecordSignalsDocument, { signals })).recordSignals.accepted).toBe(
      signals.length,
    );
  }
  // The planted signals in the rollups (the worker's run would follow within a second).
  await t.applyRollups();
});
afterAll(async () => {
  await t?.stop();
});

describe('demandTrends', () => {
  it('counts signals and distinct citizens per week, empty weeks as zeros, with the change between halves', async () => {
    const [trend] = await trends({ filter: WINDOW });
    expect(trend).toMatchObject({ category: null, district: null, ageBand: null, kind: null, total: 12 });
    expect(trend.points.map((p) => p.periodStart)).toEqual([midnight(0), midnight(7), midnight(14)]);
    // Week 1: 7 signals of A, B, C; a sum of daily distinct counts would say 3 + 2 + 1 = 6 citizens.
    expect(series(trend)).toEqual([
      [7, 3],
      [0, 0],
      [5, 3],
    ]);
    // Days 0–9 against days 11–20 of the 21-day window.
    expect(trend.change).toBeCloseTo((5 - 7) / 7, 10);
  });

  it('reads the citizen memberships only when the points ask for citizens', async () => {
    // By kind and age band: a shape of the daily rollups (the area and slice rollups count citizens on every read).
    const countsOnly = `query C($filter: DemandFilter!) { demandTrends(filter: $filter, groupBy: [KIND, AGE_BAND]) { total points { signals } } }`;
    const withCitizens = `query W($filter: DemandFilter!) { demandTrends(filter: $filter, groupBy: [KIND, AGE_BAND]) { total points { signals citizens } } }`;
    // The tail past the rollup watermark is read on every call; its memberships only with citizens.
    const membershipReads = () =>
      t.statements.statements.filter((sql) => sql.includes('demand_daily_citizen') && !sql.includes('writer_xid'))
        .length;
    t.statements.reset();
    const counts = (
      await planner.request<{ demandTrends: { total: number; points: { signals: number }[] }[] }>(countsOnly, {
        filter: WINDOW,
      })
    ).demandTrends;
    expect(membershipReads()).toBe(0);
    t.statements.reset();
    const full = (
      await planner.request<{ demandTrends: { total: number; points: { signals: number; citizens: number }[] }[] }>(
        withCitizens,
        { filter: WINDOW },
      )
    ).demandTrends;
    expect(membershipReads()).toBe(1);
    expect(counts.map((trend) => trend.points.map((p) => p.signals))).toEqual(
      full.map((trend) => trend.points.map((p) => p.signals)),
    );
    expect(full.some((trend) => trend.points.some((p) => p.citizens > 0))).toBe(true);
  });

  it('estimates the citizens of a shape the slices cannot answer when asked to, from exact counts, and says so', async () => {
    type Trend = DemandTrendsQuery['demandTrends'][number];
    const trends = async (groupBy: DemandDimension[], allowEstimates?: boolean) =>
      (
        await planner.request<DemandTrendsQuery, DemandTrendsQueryVariables>(DemandTrendsDocument, {
          filter: WINDOW,
          granularity: 'WEEK',
          groupBy,
          allowEstimates,
        })
      ).demandTrends;
    const keyOf = (trend: Trend) => `${trend.kind} ${trend.ageBand}`;
    const exact = await trends(['KIND', 'AGE_BAND']);
    const membershipReads = () =>
      t.statements.statements.filter((sql) => sql.includes('demand_daily_citizen') && !sql.includes('writer_xid'))
        .length;
    t.statements.reset();
    const estimated = await trends(['KIND', 'AGE_BAND'], true);
    expect(membershipReads()).toBe(0);
    expect(exact.every((trend) => trend.exact)).toBe(true);
    expect(estimated.every((trend) => !trend.exact)).toBe(true);
    // Signals exact, citizens within what the exact counts of each dimension alone allow.
    const byKind = new Map((await trends(['KIND'])).map((trend) => [trend.kind, trend]));
    const byAgeBand = new Map((await trends(['AGE_BAND'])).map((trend) => [trend.ageBand, trend]));
    expect(estimated.map(keyOf).sort()).toEqual(exact.map(keyOf).sort());
    for (const trend of estimated) {
      const truth = exact.find((other) => keyOf(other) === keyOf(trend))!;
      expect(trend.points.map((p) => p.signals)).toEqual(truth.points.map((p) => p.signals));
      trend.points.forEach((point, i) => {
        expect(point.citizens).toBeLessThanOrEqual(point.signals);
        expect(point.citizens).toBeLessThanOrEqual(byKind.get(trend.kind)!.points[i].citizens);
        expect(point.citizens).toBeLessThanOrEqual(byAgeBand.get(trend.ageBand)!.points[i].citizens);
        expect(point.citizens > 0).toBe(point.signals > 0);
      });
    }
    // A shape the slices answer stays exact, asked or not.
    const sliced = await trends(['AGE_BAND'], true);
    expect(sliced.every((trend) => trend.exact)).toBe(true);
    expect(sliced.map((trend) => trend.points)).toEqual([...byAgeBand.values()].map((trend) => trend.points));
  });

  it('reads the rollups again only for the periods that changed since they were last read', async () => {
    // Days 28–41, apart from the other tests' window: weeks 5 and 6.
    const window: DemandFilter = { from: midnight(28), to: midnight(42) };
    // By district, kind and age band (the signals are views, the citizens adults): a shape the
    // area and slice rollups do not answer.
    const query = `query W($filter: DemandFilter!) { demandTrends(filter: $filter, groupBy: [DISTRICT, KIND, AGE_BAND]) { district { code } points { signals citizens } } }`;
    type Trend = { district: { code: string }; points: { signals: number; citizens: number }[] };
    const byDistrict = async () =>
      Object.fromEntries(
        (await planner.request<{ demandTrends: Trend[] }>(query, { filter: window })).demandTrends.map((tr) => [
          tr.district.code,
          tr.points.map((p) => [p.signals, p.citizens]),
        ]),
      );
    // The rollups' reads (the worker has applied every signal: the tail, read on every call, is empty).
    const reads = (table: string) =>
      t.statements.statements.filter(
        (sql) => sql.startsWith('SELECT') && new RegExp(`FROM ${table}\\b`).test(sql) && !sql.includes('writer_xid'),
      );
    const [e, f] = [
      await newCitizen(t, { districtCode: '520102', birthYear: 1990 }),
      await newCitizen(t, { districtCode: '520102', birthYear: 1991 }),
    ];
    const view = (day: number, id: string) => ({
      kind: 'VIEW' as const,
      serviceId: services.S1,
      occurredAt: at(day, '10:00:00'),
      clientEventId: id,
    });
    await e.client.request(RecordSignalsDocument, { signals: [view(29, 'e1'), view(30, 'e2'), view(36, 'e3')] });
    await t.applyRollups();
    t.statements.reset();
    expect(await byDistrict()).toEqual({
      '520102': [
        [2, 1],
        [1, 1],
      ],
    });
    expect([reads('demand_daily').length, reads('demand_daily_citizen').length]).toEqual([1, 1]);

    t.statements.reset();
    expect(await byDistrict()).toEqual({
      '520102': [
        [2, 1],
        [1, 1],
      ],
    });
    expect([reads('demand_daily').length, reads('demand_daily_citizen').length]).toEqual([0, 0]);

    // A late signal of a second citizen in week 5 only: week 6 is not read again.
    await f.client.request(RecordSignalsDocument, { signals: [view(31, 'f1')] });
    await t.applyRollups();
    t.statements.reset();
    expect(await byDistrict()).toEqual({
      '520102': [
        [3, 2],
        [1, 1],
      ],
    });
    // The days read: week 5's (days 28–34), as a range; not week 6's.
    for (const table of ['demand_daily', 'demand_daily_citizen']) {
      const i = t.statements.statements.findIndex((sql) => reads(table).includes(sql));
      // The window's days, then one range of stale days.
      expect(t.statements.statements[i].match(/day BETWEEN/g)).toHaveLength(2);
      expect(t.statements.parameters[i].slice(0, 4)).toEqual([
        addDays(D0, 28),
        addDays(D0, 41),
        addDays(D0, 28),
        addDays(D0, 34),
      ]);
    }

    // Week 5 has changed after it was computed: it is live now, and its next changes are read
    // by the day. E again (already counted in week 5) and a new citizen G, days 32 and 33:
    // only those two days are read, and G is the only citizen added.
    const g = await newCitizen(t, { districtCode: '520102', birthYear: 1988 });
    await e.client.request(RecordSignalsDocument, { signals: [view(32, 'e5')] });
    await t.applyRollups();
    await g.client.request(RecordSignalsDocument, { signals: [view(33, 'g1')] });
    await t.applyRollups();
    t.statements.reset();
    expect(await byDistrict()).toEqual({
      '520102': [
        [5, 3],
        [1, 1],
      ],
    });
    const rollupRead = t.statements.statements.findIndex((sql) => reads('demand_daily').includes(sql));
    expect(t.statements.parameters[rollupRead].slice(0, 4)).toEqual([
      addDays(D0, 28),
      addDays(D0, 41),
      addDays(D0, 32),
      addDays(D0, 33),
    ]);
    // Members only of the rollup rows whose count of citizens moved: one per new member here.
    const memberRead = t.statements.statements.findIndex((sql) => reads('demand_daily_citizen').includes(sql));
    expect(t.statements.parameters[memberRead][2]).toEqual([addDays(D0, 32), addDays(D0, 33)]);
    expect([reads('demand_daily').length, reads('demand_daily_citizen').length]).toEqual([1, 1]);
    // E on day 32 again: the day's rollup row does not gain a member, so no member is read.
    await e.client.request(RecordSignalsDocument, { signals: [view(32, 'e6')] });
    await t.applyRollups();
    t.statements.reset();
    expect(await byDistrict()).toEqual({
      '520102': [
        [6, 3],
        [1, 1],
      ],
    });
    expect([reads('demand_daily').length, reads('demand_daily_citizen').length]).toEqual([1, 0]);

    // Week 6 changes too; and a rebuild of the rollups makes every period stale.
    await e.client.request(RecordSignalsDocument, { signals: [view(37, 'e4')] });
    await t.applyRollups();
    expect(await byDistrict()).toEqual({
      '520102': [
        [6, 3],
        [2, 1],
      ],
    });
    await rebuildDemandRollups(t.db.manager);
    t.statements.reset();
    expect(await byDistrict()).toEqual({
      '520102': [
        [6, 3],
        [2, 1],
      ],
    });
    expect([reads('demand_daily').length, reads('demand_daily_citizen').length]).toEqual([1, 1]);
  });

  it('puts a city day boundary between 15:59:59Z and 16:00:00Z, by day', async () => {
    const [trend] = await trends({ filter: WINDOW, granularity: 'DAY' });
    expect(trend.points).toHaveLength(21);
    expect(trend.points[0].periodStart).toBe(midnight(0));
    const byDay = series(trend);
    expect(byDay.slice(0, 3)).toEqual([
      [4, 3],
      [2, 2],
      [1, 1],
    ]);
    expect(byDay.slice(14, 17)).toEqual([
      [1, 1],
      [2, 1],
      [2, 1],
    ]);
    expect(byDay.filter(([signals]) => signals > 0)).toHaveLength(6);
    const kinds = await trends({ filter: { ...WINDOW, kinds: ['USE'] }, granularity: 'DAY', groupBy: ['DISTRICT'] });
    const huaxi = kinds.find((k) => k.district?.code === '520111')!;
    expect(series(huaxi).slice(0, 2)).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('counts distinct citizens by month from the memberships, not by summing days', async () => {
    const [trend] = await trends({ filter: WINDOW, granularity: 'MONTH' });
    const months = [...new Set(PLANTED.map((p) => cityDayOf(new Date(at(p.day, p.time))).slice(0, 7)))];
    const expected = new Map<string, [number, Set<Who>]>();
    for (const p of PLANTED) {
      const month = `${cityDayOf(new Date(at(p.day, p.time))).slice(0, 7)}-01`;
      const entry = expected.get(month) ?? [0, new Set<Who>()];
      entry[0] += 1;
      entry[1].add(p.who);
      expected.set(month, entry);
    }
    const firstMonth = `${D0.slice(0, 7)}-01`;
    expect(trend.points[0].periodStart).toBe(cityMidnight(firstMonth).toISOString());
    expect(trend.points.length).toBeGreaterThanOrEqual(months.length);
    for (const point of trend.points) {
      const entry = expected.get(cityDayOf(new Date(point.periodStart)));
      expect([point.signals, point.citizens]).toEqual(entry ? [entry[0], entry[1].size] : [0, 0]);
    }
    expect(trend.total).toBe(12);
  });

  it('splits by kind, district and age band, with the dimensions filled in', async () => {
    const byKind = await trends({ filter: WINDOW, groupBy: ['KIND'] });
    expect(byKind.map((k) => [k.kind, k.total, series(k)])).toEqual([
      [
        'VIEW',
        5,
        [
          [3, 2],
          [0, 0],
          [2, 2],
        ],
      ],
      [
        'USE',
        4,
        [
          [3, 2],
          [0, 0],
          [1, 1],
        ],
      ],
      [
        'SEARCH',
        2,
        [
          [1, 1],
          [0, 0],
          [1, 1],
        ],
      ],
      [
        'COMPLAINT',
        1,
        [
          [0, 0],
          [0, 0],
          [1, 1],
        ],
      ],
    ]);
    for (const k of byKind) expect(k).toMatchObject({ category: null, district: null, ageBand: null });

    const byDistrict = await trends({ filter: WINDOW, groupBy: ['DISTRICT'] });
    expect(byDistrict.map((d) => [d.district?.code, d.total, series(d)])).toEqual([
      [
        '520102',
        6,
        [
          [3, 1],
          [0, 0],
          [3, 2],
        ],
      ],
      [
        '520103',
        4,
        [
          [2, 1],
          [0, 0],
          [2, 1],
        ],
      ],
      [
        '520111',
        2,
        [
          [2, 1],
          [0, 0],
          [0, 0],
        ],
      ],
    ]);

    const byAge = await trends({ filter: WINDOW, groupBy: ['AGE_BAND'] });
    expect(byAge.map((a) => [a.ageBand, a.total])).toEqual([
      ['ADULT', 4],
      ['SENIOR', 4],
      [null, 2], // no birth year: the UNKNOWN band
      ['YOUTH', 2],
    ]);
    expect(byAge.find((a) => a.ageBand === 'YOUTH')!.change).toBeNull();
    expect(byAge.find((a) => a.ageBand === 'ADULT')!.change).toBeCloseTo((1 - 3) / 3, 10);
  });

  it('splits by category, a parent category including its children', async () => {
    const byCategory = await trends({ filter: WINDOW, groupBy: ['CATEGORY'] });
    expect(byCategory.map((c) => c.total)).toEqual([7, 3, 1, 1]);
    expect(Object.fromEntries(byCategory.map((c) => [c.category?.code ?? 'uncategorised', c.total]))).toEqual({
      'gov.housing-fund': 7,
      'life.health': 3,
      uncategorised: 1,
      'gov.tax': 1,
    });
    const [gov] = await trends({ filter: { ...WINDOW, categoryCode: 'gov' } });
    expect(gov.total).toBe(8);
    expect(series(gov)).toEqual([
      [4, 2],
      [0, 0],
      [4, 2],
    ]);
    const [leaf] = await trends({ filter: { ...WINDOW, categoryCode: 'gov.housing-fund' } });
    expect(leaf.total).toBe(7);
    const [life] = await trends({ filter: { ...WINDOW, categoryCode: 'life' }, groupBy: ['CATEGORY'] });
    expect(life).toMatchObject({ category: { code: 'life.health' }, total: 3 });
  });

  it('combines dimensions and filters', async () => {
    const combined = await trends({ filter: WINDOW, groupBy: ['DISTRICT', 'KIND'] });
    const nanmingViews = combined.find((c) => c.district?.code === '520102' && c.kind === 'VIEW')!;
    expect(series(nanmingViews)).toEqual([
      [2, 1],
      [0, 0],
      [2, 2],
    ]);
    expect(combined.reduce((sum, c) => sum + c.total, 0)).toBe(12);

    const [filtered] = await trends({
      filter: { ...WINDOW, districtCode: '520102', kinds: ['VIEW', 'USE'], ageBand: 'ADULT' },
    });
    expect(series(filtered)).toEqual([
      [3, 1],
      [0, 0],
      [1, 1],
    ]);
    const [seniors] = await trends({ filter: { ...WINDOW, ageBand: 'SENIOR' } });
    expect(seniors.total).toBe(4);

    // Each point one rollup row (by day, every dimension grouped): the rollup's own counts.
    const cells = await trends({
      filter: WINDOW,
      granularity: 'DAY',
      groupBy: ['CATEGORY', 'DISTRICT', 'AGE_BAND', 'KIND'],
    });
    expect(cells.reduce((sum, c) => sum + c.total, 0)).toBe(12);
    const aViews = cells.find(
      (c) =>
        c.category?.code === 'gov.housing-fund' &&
        c.district?.code === '520102' &&
        c.ageBand === 'ADULT' &&
        c.kind === 'VIEW',
    )!;
    expect(series(aViews).slice(0, 2)).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('answers a window without signals with one trend of zeros, and nothing when grouped', async () => {
    const quiet = { from: midnight(7), to: midnight(14) };
    const [trend] = await trends({ filter: quiet, granularity: 'DAY' });
    expect(trend).toMatchObject({ total: 0, change: null });
    expect(series(trend)).toEqual(Array.from({ length: 7 }, () => [0, 0]));
    expect(await trends({ filter: quiet, groupBy: ['KIND'] })).toEqual([]);
  });

  it('keeps the rollups exact when batches race on the same keys', async () => {
    const racers = await Promise.all([1, 2, 3].map(() => newCitizen(t, { districtCode: '520123', birthYear: 1970 })));
    const batch = (who: number, copy: number): SignalInput[] =>
      Array.from({ length: 20 }, (_, i) => ({
        kind: 'VIEW',
        serviceId: services[i % 2 ? 'S1' : 'S2'],
        occurredAt: at(28, `10:${String(i).padStart(2, '0')}:00`),
        clientEventId: `race-${who}-${copy}-${i}`,
      }));
    await Promise.all(
      racers.flatMap((c, who) =>
        [0, 1, 2].map((copy) => c.client.request(RecordSignalsDocument, { signals: batch(who, copy) })),
      ),
    );
    // The same events again: duplicates, counted nothing.
    await Promise.all(racers.map((c, who) => c.client.request(RecordSignalsDocument, { signals: batch(who, 0) })));
    const [trend] = await trends({
      filter: { from: midnight(28), to: midnight(29), districtCode: '520123' },
      granularity: 'DAY',
    });
    expect(series(trend)).toEqual([[180, 3]]);
    const cells = await trends({
      filter: { from: midnight(28), to: midnight(29), districtCode: '520123' },
      granularity: 'DAY',
      groupBy: ['CATEGORY', 'DISTRICT', 'AGE_BAND', 'KIND'],
    });
    expect(cells.map(series)).toEqual([[[90, 3]], [[90, 3]]]);
  });

  it('validates the window and the codes', async () => {
    await expectError(trends({ filter: { from: midnight(7), to: midnight(7) } }), 'BAD_USER_INPUT');
    await expectError(trends({ filter: { from: midnight(7), to: midnight(0) } }), 'BAD_USER_INPUT');
    await expectError(
      trends({ filter: { from: '2020-01-01T00:00:00Z', to: '2022-01-01T00:00:01Z' } }),
      'BAD_USER_INPUT',
    );
    await expectError(trends({ filter: { ...WINDOW, categoryCode: 'gov.nothing' } }), 'NOT_FOUND');
    await expectError(trends({ filter: { ...WINDOW, districtCode: '000000' } }), 'NOT_FOUND');
  });
});

describe('demandTrends of every kind, by district or city-wide', () => {
  it('are exact for any window and granularity, from batches out of order, racing, and a citizen who moved', async () => {
    // Days 42–62 after D0, apart from the other tests' weeks; the answers are checked against
    // every signal stored, whichever test recorded it.
    // The same signals and windows on every run.
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const homes = ['520102', '520103', '520111'];
    const people = await Promise.all(
      homes.flatMap((home) => [0, 1].map((i) => newCitizen(t, { districtCode: home, birthYear: 1970 + i }))),
    );
    const time = () =>
      `${String(Math.floor(random() * 24)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00`;
    const batch = (who: number, round: number, n: number): SignalInput[] =>
      Array.from({ length: 5 }, (_, i) => {
        const day = 42 + Math.floor(random() * 21);
        const clientEventId = `area-${who}-${round}-${n}-${i}`;
        return random() < 0.2
          ? { kind: 'SEARCH', text: '公积金', occurredAt: at(day, time()), clientEventId }
          : {
              kind: pick(['VIEW', 'USE'] as const),
              serviceId: services[pick(['S1', 'S2'] as const)],
              occurredAt: at(day, time()),
              clientEventId,
            };
      });
    const round = async (r: number) => {
      // Four batches per citizen, all at once: the same citizen's batches race, days out of order.
      const sends = people.flatMap((person, who) =>
        [0, 1, 2, 3].map((n) => person.client.request(RecordSignalsDocument, { signals: batch(who, r, n) })),
      );
      for (const sent of await Promise.all(sends)) expect(sent.recordSignals.accepted).toBe(5);
    };
    await round(0);
    // The first citizen moves: from now on their signals are filed under another district.
    await people[0].client.request(UpdateMyProfileDocument, { input: { districtCode: '520123', birthYear: 1970 } });
    await round(1);

    const stored: { day: string; district: string; citizen: string }[] = await t.db.query(
      `SELECT to_char((occurred_at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS day, district_code AS district, citizen_id AS citizen FROM signal`,
    );
    type Expected = { total: number; change: number | null; series: number[][] };
    const expected = (filter: DemandFilter, granularity: Granularity, byDistrict: boolean): Map<string, Expected> => {
      const window = demandWindow(new Date(filter.from), new Date(filter.to));
      const periods = periodsOf(window.firstDay, window.lastDay, granularity);
      const trends = new Map<string, { signals: number[]; citizens: Set<string>[]; halves: [number, number] }>();
      for (const s of stored) {
        if (
          s.day < window.firstDay ||
          s.day > window.lastDay ||
          (filter.districtCode && s.district !== filter.districtCode)
        )
          continue;
        const key = byDistrict ? s.district : '';
        let trend = trends.get(key);
        if (!trend)
          trends.set(
            key,
            (trend = { signals: periods.map(() => 0), citizens: periods.map(() => new Set()), halves: [0, 0] }),
          );
        const i = periods.indexOf(periodStartOf(s.day, granularity));
        trend.signals[i] += 1;
        trend.citizens[i].add(s.citizen);
        if (window.halves && s.day <= window.halves.firstEnd) trend.halves[0] += 1;
        if (window.halves && s.day >= window.halves.secondStart) trend.halves[1] += 1;
      }
      if (!byDistrict && trends.size === 0)
        trends.set('', { signals: periods.map(() => 0), citizens: periods.map(() => new Set()), halves: [0, 0] });
      return new Map(
        [...trends].map(([key, trend]) => [
          key,
          {
            total: trend.signals.reduce((a, b) => a + b, 0),
            change: window.halves ? relativeChange(...trend.halves) : null,
            series: trend.signals.map((signals, i) => [signals, trend.citizens[i].size]),
          },
        ]),
      );
    };

    const areaReads = () => t.statements.statements.filter((sql) => /FROM demand_area_/.test(sql)).length;
    const dailyReads = () => t.statements.statements.filter((sql) => /FROM demand_daily(_citizen)?\b/.test(sql)).length;
    const granularities = [Granularity.DAY, Granularity.WEEK, Granularity.MONTH];
    let fromDailyRollups = 0;
    for (let k = 0; k < 30; k += 1) {
      const start = 36 + Math.floor(random() * 26);
      const filter: DemandFilter = {
        from: at(start, time()),
        to: at(start + 1 + Math.floor(random() * (k % 3 === 0 ? 6 : 40)), time()),
      };
      if (k % 4 === 3) filter.districtCode = pick([...homes, '520123']);
      if (k % 5 === 4) filter.kinds = ['VIEW', 'USE', 'SEARCH', 'REQUEST', 'RATING', 'COMPLAINT'];
      const granularity = granularities[k % 3];
      const byDistrict = k % 2 === 1;
      t.statements.reset();
      const answer = await trends({ filter, granularity, groupBy: byDistrict ? ['DISTRICT'] : [] });
      const rounded = (change: number | null) => (change === null ? null : Math.round(change * 1e9) / 1e9);
      const got = answer.map((trend) => [
        trend.district?.code ?? '',
        { total: trend.total, change: rounded(trend.change ?? null), series: series(trend) },
      ]);
      const want = [...expected(filter, granularity, byDistrict)].map(([key, e]) => [
        key,
        { ...e, change: rounded(e.change) },
      ]);
      expect({ k, filter, granularity, trends: got.sort() }).toEqual({ k, filter, granularity, trends: want.sort() });
      // Read from the area rollups, unless the window lies inside one week or month, cut at both ends.
      const window = demandWindow(new Date(filter.from), new Date(filter.to));
      const period = periodStartOf(window.firstDay, granularity);
      const insideOnePeriod =
        granularity !== Granularity.DAY &&
        period === periodStartOf(window.lastDay, granularity) &&
        period < window.firstDay &&
        addDays(nextPeriodStart(period, granularity), -1) > window.lastDay;
      expect([areaReads() > 0, dailyReads() > 0]).toEqual(insideOnePeriod ? [false, true] : [true, false]);
      if (insideOnePeriod) fromDailyRollups += 1;
    }
    // Both ways were taken.
    expect(fromDailyRollups).toBeGreaterThan(0);
    expect(fromDailyRollups).toBeLessThan(30);
  });
});

describe('demandTrends of one category, age band or kind, or split by one (the slice rollups)', () => {
  it('are exact for any window and granularity, as counted from the signal table', async () => {
    // Days 42–62, as the test above; the answers are checked against every signal stored.
    const random = seededRandom(11);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const homes = ['520102', '520103', '520111'];
    const people = await Promise.all(
      [2015, 2000, 1980, 1950, null].flatMap((birthYear, i) =>
        [0, 1].map((j) => newCitizen(t, { districtCode: homes[(i + j) % 3], birthYear })),
      ),
    );
    const time = () =>
      `${String(Math.floor(random() * 24)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00`;
    const batch = (who: number, n: number): SignalInput[] =>
      Array.from({ length: 6 }, (_, i) => {
        const occurredAt = at(42 + Math.floor(random() * 21), time());
        const clientEventId = `slice-${who}-${n}-${i}`;
        const r = random();
        if (r < 0.15) return { kind: 'SEARCH', text: '公积金', occurredAt, clientEventId };
        if (r < 0.3)
          return {
            kind: 'SEARCH',
            text: '报税',
            categoryCode: pick(['gov.tax', 'gov', 'life']),
            occurredAt,
            clientEventId,
          };
        return {
          kind: pick(['VIEW', 'USE', 'COMPLAINT'] as const),
          serviceId: services[pick(['S1', 'S2'] as const)],
          occurredAt,
          clientEventId,
        };
      });
    // Three batches per citizen at once: days out of order, the same citizen's batches racing.
    const sends = people.flatMap((person, who) =>
      [0, 1, 2].map((n) => person.client.request(RecordSignalsDocument, { signals: batch(who, n) })),
    );
    for (const sent of await Promise.all(sends)) expect(sent.recordSignals.accepted).toBe(6);
    // Half applied by the worker, the rest left as the tail past the watermark.
    await t.applyRollups();
    for (const person of people.slice(0, 5))
      await person.client.request(RecordSignalsDocument, { signals: batch(people.indexOf(person), 3) });

    type Stored = {
      day: string;
      district: string;
      citizen: string;
      category: string;
      parent: string;
      band: string;
      kind: string;
    };
    const stored: Stored[] = await t.db.query(
      `SELECT to_char((s.occurred_at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS day, s.district_code AS district,
              s.citizen_id AS citizen, coalesce(c.code, '') AS category, coalesce(p.code, c.code, '') AS parent,
              coalesce(s.age_band::text, '') AS band, s.kind::text AS kind
         FROM signal s LEFT JOIN category c ON c.id = s.category_id LEFT JOIN category p ON p.id = c.parent_id`,
    );
    type Shape = { filter: DemandFilter; groupBy: DemandDimension[] };
    /** The trend's keys of a signal, null when the filter leaves it out. */
    const keysOf = (shape: Shape, s: Stored): string | null => {
      const f = shape.filter;
      if (f.districtCode && s.district !== f.districtCode) return null;
      if (f.categoryCode && s.category !== f.categoryCode && s.parent !== f.categoryCode) return null;
      if (f.ageBand && s.band !== f.ageBand) return null;
      if (f.kinds?.length && !f.kinds.includes(s.kind as never)) return null;
      const value = { CATEGORY: s.category, DISTRICT: s.district, AGE_BAND: s.band, KIND: s.kind };
      return (['CATEGORY', 'DISTRICT', 'AGE_BAND', 'KIND'] as const)
        .filter((d) => shape.groupBy.includes(d))
        .map((d) => value[d])
        .join(' ');
    };
    const expected = (shape: Shape, granularity: Granularity) => {
      const window = demandWindow(new Date(shape.filter.from), new Date(shape.filter.to));
      const periods = periodsOf(window.firstDay, window.lastDay, granularity);
      const trends = new Map<string, { signals: number[]; citizens: Set<string>[]; halves: [number, number] }>();
      const empty = () => ({
        signals: periods.map(() => 0),
        citizens: periods.map(() => new Set<string>()),
        halves: [0, 0] as [number, number],
      });
      for (const s of stored) {
        const key = s.day >= window.firstDay && s.day <= window.lastDay ? keysOf(shape, s) : null;
        if (key === null) continue;
        let trend = trends.get(key);
        if (!trend) trends.set(key, (trend = empty()));
        const i = periods.indexOf(periodStartOf(s.day, granularity));
        trend.signals[i] += 1;
        trend.citizens[i].add(s.citizen);
        if (window.halves && s.day <= window.halves.firstEnd) trend.halves[0] += 1;
        if (window.halves && s.day >= window.halves.secondStart) trend.halves[1] += 1;
      }
      if (shape.groupBy.length === 0 && trends.size === 0) trends.set('', empty());
      const rounded = (change: number | null) => (change === null ? null : Math.round(change * 1e9) / 1e9);
      return [...trends]
        .map(
          ([key, trend]) =>
            [
              key,
              {
                total: trend.signals.reduce((a, b) => a + b, 0),
                change: rounded(window.halves ? relativeChange(...trend.halves) : null),
                series: trend.signals.map((signals, i) => [signals, trend.citizens[i].size]),
              },
            ] as const,
        )
        .sort();
    };

    const shapes: ((f: DemandFilter) => Shape)[] = [
      (f) => ({ filter: { ...f, categoryCode: 'gov' }, groupBy: ['DISTRICT'] }),
      (f) => ({ filter: { ...f, categoryCode: 'life' }, groupBy: [] }),
      (f) => ({ filter: { ...f, categoryCode: 'gov.housing-fund' }, groupBy: ['DISTRICT'] }),
      (f) => ({ filter: { ...f, categoryCode: 'gov.tax' }, groupBy: [] }),
      (f) => ({ filter: f, groupBy: ['CATEGORY'] }),
      (f) => ({ filter: { ...f, categoryCode: 'gov' }, groupBy: ['CATEGORY', 'DISTRICT'] }),
      (f) => ({ filter: f, groupBy: ['AGE_BAND', 'DISTRICT'] }),
      (f) => ({ filter: { ...f, ageBand: pick(['CHILD', 'YOUTH', 'ADULT', 'SENIOR'] as const) }, groupBy: [] }),
      (f) => ({ filter: f, groupBy: ['KIND'] }),
      (f) => ({ filter: { ...f, kinds: ['VIEW', 'SEARCH'] }, groupBy: ['DISTRICT', 'KIND'] }),
      (f) => ({ filter: { ...f, kinds: [pick(['VIEW', 'USE', 'SEARCH'] as const)] }, groupBy: ['DISTRICT'] }),
    ];
    const sliceReads = () => t.statements.statements.filter((sql) => /FROM demand_slice_/.test(sql)).length;
    const granularities = [Granularity.DAY, Granularity.WEEK, Granularity.MONTH];
    let fromDailyRollups = 0;
    for (let k = 0; k < 44; k += 1) {
      const start = 36 + Math.floor(random() * 26);
      const window: DemandFilter = {
        from: at(start, time()),
        to: at(start + 1 + Math.floor(random() * (k % 3 === 0 ? 6 : 40)), time()),
      };
      if (k % 4 === 3) window.districtCode = pick(homes);
      const shape = shapes[k % shapes.length](window);
      const granularity = granularities[k % 3];
      t.statements.reset();
      const answer = await trends({ filter: shape.filter, granularity, groupBy: shape.groupBy });
      const got = answer
        .map(
          (trend) =>
            [
              [
                shape.groupBy.includes('CATEGORY') ? (trend.category?.code ?? '') : null,
                shape.groupBy.includes('DISTRICT') ? trend.district!.code : null,
                shape.groupBy.includes('AGE_BAND') ? (trend.ageBand ?? '') : null,
                shape.groupBy.includes('KIND') ? trend.kind! : null,
              ]
                .filter((key) => key !== null)
                .join(' '),
              {
                total: trend.total,
                change:
                  trend.change === null || trend.change === undefined ? null : Math.round(trend.change * 1e9) / 1e9,
                series: series(trend),
              },
            ] as const,
        )
        .sort();
      expect({ k, shape, granularity, trends: got }).toEqual({
        k,
        shape,
        granularity,
        trends: expected(shape, granularity),
      });
      const w = demandWindow(new Date(window.from), new Date(window.to));
      const period = periodStartOf(w.firstDay, granularity);
      const insideOnePeriod =
        granularity !== Granularity.DAY &&
        period === periodStartOf(w.lastDay, granularity) &&
        period < w.firstDay &&
        addDays(nextPeriodStart(period, granularity), -1) > w.lastDay;
      expect({ k, fromSlices: sliceReads() > 0 }).toEqual({ k, fromSlices: !insideOnePeriod });
      if (insideOnePeriod) fromDailyRollups += 1;
    }
    expect(fromDailyRollups).toBeLessThan(44);
    await t.applyRollups();
  });
});

describe('unmetDemand', () => {
  const TOPICS = {
    lostPets: ['我家的狗走丢了怎么办', '寵物走失去哪裏登記', '我家猫咪走丢了谁能帮忙找', '小狗跑丢了发布寻狗启事'],
    ebikePlates: ['电动车上牌在哪里办', '電動自行車怎麼上牌照', '电瓶车挂牌需要什么材料'],
    lockerFees: ['快递柜超时收费太贵', '快遞櫃超時收費誰來管', '丰巢快递柜超时费怎么投诉'],
  };
  let since: string;
  let until: string;
  let asked: TestCitizen[];

  beforeAll(async () => {
    since = new Date(Date.now() - 60_000).toISOString();
    const c = await Promise.all(
      ['520102', '520103', '520111', '520115', '520113'].map((districtCode) =>
        newCitizen(t, { districtCode, birthYear: 1980 }),
      ),
    );
    asked = c;
    const requests: [TestCitizen, string, string | null][] = [
      [c[0], TOPICS.lostPets[0], null],
      [c[1], '公积金怎么提取', null],
      [c[1], TOPICS.lostPets[1], null],
      [c[2], TOPICS.lostPets[2], null],
      [c[0], TOPICS.lostPets[3], '520121'],
      [c[1], TOPICS.ebikePlates[0], null],
      [c[2], '醫保報銷', null],
      [c[2], TOPICS.ebikePlates[1], null],
      [c[3], TOPICS.ebikePlates[2], null],
      [c[0], TOPICS.lockerFees[0], null],
      [c[3], TOPICS.lockerFees[1], null],
      [c[4], TOPICS.lockerFees[2], null],
      [c[4], '社保卡补办', null],
    ];
    for (const [citizen, text, districtCode] of requests) {
      const { unmet } = (await citizen.client.request(SubmitRequestDocument, { input: { text, districtCode } }))
        .submitRequest;
      const planted = Object.values(TOPICS).some((texts) => texts.includes(text));
      expect([text, unmet]).toEqual([text, planted]);
    }
    until = new Date(Date.now() + 60_000).toISOString();
  });

  it('finds each planted topic as exactly one cluster, largest first', async () => {
    const clusters = (await planner.request(UnmetDemandDocument, { from: since, to: until })).unmetDemand;
    expect(clusters.map((c) => [c.requestCount, c.citizenCount])).toEqual([
      [4, 3],
      [3, 3],
      [3, 3],
    ]);
    const [pets, ...rest] = clusters;
    expect(pets.sampleRequests.sort()).toEqual([...TOPICS.lostPets].sort());
    expect(pets.keywords).toEqual(expect.arrayContaining(['宠物', '丢失']));
    expect(pets.label).toContain('宠物');
    expect(pets.districts.map((d) => [d.district.code, d.count])).toEqual([
      ['520102', 1],
      ['520103', 1],
      ['520111', 1],
      ['520121', 1],
    ]);
    const plates = rest.find((c) => c.keywords.includes('电动车'))!;
    expect(plates.sampleRequests.sort()).toEqual([...TOPICS.ebikePlates].sort());
    expect(plates.keywords).toEqual(expect.arrayContaining(['上牌', '电动车']));
    expect(plates.districts.map((d) => d.district.code).sort()).toEqual(['520103', '520111', '520115']);
    const lockers = rest.find((c) => c.keywords.includes('快递'))!;
    expect(lockers.sampleRequests.sort()).toEqual([...TOPICS.lockerFees].sort());
    expect(lockers.districts.map((d) => d.district.code).sort()).toEqual(['520102', '520113', '520115']);
    // Lost pets and e-bike plates are needs the city does not meet: the cluster names the need, the
    // departments responsible and the category of its life event's services (the city has no pet
    // services, so no category for pets); locker fees are about the parcel and telecom gap.
    expect(pets.need).toMatchObject({ code: 'lost-pet', departments: [{ code: 'GY-CUM' }] });
    expect(plates.need).toMatchObject({ code: 'e-bike-registration', departments: [{ code: 'GY-PSB-TMB' }] });
    expect(pets.category).toBeNull();
    expect(plates.category).not.toBeNull();
    expect(lockers.need).toMatchObject({ code: 'telecom-and-courier', departments: [{ code: 'GY-COM' }] });
    // Unmet by definition: a cluster about a need is about one no service meets (a gap); one
    // about no need had no service that met its words.
    expect(clusters.filter((c) => c.closestService).length).toBeGreaterThan(0);
    for (const cluster of clusters) {
      if (cluster.need) expect(seededNeedsModel().need(cluster.need.code)!.services).toEqual([]);
      else if (cluster.closestService) expect(cluster.closestScore).toBeLessThan(UNMET_THRESHOLD);
      for (const citizen of asked) expect(JSON.stringify(cluster)).not.toContain(citizen.id);
    }
    // Stable ids: the same clusters, the same ids.
    const again = (await planner.request(UnmetDemandDocument, { from: since, to: until })).unmetDemand;
    expect(again.map((c) => c.id)).toEqual(clusters.map((c) => c.id));
    expect(new Set(clusters.map((c) => c.id)).size).toBe(3);
  });

  it('filters by district, limits the count and validates', async () => {
    const huaxi = (await planner.request(UnmetDemandDocument, { from: since, to: until, districtCode: '520111' }))
      .unmetDemand;
    expect(huaxi.map((c) => c.requestCount)).toEqual([1, 1]);
    const top = (await planner.request(UnmetDemandDocument, { from: since, to: until, first: 1 })).unmetDemand;
    expect(top.map((c) => c.requestCount)).toEqual([4]);
    // The earlier window has no unmet request; its one search that nothing meets (宠物美容哪家好) is unmet demand too.
    const before = (await planner.request(UnmetDemandDocument, { from: midnight(0), to: midnight(21) })).unmetDemand;
    expect(before.map((c) => c.sampleRequests)).toEqual([['宠物美容哪家好']]);
    await expectError(planner.request(UnmetDemandDocument, { from: since, to: until, first: 101 }), 'BAD_USER_INPUT');
    await expectError(planner.request(UnmetDemandDocument, { from: until, to: since }), 'BAD_USER_INPUT');
    await expectError(
      planner.request(UnmetDemandDocument, { from: since, to: until, districtCode: '000000' }),
      'NOT_FOUND',
    );
  });
});

describe('rollups', () => {
  it('are what a rebuild from the signals gives', async () => {
    await t.applyRollups();
    const kept = await readDemandRollups(t.db);
    expect(kept.daily.length).toBeGreaterThan(10);
    expect(kept.areaSpans.length).toBeGreaterThan(10);
    const rebuilt = await rebuildDemandRollups(t.db.manager);
    expect(rebuilt).toEqual({
      rollupRows: kept.daily.length,
      memberRows: kept.dailyMembers.length,
      areaMemberRows: kept.areaMembers.length,
    });
    expect(await readDemandRollups(t.db)).toEqual(kept);
  });
});

describe('roles', () => {
  it('lets planners, admins and staff see demand; not citizens, reviewers or anonymous callers', async () => {
    for (const role of [Role.PLANNER, Role.ADMIN, Role.STAFF]) {
      const client = t.client(await t.token(role));
      expect((await client.request(DemandTrendsDocument, { filter: WINDOW })).demandTrends).toHaveLength(1);
      expect(
        Array.isArray((await client.request(UnmetDemandDocument, { from: midnight(0), to: midnight(21) })).unmetDemand),
      ).toBe(true);
    }
    for (const role of [Role.CITIZEN, Role.REVIEWER, Role.AUDITOR]) {
      const client = t.client(await t.token(role));
      await expectError(client.request(DemandTrendsDocument, { filter: WINDOW }), 'FORBIDDEN');
      await expectError(client.request(UnmetDemandDocument, { from: midnight(0), to: midnight(21) }), 'FORBIDDEN');
    }
    await expectError(t.client().request(DemandTrendsDocument, { filter: WINDOW }), 'UNAUTHENTICATED');
    await expectError(
      t.client().request(UnmetDemandDocument, { from: midnight(0), to: midnight(21) }),
      'UNAUTHENTICATED',
    );
  });
});

describe('demandTrends with a small budget of live members (TRENDS_LIVE_MEMBERS=2)', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await startTestApp({ TRENDS_LIVE_MEMBERS: '2' });
  });
  afterAll(async () => {
    await small?.stop();
  });

  it('stays exact when one live period makes another give way', async () => {
    const client = small.client(await small.token(Role.PLANNER));
    const [service] = await small.db.query(`SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT 1`);
    const [x, y] = [
      await newCitizen(small, { districtCode: '520102', birthYear: 1980 }),
      await newCitizen(small, { districtCode: '520102', birthYear: 1981 }),
    ];
    const view = async (who: TestCitizen, day: number, id: string) => {
      await who.client.request(RecordSignalsDocument, {
        signals: [{ kind: 'VIEW', serviceId: service.id, occurredAt: at(day, '10:00:00'), clientEventId: id }],
      });
      await small.applyRollups();
    };
    const window: DemandFilter = { from: midnight(0), to: midnight(7) };
    const byDistrict = async () =>
      (
        await client.request(DemandTrendsDocument, { filter: window, groupBy: ['DISTRICT', 'KIND', 'AGE_BAND'] })
      ).demandTrends.map((tr) => [tr.district?.code, series(tr)]);
    // Split by kind and age band (the signals are views, the citizens adults): shapes read from
    // the daily rollups, which keep live periods.
    const overall = async () =>
      (await client.request(DemandTrendsDocument, { filter: window, groupBy: ['KIND', 'AGE_BAND'] })).demandTrends.map(
        series,
      );
    const memberReads = () =>
      small.statements.statements.filter(
        (sql) => sql.startsWith('SELECT') && /FROM demand_daily_citizen\b/.test(sql) && !sql.includes('writer_xid'),
      );

    await view(x, 1, 'x1');
    await view(y, 2, 'y1');
    expect(await byDistrict()).toEqual([['520102', [[2, 2]]]]);
    expect(await overall()).toEqual([[[2, 2]]]);
    // Both shapes' week changes: the district one becomes live first (2 members, the budget)…
    await view(x, 3, 'x2');
    expect(await byDistrict()).toEqual([['520102', [[3, 2]]]]);
    // …then the overall one, and the district one gives way.
    await view(y, 3, 'y2');
    expect(await overall()).toEqual([[[4, 2]]]);
    // The district week is no longer live: read by the day again, whole, and still exact.
    small.statements.reset();
    expect(await byDistrict()).toEqual([['520102', [[4, 2]]]]);
    const [read] = memberReads();
    expect(read).toBeDefined();
    expect(read).not.toContain('unnest');
    // The district week is live again, and the overall one gave way in turn. A new citizen Z
    // on day 4: read alone for the district trend, with the whole week for the overall one.
    const z = await newCitizen(small, { districtCode: '520103', birthYear: 1990 });
    await view(z, 4, 'z1');
    small.statements.reset();
    expect(await byDistrict()).toEqual([
      ['520102', [[4, 2]]],
      ['520103', [[1, 1]]],
    ]);
    expect(memberReads()).toHaveLength(1);
    expect(memberReads()[0]).toContain('unnest');
    small.statements.reset();
    expect(await overall()).toEqual([[[5, 3]]]);
    expect(memberReads()).toHaveLength(1);
    expect(memberReads()[0]).not.toContain('unnest');
  });
});
