import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One process at a time on an embedded data directory. PGlite keeps no lock of its own (its
 * postmaster.pid names a fixed fake pid), so a second server, or a maintenance script such as
 * `npm run report`, opened on the directory of a running server would write the same files
 * from a second copy of the database: each sees only its own writes, and what the other
 * acknowledged is lost at the next start (five profiles written through a second server were
 * gone after a restart). The lock is a file in the directory naming the process that holds it;
 * a holder that is no longer running (killed, crashed) leaves a stale file that the next start
 * takes over.
 */
export const DATA_DIR_LOCK_FILE = 'minsheng.lock';

export interface LockHolder {
  pid: number;
  /** Linux: the process's start time in clock ticks since boot (/proc/<pid>/stat), telling a reused pid apart. */
  startTicks: number | null;
  host: string;
  since: string;
}

export class DataDirectoryInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${holder.pid} (since ${holder.since}). ` +
        'Only one process may open it: stop that server (or script) first, or give this one its own DATA_DIR, ' +
        'or use PostgreSQL (DATABASE_URL) to run several.',
    );
    this.name = 'DataDirectoryInUseError';
  }
}

/** A process's start time in clock ticks since boot, where /proc tells it (Linux); else null. */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22 of the whole line
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** Whether the process the lock names is still the one running under its pid. */
export function holderIsRunning(holder: LockHolder): boolean {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0 || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: a process of another user runs under that pid.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (holder.startTicks === null) return true;
  const ticks = processStartTicks(holder.pid);
  return ticks === null || ticks === holder.startTicks;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function parseHolder(text: string | null): LockHolder | null {
  try {
    const holder = JSON.parse(text ?? '') as LockHolder;
    return typeof holder?.pid === 'number' ? holder : null;
  } catch {
    return null;
  }
}

/**
 * Takes the data directory's lock for this process, or throws DataDirectoryInUseError naming
 * the running process that holds it. Returns the release, which removes the file if it is
 * still this process's.
 */
export function lockDataDirectory(dataDir: string): () => void {
  const file = path.join(dataDir, DATA_DIR_LOCK_FILE);
  const mine: LockHolder = {
    pid: process.pid,
    startTicks: processStartTicks(process.pid),
    host: os.hostname(),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt += 1) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = readText(file);
    const holder = parseHolder(text);
    if (holder && holderIsRunning(holder)) throw new DataDirectoryInUseError(dataDir, holder);
    // Still taken after two takeovers: another process starting at the same moment won.
    if (attempt >= 2) throw new DataDirectoryInUseError(dataDir, parseHolder(readText(file)) ?? mine);
    // Left by a process that is gone (or unreadable): take it over, unless another process
    // starting at the same moment has just done so.
    if (readText(file) !== text) continue;
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return () => {
    const holder = parseHolder(readText(file));
    if (holder?.pid === mine.pid && holder.since === mine.since) {
      try {
        unlinkSync(file);
      } catch {
        // Already gone.
      }
    }
  };
}
