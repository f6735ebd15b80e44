import { addWorkingDays, type HolidayCalendar, cityCalendar } from '../../calendar/working-days';
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
