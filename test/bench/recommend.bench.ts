// npm run bench:recommend — recommendedServices(first: 10) for random citizens over HTTP,
// 8 concurrent clients, against the server in production mode on PostgreSQL (DATABASE_URL)
// loaded by `npm run seed` (city scale: --citizens 200000 --signals 5000000 --services 2000).
import { cpus } from 'node:os';
import { Client } from 'pg';
import { Role, signToken } from '../../src/graphql/auth';
import { markdownTable, writeDocSection } from '../eval/doc-section';
import { load, median, startServerProcess } from './harness';

const SECRET = 'bench-secret-bench-secret-bench-secret-0001';
const QUERY = `query Recommended { recommendedServices(first: 10) { personalized edges { node { score rank reasons { kind weight message } service { id title } } } } }`;

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL must point at the seeded PostgreSQL database');
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const seconds = Number(process.env.BENCH_SECONDS ?? 15);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
  const processes = process.env.BENCH_WEB_CONCURRENCY ?? '1';

  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const [{ citizens, signals, services }] = (
    await db.query(`SELECT (SELECT count(*) FROM citizen)::int AS citizens, (SELECT reltuples::bigint FROM pg_class WHERE relname = 'signal') AS signals,
                           (SELECT count(*) FROM service WHERE status = 'PUBLISHED')::int AS services`)
  ).rows;
  const ids: string[] = (await db.query('SELECT id FROM citizen ORDER BY md5(id::text) LIMIT 5000')).rows.map((r) => r.id);
  await db.end();
  if (ids.length === 0) throw new Error('no citizens: run npm run seed first');
  const tokens = await Promise.all(ids.map((sub) => signToken({ sub, role: Role.CITIZEN }, SECRET, '2h')));

  const server = await startServerProcess({ DATABASE_URL: databaseUrl, JWT_SECRET: SECRET, NEIGHBOUR_REFRESH_MINUTES: '0', REPORT_SCHEDULE: 'false', WEB_CONCURRENCY: processes });
  let next = 0;
  const request = () => ({
    body: JSON.stringify({ query: QUERY }),
    headers: { authorization: `Bearer ${tokens[next++ % tokens.length]}` },
  });
  try {
    await load(server.url, { connections, seconds: 5, request }); // warm-up
    const results = [];
    for (let run = 0; run < runs; run += 1) results.push(await load(server.url, { connections, seconds, request }));
    const rows = results.map((r, i) => [i + 1, r.requestsPerSecond.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1), r.errors + r.non2xx]);
    rows.push([
      'median',
      median(results.map((r) => r.requestsPerSecond)).toFixed(0),
      median(results.map((r) => r.p50)).toFixed(1),
      median(results.map((r) => r.p99)).toFixed(1),
      '',
    ]);
    const table = markdownTable(['run', 'requests/s', 'p50 ms', 'p99 ms', 'errors'], rows);
    const context = `recommendedServices(first: 10), a different random citizen per request, ${connections} concurrent clients, ${runs} runs of ${seconds} s after a 5 s warm-up; ${citizens} citizens, ~${signals} signals, ${services} published services on PostgreSQL; ${processes} API process(es) (WEB_CONCURRENCY); ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}); measured ${new Date().toISOString().slice(0, 10)}.`;
    console.log(`${table}\n\n${context}`);
    if (!process.argv.includes('--no-write')) writeDocSection('benchmarks.md', 'recommend', `${table}\n\n${context}`);
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
