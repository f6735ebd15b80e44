import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { Granularity } from '../analytics/analytics.types';
import { addDays, cityDayOf, cityMidnight, periodStartOf } from '../analytics/periods';
import { ReportTrigger } from './report.types';
import { jobContext, storeReport } from './reports.service';
import { withManager } from '../../core/context';

/** Advisory lock class of the report job; the second key is the period (its start in epoch minutes). */
const LOCK_CLASS = 0x6d73_7270; // "msrp"

const GRANULARITY = { day: Granularity.DAY, week: Granularity.WEEK, month: Granularity.MONTH } as const;

/** The last complete period before `now`: [start, end) at city (Asia/Shanghai) midnights. */
export function lastCompletePeriod(now: Date, period: Config['reportPeriod']): { start: Date; end: Date } {
  const granularity = GRANULARITY[period];
  const current = periodStartOf(cityDayOf(now), granularity);
  const previous = periodStartOf(addDays(current, -1), granularity);
  return { start: cityMidnight(previous), end: cityMidnight(current) };
}

export type DueOutcome = 'built' | 'exists' | 'locked';

/**
 * Builds the report of the last complete period unless it is stored: in one transaction that
 * holds an advisory lock on the period (a second process skips instead of building it twice), checks that
 * no report of the period exists, builds it and inserts it (the unique period refuses a
 * duplicate even from a process that does not take the lock). All or nothing.
 */
export async function runDueReport(
  dataSource: DataSource,
  config: Config,
  logger: Logger,
  now = new Date(),
): Promise<DueOutcome> {
  const { start, end } = lastCompletePeriod(now, config.reportPeriod);
  const base = jobContext(dataSource, config, logger);
  return dataSource.transaction(async (manager) => {
    const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1::int, $2::int) AS locked', [
      LOCK_CLASS,
      Math.floor(start.getTime() / 60_000) % 2 ** 31,
    ]);
    if (!locked) return 'locked';
    const report = await storeReport(withManager(base, manager), start, end, ReportTrigger.SCHEDULED);
    if (report)
      logger.info(
        { reportId: report.id, periodStart: start, periodEnd: end, findings: report.findings.length },
        'built the scheduled catalogue report',
      );
    return report ? 'built' : 'exists';
  });
}

/**
 * Checks every `reportCheckSeconds` (and once at start) whether the last period's report is
 * due; a failed build is logged and retried at the next check. Returns a stop function that
 * waits for a running build.
 */
export function scheduleReports(dataSource: DataSource, config: Config, logger: Logger): () => Promise<void> {
  if (!config.reportSchedule) return async () => {};
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = runDueReport(dataSource, config, logger)
      .catch((error) => logger.error({ err: error }, 'scheduled catalogue report failed; retrying at the next check'))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(tick, 0);
  const timer = setInterval(tick, config.reportCheckSeconds * 1000);
  first.unref();
  timer.unref();
  logger.info({ period: config.reportPeriod, checkSeconds: config.reportCheckSeconds }, 'catalogue reports scheduled');
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
