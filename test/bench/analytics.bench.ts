// npm run bench:analytics — demandTrends over 90 days grouped by district, at 500k and at 5M
// signals, and unmetDemand over 30 days at 5M, over HTTP against the server in production
// mode. Databases (loaded by `npm run seed`, rollups included):
//   BENCH_SMALL_URL (default …/minsheng_bench_500k: --citizens 20000 --signals 500000 --services 2000)
//   BENCH_LARGE_URL (default …/minsheng_bench: --citizens 200000 --signals 5000000 --services 2000)
import { randomUUID } from 'node:crypto';
import { Role, signToken } from '../../src/graphql/auth';
import { markdownTable, writeDocSection } from '../eval/doc-section';
import { CITY, CITY_TENTH, databaseUrl } from './datasets';
import { ms, type Figure } from './figures';
import { machine, median, startServerProcess } from './harness';

const SECRET = 'bench-secret-bench-secret-bench-secret-0001';

const day = 86_400_000;
const TRENDS = `query Trends($from: DateTime!, $to: DateTime!) {
  demandTrends(filter: { from: $from, to: $to }, granularity: WEEK, groupBy: [DISTRICT]) { total change points { signals citizens } }
}`;
const UNMET = `query Unmet($from: DateTime!, $to: DateTime!) {
  unmetDemand(from: $from, to: $to, first: 20) { label requestCount citizenCount closestScore }
}`;

async function timed(url: string, token: string, query: string, variables: object, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run <= runs; run += 1) {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    if (run > 0) times.push(performance.now() - started); // the first run warms the caches
  }
  return times;
}

async function measure(databaseUrl: string, port: string, runs: number) {
  const server = await startServerProcess({ DATABASE_URL: databaseUrl, JWT_SECRET: SECRET, PORT: port, NEIGHBOUR_REFRESH_MINUTES: '0', REPORT_SCHEDULE: 'false' });
  try {
    const token = await signToken({ sub: randomUUID(), role: Role.PLANNER }, SECRET);
    const now = Date.now();
    const trends = await timed(server.url, token, TRENDS, { from: new Date(now - 90 * day).toISOString(), to: new Date(now).toISOString() }, runs);
    const unmet = await timed(server.url, token, UNMET, { from: new Date(now - 30 * day).toISOString(), to: new Date(now).toISOString() }, runs);
    return { trends, unmet };
  } finally {
    await server.stop();
  }
}

export interface AnalyticsFigures {
  figures: Figure[];
  markdown: string;
}

/** Each query `runs` times after one warm-up, first on the small database, then on the large one. */
export async function measureAnalytics(smallUrl: string, largeUrl: string, runs: number): Promise<AnalyticsFigures> {
  const small = await measure(smallUrl, '4410', runs);
  const large = await measure(largeUrl, '4411', runs);
  const fmt = (xs: number[]) => [median(xs).toFixed(0), Math.max(...xs).toFixed(0)];
  const table = markdownTable(
    ['query', 'signals', 'median ms', 'max ms'],
    [
      ['demandTrends 90 days, WEEK, by DISTRICT', '500k', ...fmt(small.trends)],
      ['demandTrends 90 days, WEEK, by DISTRICT', '5M', ...fmt(large.trends)],
      ['unmetDemand 30 days', '500k', ...fmt(small.unmet)],
      ['unmetDemand 30 days', '5M', ...fmt(large.unmet)],
    ],
  );
  const ratio = median(large.trends) / median(small.trends);
  const unmet = median(large.unmet);
  const summary =
    `${runs} timed runs each after one warm-up, over HTTP, server in production mode on PostgreSQL; ${machine()}; measured ${new Date().toISOString().slice(0, 10)}. ` +
    `demandTrends at 5M / at 500k = ${ratio.toFixed(2)} (target ≤ 1.5): ${ratio <= 1.5 ? 'met' : '**not met**'}; ` +
    `unmetDemand at 5M median ${unmet.toFixed(0)} ms (target < 2000): ${unmet < 2000 ? 'met' : '**not met**'}.`;
  const figures: Figure[] = [
    { name: 'demandTrends 90 days by district, 500k signals', median: ms(median(small.trends)), p99: `max ${ms(Math.max(...small.trends))}`, target: '', met: null },
    {
      name: 'demandTrends 90 days by district, 5M signals',
      median: ms(median(large.trends)),
      p99: `max ${ms(Math.max(...large.trends))}`,
      target: `≤ 1.5× the 500k time: ${ratio.toFixed(2)}×`,
      met: ratio <= 1.5,
    },
    { name: 'unmetDemand 30 days, 5M signals', median: ms(unmet), p99: `max ${ms(Math.max(...large.unmet))}`, target: '< 2000 ms', met: unmet < 2000 },
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
  if (!process.argv.includes('--no-write') && !process.argv.includes('--quick')) writeDocSection('benchmarks.md', 'analytics', result.markdown);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
