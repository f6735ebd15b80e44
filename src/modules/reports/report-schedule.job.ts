import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { Granularity } from '../analytics/analytics.types';
import { addDays, cityDayOf, cityMidnight, periodStartOf } from '../analytics/periods';
import { ReportTrigger } from './report.types';
import { jobContext, storeReport } from './reports.service';
import { withManager } from '../../core/context';
import { runJobOnce, type ScheduledJob } from '../../core/jobs';

/** Advisory lock class of the report job. */
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
 * Builds the report of the last complete period (at the run's time) unless it is stored: in one
 * transaction that holds an advisory lock on the period (a second process skips instead of
 * building it twice), checks that no report of the period exists, builds it and inserts it (the
 * unique period refuses a duplicate even from a process that does not take the lock). All or nothing.
 */
export function reportScheduleJob(dataSource: DataSource, config: Config, logger: Logger): ScheduledJob<DueOutcome> {
  const base = jobContext(dataSource, config, logger);
  return {
    name: 'report-schedule',
    // The lock's second key is the period (its start in epoch minutes).
    lockKey: (at) => [
      LOCK_CLASS,
      Math.floor(lastCompletePeriod(at, config.reportPeriod).start.getTime() / 60_000) % 2 ** 31,
    ],
    run: async ({ at, manager }) => {
      const { start, end } = lastCompletePeriod(at, config.reportPeriod);
      const report = await storeReport(withManager(base, manager), start, end, ReportTrigger.SCHEDULED);
      if (report)
        logger.info(
          { reportId: report.id, periodStart: start, periodEnd: end, findings: report.findings.length },
          'built the scheduled catalogue report',
        );
      return report ? 'built' : 'exists';
    },
    failure: { message: 'scheduled catalogue report failed; retrying at the next check' },
  };
}

/** The scheduled job's run at `now`, once. */
export async function runDueReport(
  dataSource: DataSource,
  config: Config,
  logger: Logger,
  now = new Date(),
): Promise<DueOutcome> {
  return (await runJobOnce(reportScheduleJob(dataSource, config, logger), dataSource, now)) ?? 'locked';
}
