// npm run bench:trend-estimates — how far demandTrends' estimated citizens (allowEstimates) are
// from the exact counts, and what each costs on its first call, on one seeded database
// (DATABASE_URL, default …/minsheng_bench_500k). Shapes of two dimensions besides the district,
// 90 days weekly and 28 days daily; prints the error per shape (docs/analytics.md).
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { Role, signToken } from '../../src/core/auth';
import { markdownTable } from '../eval/doc-section';
import { CITY_TENTH, databaseUrl, withClient } from './datasets';
import { startServerProcess } from './harness';

const SECRET = 'bench-secret-bench-secret-bench-secret-0001';
const DAY_MS = 86_400_000;

const TRENDS = `query T($filter: DemandFilter!, $granularity: Granularity, $groupBy: [DemandDimension!], $allowEstimates: Boolean) {
  demandTrends(filter: $filter, granularity: $granularity, groupBy: $groupBy, allowEstimates: $allowEstimates) {
    category { code } district { code } ageBand kind exact points { periodStart signals citizens }
  }
}`;

interface Trend {
  category: { code: string } | null;
  district: { code: string } | null;
  ageBand: string | null;
  kind: string | null;
  exact: boolean;
  points: { periodStart: string; signals: number; citizens: number }[];
}

interface Shape {
  name: string;
  granularity: 'WEEK' | 'DAY';
  days: number;
  filter: (parent: string) => object;
  groupBy: string[];
}

const SHAPES: Shape[] = [
  {
    name: 'parent category × age band, weekly',
    granularity: 'WEEK',
    days: 90,
    filter: (p) => ({ categoryCode: p }),
    groupBy: ['AGE_BAND'],
  },
  {
    name: 'parent category × age band by district, weekly',
    granularity: 'WEEK',
    days: 90,
    filter: (p) => ({ categoryCode: p }),
    groupBy: ['AGE_BAND', 'DISTRICT'],
  },
  { name: 'category × kind, weekly', granularity: 'WEEK', days: 90, filter: () => ({}), groupBy: ['CATEGORY', 'KIND'] },
  { name: 'age band × kind, daily', granularity: 'DAY', days: 28, filter: () => ({}), groupBy: ['AGE_BAND', 'KIND'] },
];

async function trends(url: string, token: string, variables: object): Promise<{ ms: number; trends: Trend[] }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: TRENDS, variables }),
  });
  const body = (await response.json()) as { data?: { demandTrends: Trend[] }; errors?: unknown };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return { ms: performance.now() - started, trends: body.data.demandTrends };
}

const keyOf = (t: Trend, p: { periodStart: string }) =>
  [t.category?.code, t.district?.code, t.ageBand, t.kind, p.periodStart].join(' ');

/** Relative errors of the estimated points against the exact ones (points with a citizen). */
function errors(exact: Trend[], estimated: Trend[]): number[] {
  const truth = new Map(exact.flatMap((t) => t.points.map((p) => [keyOf(t, p), p.citizens] as const)));
  return estimated.flatMap((t) =>
    t.points
      .filter((p) => (truth.get(keyOf(t, p)) ?? 0) > 0)
      .map((p) => Math.abs(p.citizens - truth.get(keyOf(t, p))!) / truth.get(keyOf(t, p))!),
  );
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] ?? 0;

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? databaseUrl(CITY_TENTH.database);
  const parent = await withClient(url, async (db) => {
    const [row] = (
      await db.query(`SELECT p.code FROM demand_daily d JOIN category c ON c.id = d.category_id
                        JOIN category p ON p.id = coalesce(c.parent_id, c.id) GROUP BY p.code ORDER BY sum(d.signals) DESC LIMIT 1`)
    ).rows;
    return row.code as string;
  });
  const server = await startServerProcess({
    DATABASE_URL: url,
    JWT_SECRET: SECRET,
    PORT: process.env.PORT ?? '4420',
    NEIGHBOUR_REFRESH_MINUTES: '0',
    REPORT_SCHEDULE: 'false',
    // A scheduled ranking fit (a child process with a large heap) must not land inside a load.
    RANKING_FIT_HOURS: '0',
  });
  try {
    const token = await signToken({ sub: randomUUID(), role: Role.PLANNER }, SECRET);
    const rows: string[][] = [];
    // A first request of the process pays for its start (catalogue, connections): not a shape's.
    const warmUp = { from: new Date(Date.now() - 7 * DAY_MS).toISOString(), to: new Date().toISOString() };
    await trends(server.url, token, { filter: warmUp, groupBy: ['KIND'] });
    for (const shape of SHAPES) {
      const now = Date.now();
      const filter = { from: new Date(now - shape.days * DAY_MS).toISOString(), to: new Date(now).toISOString() };
      const base = {
        filter: { ...filter, ...shape.filter(parent) },
        granularity: shape.granularity,
        groupBy: shape.groupBy,
      };
      const load = loadavg()[0];
      // Exact first: what the estimate reads (the slice rollups, the daily rollups' signals) is
      // then warm in PostgreSQL's cache, which favours the estimate (BENCH_ESTIMATE_FIRST=1: the
      // other way round).
      const estimateFirst = process.env.BENCH_ESTIMATE_FIRST === '1';
      const estimatedCall = () => trends(server.url, token, { ...base, allowEstimates: true });
      const first = await (estimateFirst ? estimatedCall() : trends(server.url, token, base));
      const second = await (estimateFirst ? trends(server.url, token, base) : estimatedCall());
      const [estimated, exact] = estimateFirst ? [first, second] : [second, first];
      if (estimated.trends.some((t) => t.exact) || exact.trends.some((t) => !t.exact))
        throw new Error(`${shape.name}: exact flags not as expected`);
      const e = errors(exact.trends, estimated.trends);
      const mean = e.reduce((a, b) => a + b, 0) / Math.max(1, e.length);
      rows.push([
        shape.name,
        String(e.length),
        mean.toFixed(3),
        quantile(e, 0.5).toFixed(3),
        quantile(e, 0.9).toFixed(3),
        estimated.ms.toFixed(0),
        exact.ms.toFixed(0),
        load.toFixed(1),
      ]);
    }
    console.log(
      markdownTable(
        [
          'shape',
          'points',
          'mean relative error',
          'median',
          '90th percentile',
          'estimated, first call ms',
          'exact, first call ms',
          '1-min load',
        ],
        rows,
      ),
    );
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
