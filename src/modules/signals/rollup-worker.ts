import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { startJob, type ScheduledJob } from '../../core/jobs';
import { rebuildDemandRollups, type RebuiltRollups } from '../analytics/rollups';
import { rebuildMatchingAggregates } from '../matching/aggregates';
import { rebuildServiceActivity } from './service-activity.backfill';
import { lockDerivedTables, type RollupWatermark } from './signal-log';
import {
  advanceWatermark,
  applySignals,
  pendingChunk,
  pendingSignalAges,
  readRunStart,
  tryWorkerLock,
  waitForWorkerLock,
  watermarkToSnapshot,
  WORKER_SQL_TAG,
} from './signals.queries';

/**
 * The rollup worker: the derived tables of the signal log (demand and area rollups,
 * per-service daily activity, matching aggregates) are maintained here, off the request path,
 * by consuming the signals past the watermark (`signal_rollup_watermark`). docs/analytics.md,
 * "The rollup worker", explains the watermark.
 */

export { WORKER_SQL_TAG };
/** The most signals one run applies in one transaction; the rest waits for the next run. */
export const ROLLUP_CHUNK = 20_000;

export interface AppliedRollups {
  /** Signals added to the derived tables by this run. */
  applied: number;
  /** The watermark after the run (a transaction id, as text). */
  appliedBelow: string;
}

/**
 * Adds the committed signals past the watermark to every derived table and moves the
 * watermark past them, in one transaction: exactly once, also when the process dies halfway
 * (the transaction rolls back and the next run does it). Null when another run holds the lock
 * (`wait: false`).
 *
 * A run reads one snapshot of the server's transactions: the signals of every transaction that
 * had ended in it are applied, and the ids of those still running (below the new watermark)
 * are kept in `pending_xids` for the next run. No running transaction holds the worker back,
 * not even one in another database of the server. With more than ROLLUP_CHUNK signals past the
 * watermark, a run ends at the transaction of the ROLLUP_CHUNK-th of them.
 */
export async function applyPendingRollups(
  dataSource: DataSource,
  options: { wait?: boolean } = {},
): Promise<AppliedRollups | null> {
  // Its own connection and tagged transaction statements, so that statement counters can leave the worker out.
  const runner = dataSource.createQueryRunner();
  /* eslint-disable no-restricted-syntax -- the transaction's own boundaries, which are the worker's */
  try {
    await runner.query(`${WORKER_SQL_TAG} BEGIN`);
    try {
      const result = await applyPendingRollupsIn(runner.manager, options);
      await runner.query(`${WORKER_SQL_TAG} COMMIT`);
      return result;
    } catch (error) {
      await runner.query(`${WORKER_SQL_TAG} ROLLBACK`).catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
  /* eslint-enable no-restricted-syntax */
}

/** One run inside the caller's transaction (which must commit for it to count). */
export async function applyPendingRollupsIn(
  tx: EntityManager,
  { wait = true }: { wait?: boolean },
): Promise<AppliedRollups | null> {
  if (wait) await waitForWorkerLock(tx);
  else if (!(await tryWorkerLock(tx))) return null;
  // The snapshot is read before this transaction writes anything (it has no xid of its own yet).
  const run = await readRunStart(tx);
  const { chunkEnd, due } = await pendingChunk(tx, run, ROLLUP_CHUNK);
  if (!due) return { applied: 0, appliedBelow: run.from };
  // A chunk ends at a transaction boundary: all of one transaction's signals go in one run.
  const through = chunkEnd ?? (BigInt(run.xmax) - 1n).toString();
  const applied = await applySignals(tx, run, through);
  const next = nextWatermark(run, through);
  await advanceWatermark(tx, next, applied);
  return { applied, appliedBelow: next.appliedBelow };
}

/**
 * The watermark after a run that applied, of the transactions that had ended in its snapshot,
 * those left pending before and those from the watermark through `through`: still pending are
 * the ones that were running, from either group.
 */
export function nextWatermark(
  run: { from: string; pending: readonly string[]; running: readonly string[] },
  through: string,
): RollupWatermark {
  const from = BigInt(run.from);
  const last = BigInt(through);
  const wasPending = new Set(run.pending);
  const pendingXids = run.running.filter((xid) => wasPending.has(xid) || (BigInt(xid) >= from && BigInt(xid) <= last));
  const appliedBelow = last + 1n > from ? last + 1n : from;
  return { appliedBelow: appliedBelow.toString(), pendingXids };
}

/** Applies until no signal of an ended transaction is pending (tests, CLIs, shutdown). */
export async function drainRollups(dataSource: DataSource): Promise<number> {
  let total = 0;
  for (;;) {
    const run = await applyPendingRollups(dataSource);
    total += run?.applied ?? 0;
    if (!run || run.applied < ROLLUP_CHUNK) return total;
  }
}

export interface RollupWorker {
  /** Asks for a run soon (after a batch of signals committed); runs coalesce. */
  nudge(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

const workers = new WeakMap<DataSource, RollupWorker>();

/** Nudges this process's worker for the database, if it runs one. */
export function nudgeRollupWorker(dataSource: DataSource): void {
  workers.get(dataSource)?.nudge();
}

/**
 * When scheduled runs wait: while signals keep arriving (the newest was received less than
 * `quietMs` ago), the derived tables wait for a pause in the burst, at most `maxLagMs` after the
 * oldest signal they lack was received (0: never wait). A run costs the database more than
 * the inserts of the signals it applies, so during a burst it would halve the rate at which
 * the log takes signals; it applies them after, in larger and cheaper runs. A stream that
 * leaves fewer than `smallBacklog` signals pending waits at most `smallBacklogLagMs`: its runs
 * are cheap, and in a young city the rankings' popularity and segment demand are these
 * tables, which would otherwise stay empty for the whole of a first steady stream. Exact
 * reads add what it has not applied, whatever the lag. Runs that are asked for
 * (drainRollups, rebuilds) never wait.
 */
export interface WorkerPacing {
  quietMs: number;
  maxLagMs: number;
  smallBacklog: number;
  smallBacklogLagMs: number;
}

export const DEFAULT_PACING: WorkerPacing = {
  quietMs: 250,
  maxLagMs: 10_000,
  smallBacklog: 2_000,
  smallBacklogLagMs: 1_000,
};

/**
 * How long ago (ms) the newest and the oldest pending signals were received, and how many are
 * pending (counted up to smallBacklog); null when none is.
 */
export type PendingAges = Awaited<ReturnType<typeof pendingSignalAges>>;

/**
 * How long (ms) a scheduled run should still wait, from the database's view of the signals: 0
 * unless signals are arriving (the newest younger than quietMs) and the oldest pending is
 * younger than the lag allowed, else the time until that lag is reached.
 */
export function burstWaitMs(ages: PendingAges, pacing: WorkerPacing): number {
  if (pacing.maxLagMs <= 0 || ages === null || ages.newestMs >= pacing.quietMs) return 0;
  const lagMs =
    ages.pending < pacing.smallBacklog ? Math.min(pacing.maxLagMs, pacing.smallBacklogLagMs) : pacing.maxLagMs;
  return Math.max(0, lagMs - ages.oldestMs);
}

/**
 * The worker's pacing within a process, asking the database as little as a burst allows. While
 * this process keeps inserting signals (its last insert less than quietMs ago), a burst is
 * known to go on, and until the lag the last look at the database allowed has passed, a run
 * waits without asking again; otherwise it reads the signals' ages (`pendingSignalAges`). Under
 * a steady stream of calls the worker was nudged after nearly every call and asked after each
 * answer, tens of times a second: a read of 1–15 ms of PostgreSQL CPU each time, about a third
 * of what a call of 50 signals cost it. A run's deadline taken from an oldest signal that
 * another process's worker has since applied only comes early: that run asks again.
 */
export class BurstPacer {
  private lastInsertAt = Number.NEGATIVE_INFINITY;
  private waitsUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly pacing: WorkerPacing,
    private readonly readAges: () => Promise<PendingAges>,
    private readonly now: () => number = Date.now,
  ) {}

  /** This process has just inserted signals. */
  inserted(): void {
    this.lastInsertAt = this.now();
  }

  /** Whether a scheduled run should wait now. */
  async waits(): Promise<boolean> {
    if (this.pacing.maxLagMs <= 0) return false;
    const now = this.now();
    if (now - this.lastInsertAt < this.pacing.quietMs && now < this.waitsUntil) return true;
    const waitMs = burstWaitMs(await this.readAges(), this.pacing);
    this.waitsUntil = waitMs > 0 ? now + waitMs : Number.NEGATIVE_INFINITY;
    return waitMs > 0;
  }
}

/**
 * The worker as a scheduled job: one run applies what is pending, under the worker's lock
 * (skipped while another process runs it, or while a burst of signals lasts: WorkerPacing,
 * BurstPacer); a full chunk is followed at once by another run.
 */
function rollupWorkerJob(dataSource: DataSource, pacer: BurstPacer): ScheduledJob<AppliedRollups> {
  return {
    name: 'rollup-worker',
    run: async () => ((await pacer.waits()) ? null : applyPendingRollups(dataSource, { wait: false })),
    more: (result) => result.applied >= ROLLUP_CHUNK,
    failure: { message: 'rollup worker run failed' },
  };
}

/**
 * Runs the worker every `intervalMs` (signals written by other processes or COPY) and a
 * quiet period after each nudge (signals written here), paced by `pacing`. A nudge during a
 * run makes one more run follow it.
 */
export function startRollupWorker(
  dataSource: DataSource,
  logger: Logger,
  intervalMs: number,
  pacing: Partial<WorkerPacing> = {},
): RollupWorker {
  const paced = { ...DEFAULT_PACING, ...pacing };
  const pacer = new BurstPacer(paced, () => pendingSignalAges(dataSource.manager, paced.smallBacklog));
  const runner = startJob(
    rollupWorkerJob(dataSource, pacer),
    { intervalMs, nudgeDelayMs: paced.quietMs },
    { dataSource, logger },
  );
  const worker: RollupWorker = {
    nudge: () => {
      pacer.inserted();
      runner.nudge();
    },
    async stop() {
      await runner.stop();
      workers.delete(dataSource);
    },
  };
  workers.set(dataSource, worker);
  return worker;
}

export interface RebuiltDerivedTables extends RebuiltRollups {
  activityRows: number;
}

/**
 * Moves the watermark past every transaction that has ended and recomputes every derived table
 * from the signals below it, in one transaction under the worker's lock: after a bulk load
 * (COPY), far cheaper than the worker applying millions of signals in chunks.
 */
export async function rebuildDerivedTables(db: EntityManager): Promise<RebuiltDerivedTables> {
  return db.transaction(async (tx) => {
    await lockDerivedTables(tx);
    // Everything that had ended in this snapshot, and this transaction's own signals (a seed
    // that loaded them in it: they commit with the rebuild), is recounted; the rest is pending.
    await watermarkToSnapshot(tx);
    const activityRows = await rebuildServiceActivity(tx);
    await rebuildMatchingAggregates(tx);
    const rollups = await rebuildDemandRollups(tx);
    return { activityRows, ...rollups };
  });
}
