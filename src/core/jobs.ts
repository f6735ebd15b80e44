import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import {
  advisorySessionUnlock,
  tryAdvisorySessionLock,
  tryAdvisoryXactLock,
  tryAdvisoryXactLockPair,
} from './jobs.queries';
import type { RunningJob } from './module';

/** An advisory lock's key: one bigint, or a class and a key (the two-int form). */
export type AdvisoryLockKey = number | readonly [number, number];

/**
 * Runs `work` in one transaction that holds the transaction-level advisory lock `key`, unless
 * another session holds it: then null at once, without waiting. The lock ends with the
 * transaction, so a process that dies during a run leaves nothing held.
 */
export async function withAdvisoryXactLock<T>(
  dataSource: DataSource,
  key: AdvisoryLockKey,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T | null> {
  return dataSource.transaction(async (manager) => {
    const locked =
      typeof key === 'number'
        ? await tryAdvisoryXactLock(manager, key)
        : await tryAdvisoryXactLockPair(manager, key[0], key[1]);
    return locked ? work(manager) : null;
  });
}

const heldInProcess = new WeakMap<DataSource, Set<number>>();

/**
 * Runs `work` while holding the session-level advisory lock `key` (null at once when another
 * session holds it), for work too long for one transaction. On PostgreSQL the lock is held on
 * a connection of its own, which `work` does not use; the embedded database has a single
 * connection and a single process, so there the lock is kept in this process.
 */
export async function withAdvisorySessionLock<T>(
  database: { dataSource: DataSource; embedded: boolean },
  key: number,
  work: () => Promise<T>,
): Promise<T | null> {
  if (database.embedded) {
    let held = heldInProcess.get(database.dataSource);
    if (!held) heldInProcess.set(database.dataSource, (held = new Set()));
    if (held.has(key)) return null;
    held.add(key);
    try {
      return await work();
    } finally {
      held.delete(key);
    }
  }
  const runner = database.dataSource.createQueryRunner();
  await runner.connect();
  try {
    if (!(await tryAdvisorySessionLock(runner.manager, key))) return null;
    try {
      return await work();
    } finally {
      await advisorySessionUnlock(runner.manager, key);
    }
  } finally {
    await runner.release();
  }
}

/** What one run of a job is given. */
export interface JobRun {
  /** When the run began. */
  at: Date;
  /** The transaction that holds the job's lock (with `lockKey`), else the data source's manager. */
  manager: EntityManager;
}

/**
 * What a scheduled job does, apart from when: `startJob` runs it on a schedule, `runJobOnce`
 * once (command lines, tests, a run before the server starts).
 */
export interface ScheduledJob<T> {
  /** The job's name (`job` in its log lines). */
  name: string;
  /**
   * Each run is one transaction holding this advisory lock, and is skipped while another
   * session (another process) holds it; the key may depend on the run's time. Without it, the
   * run keeps to one process at a time itself, or needs not.
   */
  lockKey?: AdvisoryLockKey | ((at: Date) => AdvisoryLockKey);
  /** One run; null means nothing was done (another process had the work). */
  run: (run: JobRun) => Promise<T | null>;
  /** A run whose result says there is more (a full batch) is followed at once by another. */
  more?: (result: T) => boolean;
  /** A run whose result asks for the next one sooner than the schedule's interval: in how many ms. */
  nextRunMs?: (result: T) => number | undefined;
  /** The info line a run that did something logs (with its `ms`); null fields: no line. */
  done?: { message: string; fields: (result: T) => Record<string, unknown> | null };
  /** What a failed run logs; the job is run again at its next time. */
  failure: { message: string; level?: 'error' | 'warn' };
}

/** When a started job runs. */
export interface JobSchedule {
  /** From the end of one run to the start of the next; 0: only when nudged. */
  intervalMs: number;
  /** Before the first run (default: `intervalMs`). */
  firstRunMs?: number;
  /** From a nudge to its run (default 0). */
  nudgeDelayMs?: number;
}

/** A started job. */
export interface JobRunner extends RunningJob {
  /** Asks for a run within the schedule's `nudgeDelayMs`; a nudge during a run makes one more follow it. */
  nudge(): void;
  /** Stops the schedule and waits for the run in progress. */
  stop(): Promise<void>;
}

/** One run of `job` now, under its lock when it has one: its result, or null when skipped. */
export async function runJobOnce<T>(job: ScheduledJob<T>, dataSource: DataSource, at = new Date()): Promise<T | null> {
  if (job.lockKey === undefined) return job.run({ at, manager: dataSource.manager });
  const key = typeof job.lockKey === 'function' ? job.lockKey(at) : job.lockKey;
  return withAdvisoryXactLock(dataSource, key, (manager) => job.run({ at, manager }));
}

/** Node's timers take at most this many milliseconds; a longer wait is several of them. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs `job` on `schedule` until stopped: never two runs at once in this process (the lock
 * keeps other processes out), the next run `intervalMs` after the end of the last one, or at
 * once when the last said there was more or was nudged while it ran. A failed run is logged and
 * does not stop the schedule.
 */
export function startJob<T>(
  job: ScheduledJob<T>,
  schedule: JobSchedule,
  { dataSource, logger }: { dataSource: DataSource; logger: Logger },
): JobRunner {
  let stopped = false;
  let running: Promise<void> | null = null;
  let nudgedWhileRunning = false;
  let timer: NodeJS.Timeout | undefined;
  let dueAt = Number.POSITIVE_INFINITY;

  /** The schedule's wait between runs; null: only when nudged. */
  const interval = schedule.intervalMs > 0 ? schedule.intervalMs : null;

  /** The wait after a run: none when it says there is more, else the interval or the sooner time its result asks for. */
  const waitAfter = (result: T): number | null => {
    if (job.more?.(result)) return 0;
    const sooner = job.nextRunMs?.(result);
    return sooner !== undefined && (interval === null || sooner < interval) ? sooner : interval;
  };

  /** One run, logged; how long until the next (null: until nudged). */
  const runLogged = async (): Promise<number | null> => {
    const started = Date.now();
    try {
      const result = await runJobOnce(job, dataSource);
      if (result === null) return interval;
      const fields = job.done?.fields(result);
      if (fields) logger.info({ job: job.name, ...fields, ms: Date.now() - started }, job.done!.message);
      return waitAfter(result);
    } catch (error) {
      logger[job.failure.level ?? 'error']({ job: job.name, err: error }, job.failure.message);
      return interval;
    }
  };

  const fire = (): void => {
    const wait = dueAt - Date.now();
    if (wait > 0) {
      timer = setTimeout(fire, Math.min(wait, LONGEST_TIMER_MS)).unref();
      return;
    }
    timer = undefined;
    dueAt = Number.POSITIVE_INFINITY;
    nudgedWhileRunning = false;
    running = runLogged().then((waitMs) => {
      running = null;
      if (nudgedWhileRunning) runIn(0);
      else if (waitMs !== null) runIn(waitMs);
    });
  };

  /** Sets the next run `delayMs` from now, unless one is set sooner. */
  const runIn = (delayMs: number): void => {
    if (stopped || Date.now() + delayMs >= dueAt) return;
    clearTimeout(timer);
    dueAt = Date.now() + delayMs;
    timer = setTimeout(fire, Math.min(delayMs, LONGEST_TIMER_MS)).unref();
  };

  const first = schedule.firstRunMs ?? schedule.intervalMs;
  if (schedule.firstRunMs !== undefined || schedule.intervalMs > 0) runIn(first);
  return {
    nudge() {
      if (stopped) return;
      if (running) nudgedWhileRunning = true;
      else runIn(schedule.nudgeDelayMs ?? 0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
