import { randomUUID } from 'node:crypto';
import { GraphQLClient } from 'graphql-request';
import pino from 'pino';
import { Client } from 'pg';
import type { DataSource, Logger as SqlLogger } from 'typeorm';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { drainRollups, WORKER_SQL_TAG } from '../../src/modules/signals/rollup-worker';
import { Role, signToken } from '../../src/core/auth';

export const TEST_JWT_SECRET = 'minsheng-test-secret-minsheng-test-secret';

/**
 * Reads of the process's periodic caches, which whatever request comes after their time pays
 * for, so that on a slow machine they can fall inside any measured request: the catalogue
 * snapshot's version check and rebuild, the copies of the reference tables (read again every
 * minute), the active ranking model's check, the stored need associations.
 */
const PERIODIC_REFRESHES = [
  /AS version\b/,
  /JOIN category c ON c\.id = s\.category_id/,
  /min\(published_at\) AS "firstLoadedAt"/,
  /^SELECT "(Category|Department|District)"\.[\s\S]* FROM "(category|department|district)" "\1"$/,
  /FROM ranking_model WHERE active/,
  /FROM learned_association$/,
];

/**
 * The statements one request costs once the process's caches are warm: the fewest over
 * `tries` runs, less the periodic refreshes. A refresh of a cache not listed above, due while
 * the machine is slow, can fall inside one run but not inside all of them; a statement per
 * row of the page (N+1) is in every run.
 */
export async function steadyStatementsOf(
  counter: StatementCounter,
  request: () => Promise<unknown>,
  tries = 3,
): Promise<number> {
  let fewest = Infinity;
  for (let i = 0; i < tries; i += 1) {
    counter.reset();
    await request();
    fewest = Math.min(fewest, counter.requestStatements().length);
  }
  return fewest;
}

/** Counts SQL statements sent by the application, to prove the absence of N+1 queries. */
export class StatementCounter implements SqlLogger {
  count = 0;
  statements: string[] = [];
  parameters: unknown[][] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    // The rollup worker runs in the background, nudged by signal inserts: not the request's statements.
    if (query.startsWith(WORKER_SQL_TAG)) return;
    this.count += 1;
    this.statements.push(query);
    this.parameters.push(parameters ?? []);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
  /** The statements since the last reset, less the periodic refreshes of the process's caches. */
  requestStatements(): string[] {
    return this.statements.filter((sql) => !PERIODIC_REFRESHES.some((refresh) => refresh.test(sql)));
  }
  reset(): void {
    this.count = 0;
    this.statements = [];
    this.parameters = [];
  }
}

export interface TestApp {
  app: App;
  url: string;
  db: DataSource;
  statements: StatementCounter;
  /** Which database this run uses, for test names and messages. */
  databaseKind: 'pglite' | 'postgres';
  token(role: Role, options?: { sub?: string; dept?: string }): Promise<string>;
  client(token?: string): GraphQLClient;
  /** Runs the rollup worker until nothing committed is pending; returns the signals it applied. */
  applyRollups(): Promise<number>;
  stop(): Promise<void>;
}

/** Runs one statement on the server of `url` (CREATE/DROP/ALTER DATABASE and the like). */
export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database on the PostgreSQL server of TEST_DATABASE_URL, with the way to drop it;
 * without TEST_DATABASE_URL, nothing (the caller opens an in-memory PGlite).
 */
export async function scratchDatabase(): Promise<{ databaseUrl?: string; dropDatabase?: () => Promise<void> }> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) return {};
  const name = `minsheng_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await adminQuery(baseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    dropDatabase: () => adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * Starts the real server on a fresh database: an in-memory PGlite by default, or a new
 * database on the PostgreSQL server of TEST_DATABASE_URL (dropped again by stop()).
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { databaseUrl, dropDatabase } = await scratchDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET: TEST_JWT_SECRET,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const statements = new StatementCounter();
  const app = await startApp(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), {
    inMemory: !databaseUrl,
    sqlLogger: statements,
  });
  return {
    app,
    url: app.server.url,
    db: app.database.dataSource,
    statements,
    databaseKind: databaseUrl ? 'postgres' : 'pglite',
    token: (role, options = {}) =>
      signToken({ sub: options.sub ?? randomUUID(), role, dept: options.dept }, TEST_JWT_SECRET),
    client: (token) =>
      new GraphQLClient(app.server.url, token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    applyRollups: () => drainRollups(app.database.dataSource),
    async stop() {
      await app.stop();
      await dropDatabase?.();
    },
  };
}
