// npm run bench:catalogue — the floor `{ __typename }` against a catalogue page (20 services
// with department, category and stats) over HTTP, server in production mode on PostgreSQL
// (DATABASE_URL: the city-scale seed), anonymous callers, side by side in one run.
import { cpus } from 'node:os';
import { markdownTable, writeDocSection } from '../eval/doc-section';
import { load, median, startServerProcess } from './harness';

const FLOOR = '{ __typename }';
const PAGE = `query Page { services(first: 20, orderBy: TITLE) { totalCount edges { node {
  id title department { id name } category { id name } stats { upvotes downvotes voteScore ratingAverage uses30d views30d } } } } }`;

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL must point at the seeded PostgreSQL database');
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
  const server = await startServerProcess({
    DATABASE_URL: databaseUrl,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0001',
    NEIGHBOUR_REFRESH_MINUTES: '0',
    REPORT_SCHEDULE: 'false',
    // One anonymous caller (one IP) sends everything here: lift the per-caller budget.
    RATE_LIMIT_POINTS: '100000000',
  });
  try {
    const rows: (string | number)[][] = [];
    const medians: Record<string, number> = {};
    for (const [name, query] of [['floor { __typename }', FLOOR], ['catalogue page (20 services)', PAGE]] as const) {
      const body = JSON.stringify({ query });
      await load(server.url, { connections, seconds: 3, request: () => ({ body }) });
      const results = [];
      for (let run = 0; run < runs; run += 1) results.push(await load(server.url, { connections, seconds, request: () => ({ body }) }));
      medians[name] = median(results.map((r) => r.requestsPerSecond));
      rows.push([name, medians[name].toFixed(0), median(results.map((r) => r.p50)).toFixed(1), median(results.map((r) => r.p99)).toFixed(1),
        results.reduce((sum, r) => sum + r.errors + r.non2xx, 0)]);
    }
    const ratio = medians['catalogue page (20 services)'] / medians['floor { __typename }'];
    const table = markdownTable(['query', 'requests/s (median)', 'p50 ms', 'p99 ms', 'errors'], rows);
    const summary = `${connections} concurrent clients, ${runs} runs of ${seconds} s each after a 3 s warm-up, one API process in production mode on PostgreSQL; ${cpus().length} cores; measured ${new Date().toISOString().slice(0, 10)}. Catalogue page / floor = ${ratio.toFixed(2)} (target ≥ 0.5).`;
    console.log(`${table}\n\n${summary}`);
    if (!process.argv.includes('--no-write')) writeDocSection('benchmarks.md', 'catalogue', `${table}\n\n${summary}`);
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
