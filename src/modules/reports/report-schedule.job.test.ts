import { lastCompletePeriod } from './report-schedule.job';

describe('lastCompletePeriod', () => {
  // Wednesday 2026-11-25 10:00 in the city (02:00Z).
  const now = new Date('2026-11-25T02:00:00Z');

  it('is the week before the current one, Monday to Monday at city midnight', () => {
    expect(lastCompletePeriod(now, 'week')).toEqual({
      start: new Date('2026-11-15T16:00:00Z'),
      end: new Date('2026-11-22T16:00:00Z'),
    });
  });

  it('is yesterday by day, and the month before by month', () => {
    expect(lastCompletePeriod(now, 'day')).toEqual({
      start: new Date('2026-11-23T16:00:00Z'),
      end: new Date('2026-11-24T16:00:00Z'),
    });
    expect(lastCompletePeriod(now, 'month')).toEqual({
      start: new Date('2026-09-30T16:00:00Z'),
      end: new Date('2026-10-31T16:00:00Z'),
    });
  });

  it('counts city days: 23:30 on Sunday in the city is still the old week', () => {
    const sundayNight = new Date('2026-11-22T15:30:00Z');
    expect(lastCompletePeriod(sundayNight, 'week').end).toEqual(new Date('2026-11-15T16:00:00Z'));
    expect(lastCompletePeriod(new Date('2026-11-22T16:00:00Z'), 'week').end).toEqual(new Date('2026-11-22T16:00:00Z'));
  });
});
