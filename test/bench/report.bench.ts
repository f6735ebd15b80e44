// npm run bench:report — builds the catalogue report of the last 30 days on the database of
// DATABASE_URL (default …/minsheng_bench, the city-scale seed) three times, in a read-only
// transaction that is rolled back (nothing stored), and prints the times. Target: ≤ 30 s at
// 5M signals.
import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { buildReportContent, jobContext } from '../../src/modules/reports/reports.service';
import { markdownTable, writeDocSection } from '../eval/doc-section';
import { CITY, databaseUrl as cityDatabaseUrl } from './datasets';
import type { Figure } from './figures';
import { median } from './harness';

export interface ReportFigures {
  figures: Figure[];
  markdown: string;
}

export async function measureReport(databaseUrl: string, runs: number): Promise<ReportFigures> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0001',
  });
  const database = await openDatabase({ databaseUrl, dataDir: null, poolSize: 2 });
  const end = new Date();
  const start = new Date(end.getTime() - 30 * 86_400_000);
  const times: number[] = [];
  let findings = 0;
  try {
    const [{ signals }] = await database.dataSource.query(
      `SELECT reltuples::bigint AS signals FROM pg_class WHERE relname = 'signal'`,
    );
    for (let run = 0; run < runs; run += 1) {
      const runner = database.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction('REPEATABLE READ');
      try {
        await runner.query('SET TRANSACTION READ ONLY');
        const ctx = {
          ...jobContext(database.dataSource, config, pino({ level: 'silent' }), 'report-bench'),
          db: runner.manager,
        };
        const started = performance.now();
        const content = await buildReportContent(ctx, start, end);
        times.push((performance.now() - started) / 1000);
        findings = (content as { findings: unknown[] }).findings.length;
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    }
    const seconds = median(times);
    const table = markdownTable(
      ['run', 'seconds'],
      [...times.map((t, i) => [i + 1, t.toFixed(1)]), ['median', seconds.toFixed(1)]],
    );
    const summary = `A 30-day catalogue report (${findings} findings) on ~${signals} signals, built in a read-only transaction and rolled back; measured ${end.toISOString().slice(0, 10)}. Target ≤ 30 s.`;
    const figures: Figure[] = [
      {
        name: `30-day catalogue report, ~${signals} signals`,
        median: `${seconds.toFixed(1)} s`,
        p99: `max ${Math.max(...times).toFixed(1)} s`,
        target: '≤ 30 s',
        met: seconds <= 30,
      },
    ];
    return { figures, markdown: `${table}\n\n${summary}` };
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? cityDatabaseUrl(CITY.database);
  const result = await measureReport(
    databaseUrl,
    Number(process.env.BENCH_RUNS ?? (process.argv.includes('--quick') ? 1 : 3)),
  );
  console.log(result.markdown);
  if (!process.argv.includes('--no-write') && !process.argv.includes('--quick'))
    writeDocSection('benchmarks.md', 'report', result.markdown);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
