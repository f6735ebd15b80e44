import { randomUUID } from 'node:crypto';
import type { GraphQLClient } from 'graphql-request';
import pino from 'pino';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { Role } from '../../src/core/auth';
import { runDueReport, lastCompletePeriod } from '../../src/modules/reports/report-schedule.job';
import { rebuildDemandRollups } from '../../src/modules/analytics/rollups';
import { addDays, cityDayOf, cityMidnight } from '../../src/modules/analytics/periods';
import {
  CatalogueReportDocument,
  CatalogueReportsDocument,
  GenerateCatalogueReportDocument,
  RateServiceDocument,
  RecordSignalsDocument,
  SubmitRequestDocument,
  VoteDocument,
  type GenerateCatalogueReportMutation,
  type SignalInput,
} from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { newCitizen, type TestCitizen } from '../helpers/fixtures';
import { adminQuery, startTestApp, StatementCounter, TEST_JWT_SECRET, type TestApp } from '../helpers/test-app';

type Report = GenerateCatalogueReportMutation['generateCatalogueReport'];

let t: TestApp;
let planner: GraphQLClient;
let staff: GraphQLClient;

// Two adjacent periods of city days, both over: P1 a week that ended a week ago, P2 the seven
// days before today (a report covers only days that have ended).
const TODAY = cityDayOf(new Date());
const P1 = {
  periodStart: cityMidnight(addDays(TODAY, -14)).toISOString(),
  periodEnd: cityMidnight(addDays(TODAY, -7)).toISOString(),
};
const P2 = { periodStart: P1.periodEnd, periodEnd: cityMidnight(TODAY).toISOString() };
/** Noon in the city, ten days ago: inside P1. */
const IN_P1 = new Date(cityMidnight(addDays(TODAY, -10)).getTime() + 12 * 3_600_000).toISOString();
/** Noon in the city, yesterday: inside P2. */
const IN_P2 = new Date(cityMidnight(addDays(TODAY, -1)).getTime() + 12 * 3_600_000).toISOString();

// The planted scenarios (seed codes), and services with ordinary, healthy use.
const BAD = 'SS-0008'; // used, but voted down and rated 1 star: IMPROVE
const DEAD = 'MI-0016'; // never used, voted down: RETIRE
const GEM = 'HF-0013'; // five-star ratings, hardly viewed: PROMOTE
const LIMITED = 'AG-0005'; // 开阳县 only, viewed from 南明区 and 云岩区 in P1: EXPAND
const NEUTRAL = ['SS-0007', 'MI-0004', 'HF-0014', 'HR-0002'];
const DUPLICATES = [
  ['DS-0003', 'DS-0004'],
  ['EL-0003', 'EL-0004'],
]; // near-duplicates of two departments each (seed)
const UNMET_TEXTS = [
  '想找婚礼摄影师拍婚礼',
  '婚礼摄影跟拍哪里找',
  '婚礼摄影服务',
  '请推荐婚礼摄影',
  '婚礼摄影师预约',
  '找婚礼摄影团队',
];

let ids: Record<string, string>;
let pool: TestCitizen[];
let reports: { p1: Report; p2: Report };

const codesOf = (finding: Report['findings'][number]) => finding.services.map((s) => s.code).sort();
const byKind = (report: Report, kind: string) => report.findings.filter((f) => f.kind === kind);

function usage(
  service: string,
  count: number,
  kind: 'VIEW' | 'USE',
  occurredAt: string | null,
  tag: string,
): SignalInput[] {
  return Array.from({ length: count }, (_, i) => ({
    kind,
    serviceId: ids[service],
    occurredAt,
    clientEventId: `${tag}-${service}-${kind}-${i}`,
  }));
}

beforeAll(async () => {
  t = await startTestApp();
  planner = t.client(await t.token(Role.PLANNER));
  staff = t.client(await t.token(Role.STAFF));
  // The seed publishes everything at start; the catalogue is older than the periods.
  await t.db.query(`UPDATE service SET published_at = now() - interval '400 days'`);
  const rows: { id: string; code: string }[] = await t.db.query('SELECT id, code FROM service');
  ids = Object.fromEntries(rows.map((r) => [r.code, r.id]));

  pool = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      newCitizen(t, { districtCode: i % 2 === 0 ? '520102' : '520103', birthYear: 1980 + i }),
    ),
  );
  await Promise.all(
    pool.map(async (citizen, i) => {
      const signals: SignalInput[] = [];
      for (const [period, at] of [
        ['p1', IN_P1],
        ['p2', IN_P2],
      ] as const) {
        // The poorly rated service is really used in both periods: 6 citizens × 3 = 18 a period.
        signals.push(...usage(BAD, 2, 'VIEW', at, `${period}-${i}`), ...usage(BAD, 1, 'USE', at, `${period}-${i}`));
        // Neutral services: 12 views and a few uses a period, good votes, no complaints.
        for (const code of NEUTRAL) signals.push(...usage(code, 2, 'VIEW', at, `${period}-${i}`));
        if (i < 2) for (const code of NEUTRAL) signals.push(...usage(code, 1, 'USE', at, `${period}-${i}`));
      }
      // Out-of-district interest in the 开阳县 service, in P1 only.
      if (i < 4) signals.push(...usage(LIMITED, 2, 'VIEW', IN_P1, `p1-${i}`));
      // One view of the gem in P2.
      if (i === 0) signals.push(...usage(GEM, 1, 'VIEW', IN_P2, `p2-${i}`));
      expect((await citizen.client.request(RecordSignalsDocument, { signals })).recordSignals.accepted).toBe(
        signals.length,
      );

      await citizen.client.request(VoteDocument, { serviceId: ids[BAD], value: 'DOWN' });
      if (i < 3) await citizen.client.request(RateServiceDocument, { serviceId: ids[BAD], stars: 1 });
      if (i < 4) await citizen.client.request(VoteDocument, { serviceId: ids[DEAD], value: 'DOWN' });
      if (i < 5) await citizen.client.request(RateServiceDocument, { serviceId: ids[GEM], stars: 5 });
      if (i >= 4) {
        for (const code of NEUTRAL) {
          await citizen.client.request(VoteDocument, { serviceId: ids[code], value: 'UP' });
          await citizen.client.request(RateServiceDocument, { serviceId: ids[code], stars: 4 });
        }
      }
      // A need the catalogue lacks, in P2; two citizens also ask for something it has.
      const outcome = await citizen.client.request(SubmitRequestDocument, { input: { text: UNMET_TEXTS[i] } });
      expect(outcome.submitRequest.unmet).toBe(true);
      if (i < 2)
        expect(
          (await citizen.client.request(SubmitRequestDocument, { input: { text: '社会保障卡申领' } })).submitRequest
            .unmet,
        ).toBe(false);
    }),
  );
  // A neighbour of the limited service's own district looks at it too: not out of district.
  const local = await newCitizen(t, { districtCode: '520121' });
  await local.client.request(RecordSignalsDocument, { signals: usage(LIMITED, 3, 'VIEW', IN_P1, 'local') });

  // submitRequest stores its request now, in a day not over yet: moved into P2, with the
  // rollups rebuilt from the signals (as after a bulk load).
  await t.db.query(`UPDATE signal SET occurred_at = $1 WHERE kind = 'REQUEST'`, [IN_P2]);
  await t.applyRollups();
  await t.db.transaction((manager) => rebuildDemandRollups(manager));

  const p1 = (await planner.request(GenerateCatalogueReportDocument, P1)).generateCatalogueReport;
  const p2 = (await planner.request(GenerateCatalogueReportDocument, P2)).generateCatalogueReport;
  reports = { p1, p2 };
});
afterAll(async () => {
  await t?.stop();
});

describe('findings', () => {
  it('flags each planted scenario with its kind and services, and nothing neutral', () => {
    const { p1, p2 } = reports;
    for (const report of [p1, p2]) {
      expect(byKind(report, 'IMPROVE_SERVICE').map(codesOf)).toEqual([[BAD]]);
      expect(byKind(report, 'RETIRE_SERVICE').map(codesOf)).toEqual([[DEAD]]);
      expect(byKind(report, 'PROMOTE_SERVICE').map(codesOf)).toEqual([[GEM]]);
      expect(byKind(report, 'MERGE_SERVICES').map(codesOf).sort()).toEqual(DUPLICATES);
      const planted = new Set([BAD, DEAD, GEM, LIMITED, ...DUPLICATES.flat()]);
      for (const finding of report.findings) for (const code of codesOf(finding)) expect(planted.has(code)).toBe(true);
      expect(report.findings.every((f) => f.rationale.length > 20 && f.metrics.length > 0)).toBe(true);
      // Highest priority first.
      expect(report.findings.map((f) => f.priority)).toEqual(
        [...report.findings.map((f) => f.priority)].sort((a, b) => b - a),
      );
    }
    const [expand] = byKind(p1, 'EXPAND_DISTRICTS');
    expect(codesOf(expand)).toEqual([LIMITED]);
    expect(expand.districts.map((d) => d.code).sort()).toEqual(['520102', '520103']);
    expect(expand.metrics).toEqual(
      expect.arrayContaining([
        { name: 'outsideSignals', value: 8 },
        { name: 'outsideCitizens', value: 4 },
      ]),
    );
    expect(byKind(p1, 'ADD_SERVICE')).toEqual([]);

    const adds = byKind(p2, 'ADD_SERVICE');
    expect(adds).toHaveLength(1);
    expect(adds[0].services).toEqual([]);
    expect(adds[0].cluster).toMatchObject({ requestCount: 6, citizenCount: 6 });
    expect(adds[0].cluster!.label).toContain('婚礼');
    // Wedding photography is no need of the needs data and has no category: no department is
    // named rather than those of the closest, unrelated service.
    expect(adds[0].cluster!.need).toBeNull();
    expect(adds[0].departments).toEqual([]);
    expect(adds[0].districts.map((d) => d.code).sort()).toEqual(['520102', '520103']);
    expect(byKind(p2, 'EXPAND_DISTRICTS')).toEqual([]);
    const merge = byKind(p1, 'MERGE_SERVICES')[0];
    expect(merge.metrics.find((m) => m.name === 'crossDepartment')?.value).toBe(1);
  });

  it('summarises the period from the rollups', () => {
    expect(reports.p2.summary).toEqual({
      signals: expect.any(Number),
      requests: 8,
      activeCitizens: 6,
      publishedServices: expect.any(Number),
      coverage: 0.25,
      unmetRequests: 6,
    });
    expect(reports.p2.summary.publishedServices).toBeGreaterThan(200);
    // P1: 6 × (3 + 8) + 2 × 4 uses + 8 out-of-district and 3 local views of the limited service.
    expect(reports.p1.summary).toMatchObject({
      signals: 66 + 8 + 11,
      requests: 0,
      activeCitizens: 7,
      coverage: 1,
      unmetRequests: 0,
    });
  });

  it('links the previous report and says what is new, persisting and resolved', () => {
    const { p1, p2 } = reports;
    expect(p1.previous).toBeNull();
    expect(p1.findings.every((f) => f.change === 'NEW')).toBe(true);
    expect(p2.previous).toEqual({ id: p1.id, periodStart: P1.periodStart, periodEnd: P1.periodEnd });
    for (const f of p2.findings) expect(f.change).toBe(f.kind === 'ADD_SERVICE' ? 'NEW' : 'PERSISTING');
    expect(p2.resolvedFindings.map((f) => [f.kind, f.change, codesOf(f)])).toEqual([
      ['EXPAND_DISTRICTS', 'RESOLVED', [LIMITED]],
    ]);
  });
});

describe('storage and access', () => {
  it('stores a period once, with an audit event per generation', async () => {
    const error = await expectError(planner.request(GenerateCatalogueReportDocument, P1), 'CONFLICT');
    expect(error.extensions?.reportId).toBe(reports.p1.id);
    const [{ count }] = await t.db.query(
      `SELECT count(*)::int AS count FROM audit_event WHERE action = 'report.generate'`,
    );
    expect(count).toBe(2);
    await expectError(
      planner.request(GenerateCatalogueReportDocument, { periodStart: P1.periodEnd, periodEnd: P1.periodStart }),
      'BAD_USER_INPUT',
    );
    await expectError(staff.request(GenerateCatalogueReportDocument, P1), 'FORBIDDEN');
  });

  it('lists reports newest first with cursors, and reads one by id', async () => {
    const first = (await staff.request(CatalogueReportsDocument, { first: 1 })).catalogueReports;
    expect(first.totalCount).toBe(2);
    expect(first.edges.map((e) => e.node.id)).toEqual([reports.p2.id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await staff.request(CatalogueReportsDocument, { first: 1, after: first.pageInfo.endCursor }))
      .catalogueReports;
    expect(second.edges.map((e) => [e.node.id, e.node.trigger])).toEqual([[reports.p1.id, 'MANUAL']]);
    const one = (await staff.request(CatalogueReportDocument, { id: reports.p2.id })).catalogueReport;
    expect(one).toEqual(reports.p2);
    expect((await staff.request(CatalogueReportDocument, { id: randomUUID() })).catalogueReport).toBeNull();
    const citizen = t.client(await t.token(Role.CITIZEN));
    await expectError(citizen.request(CatalogueReportsDocument, {}), 'FORBIDDEN');
  });

  it('downloads a report as Markdown and CSV with the same auth', async () => {
    const base = t.url.replace(/\/graphql$/, '');
    const get = async (path: string, role?: Role) =>
      fetch(`${base}${path}`, role ? { headers: { authorization: `Bearer ${await t.token(role)}` } } : {});
    const md = await get(`/reports/${reports.p2.id}.md`, Role.STAFF);
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toContain('text/markdown');
    const text = await md.text();
    expect(text).toContain('# 服务目录优化报告');
    expect(text).toContain('[新增服务]');
    expect(text).toContain('已解决');
    const csv = await get(`/reports/${reports.p2.id}.csv`, Role.PLANNER);
    expect(csv.status).toBe(200);
    const lines = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('kind,change,priority,title,services,districts,departments,metrics,rationale');
    expect(lines).toHaveLength(1 + reports.p2.findings.length + reports.p2.resolvedFindings.length);
    expect((await get(`/reports/${reports.p2.id}.md`)).status).toBe(401);
    expect((await get(`/reports/${reports.p2.id}.csv`, Role.CITIZEN)).status).toBe(403);
    expect((await get(`/reports/${randomUUID()}.md`, Role.ADMIN)).status).toBe(404);
  });
});

// Several API processes on one PostgreSQL database: the schedule stores each period once.
(process.env.TEST_DATABASE_URL ? describe : describe.skip)('scheduling on one PostgreSQL database', () => {
  it('two app instances with a report due store exactly one report for the period', async () => {
    const baseUrl = process.env.TEST_DATABASE_URL!;
    const name = `minsheng_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const admin = (sql: string) => adminQuery(baseUrl, sql);
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_JWT_SECRET,
      DATABASE_URL: url.toString(),
      REPORT_SCHEDULE: 'true',
      REPORT_PERIOD: 'day',
      REPORT_CHECK_SECONDS: '1',
    });
    const logger = pino({ level: 'silent' });
    const apps: App[] = [];
    // Each process's statements, to follow its scheduler's checks (each one takes the advisory lock).
    const statements = [new StatementCounter(), new StatementCounter()];
    const checksOf = (counter: StatementCounter) =>
      counter.statements.filter((q) => q.includes('pg_try_advisory_xact_lock')).length;
    const until = async (done: () => boolean | Promise<boolean>) => {
      while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 100));
    };
    try {
      for (const sqlLogger of statements) apps.push(await startApp(config, logger, { sqlLogger }));
      // Both race for an older period too, at the same moment.
      const past = new Date(Date.now() - 3 * 86_400_000);
      const outcomes = await Promise.all(
        apps.map((app) => runDueReport(app.database.dataSource, config, logger, past)),
      );
      expect(outcomes.filter((o) => o === 'built')).toHaveLength(1);
      const due = lastCompletePeriod(new Date(), 'day');
      const db = apps[0].database.dataSource;
      const count = async (start: Date) =>
        (
          await db.query(`SELECT count(*)::int AS count FROM catalogue_report WHERE period_start = $1`, [
            start.toISOString(),
          ])
        )[0].count as number;
      await until(async () => (await count(due.start)) > 0);
      // Both schedulers check again after the report is stored: a check begun after this point has
      // ended once the next one begins (a check never starts while the one before runs).
      const seen = statements.map(checksOf);
      await until(() => statements.every((counter, i) => checksOf(counter) >= seen[i] + 2));
      expect(await count(due.start)).toBe(1);
      expect(await count(lastCompletePeriod(past, 'day').start)).toBe(1);
      const [{ trigger }] = await db.query(
        `SELECT trigger::text AS trigger FROM catalogue_report WHERE period_start = $1`,
        [due.start.toISOString()],
      );
      expect(trigger).toBe('SCHEDULED');
    } finally {
      for (const app of apps) await app.stop();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
