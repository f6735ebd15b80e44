import { cityDate } from '../../calendar/working-days';
import { caseDeadlines, deadlineDaysAround, isOverdue, routeCase, serviceLevelFor, serviceLevels } from './routing';

const at = (iso: string) => new Date(iso);

describe('case deadlines in working days, city time', () => {
  it('skips the weekend: a request of Friday 10:00 is to be acknowledged on Monday 10:00', () => {
    const due = caseDeadlines(at('2026-12-04T02:00:00Z'), { acknowledgeDays: 1, resolveDays: 5 });
    expect(due.acknowledgeDue.toISOString()).toBe('2026-12-07T02:00:00.000Z');
    expect(due.resolveDue.toISOString()).toBe('2026-12-11T02:00:00.000Z');
  });

  it('skips the National Day holiday and counts its working Saturday', () => {
    // 30 September 2026, 10:00 in Guiyang; 1–7 October off, Saturday 10 October worked.
    const due = caseDeadlines(at('2026-09-30T02:00:00Z'), { acknowledgeDays: 1, resolveDays: 5 });
    expect(due.acknowledgeDue.toISOString()).toBe('2026-10-08T02:00:00.000Z');
    expect(due.resolveDue.toISOString()).toBe('2026-10-13T02:00:00.000Z');
  });

  it('counts the city date: 23:30 UTC on Thursday is Friday in Guiyang', () => {
    const due = caseDeadlines(at('2026-12-03T23:30:00Z'), { acknowledgeDays: 1, resolveDays: 1 });
    expect(due.acknowledgeDue.toISOString()).toBe('2026-12-06T23:30:00.000Z');
  });
});

describe('deadlines as days after the opening, for a statement that opens cases', () => {
  it('gives, for every instant of the city dates around now and every level, what caseDeadlines gives', () => {
    // Friday 4 December 2026, 23:50 in Guiyang: the table covers Thursday to Saturday.
    const now = at('2026-12-04T15:50:00Z');
    const table = deadlineDaysAround(now);
    expect(new Set(table.map((d) => d.day))).toEqual(new Set(['2026-12-03', '2026-12-04', '2026-12-05']));
    const levels: [string | null, { acknowledgeDays: number; resolveDays: number }][] = [
      [null, serviceLevels.default],
      ...Object.entries(serviceLevels.categories),
    ];
    for (const hours of [-40, -20, -16, -1, 0, 0.2, 7, 8.5, 20]) {
      const openedAt = new Date(now.getTime() + hours * 3_600_000);
      for (const [categoryCode, level] of levels) {
        const row = table.find((d) => d.day === cityDate(openedAt) && d.categoryCode === categoryCode)!;
        const due = caseDeadlines(openedAt, level);
        expect(openedAt.getTime() + row.acknowledgeDays * 86_400_000).toBe(due.acknowledgeDue.getTime());
        expect(openedAt.getTime() + row.resolveDays * 86_400_000).toBe(due.resolveDue.getTime());
      }
    }
  });
});

describe('service levels', () => {
  it('takes the category, then its parent, then the default', () => {
    expect(serviceLevelFor(['gov.social-security', 'gov'])).toEqual({ acknowledgeDays: 1, resolveDays: 3 });
    expect(serviceLevelFor(['gov.tax', 'gov'])).toEqual(serviceLevels.default);
    expect(serviceLevelFor([null, 'life.utilities'])).toEqual({ acknowledgeDays: 1, resolveDays: 3 });
    expect(serviceLevels.default).toEqual({ acknowledgeDays: 1, resolveDays: 5 });
  });
});

describe('routing', () => {
  const base = { serviceDepartmentId: 'svc', closestDepartmentId: 'closest' };
  it("sends a complaint to its service's lead department, else the default", () => {
    expect(routeCase({ ...base, kind: 'COMPLAINT', unmet: false }, 'hotline')).toBe('svc');
    expect(routeCase({ ...base, kind: 'COMPLAINT', unmet: false, serviceDepartmentId: null }, 'hotline')).toBe(
      'hotline',
    );
  });
  it("sends an unmet request to the closest service's department, else the default", () => {
    expect(routeCase({ ...base, kind: 'REQUEST', unmet: true }, 'hotline')).toBe('closest');
    expect(routeCase({ ...base, kind: 'REQUEST', unmet: true, closestDepartmentId: null }, 'hotline')).toBe('hotline');
  });
});

describe('overdue', () => {
  const clock = { acknowledgeDue: at('2026-12-07T02:00:00Z'), resolveDue: at('2026-12-11T02:00:00Z') };
  it('is late to acknowledge only while OPEN, late to resolve while active', () => {
    expect(isOverdue({ ...clock, status: 'OPEN' }, at('2026-12-07T02:00:01Z'))).toBe(true);
    expect(isOverdue({ ...clock, status: 'OPEN' }, at('2026-12-07T01:59:59Z'))).toBe(false);
    expect(isOverdue({ ...clock, status: 'ACKNOWLEDGED' }, at('2026-12-08T00:00:00Z'))).toBe(false);
    expect(isOverdue({ ...clock, status: 'IN_PROGRESS' }, at('2026-12-11T02:00:01Z'))).toBe(true);
    expect(isOverdue({ ...clock, status: 'RESOLVED' }, at('2027-01-01T00:00:00Z'))).toBe(false);
  });
});
