import { randomUUID } from 'node:crypto';
import { GraphQLClient } from 'graphql-request';
import { Role } from '../../src/core/auth';
import {
  AccessEventsDocument,
  type AccessEventsQueryVariables,
  AuditEventsDocument,
  CatalogueReportDocument,
  CitizenDocument,
  RateServiceDocument,
  RecommendedDocument,
  SubmitRequestDocument,
  UnmetDemandDocument,
  ViewerDocument,
} from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { countRows, newCitizen, publishedServiceIds, type TestCitizen } from '../helpers/fixtures';
import { raw } from '../helpers/http';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../helpers/test-app';
import { signToken } from '../../src/core/auth';

type Open311Listed = { service_request_id: string; description: string; address: string };

const OPEN311_KEY = 'privacy-key-0123456789abcdefghij';

/** Pieces of personal data the texts below carry: none may reach another person. */
const LEAKS = ['1234', '5678', '@', 'zhang', '123X', '6222', '86812345', 'E1234'];
const expectNoLeak = (shown: unknown) => {
  const text = JSON.stringify(shown);
  for (const leak of LEAKS) expect([leak, text.includes(leak)]).toEqual([leak, false]);
};

let t: TestApp;
let departmentId: string;
beforeAll(async () => {
  t = await startTestApp({ OPEN311_API_KEYS: `hotline:${OPEN311_KEY}` });
  [{ id: departmentId }] = await t.db.query('SELECT id FROM department ORDER BY code LIMIT 1');
});
afterAll(async () => {
  await t?.stop();
});

describe('redaction of citizens’ text shown to others', () => {
  // Unmet requests on one topic (lost pets), each with personal data in another form.
  const requests: [string, string][] = [
    ['我家的狗走丢了怎么办 电话138-1234-5678', '我家的狗走丢了怎么办 电话[电话]'],
    ['寵物走失去哪裏登記 手机１３８１２３４５６７８', '寵物走失去哪裏登記 手机[电话]'],
    ['我家猫咪走丢了谁能帮忙找 邮箱zhang.san@qq.com 微信zhangsan_88', '我家猫咪走丢了谁能帮忙找 邮箱[邮箱] 微信[账号]'],
    ['小狗跑丢了发布寻狗启事 身份证52010219900307123X', '小狗跑丢了发布寻狗启事 身份证[身份证]'],
    ['狗狗走丢了 联系138 1234 5678 座机0851-86812345', '狗狗走丢了 联系[电话] 座机[电话]'],
    ['猫走丢了 悬赏转到卡6222 0212 3456 7890 123 护照E12345678', '猫走丢了 悬赏转到卡[银行卡] 护照[证件号]'],
  ];
  let since: string;
  let until: string;

  beforeAll(async () => {
    since = new Date(Date.now() - 60_000).toISOString();
    for (const [text] of requests) {
      const citizen = await newCitizen(t);
      const { unmet } = (await citizen.client.request(SubmitRequestDocument, { input: { text } })).submitRequest;
      expect([text, unmet]).toEqual([text, true]);
    }
    until = new Date(Date.now() + 60_000).toISOString();
  });

  it('unmet-demand samples and keywords shown to staff of any department hide every form', async () => {
    const staff = t.client(await t.token(Role.STAFF, { dept: departmentId }));
    const clusters = (await staff.request(UnmetDemandDocument, { from: since, to: until })).unmetDemand;
    // One topic: one cluster of the six, five of them shown as samples.
    expect(clusters.map((c) => c.requestCount)).toEqual([requests.length]);
    const samples = clusters.flatMap((c) => c.sampleRequests);
    expect(samples).toHaveLength(5);
    for (const sample of samples) expect(requests.map(([, shown]) => shown)).toContain(sample);
    expectNoLeak(clusters);
  });

  it('the public Open311 feed shows descriptions and addresses redacted', async () => {
    const base = t.url.replace(/\/graphql$/, '/open311/v2');
    const [{ code }] = await t.db.query(`SELECT code FROM service WHERE status = 'PUBLISHED' ORDER BY code LIMIT 1`);
    const posted = await raw(`${base}/requests.json`, {
      method: 'POST',
      body: new URLSearchParams({
        api_key: OPEN311_KEY,
        service_code: code,
        description: '路灯坏了，请联系我 138 1234 5678，身份证520102199003071234，邮箱zhang@163.com',
        address_string: '云岩区中华北路1号 张先生 +86-13812345678',
        'attribute[district]': '520103',
      }),
    });
    expect(posted.status).toBe(200);
    const [{ service_request_id: id }] = JSON.parse(posted.text);
    for (const path of ['/requests.json', `/requests/${id}.json`]) {
      const response = await raw(`${base}${path}`);
      expect(response.status).toBe(200);
      const listed = JSON.parse(response.text) as Open311Listed[];
      const [request] = listed.filter((r) => r.service_request_id === id);
      expect(request.description).toBe('路灯坏了，请联系我 [电话]，身份证[身份证]，邮箱[邮箱]');
      expect(request.address).toBe('云岩区中华北路1号 张先生 [电话]');
    }
  });

  it('a report stored under the old rule shows its rationale, samples and exports redacted', async () => {
    const sample = '婚礼摄影找不到 电话138 1234 5678 微信zhangsan_88';
    const finding = {
      key: 'ADD_SERVICE:c-privacy',
      kind: 'ADD_SERVICE',
      priority: 50,
      title: '新增服务：婚礼摄影',
      rationale: `本期有 4 位群众提出了 6 条「婚礼摄影」方面的需求，现有服务都满足不了，例如「${sample}」。建议研究新增相应服务。`,
      metrics: [{ name: 'requests', value: 6 }],
      change: 'NEW',
      serviceIds: [],
      districtCodes: ['520102'],
      departmentIds: [],
      cluster: {
        id: 'c-privacy',
        label: '婚礼摄影',
        keywords: ['婚礼', '摄影'],
        requestCount: 6,
        citizenCount: 4,
        categoryId: null,
        districts: [{ code: '520102', count: 6 }],
        sampleRequests: [sample],
        closestServiceId: null,
        closestScore: null,
      },
    };
    const summary = { signals: 6, requests: 6, activeCitizens: 4, publishedServices: 300, coverage: 0 };
    const stored = { ...summary, unmetRequests: 6 };
    const id = randomUUID();
    await t.db.query(
      `INSERT INTO catalogue_report (id, period_start, period_end, granularity, trigger, summary, findings)
       VALUES ($1, '2025-01-06T00:00:00+08:00', '2025-01-13T00:00:00+08:00', 'week', 'MANUAL', $2::jsonb, $3::jsonb)`,
      [id, JSON.stringify(stored), JSON.stringify([finding])],
    );
    const planner = await t.token(Role.PLANNER);
    const report = (await t.client(planner).request(CatalogueReportDocument, { id })).catalogueReport!;
    expect(report.findings[0].rationale).toContain('例如「婚礼摄影找不到 电话[电话] 微信[账号]」');
    expectNoLeak(report);
    const base = t.url.replace(/\/graphql$/, '');
    for (const format of ['md', 'csv']) {
      const headers = { authorization: `Bearer ${planner}` };
      const exported = await raw(`${base}/reports/${id}.${format}`, { headers });
      expect(exported.status).toBe(200);
      expect(exported.text).toContain('电话[电话] 微信[账号]');
      expectNoLeak(exported.text);
    }
  });

  it('the audit trail shows a rating comment redacted to the auditor', async () => {
    const citizen = await newCitizen(t);
    const [serviceId] = await publishedServiceIds(t, 1);
    const comment = '办不成，回电138-1234-5678或zhang@qq.com';
    await citizen.client.request(RateServiceDocument, { serviceId, stars: 2, comment });
    const auditor = t.client(await t.token(Role.AUDITOR));
    const filter = { actorId: citizen.id, action: 'rating.set' };
    const events = (await auditor.request(AuditEventsDocument, { filter })).auditEvents;
    expect(events.edges.map((e) => JSON.parse(e.node.details!))).toEqual([
      { stars: 2, comment: '办不成，回电[电话]或[邮箱]' },
    ]);
  });
});

describe('access events: reads of a citizen’s personal data by someone else', () => {
  let citizen: TestCitizen;
  let auditor: GraphQLClient;
  const list = async (variables: AccessEventsQueryVariables) =>
    (await auditor.request(AccessEventsDocument, variables)).accessEvents;
  const eventsOf = (citizenId: string) => list({ filter: { citizenId } });
  /** A client whose requests carry a chosen x-request-id. */
  const clientWith = async (role: Role, requestId: string, dept?: string) =>
    new GraphQLClient(t.url, {
      headers: {
        authorization: `Bearer ${await signToken({ sub: randomUUID(), role, dept }, TEST_JWT_SECRET)}`,
        'x-request-id': requestId,
      },
    });

  beforeAll(async () => {
    citizen = await newCitizen(t, { birthYear: 1960, tags: ['retiree'] });
    auditor = t.client(await t.token(Role.AUDITOR));
  });

  it('a citizen reading their own profile and ranking leaves none', async () => {
    expect((await citizen.client.request(CitizenDocument, { id: citizen.id })).citizen?.id).toBe(citizen.id);
    const own = (await citizen.client.request(RecommendedDocument, { first: 5 })).recommendedServices;
    expect(own.edges.length).toBeGreaterThan(0);
    await citizen.client.request(ViewerDocument);
    expect((await eventsOf(citizen.id)).totalCount).toBe(0);
    expect(await countRows(t, 'access_event WHERE actor_id = $1', [citizen.id])).toBe(0);
  });

  it('an ADMIN reading a profile and a PLANNER a ranking leave events the auditor lists, newest first', async () => {
    const admin = await clientWith(Role.ADMIN, 'privacy-admin-read');
    const profile = (await admin.request(CitizenDocument, { id: citizen.id.toUpperCase() })).citizen;
    expect(profile?.birthYear).toBe(1960);
    const planner = await clientWith(Role.PLANNER, 'privacy-planner-read', departmentId);
    const ranking = (await planner.request(RecommendedDocument, { citizenId: citizen.id, first: 3 }))
      .recommendedServices;
    expect(ranking.edges).toHaveLength(3);

    const events = await eventsOf(citizen.id);
    expect(events.totalCount).toBe(2);
    const [rankingRead, profileRead] = events.edges.map((e) => e.node);
    expect(rankingRead).toMatchObject({
      requestId: 'privacy-planner-read',
      actorRole: 'PLANNER',
      actorDepartmentId: departmentId,
      citizenId: citizen.id,
      what: 'citizen.ranking',
    });
    expect(JSON.parse(rankingRead.details!)).toEqual({ categoryCode: null, first: 3, offset: 0, personalized: true });
    expect(profileRead).toMatchObject({
      requestId: 'privacy-admin-read',
      actorRole: 'ADMIN',
      actorDepartmentId: null,
      what: 'citizen.profile',
    });
    expect(JSON.parse(profileRead.details!)).toEqual({
      fields: ['ageBand', 'birthYear', 'district', 'id', 'interests', 'personalization', 'tags'],
    });
    expect(Date.parse(rankingRead.at)).toBeGreaterThanOrEqual(Date.parse(profileRead.at));

    // Filters and pages.
    const byPlanner = await list({ filter: { actorRole: 'PLANNER', citizenId: citizen.id } });
    expect(byPlanner.edges.map((e) => e.node.id)).toEqual([rankingRead.id]);
    const byWhat = await list({ filter: { what: 'citizen.profile', actorId: profileRead.actorId } });
    expect(byWhat.edges.map((e) => e.node.id)).toEqual([profileRead.id]);
    const first = await list({ filter: { citizenId: citizen.id }, first: 1 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    // An event written between two pages does not shift the second one.
    await planner.request(RecommendedDocument, { citizenId: citizen.id, first: 1 });
    const second = await list({ filter: { citizenId: citizen.id }, first: 1, after: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node.id)).toEqual([profileRead.id]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(second.totalCount).toBe(3);
  });

  it('an audit trail filtered to one citizen is a read of their data; browsing the trail is not', async () => {
    const admin = await clientWith(Role.ADMIN, 'privacy-admin-trail');
    const trail = (await admin.request(AuditEventsDocument, { filter: { actorId: citizen.id } })).auditEvents;
    expect(trail.edges.map((e) => e.node.action)).toContain('citizen.profile.update');
    await auditor.request(AuditEventsDocument, { filter: { targetType: 'citizen', targetId: citizen.id } });
    await auditor.request(AuditEventsDocument, { first: 100 });
    const events = await list({ filter: { citizenId: citizen.id, what: 'citizen.audit_trail' } });
    expect(events.edges.map((e) => [e.node.actorRole, e.node.requestId === 'privacy-admin-trail'])).toEqual([
      ['AUDITOR', false],
      ['ADMIN', true],
    ]);
    expect(JSON.parse(events.edges[1].node.details!)).toEqual({ filter: { actorId: citizen.id } });
  });

  it('a read of no citizen leaves none', async () => {
    const admin = t.client(await t.token(Role.ADMIN));
    const nobody = randomUUID();
    expect((await admin.request(CitizenDocument, { id: nobody })).citizen).toBeNull();
    const planner = t.client(await t.token(Role.PLANNER));
    await expectError(planner.request(RecommendedDocument, { citizenId: nobody }), 'NOT_FOUND');
    expect((await eventsOf(nobody)).totalCount).toBe(0);
  });

  it('only an AUDITOR lists them; bad filters are BAD_USER_INPUT', async () => {
    for (const role of [Role.ADMIN, Role.PLANNER, Role.STAFF, Role.REVIEWER, Role.CITIZEN]) {
      const withDept = role === Role.STAFF || role === Role.REVIEWER;
      const client = t.client(await t.token(role, withDept ? { dept: departmentId } : {}));
      await expectError(client.request(AccessEventsDocument, {}), 'FORBIDDEN');
    }
    await expectError(t.client().request(AccessEventsDocument, {}), 'UNAUTHENTICATED');
    await expectError(auditor.request(AccessEventsDocument, { filter: { citizenId: 'not-a-uuid' } }), 'BAD_USER_INPUT');
    await expectError(auditor.request(AccessEventsDocument, { after: 'bm90LWEtY3Vyc29y' }), 'BAD_USER_INPUT');
  });

  it('the table refuses UPDATE, DELETE and TRUNCATE', async () => {
    const before = await countRows(t, 'access_event');
    expect(before).toBeGreaterThan(0);
    for (const sql of ["UPDATE access_event SET what = 'x'", 'DELETE FROM access_event', 'TRUNCATE access_event']) {
      await expect(t.db.query(sql)).rejects.toThrow(/append-only/);
    }
    expect(await countRows(t, 'access_event')).toBe(before);
  });

  it('a read whose event cannot be written fails and returns nothing', async () => {
    const admin = t.client(await t.token(Role.ADMIN));
    await t.db.query('ALTER TABLE access_event RENAME TO access_event_away');
    try {
      const error = await expectError(admin.request(CitizenDocument, { id: citizen.id }), 'INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(error)).not.toContain('1960');
    } finally {
      await t.db.query('ALTER TABLE access_event_away RENAME TO access_event');
    }
  });
});
