import pino from 'pino';
import { lastCompletePeriod, runDueReport } from '../../src/modules/reports/report-schedule.job';
import { Role } from '../../src/core/auth';
import { addDays, cityDayOf, cityMidnight } from '../../src/modules/analytics/periods';
import { GenerateCatalogueReportDocument } from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { countRows } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

// Report periods: over, not ahead, and never overlapping a stored report of the same
// granularity, also when two calls store at once; the scheduled report keeps its period.

let t: TestApp;
const TODAY = cityDayOf(new Date());
const day = (offset: number) => cityMidnight(addDays(TODAY, offset)).toISOString();
const period = (from: number, to: number) => ({ periodStart: day(from), periodEnd: day(to) });

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

const planner = async () => t.client(await t.token(Role.PLANNER));
const stored = () => countRows(t, 'catalogue_report');
const events = () => countRows(t, `audit_event WHERE action = 'report.generate'`);

describe('report periods', () => {
  it('refuses a period that has not ended (it found every service unused), naming periodEnd', async () => {
    const client = await planner();
    const [reports, audits] = [await stored(), await events()];
    const untilNow = { periodStart: day(-3), periodEnd: new Date().toISOString() };
    for (const unfinished of [period(-7, 1), period(0, 1), untilNow]) {
      const error = await expectError(client.request(GenerateCatalogueReportDocument, unfinished), 'BAD_USER_INPUT');
      expect(error.extensions?.validationErrors?.map((e) => e.property)).toEqual(['periodEnd']);
      expect(error.message).toMatch(/has not ended/);
    }
    expect([await stored(), await events()]).toEqual([reports, audits]);
  });

  it('refuses a period in the future, naming periodStart', async () => {
    const client = await planner();
    const error = await expectError(client.request(GenerateCatalogueReportDocument, period(7, 14)), 'BAD_USER_INPUT');
    expect(error.extensions?.validationErrors?.map((e) => e.property)).toEqual(['periodStart']);
    expect(error.message).toMatch(/lies in the future/);
  });

  it('refuses a period overlapping a stored report of its granularity, and allows another granularity', async () => {
    const client = await planner();
    // Ten-day periods are custom; one day inside them is a day.
    const first = (await client.request(GenerateCatalogueReportDocument, period(-60, -50))).generateCatalogueReport;
    const [reports, audits] = [await stored(), await events()];
    const error = await expectError(client.request(GenerateCatalogueReportDocument, period(-55, -45)), 'CONFLICT');
    expect(error.extensions).toMatchObject({ reportId: first.id, granularity: 'custom' });
    expect([await stored(), await events()]).toEqual([reports, audits]);
    const inside = (await client.request(GenerateCatalogueReportDocument, period(-55, -54))).generateCatalogueReport;
    expect(inside.periodStart).toBe(day(-55));
    const adjacent = await client.request(GenerateCatalogueReportDocument, period(-50, -40));
    expect(adjacent.generateCatalogueReport.previous?.id).toBe(first.id);
  });

  it('stores one of two overlapping periods generated at the same moment', async () => {
    const client = await planner();
    const before = await stored();
    const outcomes = await Promise.allSettled([
      client.request(GenerateCatalogueReportDocument, period(-100, -90)),
      client.request(GenerateCatalogueReportDocument, period(-95, -85)),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason)).toMatch(/CONFLICT/);
    expect(await stored()).toBe(before + 1);
    const rows = await t.db.query(
      `SELECT count(*)::int AS count
         FROM catalogue_report a JOIN catalogue_report b ON a.id < b.id AND a.granularity = b.granularity
          AND tstzrange(a.period_start, a.period_end) && tstzrange(b.period_start, b.period_end)`,
    );
    expect(rows[0].count).toBe(0);
  });

  it('is held by the database: an overlapping row of the same granularity is refused even by raw SQL', async () => {
    const insert = (from: number, to: number, granularity: string) =>
      t.db.query(
        `INSERT INTO catalogue_report (id, period_start, period_end, granularity, trigger, summary, findings)
         VALUES (gen_random_uuid(), $1, $2, $3, 'MANUAL', '{}', '[]')`,
        [day(from), day(to), granularity],
      );
    await insert(-200, -190, 'custom');
    await expect(insert(-195, -185, 'custom')).rejects.toThrow(/catalogue_report_custom_no_overlap/);
    await expect(insert(-195, -194, 'day')).resolves.toBeDefined();
  });

  it('stores the days a period covers: a period of odd hours becomes its city days', async () => {
    const start = new Date(new Date(day(-120)).getTime() + 5 * 3_600_000).toISOString();
    const end = new Date(new Date(day(-118)).getTime() + 3_600_000).toISOString();
    const client = await planner();
    const report = (await client.request(GenerateCatalogueReportDocument, { periodStart: start, periodEnd: end }))
      .generateCatalogueReport;
    expect([report.periodStart, report.periodEnd]).toEqual([day(-120), day(-117)]);
  });

  it('keeps the scheduled period: no unfinished day stored ahead of it; the job builds it once over', async () => {
    const config = { ...t.app.config, reportPeriod: 'day' as const };
    const logger = pino({ level: 'silent' });
    const due = lastCompletePeriod(new Date(), 'day');
    // Before: a report of today, stored now, made the job skip today's period tomorrow.
    await expectError((await planner()).request(GenerateCatalogueReportDocument, period(0, 1)), 'BAD_USER_INPUT');
    // A custom report over yesterday does not take the day's place.
    await (await planner()).request(GenerateCatalogueReportDocument, period(-3, 0));
    expect(await runDueReport(t.db, config, logger)).toBe('built');
    expect(await runDueReport(t.db, config, logger)).toBe('exists');
    const [row] = await t.db.query(
      `SELECT trigger::text AS trigger, granularity FROM catalogue_report WHERE period_start = $1 AND period_end = $2`,
      [due.start.toISOString(), due.end.toISOString()],
    );
    expect(row).toEqual({ trigger: 'SCHEDULED', granularity: 'day' });
  });
});
