import { BadInputError } from '../../core/errors';
import { Granularity } from '../analytics/analytics.types';
import { addDays, nextPeriodStart, periodStartOf } from '../analytics/periods';

/**
 * What kind of period a report covers, from its city days: a day, a week from Monday, a
 * month from the 1st, or anything else (`custom`). Reports of one granularity never
 * overlap (an exclusion constraint per granularity on catalogue_report); a weekly and a
 * monthly report may. Pure.
 */
export type ReportGranularity = 'day' | 'week' | 'month' | 'custom';

export function reportGranularity(firstDay: string, lastDay: string): ReportGranularity {
  const end = addDays(lastDay, 1);
  const calendar = [
    ['day', Granularity.DAY],
    ['week', Granularity.WEEK],
    ['month', Granularity.MONTH],
  ] as const;
  for (const [name, granularity] of calendar) {
    const aligned = periodStartOf(firstDay, granularity) === firstDay;
    if (aligned && nextPeriodStart(firstDay, granularity) === end) return name;
  }
  return 'custom';
}

/**
 * Refuses a period that is not over: a report reads whole city days, so the last day it
 * covers must have ended by `now` (a period reported before its end would block the
 * scheduled report of the period and find every service unused).
 */
export function checkPeriodEnded(covered: { from: Date; to: Date; lastDay: string }, now: Date): void {
  if (covered.from.getTime() >= now.getTime()) {
    const message = 'the period lies in the future: a report covers a period that has ended';
    throw BadInputError.field('periodStart', 'notFuture', message);
  }
  if (covered.to.getTime() > now.getTime()) {
    const ends = `${covered.lastDay} ends at ${covered.to.toISOString()}`;
    const message = `the period has not ended: a report covers whole city days, and ${ends}`;
    throw BadInputError.field('periodEnd', 'ended', message);
  }
}
