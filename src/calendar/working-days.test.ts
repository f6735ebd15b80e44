import {
  addWorkingDays,
  buildCalendar,
  cityCalendar,
  cityDate,
  cityMinuteOfDay,
  cityWeekday,
  holidayOn,
  isWorkingDay,
  workingDaysBetween,
} from './working-days';

/** An instant given as city wall-clock time (UTC+8). */
const city = (local: string) => new Date(`${local}+08:00`);

describe('city dates', () => {
  it('takes the date in Asia/Shanghai, not in UTC', () => {
    const lateUtc = new Date('2026-03-01T17:30:00Z'); // 01:30 on 2 March in the city
    expect(cityDate(lateUtc)).toBe('2026-03-02');
    expect(cityMinuteOfDay(lateUtc)).toBe(90);
    expect(cityWeekday(lateUtc)).toBe(1); // Monday
  });
});

describe('isWorkingDay', () => {
  it('is true on an ordinary weekday and false on an ordinary weekend', () => {
    expect(isWorkingDay('2026-03-04')).toBe(true); // Wednesday
    expect(isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(isWorkingDay('2026-03-08')).toBe(false); // Sunday
  });

  it('is false on public holidays that fall on weekdays', () => {
    expect(isWorkingDay('2025-10-08')).toBe(false); // Wednesday in the National Day week
    expect(isWorkingDay('2026-02-17')).toBe(false); // 正月初一, a Tuesday
    expect(holidayOn('2026-02-17')).toBe('春节');
    expect(isWorkingDay('2027-10-01')).toBe(false); // provisional year: fixed-date days only
  });

  it('is true on the weekend days worked in exchange (调休)', () => {
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday
    expect(isWorkingDay('2025-09-28')).toBe(true); // Sunday
    expect(holidayOn('2026-02-14')).toBeNull();
  });

  it('reads an instant in city time', () => {
    // 23:30 UTC on Friday 2026-10-09 is 07:30 on Saturday 10 October in the city, a 调休 day
    expect(isWorkingDay(new Date('2026-10-09T23:30:00Z'))).toBe(true);
    // 20:00 UTC on Tuesday 2026-09-30 is already 1 October in the city
    expect(isWorkingDay(new Date('2026-09-30T20:00:00Z'))).toBe(false);
  });

  it('rejects what is not a calendar date', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow('not a calendar date');
    expect(() => isWorkingDay('2026/02/01')).toThrow('not a YYYY-MM-DD date');
  });
});

describe('addWorkingDays', () => {
  it('skips the weekend', () => {
    expect(addWorkingDays(city('2026-03-06T10:00:00'), 1)).toEqual(city('2026-03-09T10:00:00'));
  });

  it('skips a whole holiday and counts the 调休 Saturday', () => {
    // Friday 13 Feb 2026: Saturday 14 is worked, then 15–23 are off
    expect(addWorkingDays(city('2026-02-13T16:00:00'), 1)).toEqual(city('2026-02-14T16:00:00'));
    expect(addWorkingDays(city('2026-02-13T16:00:00'), 2)).toEqual(city('2026-02-24T16:00:00'));
  });

  it('returns the same instant for 即办 (n = 0) and rejects a negative count', () => {
    const t = city('2026-05-01T09:00:00');
    expect(addWorkingDays(t, 0)).toEqual(t);
    expect(() => addWorkingDays(t, -1)).toThrow('whole number');
    expect(() => addWorkingDays(t, 1.5)).toThrow('whole number');
  });

  it('counts from the city date of a late-evening UTC instant', () => {
    // 2026-09-30T17:00Z is 01:00 on Thursday 1 October in the city, the holiday's first day
    const due = addWorkingDays(new Date('2026-09-30T17:00:00Z'), 1);
    expect(cityDate(due)).toBe('2026-10-08'); // Thursday, after the 7 days off
  });
});

describe('workingDaysBetween', () => {
  it('counts working dates after the first up to the second, the inverse of addWorkingDays', () => {
    // 28 September (调休), 29, 30, then 9 and 10 October
    expect(workingDaysBetween(city('2025-09-26T09:00:00'), city('2025-10-10T09:00:00'))).toBe(5);
    expect(workingDaysBetween(city('2025-10-10T09:00:00'), city('2025-09-26T09:00:00'))).toBe(-5);
    const start = city('2025-12-20T11:00:00');
    for (const n of [0, 1, 5, 20, 60]) expect(workingDaysBetween(start, addWorkingDays(start, n))).toBe(n);
  });
});

describe('the holiday data', () => {
  it('has the published years and the provisional one', () => {
    expect(cityCalendar.years.get(2025)).toBe('published');
    expect(cityCalendar.years.get(2026)).toBe('published');
    expect(cityCalendar.years.get(2027)).toBe('provisional');
    expect([...cityCalendar.daysOff.keys()].filter((d) => d.startsWith('2026'))).toHaveLength(33);
  });

  it('refuses a holiday that ends before it starts', () => {
    const bad = [
      {
        year: 2030,
        status: 'published' as const,
        workingWeekendDays: [],
        holidays: [{ name: 'x', nameEn: 'x', from: '2030-01-03', to: '2030-01-01' }],
      },
    ];
    expect(() => buildCalendar(bad)).toThrow('ends (2030-01-01) before it starts');
  });
});
