import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { adminQuery, TEST_JWT_SECRET } from './test-app';

const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = path.join(ROOT, 'dist', 'src', 'index.js');
const SERVING = 'Minsheng is serving GraphQL';

/** One pino JSON line of the server's stdout. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  /** The GraphQL endpoint, `http://127.0.0.1:<port>/graphql`. */
  url: string;
  /** `http://127.0.0.1:<port>`, for /readyz, /healthz and /metrics. */
  origin: string;
  child: ChildProcess;
  /** Every JSON line written to stdout so far (lines that are not JSON are in `output`). */
  logs: LogLine[];
  output: string[];
  /** Resolves with the first log line (already written or still to come) that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Settles when the process has exited. */
  exited: Promise<ProcessExit>;
  /** SIGTERM, then the exit (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<ProcessExit>;
}

export interface StartOptions {
  /** How long to wait for the first "serving" line and a green /readyz. */
  startTimeoutMs?: number;
  /** Log lines saying the server serves, before it counts as started (one per worker). */
  servingLines?: number;
}

/** The built server as a child process, in test mode with the test JWT secret, on a free port unless `env.PORT` says. */
function spawnServer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a child's stdout log lines (and its other output), and waits for a line. */
function readLogs(child: ChildProcess): Pick<ServerProcess, 'logs' | 'output' | 'waitForLog'> {
  const logs: LogLine[] = [];
  const output: string[] = [];
  const waiters = new Set<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }>();
  const take = (text: string) => {
    let line: LogLine | undefined;
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && typeof parsed.msg === 'string') line = parsed;
    } catch {
      // not a log line
    }
    if (!line) return void output.push(text);
    logs.push(line);
    for (const waiter of waiters) {
      if (waiter.match(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  };
  createInterface({ input: child.stdout! }).on('line', take);
  createInterface({ input: child.stderr! }).on('line', (text) => output.push(text));

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = 10_000) => {
    const found = logs.find(match);
    if (found) return Promise.resolve(found);
    return new Promise<LogLine>((resolve, reject) => {
      const waiter = { match, resolve: (line: LogLine) => (clearTimeout(timer), resolve(line)) };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching log line within ${timeoutMs} ms; output:\n${tail(logs, output)}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };
  return { logs, output, waitForLog };
}

/** Waits for /readyz to answer 200, until `deadline` (epoch ms). */
async function waitUntilReady(origin: string, deadline: number, timeoutMs: number): Promise<void> {
  for (;;) {
    const ready = await fetch(`${origin}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (ready === 200) return;
    if (Date.now() > deadline) throw new Error(`/readyz not green within ${timeoutMs} ms (last ${ready})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts the built server (dist/src/index.js, built by jest's globalSetup) as its own
 * process, in test mode with the test JWT secret, listening on a free port of 127.0.0.1
 * unless `env.PORT` says otherwise; resolves once it logs that it serves and /readyz is 200.
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: StartOptions = {},
): Promise<ServerProcess> {
  const { startTimeoutMs = 60_000, servingLines = 1 } = options;
  const child = spawnServer(env);
  const { logs, output, waitForLog } = readLogs(child);
  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const stop = async (timeoutMs = 30_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  };

  try {
    const started = Date.now();
    const servingCount = () => logs.filter((line) => line.msg === SERVING).length;
    await Promise.race([
      waitForLog(() => servingCount() >= servingLines, startTimeoutMs),
      exited.then((exit) => {
        throw new Error(`server exited (${JSON.stringify(exit)}) before serving; output:\n${tail(logs, output)}`);
      }),
    ]);
    const serving = logs.find((line) => line.msg === SERVING)!;
    const url = String(serving.url);
    const origin = new URL(url).origin;
    await waitUntilReady(origin, started + startTimeoutMs, startTimeoutMs);
    return { url, origin, child, logs, output, waitForLog, exited, stop };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

function tail(logs: LogLine[], output: string[]): string {
  return [...logs.slice(-10).map((l) => JSON.stringify(l)), ...output.slice(-10)].join('\n');
}

/** A database for server processes, and how to remove it afterwards. */
export interface ProcessDatabase {
  kind: 'pglite' | 'postgres';
  /** DATABASE_URL, or DATA_DIR of the embedded database. */
  env: Record<string, string>;
  /** The PostgreSQL URL (postgres only), for checks from the test. */
  url?: string;
  /** Rows of one statement; on the embedded database only while no server process has it open. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/**
 * A fresh database on the PostgreSQL server of TEST_DATABASE_URL when it is set, else a
 * temporary data directory for the embedded database.
 */
export async function createProcessDatabase(): Promise<ProcessDatabase> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (baseUrl) {
    const name = `minsheng_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    await adminQuery(baseUrl, `CREATE DATABASE ${name}`);
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    return {
      kind: 'postgres',
      env: { DATABASE_URL: url.toString() },
      url: url.toString(),
      async query<T>(sql: string, params: unknown[] = []) {
        const client = new Client({ connectionString: url.toString() });
        await client.connect();
        try {
          return (await client.query(sql, params)).rows as T[];
        } finally {
          await client.end();
        }
      },
      drop: () => adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'minsheng-process-'));
  return {
    kind: 'pglite',
    env: { DATA_DIR: dataDir },
    async query<T>(sql: string, params: unknown[] = []) {
      const db = new PGlite(dataDir);
      try {
        return (await db.query<T>(sql, params)).rows;
      } finally {
        await db.close();
      }
    },
    drop: () => rm(dataDir, { recursive: true, force: true }),
  };
}
