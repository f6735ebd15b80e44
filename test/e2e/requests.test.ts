import { departmentId, serviceId } from '../../seeds/catalogue';
import { addWorkingDays } from '../../src/calendar/working-days';
import { addDays, cityDayOf, cityMidnight } from '../../src/modules/analytics/periods';
import { Role } from '../../src/core/auth';
import { RecordSignalsDocument } from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { countRows, newCitizen, type TestCitizen } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
const CA = departmentId('GY-CA');
const GSC = departmentId('GY-GSC');
const ELDERLY_CARE = serviceId('EL-0003');

const CASE_FIELDS = `id kind status text closeReason resolution openedAt acknowledgeDue resolveDue acknowledgedAt resolvedAt
  overdue districtCode department { code } service { code } offeredServices { code } notes { text isPublic }`;
const MY_REQUESTS = `query($first: Int, $after: String) { myRequests(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { ${CASE_FIELDS} } } } }`;
const INBOX = `query($filter: InboxFilter, $first: Int) { departmentInbox(filter: $filter, first: $first) {
  totalCount edges { node { ${CASE_FIELDS} } } } }`;
const SUBMIT = `mutation($input: RequestInput!) { submitRequest(input: $input) { unmet request { id } matches { service { code } } } }`;
const ACK = `mutation($id: ID!) { acknowledgeRequest(id: $id) { ${CASE_FIELDS} } }`;
const START = `mutation($id: ID!) { startRequest(id: $id) { ${CASE_FIELDS} } }`;
const RESOLVE = `mutation($id: ID!, $answer: String!) { resolveRequest(id: $id, answer: $answer) { ${CASE_FIELDS} } }`;
const CLOSE = `mutation($id: ID!, $reason: String!) { closeRequest(id: $id, reason: $reason) { ${CASE_FIELDS} } }`;
const REASSIGN = `mutation($id: ID!, $departmentId: ID!, $reason: String!) {
  reassignRequest(id: $id, departmentId: $departmentId, reason: $reason) { ${CASE_FIELDS} } }`;
const NOTE = `mutation($id: ID!, $input: RequestNoteInput!) { addRequestNote(id: $id, input: $input) { ${CASE_FIELDS} } }`;
const ONE = `query($id: ID!) { citizenRequest(id: $id) { ${CASE_FIELDS} } }`;

type Case = Record<string, any>;
const staffOf = async (code: string) => t.client(await t.token(Role.STAFF, { dept: departmentId(code) }));
const unmetText = '我家狗狗的狂犬疫苗去哪里打，电话13912345678';

async function submit(citizen: TestCitizen, text: string): Promise<{ id: string; unmet: boolean }> {
  const { submitRequest } = await citizen.client.request<any>(SUBMIT, { input: { text } });
  return { id: submitRequest.request.id, unmet: submitRequest.unmet };
}

async function complain(citizen: TestCitizen, text: string): Promise<string> {
  await citizen.client.request(RecordSignalsDocument, {
    signals: [{ kind: 'COMPLAINT', serviceId: ELDERLY_CARE, text }],
  });
  const [{ id }] = await t.db.query(
    `SELECT signal_id::text AS id FROM request_case WHERE citizen_id = $1 AND kind = 'COMPLAINT' ORDER BY signal_id DESC LIMIT 1`,
    [citizen.id],
  );
  return id;
}

const ownCases = async (citizen: TestCitizen, first = 20, after?: string) =>
  (await citizen.client.request<any>(MY_REQUESTS, { first, after })).myRequests;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

describe("a citizen's own requests", () => {
  it('opens a case with each request and complaint, in the same transaction, newest first', async () => {
    const citizen = await newCitizen(t);
    const met = await submit(citizen, '申请社区居家养老上门服务');
    const unmet = await submit(citizen, unmetText);
    const complaint = await complain(citizen, '上门助餐的服务人员迟到了两个小时');
    expect(met.unmet).toBe(false);
    expect(unmet.unmet).toBe(true);

    const list = await ownCases(citizen);
    expect(list.totalCount).toBe(3);
    const [c, u, m] = list.edges.map((e: { node: Case }) => e.node);
    expect([c.id, u.id, m.id]).toEqual([complaint, unmet.id, met.id]);

    expect(m).toMatchObject({ kind: 'REQUEST', status: 'RESOLVED', acknowledgeDue: null, overdue: false });
    expect(m.offeredServices.length).toBeGreaterThan(0);
    expect(m.offeredServices[0].code).toBe('EL-0003');

    // The citizen reads their own words whole; an unmet request goes to the closest service's department or the hotline.
    expect(u).toMatchObject({ kind: 'REQUEST', status: 'OPEN', text: unmetText, overdue: false });
    expect(u.department).not.toBeNull();
    expect(new Date(u.resolveDue).getTime()).toBeGreaterThan(new Date(u.acknowledgeDue).getTime());

    expect(c).toMatchObject({
      kind: 'COMPLAINT',
      status: 'OPEN',
      service: { code: 'EL-0003' },
      department: { code: 'GY-CA' },
    });

    const page1 = await ownCases(citizen, 2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = await ownCases(citizen, 2, page1.pageInfo.endCursor);
    expect(page2.edges.map((e: { node: Case }) => e.node.id)).toEqual([met.id]);
  });

  it('routes a request nothing points to the default department (the 12345 office)', async () => {
    const citizen = await newCitizen(t);
    await citizen.client.request(RecordSignalsDocument, {
      signals: [{ kind: 'COMPLAINT', text: '小区门口的路灯坏了一个月' }],
    });
    const [own] = (await ownCases(citizen)).edges;
    expect(own.node).toMatchObject({ kind: 'COMPLAINT', status: 'OPEN', department: { code: 'GY-GSC' } });
  });

  it('shows each citizen only their own, and refuses other roles', async () => {
    const a = await newCitizen(t);
    const b = await newCitizen(t);
    const { id } = await submit(a, unmetText);
    expect((await ownCases(b)).totalCount).toBe(0);
    expect((await b.client.request<any>(ONE, { id })).citizenRequest).toBeNull();
    for (const role of [Role.STAFF, Role.PLANNER, Role.REVIEWER, Role.AUDITOR, Role.ADMIN]) {
      await expectError(t.client(await t.token(role, { dept: CA })).request(MY_REQUESTS, {}), 'FORBIDDEN');
    }
    await expectError(t.client().request(MY_REQUESTS, {}), 'UNAUTHENTICATED');
  });
});

describe('department handling', () => {
  it('walks OPEN → ACKNOWLEDGED → IN_PROGRESS → RESOLVED, audited, with public notes for the citizen', async () => {
    const citizen = await newCitizen(t);
    const id = await complain(citizen, '上门助餐的服务人员迟到了，我的电话13912345678');
    const ca = await staffOf('GY-CA');

    const inbox = (await ca.request<any>(INBOX, { filter: { status: ['OPEN'] }, first: 100 })).departmentInbox;
    const mine = inbox.edges.find((e: { node: Case }) => e.node.id === id).node;
    expect(mine.text).toBe('上门助餐的服务人员迟到了，我的电话[电话]');

    expect((await ca.request<any>(ACK, { id })).acknowledgeRequest).toMatchObject({ status: 'ACKNOWLEDGED' });
    await ca.request(NOTE, { id, input: { text: '已联系服务机构核实', internal: true } });
    await ca.request(NOTE, { id, input: { text: '我们正在核实情况' } });
    expect((await ca.request<any>(START, { id })).startRequest.status).toBe('IN_PROGRESS');
    const resolved = (await ca.request<any>(RESOLVE, { id, answer: '已约谈服务机构，今后准时送餐' })).resolveRequest;
    expect(resolved).toMatchObject({ status: 'RESOLVED', resolution: '已约谈服务机构，今后准时送餐' });
    expect(resolved.notes).toHaveLength(3);

    const own = (await citizen.client.request<any>(ONE, { id })).citizenRequest;
    expect(own.notes.map((n: Case) => n.text)).toEqual(['我们正在核实情况', '已约谈服务机构，今后准时送餐']);
    expect(own.acknowledgedAt).not.toBeNull();
    const actions = await t.db.query(
      `SELECT action FROM audit_event WHERE target_type = 'request' AND target_id = $1 ORDER BY at, id`,
      [id],
    );
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'request.acknowledge',
      'request.note',
      'request.note',
      'request.start',
      'request.resolve',
    ]);

    // Final: every further move is a CONFLICT and changes nothing.
    const events = await countRows(t, 'audit_event WHERE target_id = $1', [id]);
    const error = await expectError(ca.request(CLOSE, { id, reason: '重复' }), 'CONFLICT');
    expect(error.extensions?.status).toBe('RESOLVED');
    await expectError(ca.request(ACK, { id }), 'CONFLICT');
    expect(await countRows(t, 'audit_event WHERE target_id = $1', [id])).toBe(events);
  });

  it('reassigns with a reason: the new department acknowledges again, the old one can no longer act', async () => {
    const citizen = await newCitizen(t);
    const id = await complain(citizen, '养老服务站的收费标准不清楚');
    const ca = await staffOf('GY-CA');
    const gsc = await staffOf('GY-GSC');
    await ca.request(ACK, { id });
    await expectError(ca.request(REASSIGN, { id, departmentId: GSC, reason: '' }), 'BAD_USER_INPUT');
    const own = await expectError(ca.request(REASSIGN, { id, departmentId: CA, reason: '转' }), 'BAD_USER_INPUT');
    expect(JSON.stringify(own.extensions)).toContain('otherDepartment');
    const moved = (await ca.request<any>(REASSIGN, { id, departmentId: GSC, reason: '收费问题由政务服务中心答复' }))
      .reassignRequest;
    expect(moved).toMatchObject({ status: 'OPEN', acknowledgedAt: null, department: { code: 'GY-GSC' } });
    await expectError(ca.request(ACK, { id }), 'FORBIDDEN');
    expect((await ca.request<any>(ONE, { id })).citizenRequest).toBeNull();
    // A complaint about its service stays readable among the complaints about its services.
    const about = (await ca.request<any>(INBOX, { filter: { aboutOwnServices: true }, first: 100 })).departmentInbox;
    expect(about.edges.find((e: { node: Case }) => e.node.id === id)?.node).toMatchObject({
      kind: 'COMPLAINT',
      department: { code: 'GY-GSC' },
      service: { code: 'EL-0003' },
    });
    expect(about.edges.every((e: { node: Case }) => e.node.kind === 'COMPLAINT')).toBe(true);
    const sport = await staffOf('GY-SPORT');
    const theirs = (await sport.request<any>(INBOX, { filter: { aboutOwnServices: true }, first: 100 }))
      .departmentInbox;
    expect(theirs.edges.some((e: { node: Case }) => e.node.id === id)).toBe(false);
    await gsc.request(ACK, { id });
    const closed = (await gsc.request<any>(CLOSE, { id, reason: '市民已撤回' })).closeRequest;
    expect(closed).toMatchObject({ status: 'CLOSED', closeReason: '市民已撤回' });
    const [audit] = await t.db.query(
      `SELECT details FROM audit_event WHERE action = 'request.reassign' AND target_id = $1`,
      [id],
    );
    expect(audit.details).toMatchObject({ from: 'ACKNOWLEDGED', to: 'OPEN', fromDepartment: CA, toDepartment: GSC });
  });

  it('keeps staff to their own department and refuses other roles the moves', async () => {
    const citizen = await newCitizen(t);
    const id = await complain(citizen, '助浴服务预约不上');
    const other = await staffOf('GY-SPORT');
    await expectError(other.request(INBOX, { filter: { departmentId: CA } }), 'FORBIDDEN');
    await expectError(other.request(ACK, { id }), 'FORBIDDEN');
    // Permission before input: reassigning another department's case to one's own department
    // (which would be "not another department" for its handler) or to none is FORBIDDEN.
    for (const to of [departmentId('GY-SPORT'), CA, '00000000-0000-4000-8000-000000000000', 'x']) {
      await expectError(other.request(REASSIGN, { id, departmentId: to, reason: '转给我们' }), 'FORBIDDEN');
    }
    await expectError(t.client(await t.token(Role.STAFF)).request(INBOX, {}), 'FORBIDDEN');
    for (const role of [Role.CITIZEN, Role.PLANNER, Role.REVIEWER, Role.AUDITOR, Role.ADMIN]) {
      const client = t.client(await t.token(role, { dept: CA }));
      await expectError(client.request(ACK, { id }), 'FORBIDDEN');
      await expectError(client.request(NOTE, { id, input: { text: 'x' } }), 'FORBIDDEN');
    }
    for (const role of [Role.CITIZEN, Role.REVIEWER, Role.AUDITOR]) {
      await expectError(t.client(await t.token(role, { dept: CA })).request(INBOX, {}), 'FORBIDDEN');
    }
    await expectError(citizen.client.request(ACK, { id }), 'FORBIDDEN');
    await expectError((await staffOf('GY-CA')).request(ACK, { id: '999999999' }), 'NOT_FOUND');
    expect(await countRows(t, `audit_event WHERE target_type = 'request' AND target_id = $1`, [id])).toBe(0);
  });

  it("filters the inbox by overdue, status, service and district; planners see every department's overdue items", async () => {
    const citizen = await newCitizen(t, { districtCode: '520102' });
    const late = await complain(citizen, '上门服务一直没人来');
    const onTime = await complain(citizen, '助餐的菜太咸');
    await t.db.query(
      `UPDATE request_case SET opened_at = opened_at - interval '30 days', acknowledge_due = now() - interval '1 day',
              resolve_due = now() - interval '1 hour' WHERE signal_id = $1`,
      [late],
    );
    const ca = await staffOf('GY-CA');
    const ids = async (client: typeof ca, filter: object) =>
      (await client.request<any>(INBOX, { filter, first: 100 })).departmentInbox.edges.map(
        (e: { node: Case }) => e.node.id,
      );
    expect(await ids(ca, { overdue: true })).toContain(late);
    expect(await ids(ca, { overdue: true })).not.toContain(onTime);
    expect(await ids(ca, { overdue: false })).toContain(onTime);
    expect(await ids(ca, { serviceId: ELDERLY_CARE, districtCode: '520102' })).toEqual(
      expect.arrayContaining([late, onTime]),
    );
    expect(await ids(ca, { districtCode: '520103' })).not.toContain(late);
    expect(await ids(ca, { status: ['CLOSED'] })).not.toContain(late);

    const planner = t.client(await t.token(Role.PLANNER));
    const overdue = (await planner.request<any>(INBOX, { filter: { overdue: true }, first: 100 })).departmentInbox;
    const item = overdue.edges.find((e: { node: Case }) => e.node.id === late).node;
    expect(item).toMatchObject({ overdue: true, department: { code: 'GY-CA' } });
    // Acknowledged late: still overdue until resolved, since the resolution deadline has passed too.
    await ca.request(ACK, { id: late });
    expect(await ids(ca, { overdue: true })).toContain(late);
  });
});

describe('satisfaction (好差评)', () => {
  const RATE = `mutation($input: RateOutcomeInput!) { rateOutcome(input: $input) {
    id requestId useSignalId level comment at rectificationDue rectificationAnswer rectifiedAt } }`;
  const ANSWER = `mutation($id: ID!, $answer: String!) { answerRectification(id: $id, answer: $answer) {
    id comment rectificationAnswer rectifiedAt rectificationOverdue } }`;
  const RATINGS = `query($filter: RatingFilter, $first: Int, $after: String) {
    departmentRatings(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
      edges { node { id requestId useSignalId level comment rectificationDue rectifiedAt rectificationOverdue
        service { code } department { code } } } } }`;
  const NOTICES = `{ notifications(first: 50) { edges { node { kind requestId serviceId ratingId message } } } }`;
  const notices = async (client: { request: <T>(q: string) => Promise<T> }) =>
    (await client.request<any>(NOTICES)).notifications.edges.map((e: { node: Case }) => e.node);
  const ratingIds = async (client: ReturnType<TestApp['client']>, filter: object) =>
    (await client.request<any>(RATINGS, { filter, first: 100 })).departmentRatings.edges.map(
      (e: { node: Case }) => e.node.id,
    );
  async function rateUse(citizen: TestCitizen, service: string, level: string, comment?: string): Promise<Case> {
    await citizen.client.request(RecordSignalsDocument, { signals: [{ kind: 'USE', serviceId: service }] });
    const [{ id }] = await t.db.query(
      `SELECT id::text AS id FROM signal WHERE citizen_id = $1 AND kind = 'USE' ORDER BY id DESC LIMIT 1`,
      [citizen.id],
    );
    return (await citizen.client.request<any>(RATE, { input: { useSignalId: id, level, comment } })).rateOutcome;
  }

  it('rates a resolved request once; a bad rating opens a rectification the department must answer', async () => {
    const citizen = await newCitizen(t);
    const id = await complain(citizen, '助餐服务的饭菜是凉的');
    const ca = await staffOf('GY-CA');
    await expectError(citizen.client.request(RATE, { input: { requestId: id, level: 'SATISFIED' } }), 'CONFLICT');
    await ca.request(ACK, { id });
    await ca.request(RESOLVE, { id, answer: '已要求服务机构配备保温箱' });

    const other = await newCitizen(t);
    await expectError(other.client.request(RATE, { input: { requestId: id, level: 'SATISFIED' } }), 'NOT_FOUND');
    await expectError(citizen.client.request(RATE, { input: { level: 'SATISFIED' } }), 'BAD_USER_INPUT');

    const { rateOutcome } = await citizen.client.request<any>(RATE, {
      input: { requestId: id, level: 'VERY_DISSATISFIED', comment: '还是凉的' },
    });
    expect(rateOutcome).toMatchObject({
      requestId: id,
      level: 'VERY_DISSATISFIED',
      comment: '还是凉的',
      rectifiedAt: null,
    });
    // 15 working days in city time from the rating (service-levels.json rectificationDays).
    expect(new Date(rateOutcome.rectificationDue)).toEqual(addWorkingDays(new Date(rateOutcome.at), 15));
    const told = (await notices(ca)).filter((n: Case) => n.kind === 'rating.rectification' && n.requestId === id);
    expect(told).toEqual([expect.objectContaining({ serviceId: ELDERLY_CARE, ratingId: rateOutcome.id })]);
    expect(told[0].message).toContain('非常不满意');
    await expectError(citizen.client.request(RATE, { input: { requestId: id, level: 'SATISFIED' } }), 'CONFLICT');
    expect(await countRows(t, 'satisfaction_rating WHERE case_id = $1', [id])).toBe(1);

    await expectError((await staffOf('GY-SPORT')).request(ANSWER, { id: rateOutcome.id, answer: '好' }), 'FORBIDDEN');
    await expectError(citizen.client.request(ANSWER, { id: rateOutcome.id, answer: '好' }), 'FORBIDDEN');
    await expectError(ca.request(ANSWER, { id: rateOutcome.id, answer: ' ' }), 'BAD_USER_INPUT');
    const answered = (await ca.request<any>(ANSWER, { id: rateOutcome.id, answer: '已更换配送车辆并回访' }))
      .answerRectification;
    expect(answered).toMatchObject({ comment: '还是凉的', rectificationOverdue: false });
    expect(answered.rectifiedAt).not.toBeNull();
    expect((await notices(citizen.client)).filter((n: Case) => n.kind === 'rating.answer')).toEqual([
      expect.objectContaining({ requestId: id, message: '您的评价已得到整改答复：已更换配送车辆并回访' }),
    ]);
    await expectError(ca.request(ANSWER, { id: rateOutcome.id, answer: '再答' }), 'CONFLICT');
    expect(await countRows(t, `audit_event WHERE action = 'satisfaction.rate' AND target_id = $1`, [id])).toBe(1);
    expect(
      await countRows(t, `audit_event WHERE action = 'satisfaction.rectify' AND target_id = $1`, [rateOutcome.id]),
    ).toBe(1);
  });

  it('lets a department read the ratings of its services, comments redacted, and find its open and late rectifications', async () => {
    const citizen = await newCitizen(t);
    const bad = await rateUse(citizen, ELDERLY_CARE, 'DISSATISFIED', '等了很久，联系我13912345678');
    const late = await rateUse(citizen, ELDERLY_CARE, 'VERY_DISSATISFIED', '没人上门');
    const good = await rateUse(citizen, ELDERLY_CARE, 'SATISFIED', '很好');
    await t.db.query(`UPDATE satisfaction_rating SET rectification_due = now() - interval '1 hour' WHERE id = $1`, [
      late.id,
    ]);
    const ca = await staffOf('GY-CA');

    const all = (await ca.request<any>(RATINGS, { filter: { serviceId: ELDERLY_CARE }, first: 100 })).departmentRatings;
    const mine = all.edges
      .map((e: { node: Case }) => e.node)
      .filter((n: Case) => [bad.id, late.id, good.id].includes(n.id));
    expect(mine.map((n: Case) => n.id)).toEqual([good.id, late.id, bad.id]); // newest first
    expect(mine[2]).toMatchObject({
      level: 'DISSATISFIED',
      comment: '等了很久，联系我[电话]',
      service: { code: 'EL-0003' },
      department: { code: 'GY-CA' },
      rectificationOverdue: false,
    });
    expect(mine[1]).toMatchObject({ rectificationOverdue: true });
    expect(mine[0]).toMatchObject({ rectificationDue: null, rectificationOverdue: false });

    expect(await ratingIds(ca, { badOnly: true })).toEqual(expect.arrayContaining([bad.id, late.id]));
    expect(await ratingIds(ca, { badOnly: true })).not.toContain(good.id);
    expect(await ratingIds(ca, { rectificationOverdue: true })).toContain(late.id);
    expect(await ratingIds(ca, { rectificationOverdue: true })).not.toContain(bad.id);
    expect(await ratingIds(ca, { rectificationOverdue: false })).toEqual(expect.arrayContaining([bad.id, good.id]));
    await ca.request(ANSWER, { id: late.id, answer: '已补派人员上门' });
    expect(await ratingIds(ca, { unanswered: true })).toContain(bad.id);
    expect(await ratingIds(ca, { unanswered: true })).not.toContain(late.id);
    expect(await ratingIds(ca, { rectificationOverdue: true })).not.toContain(late.id);

    const page1 = (await ca.request<any>(RATINGS, { filter: { serviceId: ELDERLY_CARE }, first: 1 })).departmentRatings;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (
      await ca.request<any>(RATINGS, { filter: { serviceId: ELDERLY_CARE }, first: 1, after: page1.pageInfo.endCursor })
    ).departmentRatings;
    expect(page2.edges[0].node.id).not.toBe(page1.edges[0].node.id);

    // Other departments see none of them; staff may not ask for another's; planners see every department's.
    expect(await ratingIds(await staffOf('GY-SPORT'), {})).not.toContain(bad.id);
    await expectError((await staffOf('GY-SPORT')).request(RATINGS, { filter: { departmentId: CA } }), 'FORBIDDEN');
    await expectError(t.client(await t.token(Role.STAFF)).request(RATINGS, {}), 'FORBIDDEN');
    const planner = t.client(await t.token(Role.PLANNER));
    expect(await ratingIds(planner, { departmentId: CA, badOnly: true })).toEqual(expect.arrayContaining([bad.id]));
    expect(await ratingIds(planner, {})).toEqual(expect.arrayContaining([bad.id, late.id, good.id]));
    await expectError(planner.request(RATINGS, { filter: { serviceId: 'abc' } }), 'BAD_USER_INPUT');
    for (const role of [Role.CITIZEN, Role.REVIEWER, Role.AUDITOR]) {
      await expectError(t.client(await t.token(role, { dept: CA })).request(RATINGS, {}), 'FORBIDDEN');
    }
  });

  it("shows the service's department the ratings of its outcomes handled elsewhere; the handler answers them", async () => {
    const citizen = await newCitizen(t);
    const id = await complain(citizen, '养老助餐的预约电话打不通');
    const ca = await staffOf('GY-CA');
    const gsc = await staffOf('GY-GSC');
    await ca.request(REASSIGN, { id, departmentId: GSC, reason: '预约热线由政务服务中心管理' });
    await gsc.request(ACK, { id });
    await gsc.request(RESOLVE, { id, answer: '已增开预约线路' });
    const { rateOutcome } = await citizen.client.request<any>(RATE, {
      input: { requestId: id, level: 'DISSATISFIED', comment: '还是打不通' },
    });
    const seen = async (client: typeof ca) =>
      (await client.request<any>(RATINGS, { filter: { badOnly: true }, first: 100 })).departmentRatings.edges
        .map((e: { node: Case }) => e.node)
        .find((n: Case) => n.id === rateOutcome.id);
    expect(await seen(gsc)).toMatchObject({ department: { code: 'GY-GSC' }, service: { code: 'EL-0003' } });
    expect(await seen(ca)).toMatchObject({ department: { code: 'GY-GSC' }, comment: '还是打不通' });
    expect(await seen(await staffOf('GY-SPORT'))).toBeUndefined();
    // The rectification is the handler's to answer.
    await expectError(ca.request(ANSWER, { id: rateOutcome.id, answer: '好' }), 'FORBIDDEN');
    expect(
      (await notices(gsc)).some((n: Case) => n.kind === 'rating.rectification' && n.ratingId === rateOutcome.id),
    ).toBe(true);
    await gsc.request(ANSWER, { id: rateOutcome.id, answer: '已与运营商协调扩容' });
  });

  it("puts a service with many bad ratings in the period among the report's IMPROVE_SERVICE findings", async () => {
    const [{ id: service }] = await t.db.query(`SELECT id FROM service WHERE code = 'SS-0008'`);
    const citizen = await newCitizen(t);
    const ratings = [];
    for (const level of ['VERY_DISSATISFIED', 'DISSATISFIED', 'SATISFIED'])
      ratings.push(await rateUse(citizen, service, level));
    await t.db.query(`UPDATE satisfaction_rating SET at = at - interval '1 day' WHERE id = ANY ($1::bigint[])`, [
      ratings.map((r) => r.id),
    ]);
    const yesterday = addDays(cityDayOf(new Date()), -1);
    const { generateCatalogueReport } = await t.client(await t.token(Role.PLANNER)).request<any>(
      `mutation($periodStart: DateTime!, $periodEnd: DateTime!) {
        generateCatalogueReport(periodStart: $periodStart, periodEnd: $periodEnd) {
          findings { kind rationale services { id } metrics { name value } } } }`,
      {
        periodStart: cityMidnight(yesterday).toISOString(),
        periodEnd: cityMidnight(addDays(yesterday, 1)).toISOString(),
      },
    );
    const finding = generateCatalogueReport.findings.find(
      (f: Case) => f.kind === 'IMPROVE_SERVICE' && f.services.some((s: Case) => s.id === service),
    );
    expect(finding.rationale).toContain('本期 3 个好差评中有 2 个差评');
    expect(finding.metrics).toEqual(
      expect.arrayContaining([
        { name: 'satisfactionRatings', value: 3 },
        { name: 'badSatisfactionRatings', value: 2 },
      ]),
    );
  });

  it('rates a USE of a service; a good rating opens no rectification', async () => {
    const citizen = await newCitizen(t);
    await citizen.client.request(RecordSignalsDocument, { signals: [{ kind: 'USE', serviceId: ELDERLY_CARE }] });
    const [{ id }] = await t.db.query(`SELECT id::text AS id FROM signal WHERE citizen_id = $1 AND kind = 'USE'`, [
      citizen.id,
    ]);
    const { rateOutcome } = await citizen.client.request<any>(RATE, {
      input: { useSignalId: id, level: 'VERY_SATISFIED' },
    });
    expect(rateOutcome).toMatchObject({ useSignalId: id, requestId: null, rectificationDue: null });
    await expectError(citizen.client.request(RATE, { input: { useSignalId: id, level: 'NEUTRAL' } }), 'CONFLICT');
    await expectError(
      t.client(await t.token(Role.STAFF, { dept: CA })).request(RATE, { input: { useSignalId: id, level: 'NEUTRAL' } }),
      'FORBIDDEN',
    );
  });
});

describe('department performance', () => {
  const PERFORMANCE = `query($from: DateTime!, $to: DateTime!) { departmentPerformance(from: $from, to: $to) {
    department { code } received acknowledged acknowledgedOnTime resolved resolvedOnTime overdue
    medianAcknowledgeHours medianResolveHours ratings badRatings satisfactionRate rectificationsOverdue } }`;

  it('counts received, on time, overdue, medians and the satisfaction rate per department, for planners only', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const planner = t.client(await t.token(Role.PLANNER));
    const figures = async () =>
      (await planner.request<any>(PERFORMANCE, { from, to })).departmentPerformance.find(
        (d: Case) => d.department.code === 'GY-CA',
      );
    const before = await figures();

    const citizen = await newCitizen(t);
    const onTime = await complain(citizen, '助餐点的桌椅坏了');
    const late = await complain(citizen, '助浴服务没有按约定上门');
    const ca = await staffOf('GY-CA');
    await ca.request(ACK, { id: onTime });
    await ca.request(RESOLVE, { id: onTime, answer: '已更换桌椅' });
    await citizen.client.request(`mutation($input: RateOutcomeInput!) { rateOutcome(input: $input) { id } }`, {
      input: { requestId: onTime, level: 'DISSATISFIED' },
    });
    await t.db.query(`UPDATE request_case SET acknowledge_due = now() - interval '1 minute' WHERE signal_id = $1`, [
      late,
    ]);

    await t.db.query(
      `UPDATE satisfaction_rating SET rectification_due = now() - interval '1 minute' WHERE case_id = $1`,
      [onTime],
    );

    const after = await figures();
    expect(after.rectificationsOverdue - (before?.rectificationsOverdue ?? 0)).toBe(1);
    expect(after.received - (before?.received ?? 0)).toBe(2);
    expect(after.acknowledgedOnTime - (before?.acknowledgedOnTime ?? 0)).toBe(1);
    expect(after.resolvedOnTime - (before?.resolvedOnTime ?? 0)).toBe(1);
    expect(after.overdue - (before?.overdue ?? 0)).toBe(1);
    expect(after.badRatings - (before?.badRatings ?? 0)).toBe(1);
    expect(after.medianResolveHours).toBeGreaterThanOrEqual(0);
    expect(after.satisfactionRate).toBeLessThan(1);

    await expectError(planner.request(PERFORMANCE, { from: to, to: from }), 'BAD_USER_INPUT');
    for (const role of [Role.CITIZEN, Role.STAFF, Role.REVIEWER, Role.AUDITOR]) {
      await expectError(t.client(await t.token(role, { dept: CA })).request(PERFORMANCE, { from, to }), 'FORBIDDEN');
    }
  });
});

describe('notifications', () => {
  const NOTIFICATIONS = `query($unreadOnly: Boolean) { notifications(unreadOnly: $unreadOnly, first: 50) {
    totalCount edges { node { id kind requestId message readAt } } } }`;
  const MARK = `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`;

  it("tells the department of a new case and the citizen of every move, in the move's transaction", async () => {
    const citizen = await newCitizen(t);
    const id = await complain(citizen, '养老服务热线总是占线');
    const ca = await staffOf('GY-CA');
    const departmentNotices = (await ca.request<any>(NOTIFICATIONS, { unreadOnly: true })).notifications.edges
      .map((e: { node: Case }) => e.node)
      .filter((n: Case) => n.requestId === id);
    expect(departmentNotices).toEqual([expect.objectContaining({ kind: 'request.routed' })]);

    await ca.request(ACK, { id });
    await expectError(ca.request(ACK, { id }), 'CONFLICT');
    await ca.request(NOTE, { id, input: { text: '内部：核查话务量', internal: true } });
    await ca.request(RESOLVE, { id, answer: '已增加两条热线' });
    const own = (await citizen.client.request<any>(NOTIFICATIONS, {})).notifications;
    expect(own.edges.map((e: { node: Case }) => [e.node.kind, e.node.message])).toEqual([
      ['request.answer', '您的诉求已办结：已增加两条热线'],
      ['request.status', '您的诉求已签收'],
    ]);
    const other = await newCitizen(t);
    expect((await other.client.request<any>(NOTIFICATIONS, {})).notifications.totalCount).toBe(0);
    await expectError(other.client.request(MARK, { ids: ['abc'] }), 'BAD_USER_INPUT');
    expect((await other.client.request<any>(MARK, { ids: [own.edges[0].node.id] })).markNotificationsRead).toBe(0);

    expect((await citizen.client.request<any>(MARK, { ids: [own.edges[0].node.id] })).markNotificationsRead).toBe(1);
    expect((await citizen.client.request<any>(NOTIFICATIONS, { unreadOnly: true })).notifications.totalCount).toBe(1);
    expect((await citizen.client.request<any>(MARK, {})).markNotificationsRead).toBe(1);
    for (const role of [Role.PLANNER, Role.REVIEWER, Role.AUDITOR, Role.ADMIN]) {
      await expectError(t.client(await t.token(role, { dept: CA })).request(NOTIFICATIONS, {}), 'FORBIDDEN');
      await expectError(t.client(await t.token(role, { dept: CA })).request(MARK, {}), 'FORBIDDEN');
    }
  });
});
