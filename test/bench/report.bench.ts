// npm run bench:report — builds the catalogue report of the last 30 days on the database of
// DATABASE_URL (the city-scale seed) three times, in a read-only transaction that is rolled
// back (nothing stored), and prints the times. Target: ≤ 30 s at 5M signals.
import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { buildReportContent, jobContext } from '../../src/modules/reports/reports.service';
import { markdownTable, writeDocSection } from '../eval/doc-section';
import { median } from './harness';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0001' });
  if (!config.databaseUrl) throw new Error('DATABASE_URL must point at the seeded PostgreSQL database');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: null, poolSize: 2 });
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const end = new Date();
  const start = new Date(end.getTime() - 30 * 86_400_000);
  const times: number[] = [];
  let findings = 0;
  try {
    const [{ signals }] = await database.dataSource.query(`SELECT reltuples::bigint AS signals FROM pg_class WHERE relname = 'signal'`);
    for (let run = 0; run < runs; run += 1) {
      const runner = database.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction('REPEATABLE READ');
      try {
        await runner.query('SET TRANSACTION READ ONLY');
        const ctx = { ...jobContext(database.dataSource, config, pino({ level: 'silent' }), 'report-bench'), db: runner.manager };
        const started = performance.now();
        const content = await buildReportContent(ctx, start, end);
        times.push((performance.now() - started) / 1000);
        findings = (content as { findings: unknown[] }).findings.length;
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    }
    const table = markdownTable(['run', 'seconds'], [...times.map((t, i) => [i + 1, t.toFixed(1)]), ['median', median(times).toFixed(1)]]);
    const summary = `A 30-day catalogue report (${findings} findings) on ~${signals} signals, built in a read-only transaction and rolled back; measured ${end.toISOString().slice(0, 10)}. Target ≤ 30 s.`;
    console.log(`${table}\n\n${summary}`);
    if (!process.argv.includes('--no-write')) writeDocSection('benchmarks.md', 'report', `${table}\n\n${summary}`);
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
