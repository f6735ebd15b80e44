import { cityMidnight } from '../analytics/periods';
import { checkPeriodEnded, reportGranularity } from './report-periods';

describe('reportGranularity', () => {
  it.each([
    ['2026-11-25', '2026-11-25', 'day'],
    ['2026-11-23', '2026-11-29', 'week'], // Monday to Sunday
    ['2026-11-24', '2026-11-30', 'custom'], // seven days from a Tuesday
    ['2026-11-01', '2026-11-30', 'month'],
    ['2026-02-01', '2026-02-28', 'month'],
    ['2026-11-02', '2026-12-01', 'custom'],
    ['2026-11-01', '2026-11-29', 'custom'],
    ['2026-11-23', '2026-11-24', 'custom'],
  ])('%s to %s is %s', (first, last, granularity) => {
    expect(reportGranularity(first, last)).toBe(granularity);
  });
});

describe('checkPeriodEnded', () => {
  const covered = (first: string, last: string) => ({
    from: cityMidnight(first),
    to: new Date(cityMidnight(last).getTime() + 86_400_000),
    lastDay: last,
  });
  const now = new Date('2026-11-25T02:00:00Z'); // 10:00 on 2026-11-25 in the city

  it('accepts a period whose last city day has ended', () => {
    expect(() => checkPeriodEnded(covered('2026-11-17', '2026-11-24'), now)).not.toThrow();
  });

  it('refuses a period that includes today, or lies ahead, naming the argument', () => {
    expect(() => checkPeriodEnded(covered('2026-11-18', '2026-11-25'), now)).toThrow(/has not ended/);
    expect(() => checkPeriodEnded(covered('2026-11-26', '2026-11-30'), now)).toThrow(/lies in the future/);
    expect(() => checkPeriodEnded(covered('2026-11-25', '2026-11-25'), now)).toThrow(/has not ended/);
  });
});
