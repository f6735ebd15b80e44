// A PostgreSQL primary and its streaming replica, started by a test in a scratch directory
// (initdb + pg_ctl on free ports, the replica from pg_basebackup -R), so that replication is
// allowed whatever the shared server's pg_hba.conf says. Run as root, the server programs run
// as the `postgres` user (PostgreSQL refuses root). `stop()` removes everything, and is safe
// to call after a failed start.
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** The newest PostgreSQL server programs installed (Debian layout), else those on the PATH. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return '';
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : '';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The settings appended to each server's postgresql.conf: its port, loopback only, replication on. */
function serverSettings(port: number, dir: string): string {
  return (
    `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\n` +
    `fsync = off\nshared_buffers = 32MB\nmax_connections = 60\nwal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n`
  );
}

/** Until the replica has replayed everything the primary has written so far. */
async function waitForReplay(primaryUrl: string, replicaUrl: string, timeoutMs: number): Promise<void> {
  // A commit of its own, so that the replica's last replayed transaction is from now.
  const [{ lsn }] = await query<{ lsn: string }>(
    primaryUrl,
    'SELECT txid_current(), pg_current_wal_lsn()::text AS lsn',
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ caughtUp }] = await query<{ caughtUp: boolean }>(
      replicaUrl,
      `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS "caughtUp"`,
    );
    if (caughtUp) return;
    if (Date.now() > deadline) throw new Error(`the replica did not replay ${lsn} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface ScratchCluster {
  primaryUrl: string;
  replicaUrl: string;
  /** Until the replica has replayed everything the primary has written so far. */
  waitForReplay(timeoutMs?: number): Promise<void>;
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** Stops both servers and removes the directory. */
  stop(): Promise<void>;
}

/** Starts the pair; whatever was started is stopped and removed again if a step fails. */
export async function startScratchCluster(): Promise<ScratchCluster> {
  const bin = binDir();
  const program = (name: string) => (bin ? path.join(bin, name) : name);
  const asRoot = process.getuid?.() === 0;
  const exec = async (name: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', program(name), ...args]] : [program(name), args];
    return run(file, argv, { timeout: 120_000 });
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'minsheng-replica-'));
  if (asRoot) {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    chownSync(dir, Number(uid.stdout), Number(gid.stdout));
  }
  const primaryDir = path.join(dir, 'primary');
  const replicaDir = path.join(dir, 'replica');
  const started: string[] = [];
  const pgCtl = (dataDir: string, ...args: string[]) => exec('pg_ctl', ['-D', dataDir, '-w', '-t', '60', ...args]);
  const stop = async () => {
    for (const dataDir of started.splice(0).reverse()) {
      await pgCtl(dataDir, '-m', 'immediate', 'stop').catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];
    await exec('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
    appendFileSync(path.join(primaryDir, 'postgresql.conf'), serverSettings(primaryPort, dir));
    await pgCtl(primaryDir, '-l', path.join(dir, 'primary.log'), 'start');
    started.push(primaryDir);
    await exec('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      replicaDir,
      '-R',
      '-X',
      'stream',
    ]);
    appendFileSync(path.join(replicaDir, 'postgresql.conf'), serverSettings(replicaPort, dir));
    const startReplica = async () => {
      await pgCtl(replicaDir, '-l', path.join(dir, 'replica.log'), 'start');
      if (!started.includes(replicaDir)) started.push(replicaDir);
    };
    await startReplica();
    const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
    const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/postgres`;
    return {
      primaryUrl,
      replicaUrl,
      waitForReplay: (timeoutMs = 30_000) => waitForReplay(primaryUrl, replicaUrl, timeoutMs),
      pauseReplay: async () => void (await query(replicaUrl, 'SELECT pg_wal_replay_pause()')),
      resumeReplay: async () => void (await query(replicaUrl, 'SELECT pg_wal_replay_resume()')),
      stopReplica: async () => void (await pgCtl(replicaDir, '-m', 'fast', 'stop')),
      startReplica,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
