import { BadInputError } from '../../core/errors';
import { EARLIEST_DATE, LATEST_DATE } from '../../core/limits';
import { Granularity } from './analytics.types';

/**
 * Calendar arithmetic of the city (Asia/Shanghai). China has kept UTC+8 without daylight
 * saving since 1991, so a city day is a fixed 24-hour span starting at 16:00 UTC the day
 * before: the same days PostgreSQL's `AT TIME ZONE 'Asia/Shanghai'` gives the rollups.
 * Days are ISO dates ('2026-03-02'), compared as text: that order is the calendar's only for
 * four-digit years (JavaScript writes year 10000 as '+010000-01-01', which sorts before
 * '9999-12-31', so a loop `day <= lastDay` near year 9999 would never end), so a day outside
 * years 0000–9999 is a RangeError. Pure: unit-tested.
 */
export const CITY_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
/** Longest window a trend may cover. */
export const MAX_WINDOW_YEARS = 2;

const FOUR_DIGIT_YEAR = /^\d{4}-/;

function isoDay(ms: number): string {
  const day = new Date(ms).toISOString();
  if (!FOUR_DIGIT_YEAR.test(day)) throw new RangeError(`day outside years 0000-9999: ${day}`);
  return day.slice(0, 10);
}
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The city day an instant falls on. */
export function cityDayOf(instant: Date): string {
  return isoDay(instant.getTime() + CITY_OFFSET_MS);
}

/** The instant a city day begins (its midnight in Asia/Shanghai). */
export function cityMidnight(day: string): Date {
  return new Date(dayMs(day) - CITY_OFFSET_MS);
}

export function addDays(day: string, days: number): string {
  return isoDay(dayMs(day) + days * DAY_MS);
}

/** Days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dayMs(b) - dayMs(a)) / DAY_MS);
}

/** The first day of the period that `day` is in: itself, its week's Monday, or the 1st of its month. */
export function periodStartOf(day: string, granularity: Granularity): string {
  switch (granularity) {
    case Granularity.DAY:
      return day;
    case Granularity.WEEK: {
      const weekday = (new Date(dayMs(day)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
      return addDays(day, -weekday);
    }
    case Granularity.MONTH:
      return `${day.slice(0, 7)}-01`;
  }
}

export function nextPeriodStart(start: string, granularity: Granularity): string {
  switch (granularity) {
    case Granularity.DAY:
      return addDays(start, 1);
    case Granularity.WEEK:
      return addDays(start, 7);
    case Granularity.MONTH: {
      const date = new Date(dayMs(start));
      return isoDay(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
    }
  }
}

/** Every period overlapping the days firstDay … lastDay, by its first day, in order. */
export function periodsOf(firstDay: string, lastDay: string, granularity: Granularity): string[] {
  const periods: string[] = [];
  for (
    let start = periodStartOf(firstDay, granularity);
    start <= lastDay;
    start = nextPeriodStart(start, granularity)
  ) {
    periods.push(start);
  }
  return periods;
}

export interface DemandWindow {
  /** The city days the window covers, both inclusive. */
  firstDay: string;
  lastDay: string;
  /**
   * The two halves compared by `change`: the first ⌊n/2⌋ days and the last ⌊n/2⌋ days (an odd
   * window's middle day is in neither); null when the window is a single day.
   */
  halves: { firstEnd: string; secondStart: string } | null;
}

/**
 * The city days of the window [from, to): every day that overlaps it, since rollups are per
 * day. `from` must be before `to`, at most MAX_WINDOW_YEARS apart, both in the sane range
 * (EARLIEST_DATE to before LATEST_DATE). The GraphQL input checks refuse other dates before
 * any resolver runs, but the cost model sizes a trend's points from the window before them.
 */
export function demandWindow(from: Date, to: Date, field = 'filter'): DemandWindow {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw BadInputError.field(`${field}.from`, 'date', 'from and to must be valid times');
  }
  for (const [name, date] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (date.getTime() < EARLIEST_DATE.getTime() || date.getTime() >= LATEST_DATE.getTime()) {
      const range = `from ${EARLIEST_DATE.toISOString()} to before ${LATEST_DATE.toISOString()}`;
      throw BadInputError.field(`${field}.${name}`, 'dateRange', `${field}.${name} must be ${range}`);
    }
  }
  if (from.getTime() >= to.getTime()) throw BadInputError.field(`${field}.to`, 'window', 'to must be after from');
  const limit = new Date(from.getTime());
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_WINDOW_YEARS);
  if (to.getTime() > limit.getTime()) {
    throw BadInputError.field(`${field}.to`, 'window', `the window must not be longer than ${MAX_WINDOW_YEARS} years`);
  }
  const firstDay = cityDayOf(from);
  const lastDay = cityDayOf(new Date(to.getTime() - 1));
  const half = Math.floor((daysBetween(firstDay, lastDay) + 1) / 2);
  return {
    firstDay,
    lastDay,
    halves: half > 0 ? { firstEnd: addDays(firstDay, half - 1), secondStart: addDays(lastDay, 1 - half) } : null,
  };
}

/** Relative change from `first` to `second` ((second − first) / first); null when first is 0. */
export function relativeChange(first: number, second: number): number | null {
  return first === 0 ? null : (second - first) / first;
}
