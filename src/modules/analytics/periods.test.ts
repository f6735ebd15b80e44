import { Granularity } from './analytics.types';
import {
  addDays,
  cityDayOf,
  cityMidnight,
  daysBetween,
  demandWindow,
  nextPeriodStart,
  periodStartOf,
  periodsOf,
  relativeChange,
} from './periods';

describe('city days (Asia/Shanghai)', () => {
  it('puts 15:59:59Z and 16:00:00Z on different days', () => {
    expect(cityDayOf(new Date('2026-03-01T15:59:59.999Z'))).toBe('2026-03-01');
    expect(cityDayOf(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
  });

  it('starts a day at midnight in the city', () => {
    expect(cityMidnight('2026-03-02').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(cityDayOf(cityMidnight('2026-12-31'))).toBe('2026-12-31');
  });

  it('adds and counts days across months and years', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2025-12-30', '2026-01-02')).toBe(3);
  });
});

describe('periods', () => {
  it('starts weeks on Monday and months on the 1st', () => {
    expect(periodStartOf('2026-03-04', Granularity.DAY)).toBe('2026-03-04');
    expect(periodStartOf('2026-03-01', Granularity.WEEK)).toBe('2026-02-23'); // a Sunday
    expect(periodStartOf('2026-03-02', Granularity.WEEK)).toBe('2026-03-02'); // a Monday
    expect(periodStartOf('2026-03-31', Granularity.MONTH)).toBe('2026-03-01');
    expect(nextPeriodStart('2026-12-01', Granularity.MONTH)).toBe('2027-01-01');
    expect(nextPeriodStart('2026-12-28', Granularity.WEEK)).toBe('2027-01-04');
  });

  it('lists every period overlapping the days, empty ones included', () => {
    expect(periodsOf('2026-03-04', '2026-03-06', Granularity.DAY)).toEqual(['2026-03-04', '2026-03-05', '2026-03-06']);
    expect(periodsOf('2026-03-04', '2026-03-16', Granularity.WEEK)).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
    expect(periodsOf('2026-01-31', '2026-03-01', Granularity.MONTH)).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
    ]);
  });

  it('stops at year 9999 instead of counting on past it (days compare as text)', () => {
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    // The error says which day fell outside the range, as JavaScript writes it.
    expect(() => addDays('9999-12-31', 1)).toThrow('day outside years 0000-9999: +010000-01-01T00:00:00.000Z');
    expect(() => addDays('0000-01-01', -1)).toThrow(RangeError);
    for (const granularity of [Granularity.DAY, Granularity.WEEK, Granularity.MONTH]) {
      expect(() => periodsOf('9999-12-01', '9999-12-31', granularity)).toThrow(RangeError);
    }
    expect(periodsOf('9999-12-27', '9999-12-29', Granularity.DAY)).toEqual(['9999-12-27', '9999-12-28', '9999-12-29']);
  });
});

describe('demandWindow', () => {
  it('covers the city days the window overlaps, its end exclusive', () => {
    const window = demandWindow(new Date('2026-03-01T16:00:00Z'), new Date('2026-03-08T16:00:00Z'));
    expect(window).toMatchObject({ firstDay: '2026-03-02', lastDay: '2026-03-08' });
    const partial = demandWindow(new Date('2026-03-01T20:00:00Z'), new Date('2026-03-02T16:00:01Z'));
    expect(partial).toMatchObject({ firstDay: '2026-03-02', lastDay: '2026-03-03' });
  });

  it('splits the window in halves of equal days, an odd middle day in neither', () => {
    const even = demandWindow(new Date('2026-02-28T16:00:00Z'), new Date('2026-03-04T16:00:00Z')); // 4 days
    expect(even.halves).toEqual({ firstEnd: '2026-03-02', secondStart: '2026-03-03' });
    const odd = demandWindow(new Date('2026-02-28T16:00:00Z'), new Date('2026-03-05T16:00:00Z')); // 5 days
    expect(odd.halves).toEqual({ firstEnd: '2026-03-02', secondStart: '2026-03-04' });
    expect(demandWindow(new Date('2026-03-01T16:00:00Z'), new Date('2026-03-02T00:00:00Z')).halves).toBeNull();
  });

  it('refuses an empty, reversed or longer than two years window', () => {
    const at = new Date('2026-03-01T00:00:00Z');
    expect(() => demandWindow(at, at)).toThrow(/after/);
    expect(() => demandWindow(at, new Date('2025-03-01T00:00:00Z'))).toThrow(/after/);
    expect(() => demandWindow(at, new Date('2028-03-01T00:00:01Z'))).toThrow(/2 years/);
    expect(demandWindow(at, new Date('2028-03-01T00:00:00Z')).lastDay).toBe('2028-03-01');
    expect(() => demandWindow(new Date('nope'), at)).toThrow(/valid/);
  });
});

describe('demandWindow refusals', () => {
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return {
        message: (error as Error).message,
        errors: (error as { extensions: { validationErrors: unknown } }).extensions.validationErrors,
      };
    }
    throw new Error('not refused');
  };
  const at = new Date('2026-03-01T00:00:00Z');

  it("names the field and the rule, under the caller's field name", () => {
    expect(refusal(() => demandWindow(at, new Date('nope'), 'window'))).toEqual({
      message: 'from and to must be valid times',
      errors: [{ property: 'window.from', constraints: { date: 'from and to must be valid times' } }],
    });
    expect(refusal(() => demandWindow(at, at))).toEqual({
      message: 'to must be after from',
      errors: [{ property: 'filter.to', constraints: { window: 'to must be after from' } }],
    });
    expect(refusal(() => demandWindow(at, new Date('2028-03-01T00:00:00.001Z')))).toEqual({
      message: 'the window must not be longer than 2 years',
      errors: [{ property: 'filter.to', constraints: { window: 'the window must not be longer than 2 years' } }],
    });
  });

  it('refuses a window outside 1970 to 2100 (the cost model sizes it before the input checks run)', () => {
    // A window near year 9999 once listed its periods past year 10000 ('+010000-…' sorts
    // before '9999-…'): one anonymous request filled the heap and blocked the server.
    const range = 'must be from 1970-01-01T00:00:00.000Z to before 2100-01-01T00:00:00.000Z';
    expect(refusal(() => demandWindow(new Date('9998-01-01T00:00:00Z'), new Date('9999-12-31T00:00:00Z')))).toEqual({
      message: `filter.from ${range}`,
      errors: [{ property: 'filter.from', constraints: { dateRange: `filter.from ${range}` } }],
    });
    expect(
      refusal(() => demandWindow(new Date('2099-06-01T00:00:00Z'), new Date('2100-01-01T00:00:00Z'), 'unmetDemand')),
    ).toEqual({
      message: `unmetDemand.to ${range}`,
      errors: [{ property: 'unmetDemand.to', constraints: { dateRange: `unmetDemand.to ${range}` } }],
    });
    expect(() => demandWindow(new Date('1969-12-31T23:59:59Z'), at)).toThrow(/filter.from must be from 1970/);
    expect(demandWindow(new Date('1970-01-01T00:00:00Z'), new Date('1970-01-02T00:00:00Z')).firstDay).toBe(
      '1970-01-01',
    );
    expect(demandWindow(new Date('2099-06-01T00:00:00Z'), new Date('2099-12-31T23:59:59Z')).lastDay).toBe('2100-01-01');
  });

  it('takes a window of one millisecond, and one of two years to the millisecond', () => {
    expect(demandWindow(at, new Date(at.getTime() + 1))).toEqual({
      firstDay: '2026-03-01',
      lastDay: '2026-03-01',
      halves: null,
    });
    expect(demandWindow(at, new Date('2028-03-01T00:00:00Z')).firstDay).toBe('2026-03-01');
  });
});

describe('relativeChange', () => {
  it('is the change relative to the first half, null from nothing', () => {
    expect(relativeChange(4, 6)).toBeCloseTo(0.5);
    expect(relativeChange(7, 5)).toBeCloseTo(-2 / 7);
    expect(relativeChange(3, 0)).toBe(-1);
    expect(relativeChange(0, 5)).toBeNull();
  });
});
