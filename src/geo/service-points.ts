import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cityCalendar, cityDate, cityMinuteOfDay, cityWeekday, HolidayCalendar } from '../calendar/working-days';
import { haversineMetres, LatLong } from './geometry';

/**
 * The city's service windows (seeds/service-points/points.json): where a service is done in
 * person, nearest first, and whether a window is open at an instant in city time.
 */
export type ServicePointKind = 'CITY_CENTRE' | 'DISTRICT_CENTRE' | 'STREET_CENTRE' | 'DEPARTMENT_HALL';
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ServicePoint {
  code: string;
  name: string;
  kind: ServicePointKind;
  districtCode: string;
  townshipCode: string | null;
  address: string;
  /** GCJ-02, like the district boundaries. */
  location: LatLong;
  /** Opening spans per weekday as 'HH:MM-HH:MM' in city time; an empty list is a closed day. */
  hours: Record<Weekday, string[]>;
  closedOnHolidays: boolean;
  phone: string;
  departments: string[];
  services: string[];
}

const SPAN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$/;

/** Minutes since midnight of each span; throws on a malformed or empty span or on overlaps. */
export function parseSpans(spans: string[]): [number, number][] {
  const parsed = spans.map((s): [number, number] => {
    const m = SPAN.exec(s);
    if (!m) throw new Error(`opening span must be HH:MM-HH:MM, got ${JSON.stringify(s)}`);
    const from = Number(m[1]) * 60 + Number(m[2]);
    const to = Number(m[3]) * 60 + Number(m[4]);
    if (to <= from || to > 24 * 60) throw new Error(`opening span ends before it starts: ${s}`);
    return [from, to];
  });
  for (let i = 1; i < parsed.length; i++) {
    if (parsed[i][0] < parsed[i - 1][1]) {
      throw new Error(`opening spans overlap or are out of order: ${spans.join(', ')}`);
    }
  }
  return parsed;
}

/** The weekday whose timetable applies on an instant's city date. */
function timetableDay(instant: Date, calendar: HolidayCalendar): Weekday | 'holiday' {
  const date = cityDate(instant);
  if (calendar.daysOff.has(date)) return 'holiday';
  if (calendar.workingWeekendDays.has(date)) return 'mon'; // a weekend day worked in exchange keeps weekday hours
  return WEEKDAYS[(cityWeekday(instant) + 6) % 7];
}

/** Whether the point is open at the instant, in city time, holidays and 调休 days included. */
export function isOpenAt(point: ServicePoint, instant: Date, calendar: HolidayCalendar = cityCalendar): boolean {
  let day = timetableDay(instant, calendar);
  if (day === 'holiday') {
    if (point.closedOnHolidays) return false;
    day = WEEKDAYS[(cityWeekday(instant) + 6) % 7];
  }
  const minute = cityMinuteOfDay(instant);
  return parseSpans(point.hours[day]).some(([from, to]) => minute >= from && minute < to);
}

export interface PointAtDistance {
  point: ServicePoint;
  distanceMetres: number;
}

/** Points ordered nearest first from a GCJ-02 position (ties by code), with their distances. */
export function nearestFirst(points: ServicePoint[], from: LatLong, limit = points.length): PointAtDistance[] {
  return points
    .map((point) => ({ point, distanceMetres: haversineMetres(from, point.location) }))
    .sort((a, b) => a.distanceMetres - b.distanceMetres || a.point.code.localeCompare(b.point.code))
    .slice(0, limit);
}

/** The points that handle a service, optionally only in one district. */
export function pointsForService(points: ServicePoint[], serviceCode: string, districtCode?: string): ServicePoint[] {
  return points.filter((p) => p.services.includes(serviceCode) && (!districtCode || p.districtCode === districtCode));
}

const POINTS_FILE = 'points.json';
let loaded: ServicePoint[] | null = null;

/** The seeded points (read once, from the sources or beside the build output). */
export function cityServicePoints(): ServicePoint[] {
  if (loaded) return loaded;
  const candidates = [
    path.join(__dirname, '..', '..', 'seeds', 'service-points'),
    path.join(__dirname, '..', '..', '..', 'seeds', 'service-points'),
  ];
  const dir = candidates.find((d) => existsSync(path.join(d, POINTS_FILE)));
  if (!dir) throw new Error(`seeds/service-points/${POINTS_FILE} not found`);
  loaded = (JSON.parse(readFileSync(path.join(dir, POINTS_FILE), 'utf8')) as { points: ServicePoint[] }).points;
  return loaded;
}
