import { departmentId } from '../../seeds/catalogue';
import { addDays, cityDayOf, cityMidnight } from '../../src/modules/analytics/periods';
import { Role } from '../../src/core/auth';
import { CreateProposalDocument, SubmitProposalDocument } from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { countRows, newCitizen, type TestCitizen } from '../helpers/fixtures';
import {
  connectionOutcome,
  startWebhookReceiver,
  subscribeToNotifications,
  subscriptionErrorCodes,
  type WebhookReceiver,
} from '../helpers/notification-receivers';
import { dispatchOutbox } from '../../src/modules/notifications/outbox.dispatcher';
import { sendDueWebhooks } from '../../src/modules/notifications/webhooks.sender';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
const SECRET = 'webhook-secret-of-the-integrator';
const AGRI = departmentId('GY-AGRI');

const SUBMIT = `mutation($input: RequestInput!) { submitRequest(input: $input) { unmet request { id } } }`;
const MY_REQUESTS = `{ myRequests(first: 5) { edges { node { id status department { id code } } } } }`;
const ACK = `mutation($id: ID!) { acknowledgeRequest(id: $id) { status } }`;
const NOTE = `mutation($id: ID!, $input: RequestNoteInput!) { addRequestNote(id: $id, input: $input) { status } }`;
const RESOLVE = `mutation($id: ID!, $answer: String!) { resolveRequest(id: $id, answer: $answer) { status } }`;
const REVIEW = `mutation($id: ID!) { reviewProposal(id: $id, decision: APPROVE) { status service { id code } } }`;
const RATE = `mutation($input: RateOutcomeInput!) { rateOutcome(input: $input) { id level } }`;
const NOTIFICATIONS = `{ notifications(first: 20) { totalCount edges { node { id kind requestId serviceId message } } } }`;
const REGISTER = `mutation($input: WebhookInput!) { registerWebhook(input: $input) { id url departmentId active } }`;
const DELIVERIES = `query($webhookId: ID) { webhookDeliveries(webhookId: $webhookId, first: 50) {
  totalCount edges { node { id webhookId eventId kind status attempts lastStatusCode lastError deliveredAt } } } }`;
const PERFORMANCE = `query($from: DateTime!, $to: DateTime!) { departmentPerformance(from: $from, to: $to) {
  department { id code } received acknowledged resolved ratings badRatings satisfactionRate } }`;

const REPORT = `mutation($periodStart: DateTime!, $periodEnd: DateTime!) {
  generateCatalogueReport(periodStart: $periodStart, periodEnd: $periodEnd) {
    id departmentPerformance { department { id code } received resolved ratings badRatings satisfactionRate } } }`;

const RABIES = '我家狗狗的狂犬疫苗去哪里打';

async function proposeRabiesService(): Promise<string> {
  const agri = t.client(await t.token(Role.STAFF, { dept: AGRI }));
  const { createProposal } = await agri.request(CreateProposalDocument, {
    input: {
      title: '犬只狂犬疫苗接种预约',
      titleEn: 'Rabies vaccination booking for dogs',
      summary: '为家养犬只预约狂犬疫苗接种，就近到动物防疫点打疫苗并办理免疫证明。',
      categoryCode: 'life.culture-sport',
      tags: ['狂犬疫苗', '犬只', '狗', '宠物防疫'],
      channels: ['APP', 'ONLINE'],
      rationale: '市民多次询问狗狗的狂犬疫苗去哪里打。',
    },
  });
  await agri.request(SubmitProposalDocument, { id: createProposal.id });
  return createProposal.id;
}

const ownCase = async (citizen: TestCitizen, id: string) =>
  (await citizen.client.request<any>(MY_REQUESTS)).myRequests.edges
    .map((e: any) => e.node)
    .find((n: any) => n.id === id);

beforeAll(async () => {
  t = await startTestApp({ OUTBOX_POLL_MS: '50', WEBHOOK_RETRY_BASE_MS: '100', NEED_MET_WINDOW_DAYS: '30' });
});
afterAll(async () => {
  await t?.stop();
});

describe('the loop: an unmet need, answered by a new service', () => {
  let receiver: WebhookReceiver;
  afterAll(async () => {
    await receiver?.close();
  });

  it('routes, acknowledges, approves; notifies the citizen live and by a webhook; their rating changes the figures', async () => {
    const admin = t.client(await t.token(Role.ADMIN));
    receiver = await startWebhookReceiver(SECRET);
    const { registerWebhook } = await admin.request<any>(REGISTER, { input: { url: receiver.url, secret: SECRET } });
    expect(registerWebhook).toMatchObject({ url: receiver.url, departmentId: null, active: true });

    const citizen = await newCitizen(t);
    const bystander = await newCitizen(t);
    const live = await subscribeToNotifications(t.url, citizen.token);
    const bystanderLive = await subscribeToNotifications(t.url, bystander.token);
    try {
      const { submitRequest } = await citizen.client.request<any>(SUBMIT, { input: { text: RABIES } });
      expect(submitRequest.unmet).toBe(true);
      const requestId = submitRequest.request.id;
      await bystander.client.request(SUBMIT, { input: { text: '小区门口的路灯坏了一个月' } });

      // Routed to a department, which acknowledges and answers.
      const routed = await ownCase(citizen, requestId);
      expect(routed.status).toBe('OPEN');
      const staff = t.client(await t.token(Role.STAFF, { dept: routed.department.id }));
      await staff.request(ACK, { id: requestId });
      await staff.request(NOTE, { id: requestId, input: { text: '已转农业农村部门研究新增服务' } });
      await live.waitFor((n) => n.kind === 'request.status' && n.requestId === requestId);
      await live.waitFor((n) => n.kind === 'request.note' && n.requestId === requestId);

      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const planner = t.client(await t.token(Role.PLANNER));
      const figures = async () =>
        (await planner.request<any>(PERFORMANCE, { from, to })).departmentPerformance.find(
          (d: any) => d.department.id === routed.department.id,
        );
      const before = await figures();
      expect(before.acknowledged).toBeGreaterThanOrEqual(1);

      // The department's proposal is approved by a reviewer of another department: the service is published.
      const proposalId = await proposeRabiesService();
      const reviewer = t.client(await t.token(Role.REVIEWER, { dept: departmentId('GY-GSC') }));
      const { reviewProposal } = await reviewer.request<any>(REVIEW, { id: proposalId });
      expect(reviewProposal.status).toBe('APPROVED');
      const newServiceId = reviewProposal.service.id;

      // Live, to the citizen only; and to the integrator, signed.
      const notice = await live.waitFor((n) => n.kind === 'request.need_met');
      expect(notice).toMatchObject({ requestId, serviceId: newServiceId });
      expect(notice.message).toContain('犬只狂犬疫苗接种预约');
      const event = await receiver.waitFor((e) => e.type === 'request.need_met');
      expect(event.verified).toBe(true);
      expect(event.payload).toMatchObject({
        id: event.eventId,
        type: 'request.need_met',
        data: { requestId, serviceId: newServiceId, citizenId: citizen.id, notificationId: notice.id },
      });
      expect(JSON.stringify(event.payload)).not.toContain('狂犬疫苗去哪里打');
      expect(bystanderLive.received.filter((n) => n.kind === 'request.need_met')).toEqual([]);
      expect(bystanderLive.received.every((n) => n.requestId !== requestId)).toBe(true);
      const stored = (await citizen.client.request<any>(NOTIFICATIONS)).notifications.edges.map((e: any) => e.node);
      expect(stored.filter((n: any) => n.kind === 'request.need_met')).toEqual([
        expect.objectContaining({ id: notice.id, requestId, serviceId: newServiceId }),
      ]);
      expect(
        await countRows(t, `audit_event WHERE action = 'proposal.approve' AND (details->>'needsMet')::int >= 1`),
      ).toBe(1);

      // The department answers; the citizen rates the outcome; the figures move.
      await staff.request(RESOLVE, { id: requestId, answer: '已上线犬只狂犬疫苗接种预约服务' });
      await citizen.client.request(RATE, { input: { requestId, level: 'VERY_SATISFIED', comment: '很方便' } });
      const after = await figures();
      expect(after).toMatchObject({
        received: before.received,
        resolved: before.resolved + 1,
        ratings: before.ratings + 1,
        badRatings: before.badRatings,
      });
      expect(after.satisfactionRate).toBeGreaterThan(before.satisfactionRate ?? 0);

      // The periodic report of that day carries the department's figures (the day moved to yesterday: reports cover ended days).
      await t.db.query(
        `UPDATE request_case SET opened_at = opened_at - interval '1 day', acknowledge_due = acknowledge_due - interval '1 day',
        resolve_due = resolve_due - interval '1 day', acknowledged_at = acknowledged_at - interval '1 day',
        resolved_at = resolved_at - interval '1 day' WHERE signal_id = $1`,
        [requestId],
      );
      await t.db.query(`UPDATE satisfaction_rating SET at = at - interval '1 day' WHERE case_id = $1`, [requestId]);
      const yesterday = addDays(cityDayOf(new Date()), -1);
      const { generateCatalogueReport } = await planner.request<any>(REPORT, {
        periodStart: cityMidnight(yesterday).toISOString(),
        periodEnd: cityMidnight(addDays(yesterday, 1)).toISOString(),
      });
      const inReport = generateCatalogueReport.departmentPerformance.find(
        (d: any) => d.department.id === routed.department.id,
      );
      expect(inReport).toMatchObject({
        received: expect.any(Number),
        resolved: expect.any(Number),
        ratings: 1,
        badRatings: 0,
        satisfactionRate: 1,
      });
      expect(inReport.received).toBeGreaterThanOrEqual(1);
      const markdown = await fetch(`${t.url.replace(/\/graphql$/, '')}/reports/${generateCatalogueReport.id}.md`, {
        headers: { authorization: `Bearer ${await t.token(Role.PLANNER)}` },
      });
      const text = await markdown.text();
      expect(text).toContain('## 部门办理情况');
      expect(text).toMatch(/\| 100\.0% \|\n/);
    } finally {
      await live.close();
      await bystanderLive.close();
    }
  });

  it('tells a request once: a second service meeting it, or a new version, sends nothing more', async () => {
    const citizen = await newCitizen(t);
    const { submitRequest } = await citizen.client.request<any>(SUBMIT, {
      input: { text: '想给狗狗打狂犬疫苗，哪里可以预约' },
    });
    expect(submitRequest.unmet).toBe(true);
    const reviewer = t.client(await t.token(Role.REVIEWER, { dept: departmentId('GY-GSC') }));
    await reviewer.request(REVIEW, { id: await proposeRabiesService() });
    await reviewer.request(REVIEW, { id: await proposeRabiesService() });
    expect(
      await countRows(t, `notification WHERE kind = 'request.need_met' AND request_id = $1`, [
        submitRequest.request.id,
      ]),
    ).toBe(1);
    expect(
      await countRows(t, `notification_outbox WHERE kind = 'request.need_met' AND request_id = $1`, [
        submitRequest.request.id,
      ]),
    ).toBe(1);
  });

  it('tells no request older than the window, and none the service does not meet', async () => {
    const citizen = await newCitizen(t);
    const old = (await citizen.client.request<any>(SUBMIT, { input: { text: '狗狗的狂犬疫苗在哪里可以打针' } }))
      .submitRequest.request.id;
    const unrelated = (await citizen.client.request<any>(SUBMIT, { input: { text: '小区门口的路灯坏了一个月' } }))
      .submitRequest.request.id;
    await t.db.query(`UPDATE signal SET occurred_at = now() - interval '31 days' WHERE id = $1`, [old]);
    const reviewer = t.client(await t.token(Role.REVIEWER, { dept: departmentId('GY-GSC') }));
    await reviewer.request(REVIEW, { id: await proposeRabiesService() });
    expect(
      await countRows(t, `notification WHERE kind = 'request.need_met' AND request_id = ANY ($1::bigint[])`, [
        [old, unrelated],
      ]),
    ).toBe(0);
  });
});

describe('webhooks', () => {
  it('retries a failing receiver with backoff: it gets the event exactly once after de-duplication by event id', async () => {
    const receiver = await startWebhookReceiver(SECRET, { failFirst: 2 });
    try {
      const admin = t.client(await t.token(Role.ADMIN));
      const { registerWebhook } = await admin.request<any>(REGISTER, {
        input: { url: receiver.url, secret: SECRET, departmentId: departmentId('GY-CA') },
      });
      const citizen = await newCitizen(t);
      await citizen.client.request(`mutation($s: [SignalInput!]!) { recordSignals(signals: $s) { accepted } }`, {
        s: [
          {
            kind: 'COMPLAINT',
            serviceId: (await t.db.query(`SELECT id FROM service WHERE code = 'EL-0003'`))[0].id,
            text: '助餐迟到',
          },
        ],
      });
      const event = await receiver.waitFor((e) => e.type === 'request.routed');
      expect(receiver.received.filter((e) => e.eventId === event.eventId)).toHaveLength(3);
      expect(receiver.received.every((e) => e.verified)).toBe(true);
      expect(receiver.unique().filter((e) => e.type === 'request.routed')).toHaveLength(1);
      expect(event.payload.data).toMatchObject({ departmentId: departmentId('GY-CA') });

      // The receiver holds the event before the sender has recorded its answer: wait for the record.
      const deliveries = async () =>
        (await admin.request<any>(DELIVERIES, { webhookId: registerWebhook.id })).webhookDeliveries.edges.map(
          (e: any) => e.node,
        );
      const settleBy = Date.now() + 10_000;
      let logged = await deliveries();
      while (logged.some((d: any) => d.status === 'PENDING') && Date.now() < settleBy) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        logged = await deliveries();
      }
      expect(logged).toEqual([
        expect.objectContaining({
          eventId: event.eventId,
          status: 'DELIVERED',
          attempts: 3,
          lastStatusCode: 204,
          lastError: null,
        }),
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('refuses a bad URL, a short secret or an unknown department, and every role but ADMIN', async () => {
    const admin = t.client(await t.token(Role.ADMIN));
    await expectError(
      admin.request(REGISTER, { input: { url: 'ftp://example.com/x', secret: SECRET } }),
      'BAD_USER_INPUT',
    );
    await expectError(
      admin.request(REGISTER, { input: { url: 'http://127.0.0.1:1/x', secret: 'short' } }),
      'BAD_USER_INPUT',
    );
    await expectError(
      admin.request(REGISTER, {
        input: { url: 'http://127.0.0.1:1/x', secret: SECRET, departmentId: '00000000-0000-4000-8000-000000000000' },
      }),
      'NOT_FOUND',
    );
    for (const role of [Role.CITIZEN, Role.STAFF, Role.PLANNER, Role.REVIEWER, Role.AUDITOR]) {
      const client = t.client(await t.token(role, { dept: AGRI }));
      await expectError(
        client.request(REGISTER, { input: { url: 'http://127.0.0.1:1/x', secret: SECRET } }),
        'FORBIDDEN',
      );
      await expectError(client.request(DELIVERIES, {}), 'FORBIDDEN');
    }
  });
});

describe('subscriptions', () => {
  it('refuses a connection without a token or with an invalid one (4403), and accepts a valid one', async () => {
    expect(await connectionOutcome(t.url, {})).toBe(4403);
    expect(await connectionOutcome(t.url, { authorization: 'Bearer not-a-token' })).toBe(4403);
    // A character inside the signature: the last one also holds padding bits that decoding drops.
    const forged = (await t.token(Role.CITIZEN)).replace(
      /(.)(.{5})$/,
      (_, c: string, rest: string) => (c === 'A' ? 'B' : 'A') + rest,
    );
    expect(await connectionOutcome(t.url, { authorization: `Bearer ${forged}` })).toBe(4403);
    expect(await connectionOutcome(t.url, { authorization: `Bearer ${await t.token(Role.CITIZEN)}` })).toBe(
      'connected',
    );
  });

  it('serves notificationAdded to citizens and staff only; queries and mutations are not served over WebSocket', async () => {
    for (const role of [Role.PLANNER, Role.REVIEWER, Role.AUDITOR, Role.ADMIN]) {
      expect([role, await subscriptionErrorCodes(t.url, await t.token(role, { dept: AGRI }))]).toEqual([
        role,
        ['FORBIDDEN'],
      ]);
    }
    expect(await subscriptionErrorCodes(t.url, await t.token(Role.STAFF))).toEqual(['FORBIDDEN']); // no dept claim
    expect(await subscriptionErrorCodes(t.url, await t.token(Role.CITIZEN))).toEqual([]);
    expect(await subscriptionErrorCodes(t.url, await t.token(Role.STAFF, { dept: AGRI }))).toEqual([]);
    const citizen = await t.token(Role.CITIZEN);
    expect(await subscriptionErrorCodes(t.url, citizen, '{ __typename }')).toEqual(['BAD_REQUEST']);
    expect(await subscriptionErrorCodes(t.url, citizen, 'mutation { markNotificationsRead }')).toEqual(['BAD_REQUEST']);
  });

  it("gives a department's staff their department's notifications only", async () => {
    const agri = await subscribeToNotifications(t.url, await t.token(Role.STAFF, { dept: AGRI }));
    const ca = await subscribeToNotifications(t.url, await t.token(Role.STAFF, { dept: departmentId('GY-CA') }));
    try {
      const citizen = await newCitizen(t);
      await citizen.client.request(`mutation($s: [SignalInput!]!) { recordSignals(signals: $s) { accepted } }`, {
        s: [
          {
            kind: 'COMPLAINT',
            serviceId: (await t.db.query(`SELECT id FROM service WHERE code = 'EL-0003'`))[0].id,
            text: '助餐太咸',
          },
        ],
      });
      const routed = await ca.waitFor((n) => n.kind === 'request.routed');
      await new Promise((r) => setTimeout(r, 300));
      expect(agri.received.some((n) => n.id === routed.id)).toBe(false);
    } finally {
      await agri.close();
      await ca.close();
    }
  });
});

describe('webhook addresses, as production has them (WEBHOOK_ALLOW_PRIVATE_ADDRESSES off)', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'false' });
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it("refuses a webhook aimed at the server's own network, and keeps nothing of it", async () => {
    const admin = strict.client(await strict.token(Role.ADMIN));
    const register = (url: string) => admin.request<any>(REGISTER, { input: { url, secret: SECRET } });
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:4000/graphql',
      'http://2130706433/',
      'http://localhost/hook',
      'https://10.0.0.8/hook',
      'http://[::1]/hook',
      'http://[::ffff:169.254.169.254]/',
    ]) {
      const error = await expectError(register(url), 'BAD_USER_INPUT');
      expect(error.message).toMatch(/public address/);
      expect(error.extensions?.validationErrors).toEqual([
        { property: 'input.url', constraints: { publicAddress: error.message } },
      ]);
    }
    expect(await countRows(strict, 'webhook_subscription')).toBe(0);
    const { registerWebhook } = await register('https://hooks.example.org/minsheng');
    expect(registerWebhook).toMatchObject({ url: 'https://hooks.example.org/minsheng', active: true });
    await strict.db.query('DELETE FROM webhook_subscription');
  });

  it('never connects to a registered name that resolves to a private address when it is delivered', async () => {
    const receiver = await startWebhookReceiver(SECRET);
    try {
      const admin = strict.client(await strict.token(Role.ADMIN));
      // A public-looking name, accepted at registration; at delivery its DNS answers loopback.
      const url = receiver.url.replace('127.0.0.1', 'hooks.example.org');
      const { registerWebhook } = await admin.request<any>(REGISTER, { input: { url, secret: SECRET } });
      const citizen = await newCitizen(strict);
      await citizen.client.request(SUBMIT, { input: { text: RABIES, districtCode: '520103' } });
      await dispatchOutbox(strict.db, false);
      const settings = { retryBaseMs: 100, maxAttempts: 3, timeoutMs: 2_000, allowPrivateAddresses: false };
      const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
      expect(await sendDueWebhooks(strict.db, { ...settings, resolve })).toBeGreaterThan(0);
      const { webhookDeliveries } = await admin.request<any>(DELIVERIES, { webhookId: registerWebhook.id });
      expect(webhookDeliveries.edges.length).toBeGreaterThan(0);
      for (const { node } of webhookDeliveries.edges) {
        expect(node).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: null });
        expect(node.lastError).toBe('not sent: the host is a loopback address');
      }
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});
