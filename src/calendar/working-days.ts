import holidayData from '../../seeds/calendar/holidays.json';

/**
 * Working days in city time (Asia/Shanghai), with China's public holidays and the weekend
 * days worked in exchange (调休) kept as data in seeds/calendar/holidays.json.
 *
 * Asia/Shanghai has been UTC+8 with no daylight saving since 1991, so a fixed offset is exact
 * for every date this calendar can be asked about; no time-zone database is needed.
 */
export const CITY_TIME_ZONE = 'Asia/Shanghai';
const CITY_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface HolidayYear {
  year: number;
  status: 'published' | 'provisional';
  holidays: { name: string; nameEn: string; from: string; to: string }[];
  workingWeekendDays: { date: string; for: string }[];
}

export interface HolidayCalendar {
  /** City dates (YYYY-MM-DD) that are days off although they may fall on a weekday. */
  daysOff: Map<string, string>;
  /** Weekend city dates that are working days (调休上班). */
  workingWeekendDays: Set<string>;
  /** Years whose arrangement is in the data, and whether it is the published one. */
  years: Map<number, HolidayYear['status']>;
}

/** Builds the lookup sets from the holiday file's shape; throws on a malformed range. */
export function buildCalendar(years: HolidayYear[]): HolidayCalendar {
  const daysOff = new Map<string, string>();
  const workingWeekendDays = new Set<string>();
  const statusByYear = new Map<number, HolidayYear['status']>();
  for (const y of years) {
    statusByYear.set(y.year, y.status);
    for (const h of y.holidays) {
      const from = dayNumber(h.from);
      const to = dayNumber(h.to);
      if (to < from) throw new Error(`holiday ${h.name} ${y.year}: ends (${h.to}) before it starts (${h.from})`);
      for (let d = from; d <= to; d++) daysOff.set(dateOfDayNumber(d), h.name);
    }
    for (const w of y.workingWeekendDays) workingWeekendDays.add(w.date);
  }
  return { daysOff, workingWeekendDays, years: statusByYear };
}

export const cityCalendar: HolidayCalendar = buildCalendar(holidayData.years as HolidayYear[]);

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
function dayNumber(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (dateOfDayNumber(ms / DAY_MS) !== date) throw new Error(`not a calendar date: ${date}`);
  return ms / DAY_MS;
}

function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The city date (YYYY-MM-DD) of an instant. */
export function cityDate(instant: Date): string {
  return dateOfDayNumber(cityDayNumber(instant));
}

function cityDayNumber(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new Error('invalid date');
  return Math.floor((ms + CITY_OFFSET_MS) / DAY_MS);
}

/** Minutes since city midnight of an instant (0–1439). */
export function cityMinuteOfDay(instant: Date): number {
  const ms = instant.getTime() + CITY_OFFSET_MS;
  return Math.floor((((ms % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

/** Day of the week in city time: 0 Sunday … 6 Saturday. */
export function cityWeekday(instant: Date): number {
  return (((cityDayNumber(instant) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function weekdayOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function isWorkingDayNumber(day: number, calendar: HolidayCalendar): boolean {
  const date = dateOfDayNumber(day);
  if (calendar.daysOff.has(date)) return false;
  if (calendar.workingWeekendDays.has(date)) return true;
  const weekday = weekdayOfDayNumber(day);
  return weekday !== 0 && weekday !== 6;
}

/** The holiday's name if the city date of `day` is a public holiday day off, else null. */
export function holidayOn(day: Date | string, calendar: HolidayCalendar = cityCalendar): string | null {
  const date = typeof day === 'string' ? dateOfDayNumber(dayNumber(day)) : cityDate(day);
  return calendar.daysOff.get(date) ?? null;
}

/**
 * Whether a day is a working day in the city: Monday to Friday unless a public holiday,
 * and the weekend days worked in exchange. `day` is an instant (its city date counts)
 * or a YYYY-MM-DD city date. Years missing from the data count weekdays only.
 */
export function isWorkingDay(day: Date | string, calendar: HolidayCalendar = cityCalendar): boolean {
  return isWorkingDayNumber(typeof day === 'string' ? dayNumber(day) : cityDayNumber(day), calendar);
}

/**
 * The instant `n` working days after `from`, at the same city clock time: the days counted
 * are those after `from`'s city date, so a request made on Friday with n = 1 is due on the
 * next working day at the same hour. n = 0 returns `from` (即办).
 */
export function addWorkingDays(from: Date, n: number, calendar: HolidayCalendar = cityCalendar): Date {
  if (!Number.isInteger(n) || n < 0) throw new Error(`working days must be a whole number ≥ 0, got ${n}`);
  const start = cityDayNumber(from);
  let day = start;
  for (let left = n; left > 0;) {
    day += 1;
    if (isWorkingDayNumber(day, calendar)) left -= 1;
  }
  return new Date(from.getTime() + (day - start) * DAY_MS);
}

/**
 * Working days between two instants: how many working city dates fall after `from`'s date
 * up to and including `to`'s date (negative when `to` is earlier), so that
 * workingDaysBetween(t, addWorkingDays(t, n)) === n.
 */
export function workingDaysBetween(from: Date, to: Date, calendar: HolidayCalendar = cityCalendar): number {
  const a = cityDayNumber(from);
  const b = cityDayNumber(to);
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let day = lo + 1; day <= hi; day++) if (isWorkingDayNumber(day, calendar)) count += 1;
  return sign * count;
}
