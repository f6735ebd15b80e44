// The benchmark databases on the local PostgreSQL: loaded by the seed generator when missing
// or empty, reused when present.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { ROOT } from './harness';

export const PG = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

export interface DatasetSpec {
  database: string;
  citizens: number;
  signals: number;
  services: number;
}

/** The city scale of issue 8, and the tenth of it the analytics figures compare against. */
export const CITY: DatasetSpec = { database: 'minsheng_bench', citizens: 200_000, signals: 5_000_000, services: 2_000 };
export const CITY_TENTH: DatasetSpec = {
  database: 'minsheng_bench_500k',
  citizens: 20_000,
  signals: 500_000,
  services: 2_000,
};

export const databaseUrl = (database: string): string => `${PG}/${database}`;

export function seedCommand(spec: DatasetSpec): string {
  return `npm run seed -- --citizens ${spec.citizens} --signals ${spec.signals} --services ${spec.services} --seed 42`;
}

/** `work` on a connection of its own to `url`, closed afterwards whatever happens. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function createDatabase(database: string, { dropFirst = false } = {}): Promise<void> {
  await withClient(databaseUrl('postgres'), async (client) => {
    if (dropFirst) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
  });
}

/** Runs the built seed generator (dist/seeds/seed-cli.js) against `url`, its output on ours. */
export function runSeed(url: string, spec: Omit<DatasetSpec, 'database'>): Promise<void> {
  const args = ['--citizens', spec.citizens, '--signals', spec.signals, '--services', spec.services, '--seed', 42].map(
    String,
  );
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'seeds', 'seed-cli.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seed exited with ${code}`))));
  });
}

export interface DatasetSize {
  citizens: number;
  signals: number;
  services: number;
}

export async function datasetSize(url: string): Promise<DatasetSize | null> {
  return withClient(url, async (client) => {
    const [{ migrated }] = (await client.query(`SELECT to_regclass('public.signal') IS NOT NULL AS migrated`)).rows;
    if (!migrated) return null;
    const [row] = (
      await client.query(`SELECT (SELECT count(*) FROM citizen)::int AS citizens, (SELECT count(*) FROM signal)::int AS signals,
                                 (SELECT count(*) FROM service WHERE status = 'PUBLISHED')::int AS services`)
    ).rows;
    return row;
  });
}

/**
 * The URL of the dataset `spec` (or `override`, a URL given by the caller, used as it is):
 * created and seeded when the database is missing or has no citizens, reused otherwise.
 */
export async function ensureDataset(spec: DatasetSpec, override?: string): Promise<{ url: string; size: DatasetSize }> {
  if (override) {
    const size = await datasetSize(override);
    if (!size?.citizens) throw new Error(`${override} has no citizens: load it with ${seedCommand(spec)}`);
    return { url: override, size };
  }
  const url = databaseUrl(spec.database);
  await createDatabase(spec.database);
  let size = await datasetSize(url);
  if (!size?.citizens) {
    console.log(`loading ${spec.database}: ${seedCommand(spec)}`);
    await runSeed(url, spec);
    size = (await datasetSize(url))!;
  } else if (size.signals < spec.signals * 0.99 || size.services < spec.services) {
    console.warn(
      `${spec.database} holds ${size.citizens} citizens, ${size.signals} signals, ${size.services} services (expected ${seedCommand(spec)})`,
    );
  }
  return { url, size };
}
