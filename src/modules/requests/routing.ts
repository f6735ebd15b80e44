import { addWorkingDays, cityDate, type HolidayCalendar, cityCalendar } from '../../calendar/working-days';
import serviceLevelData from './service-levels.json';

export interface ServiceLevel {
  acknowledgeDays: number;
  resolveDays: number;
}

export interface ServiceLevels {
  defaultDepartment: string;
  default: ServiceLevel;
  rectificationDays: number;
  categories: Record<string, ServiceLevel>;
}

export const serviceLevels: ServiceLevels = serviceLevelData as ServiceLevels;

/** The level of a category: its own, else its parent's, else the default. */
export function serviceLevelFor(categoryCodes: (string | null)[], levels: ServiceLevels = serviceLevels): ServiceLevel {
  for (const code of categoryCodes) if (code && levels.categories[code]) return levels.categories[code];
  return levels.default;
}

export interface CaseFacts {
  kind: 'REQUEST' | 'COMPLAINT';
  /** A met request is answered by the services offered and needs no department. */
  unmet: boolean;
  /** The lead department of the service complained about. */
  serviceDepartmentId: string | null;
  /** The lead department of the closest published service to an unmet request. */
  closestDepartmentId: string | null;
}

/**
 * Which department answers: a complaint goes to the lead department of its service; an
 * unmet request to the department of the closest service; anything else to the default
 * (the 12345 hotline office). The one place routing is decided.
 */
export function routeCase(facts: CaseFacts, defaultDepartmentId: string | null): string | null {
  if (facts.kind === 'COMPLAINT') return facts.serviceDepartmentId ?? defaultDepartmentId;
  if (!facts.unmet) return facts.closestDepartmentId;
  return facts.closestDepartmentId ?? defaultDepartmentId;
}

/**
 * routeCase in SQL, for statements that open cases themselves: the same rule over SQL
 * expressions (`kind`, whether the case is `unmet` — a complaint always is —, the departments).
 */
export const routeCaseSql = (facts: {
  kind: string;
  unmet: string;
  serviceDepartmentId: string;
  closestDepartmentId: string;
  defaultDepartmentId: string;
}) => `CASE WHEN ${facts.kind} = 'COMPLAINT' THEN COALESCE(${facts.serviceDepartmentId}, ${facts.defaultDepartmentId})
            WHEN NOT ${facts.unmet} THEN ${facts.closestDepartmentId}
            ELSE COALESCE(${facts.closestDepartmentId}, ${facts.defaultDepartmentId}) END`;

export interface CaseDeadlines {
  acknowledgeDue: Date;
  resolveDue: Date;
}

export function caseDeadlines(
  openedAt: Date,
  level: ServiceLevel,
  calendar: HolidayCalendar = cityCalendar,
): CaseDeadlines {
  return {
    acknowledgeDue: addWorkingDays(openedAt, level.acknowledgeDays, calendar),
    resolveDue: addWorkingDays(openedAt, level.resolveDays, calendar),
  };
}

export type CaseClock = { status: string; acknowledgeDue: Date | null; resolveDue: Date | null };

/** Past its acknowledgement deadline while still OPEN, or past its resolution deadline while active. */
export function isOverdue(c: CaseClock, now: Date): boolean {
  if (c.status === 'OPEN' && c.acknowledgeDue && c.acknowledgeDue < now) return true;
  const active = c.status === 'OPEN' || c.status === 'ACKNOWLEDGED' || c.status === 'IN_PROGRESS';
  return active && c.resolveDue !== null && c.resolveDue < now;
}

/** Deadlines as whole days after a case opens, for cases opened on one city date at one service level. */
export interface DeadlineDays {
  /** The category code of the level (null: the default level). */
  categoryCode: string | null;
  /** The city date (YYYY-MM-DD) the case opens on. */
  day: string;
  acknowledgeDays: number;
  resolveDays: number;
}

/**
 * caseDeadlines as a table, for a statement that opens cases at a time the database sets: for
 * the city dates of the day before `now`, of `now` and of the day after, and every service
 * level, how many calendar days after the opening instant each deadline falls (addWorkingDays
 * moves an instant by whole days, by its city date alone).
 */
export function deadlineDaysAround(
  now: Date,
  levels: ServiceLevels = serviceLevels,
  calendar: HolidayCalendar = cityCalendar,
): readonly DeadlineDays[] {
  // The table depends on the city date of `now` alone (a fixed offset from UTC): worked out once a day.
  const day = cityDate(now);
  const known = lastDeadlineDays;
  if (known && known.day === day && known.levels === levels && known.calendar === calendar) return known.table;
  const table = deadlineDaysOf(now, levels, calendar);
  lastDeadlineDays = { day, levels, calendar, table };
  return table;
}

let lastDeadlineDays: {
  day: string;
  levels: ServiceLevels;
  calendar: HolidayCalendar;
  table: readonly DeadlineDays[];
} | null = null;

function deadlineDaysOf(now: Date, levels: ServiceLevels, calendar: HolidayCalendar): readonly DeadlineDays[] {
  const table: DeadlineDays[] = [];
  const entries: [string | null, ServiceLevel][] = [[null, levels.default], ...Object.entries(levels.categories)];
  for (const shift of [-1, 0, 1]) {
    const instant = new Date(now.getTime() + shift * DAY_MS);
    const day = cityDate(instant);
    for (const [categoryCode, level] of entries) {
      const due = caseDeadlines(instant, level, calendar);
      table.push({
        categoryCode,
        day,
        acknowledgeDays: Math.round((due.acknowledgeDue.getTime() - instant.getTime()) / DAY_MS),
        resolveDays: Math.round((due.resolveDue.getTime() - instant.getTime()) / DAY_MS),
      });
    }
  }
  return table;
}

const DAY_MS = 86_400_000;
