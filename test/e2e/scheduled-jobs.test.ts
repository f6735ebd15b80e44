import { lastCompletePeriod } from '../../src/modules/reports/report-schedule.job';
import { newCitizen } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

// The modules' scheduled jobs as the server starts them (src/core/jobs.ts runs them): every job
// of every manifest on, with the intervals of tests short enough to see them run by themselves.
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    NEIGHBOUR_REFRESH_MINUTES: '15',
    TEXT_INDEX_WARM_SECONDS: '10',
    LEARNING_REFRESH_MINUTES: '60',
    RANKING_FIT_HOURS: '24',
    REPORT_SCHEDULE: 'true',
    REPORT_PERIOD: 'day',
    DEADLINE_NOTICE_MS: '100',
    OUTBOX_POLL_MS: '50',
  });
});
afterAll(async () => {
  await t?.stop();
});

/** Waits for `done` (a hang fails on jest's timeout). */
async function until(done: () => Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('scheduled jobs of the server', () => {
  it('refreshes the neighbours before the server starts', () => {
    expect(t.statements.statements.some((sql) => sql.includes('DELETE FROM service_neighbour'))).toBe(true);
  });

  it('schedules the ranking fit from the newest stored fit, so that restarts do not put it off', () => {
    expect(t.statements.statements.some((sql) => sql.includes('max(fitted_at)'))).toBe(true);
  });

  it("builds the last complete period's report at start", async () => {
    const { start } = lastCompletePeriod(new Date(), 'day');
    await until(async () => {
      const [{ count }] = await t.db.query(
        `SELECT count(*)::int AS count FROM catalogue_report WHERE period_start = $1 AND trigger = 'SCHEDULED'`,
        [start.toISOString()],
      );
      return count === 1;
    });
  });

  it('writes a passed deadline’s notice and dispatches it, by themselves', async () => {
    const citizen = await newCitizen(t);
    const { submitRequest } = await citizen.client.request<any>(
      `mutation($input: RequestInput!) { submitRequest(input: $input) { unmet request { id } } }`,
      { input: { text: '我家狗狗的狂犬疫苗去哪里打', districtCode: '520103' } },
    );
    const requestId = submitRequest.request.id;
    await t.db.query(`UPDATE request_case SET acknowledge_due = now() - interval '1 hour' WHERE signal_id = $1`, [
      requestId,
    ]);
    await until(async () => {
      const rows = await t.db.query(
        `SELECT o.dispatched_at FROM notification n JOIN notification_outbox o ON o.notification_id = n.id
          WHERE n.request_id = $1 AND n.kind = 'request.acknowledge_overdue'`,
        [requestId],
      );
      return rows.length === 1 && rows[0].dispatched_at !== null;
    });
  });
});
