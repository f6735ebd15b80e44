// node dist/test/bench/rollup-apply.bench.js — what the rollup worker's demand statement
// (ADD_TO_DEMAND_ROLLUPS: daily, area and slice rollups) costs PostgreSQL per batch, this build
// against other builds (BENCH_BASELINE_ROOT, built checkouts, comma-separated), on one seeded
// database of your own (DATABASE_URL; never minsheng_bench or minsheng_bench_500k: it vacuums
// the rollup tables, and every statement runs in a transaction rolled back). Each shape's batch
// is drawn once and given to every build in turn, BENCH_RUNS times (default 5), each after a
// VACUUM of the rollup tables; it reports the backend's CPU time (/proc) per 1,000 signals and
// fails unless every build leaves the same rollup rows. Prints its table, writes nothing.
import path from 'node:path';
import type { Client } from 'pg';
import { ADD_TO_DEMAND_ROLLUPS } from '../../src/modules/analytics/rollups.queries';
import { markdownTable } from '../eval/doc-section';
import { databaseUrl, withClient } from './datasets';
import { cpuMs, machine, median } from './harness';

/** The batch shapes, as the rows of the `inserted` CTE (relative to the newest signal stored). */
const SHAPES: Record<string, string> = {
  // Every signal (almost) another citizen's: keys and citizens of random signals of the last 30 days, on the last day.
  'citizens-1000': `SELECT citizen_id, category_id, district_code, age_band, kind,
                           date_trunc('day', l.last) + random() * interval '10 hours' AS occurred_at
                      FROM signal, (SELECT max(occurred_at) AS last FROM signal) l
                     WHERE occurred_at > l.last - interval '30 days' ORDER BY random() LIMIT 1000`,
  // A worker's chunk of the recordSignals benchmark's calls: 40 citizens × 500 signals, 400 × 50,
  // over the last 7 days, with the kinds and categories of random stored signals.
  'calls-500': calls(40, 500),
  'calls-50': calls(400, 50),
};

function calls(citizens: number, perCitizen: number): string {
  return `SELECT c.citizen_id, s.category_id, c.district_code, c.age_band, s.kind,
                 l.last - random() * interval '7 days' AS occurred_at
            FROM (SELECT DISTINCT ON (citizen_id) citizen_id, district_code, age_band FROM signal
                   WHERE citizen_id IN (SELECT id FROM citizen ORDER BY random() LIMIT ${citizens})
                   ORDER BY citizen_id, id DESC) c,
                 (SELECT max(occurred_at) AS last FROM signal) l,
                 LATERAL (SELECT category_id, kind FROM signal TABLESAMPLE BERNOULLI (1)
                           WHERE c.citizen_id IS NOT NULL ORDER BY random() LIMIT ${perCitizen}) s`;
}

const ROLLUP_TABLES = [
  'demand_daily',
  'demand_daily_citizen',
  'demand_day_change',
  'demand_area_daily',
  'demand_area_citizen',
  'demand_area_span',
  'demand_slice_daily',
  'demand_slice_span',
];
/** The tables compared between builds (demand_day_change's shards are random). */
const COMPARED = ROLLUP_TABLES.filter((table) => table !== 'demand_day_change');

interface Build {
  name: string;
  statement: string;
}

async function builds(): Promise<Build[]> {
  const others = (process.env.BENCH_BASELINE_ROOT ?? '').split(',').filter(Boolean);
  const list: Build[] = [{ name: 'this build', statement: ADD_TO_DEMAND_ROLLUPS }];
  for (const root of others) {
    const file = path.resolve(root, 'dist/src/modules/analytics/rollups.queries.js');
    const other = (await import(file)) as { ADD_TO_DEMAND_ROLLUPS: string };
    list.push({ name: path.basename(root), statement: other.ADD_TO_DEMAND_ROLLUPS });
  }
  return list;
}

/** Runs one build's statement over the batch, rolled back: CPU ms of the backend, and a digest of the rollup tables. */
async function applyOnce(db: Client, pid: number, build: Build): Promise<{ cpu: number; digest: string }> {
  await db.query(`VACUUM ${ROLLUP_TABLES.join(', ')}`);
  await db.query('BEGIN');
  try {
    const before = cpuMs(pid);
    await db.query(`WITH inserted AS MATERIALIZED (SELECT * FROM bench_batch), ${build.statement} SELECT 1`);
    const cpu = cpuMs(pid) - before;
    const digests: string[] = [];
    for (const table of COMPARED) {
      const { rows } = await db.query<{ digest: string }>(
        `SELECT count(*) || ':' || md5(string_agg(t::text, ',' ORDER BY t::text)) AS digest FROM ${table} t`,
      );
      digests.push(rows[0].digest);
    }
    return { cpu, digest: digests.join(' ') };
  } finally {
    await db.query('ROLLBACK');
  }
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? databaseUrl('minsheng_rollup_apply');
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const shapes = (process.env.BENCH_SHAPES ?? Object.keys(SHAPES).join(',')).split(',');
  const list = await builds();
  const rows: (string | number)[][] = [];
  await withClient(url, async (db) => {
    const { rows: backend } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    for (const shape of shapes) {
      await db.query('DROP TABLE IF EXISTS bench_batch');
      await db.query(`CREATE TEMP TABLE bench_batch AS ${SHAPES[shape]}`);
      const { rows: counted } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_batch');
      const signals = counted[0].n;
      const cpu = new Map(list.map((build) => [build.name, [] as number[]]));
      const digests = new Set<string>();
      for (let run = 0; run < runs; run += 1) {
        for (const build of list) {
          const result = await applyOnce(db, backend[0].pid, build);
          cpu.get(build.name)!.push((result.cpu * 1000) / signals);
          digests.add(result.digest);
        }
      }
      if (digests.size !== 1) throw new Error(`${shape}: the builds (or runs) left different rollup rows`);
      for (const build of list) {
        const perThousand = cpu.get(build.name)!;
        rows.push([
          shape,
          signals,
          build.name,
          perThousand.map((ms) => ms.toFixed(0)).join(', '),
          median(perThousand).toFixed(0),
        ]);
      }
      console.log(`${shape}: ${signals} signals, every build and run left the same rollup rows`);
    }
  });
  console.log(
    markdownTable(['batch', 'signals', 'build', 'PostgreSQL CPU ms / 1,000 signals, each run', 'median'], rows),
  );
  console.log(`${machine()}; ${new Date().toISOString()}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
