// npm run bench:analytics — demandTrends over 90 days grouped by district (and the first call of
// other shapes: one category, one age band, splits by age band, kind, category), at 500k and at
// 5M signals, and unmetDemand over 30 days at 5M, over HTTP against the server in production
// mode. Databases (loaded by `npm run seed`, rollups included):
//   BENCH_SMALL_URL (default …/minsheng_bench_500k: --citizens 20000 --signals 500000 --services 2000)
//   BENCH_LARGE_URL (default …/minsheng_bench: --citizens 200000 --signals 5000000 --services 2000)
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { Role, signToken } from '../../src/core/auth';
import { markdownTable, writeDocSection } from '../eval/doc-section';
import { CITY, CITY_TENTH, databaseUrl, withClient } from './datasets';
import { ms, type Figure } from './figures';
import { machine, median, startServerProcess } from './harness';

const SECRET = 'bench-secret-bench-secret-bench-secret-0001';

const day = 86_400_000;
const TRENDS = `query Trends($from: DateTime!, $to: DateTime!) {
  demandTrends(filter: { from: $from, to: $to }, granularity: WEEK, groupBy: [DISTRICT]) { total change points { signals citizens } }
}`;
/**
 * Other trend shapes over the same 90 days, weekly: each is measured on its first call (its
 * periods computed for the first time) and repeated. All but the last are answered by the
 * slice rollups; the last (two dimensions of a signal besides its district) by the daily
 * rollups (docs/analytics.md).
 */
const SHAPES: {
  name: string;
  filter: (codes: { parent: string; leaf: string }) => object;
  groupBy: string;
  allowEstimates?: boolean;
}[] = [
  { name: 'one parent category, by district', filter: ({ parent }) => ({ categoryCode: parent }), groupBy: 'DISTRICT' },
  { name: 'one leaf category, by district', filter: ({ leaf }) => ({ categoryCode: leaf }), groupBy: 'DISTRICT' },
  { name: 'split by age band', filter: () => ({}), groupBy: 'AGE_BAND' },
  { name: 'split by kind', filter: () => ({}), groupBy: 'KIND' },
  { name: 'split by category', filter: () => ({}), groupBy: 'CATEGORY' },
  { name: 'one age band, by district', filter: () => ({ ageBand: 'SENIOR' }), groupBy: 'DISTRICT' },
  {
    name: 'one parent category, split by age band (daily rollups)',
    filter: ({ parent }) => ({ categoryCode: parent }),
    groupBy: 'AGE_BAND',
  },
  {
    name: 'one parent category, split by age band, citizens estimated (allowEstimates)',
    filter: ({ parent }) => ({ categoryCode: parent }),
    groupBy: 'AGE_BAND',
    allowEstimates: true,
  },
];
const SHAPE_TRENDS = `query ShapeTrends($filter: DemandFilter!, $groupBy: [DemandDimension!]!, $allowEstimates: Boolean) {
  demandTrends(filter: $filter, granularity: WEEK, groupBy: $groupBy, allowEstimates: $allowEstimates) {
    total change exact points { signals citizens }
  }
}`;
const UNMET = `query Unmet($from: DateTime!, $to: DateTime!) {
  unmetDemand(from: $from, to: $to, first: 20) { label requestCount citizenCount closestScore }
}`;

async function request(url: string, token: string, query: string, variables: object): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return performance.now() - started;
}

/** The first call (cold: nothing computed yet), then `runs` calls. */
async function timed(
  send: () => Promise<number>,
  runs: number,
  before?: () => Promise<void>,
): Promise<{ cold: number; runs: number[] }> {
  const cold = await send();
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    await before?.();
    times.push(await send());
  }
  return { cold, runs: times };
}

/** A citizen's token and a signal of today for them: live traffic that changes the current period. */
async function liveSignal(databaseUrl: string): Promise<{ token: string; body: () => string }> {
  return withClient(databaseUrl, async (db) => {
    const [citizen] = (await db.query('SELECT id FROM citizen ORDER BY id LIMIT 1')).rows;
    const [service] = (await db.query(`SELECT id FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT 1`)).rows;
    const token = await signToken({ sub: citizen.id, role: Role.CITIZEN }, SECRET);
    const body = () =>
      JSON.stringify({
        query: 'mutation S($signals: [SignalInput!]!) { recordSignals(signals: $signals) { accepted } }',
        variables: {
          signals: [
            { kind: 'VIEW', serviceId: service.id, occurredAt: new Date().toISOString(), clientEventId: randomUUID() },
          ],
        },
      });
    return { token, body };
  });
}

/** The codes of the parent category and of the leaf category with the most signals. */
async function busiestCategories(databaseUrl: string): Promise<{ parent: string; leaf: string }> {
  return withClient(databaseUrl, async (db) => {
    const [parent] = (
      await db.query(`SELECT p.code FROM demand_daily d JOIN category c ON c.id = d.category_id JOIN category p ON p.id = coalesce(c.parent_id, c.id)
                       GROUP BY p.code ORDER BY sum(d.signals) DESC, p.code LIMIT 1`)
    ).rows;
    const [leaf] = (
      await db.query(`SELECT c.code FROM demand_daily d JOIN category c ON c.id = d.category_id
                       WHERE NOT EXISTS (SELECT 1 FROM category k WHERE k.parent_id = c.id)
                       GROUP BY c.code ORDER BY sum(d.signals) DESC, c.code LIMIT 1`)
    ).rows;
    return { parent: parent.code as string, leaf: leaf.code as string };
  });
}

async function measure(databaseUrl: string, port: string, runs: number) {
  const server = await startServerProcess({
    DATABASE_URL: databaseUrl,
    JWT_SECRET: SECRET,
    PORT: port,
    NEIGHBOUR_REFRESH_MINUTES: '0',
    REPORT_SCHEDULE: 'false',
    // A scheduled ranking fit (a child process with a large heap) must not land inside a load.
    RANKING_FIT_HOURS: '0',
  });
  try {
    const token = await signToken({ sub: randomUUID(), role: Role.PLANNER }, SECRET);
    // The machine's load (1-minute average) as the measurements start: other work shares the cores.
    const load = loadavg()[0];
    const now = Date.now();
    const trendsWindow = { from: new Date(now - 90 * day).toISOString(), to: new Date(now).toISOString() };
    const trends = () => request(server.url, token, TRENDS, trendsWindow);
    const cached = await timed(trends, runs);
    const codes = await busiestCategories(databaseUrl);
    const shapes: { first: number; repeated: number[] }[] = [];
    for (const shape of SHAPES) {
      const variables = {
        filter: { ...trendsWindow, ...shape.filter(codes) },
        groupBy: [shape.groupBy],
        allowEstimates: shape.allowEstimates ?? false,
      };
      const { cold, runs: repeated } = await timed(() => request(server.url, token, SHAPE_TRENDS, variables), runs);
      shapes.push({ first: cold, repeated });
    }
    const live = await liveSignal(databaseUrl);
    const changing = await timed(trends, runs, async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${live.token}` },
        body: live.body(),
      });
      if (!response.ok) throw new Error(`recordSignals: ${response.status}`);
    });
    const unmetWindow = { from: new Date(now - 30 * day).toISOString(), to: new Date(now).toISOString() };
    const unmet = await timed(() => request(server.url, token, UNMET, unmetWindow), runs);
    return {
      cold: cached.cold,
      repeated: cached.runs,
      live: changing.runs,
      shapes,
      load,
      unmetFirst: unmet.cold,
      unmet: unmet.runs,
    };
  } finally {
    await server.stop();
  }
}

export interface AnalyticsFigures {
  figures: Figure[];
  markdown: string;
}

type Measured = Awaited<ReturnType<typeof measure>>;

/** The table's rows of the other shapes: first call and repeated, at both sizes. */
function shapeRows(small: Measured, large: Measured, fmt: (xs: number[]) => string[]): string[][] {
  return SHAPES.flatMap((shape, i) => {
    const name = `demandTrends 90 days, WEEK, ${shape.name}`;
    return [
      [`${name}, first call`, '500k', small.shapes[i].first.toFixed(0), ''],
      [`${name}, first call`, '5M', large.shapes[i].first.toFixed(0), ''],
      [`${name}, repeated`, '500k', ...fmt(small.shapes[i].repeated)],
      [`${name}, repeated`, '5M', ...fmt(large.shapes[i].repeated)],
    ];
  });
}

/** The first call of each other shape, 500k → 5M: flat (≤ 1.5×) for those the slices answer. */
function shapeFigures(small: Measured, large: Measured): Figure[] {
  return SHAPES.map((shape, i): Figure => {
    const ratio = large.shapes[i].first / small.shapes[i].first;
    // The slices answer it, or its citizens are estimated from them.
    const fromSlices = !shape.name.includes('daily rollups');
    return {
      name: `demandTrends 90 days, ${shape.name}, first call, 500k → 5M`,
      median: `${ms(small.shapes[i].first)} → ${ms(large.shapes[i].first)}`,
      p99: '',
      target: fromSlices ? `≤ 1.5×: ${ratio.toFixed(2)}×` : `${ratio.toFixed(2)}× (no target: not flat)`,
      met: fromSlices ? ratio <= 1.5 : null,
    };
  });
}

/**
 * demandTrends over 90 days by district, on the small database and then the large one: cold
 * (the first call after start), repeated with nothing changed, and live (a signal of today
 * recorded before each call, so the current week changes); other shapes (SHAPES: one category,
 * one age band, splits by age band, kind or category), first call of each, then repeated;
 * unmetDemand: its first call (reported apart), then `runs` calls.
 */
export async function measureAnalytics(smallUrl: string, largeUrl: string, runs: number): Promise<AnalyticsFigures> {
  const small = await measure(smallUrl, '4410', runs);
  const large = await measure(largeUrl, '4411', runs);
  const fmt = (xs: number[]) => [median(xs).toFixed(0), Math.max(...xs).toFixed(0)];
  const trendsName = 'demandTrends 90 days, WEEK, by DISTRICT';
  const table = markdownTable(
    ['query', 'signals', 'median ms', 'max ms'],
    [
      [`${trendsName}, cold (first call)`, '500k', small.cold.toFixed(0), ''],
      [`${trendsName}, cold (first call)`, '5M', large.cold.toFixed(0), ''],
      [`${trendsName}, live (a signal of today before each call)`, '500k', ...fmt(small.live)],
      [`${trendsName}, live (a signal of today before each call)`, '5M', ...fmt(large.live)],
      [`${trendsName}, repeated, nothing changed`, '500k', ...fmt(small.repeated)],
      [`${trendsName}, repeated, nothing changed`, '5M', ...fmt(large.repeated)],
      ...shapeRows(small, large, fmt),
      ['unmetDemand 30 days, first call', '500k', small.unmetFirst.toFixed(0), ''],
      ['unmetDemand 30 days, first call', '5M', large.unmetFirst.toFixed(0), ''],
      ['unmetDemand 30 days', '500k', ...fmt(small.unmet)],
      ['unmetDemand 30 days', '5M', ...fmt(large.unmet)],
    ],
  );
  const liveRatio = median(large.live) / median(small.live);
  const coldRatio = large.cold / small.cold;
  const unmet = median(large.unmet);
  const shapeRatios = SHAPES.map(
    (shape, i) => `${shape.name} ${(large.shapes[i].first / small.shapes[i].first).toFixed(2)}`,
  ).join(', ');
  const summary =
    `${runs} timed runs each (cold: one call), over HTTP, server in production mode on PostgreSQL; ${machine()}; measured ${new Date().toISOString().slice(0, 10)}. ` +
    `demandTrends at 5M / at 500k: live ${liveRatio.toFixed(2)}, cold ${coldRatio.toFixed(2)} (target ≤ 1.5): ${liveRatio <= 1.5 ? 'met live' : '**not met** live'}, ${coldRatio <= 1.5 ? 'met cold' : '**not met** cold'}; ` +
    `first calls of the other shapes at 5M / at 500k: ${shapeRatios}; ` +
    `load average (1 min) as each size started: ${small.load.toFixed(1)} (500k), ${large.load.toFixed(1)} (5M); ` +
    `unmetDemand at 5M median ${unmet.toFixed(0)} ms, first call ${large.unmetFirst.toFixed(0)} ms (target < 2000): ${unmet < 2000 ? 'met' : '**not met**'}.`;
  const figures: Figure[] = [
    {
      name: 'demandTrends 90 days by district, 500k signals, live',
      median: ms(median(small.live)),
      p99: `max ${ms(Math.max(...small.live))}`,
      target: '',
      met: null,
    },
    {
      name: 'demandTrends 90 days by district, 5M signals, live',
      median: ms(median(large.live)),
      p99: `max ${ms(Math.max(...large.live))}`,
      target: `≤ 1.5× the 500k time: ${liveRatio.toFixed(2)}×`,
      met: liveRatio <= 1.5,
    },
    {
      name: 'demandTrends 90 days by district, cold (first call), 500k → 5M',
      median: `${ms(small.cold)} → ${ms(large.cold)}`,
      p99: '',
      target: `≤ 1.5×: ${coldRatio.toFixed(2)}×`,
      met: coldRatio <= 1.5,
    },
    ...shapeFigures(small, large),
    {
      name: 'unmetDemand 30 days, 5M signals',
      median: ms(unmet),
      p99: `max ${ms(Math.max(...large.unmet))}; first call ${ms(large.unmetFirst)}`,
      target: '< 2000 ms',
      met: unmet < 2000,
    },
  ];
  return { figures, markdown: `${table}\n\n${summary}` };
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? (process.argv.includes('--quick') ? 2 : 7));
  const result = await measureAnalytics(
    process.env.BENCH_SMALL_URL ?? databaseUrl(CITY_TENTH.database),
    process.env.BENCH_LARGE_URL ?? databaseUrl(CITY.database),
    runs,
  );
  console.log(result.markdown);
  if (!process.argv.includes('--no-write') && !process.argv.includes('--quick'))
    writeDocSection('benchmarks.md', 'analytics', result.markdown);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
