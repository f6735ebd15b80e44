import { randomUUID } from 'node:crypto';
import type { GraphQLClient } from 'graphql-request';
import { departmentId, serviceId } from '../../seeds/catalogue';
import { Role } from '../../src/core/auth';
import {
  AuditEventsDocument,
  CreateProposalDocument,
  RateServiceDocument,
  RecordSignalsDocument,
  RetireServiceDocument,
  ReviewProposalDocument,
  SubmitProposalDocument,
  SubmitRequestDocument,
  UpdateMyProfileDocument,
  UpdateProposalDocument,
  VoteDocument,
  WithdrawProposalDocument,
  type AuditEventsQuery,
  type ProposalInput,
} from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { countRows, type TestCitizen } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let auditor: GraphQLClient;
beforeAll(async () => {
  t = await startTestApp();
  auditor = t.client(await t.token(Role.AUDITOR));
});
afterAll(async () => {
  await t?.stop();
});

type Event = AuditEventsQuery['auditEvents']['edges'][number]['node'];
const totalEvents = () => countRows(t, 'audit_event');

async function newestEvent(): Promise<Event> {
  return (await auditor.request(AuditEventsDocument, { first: 1 })).auditEvents.edges[0].node;
}

/** Runs a mutation that must leave exactly one audit event, and returns that event. */
async function oneEvent(
  run: () => Promise<unknown>,
  expected: { action: string; actorId: string; actorRole: string; targetType?: string; targetId?: string },
): Promise<Event> {
  const before = await totalEvents();
  await run();
  expect(await totalEvents()).toBe(before + 1);
  const event = await newestEvent();
  expect(event).toMatchObject(expected);
  return event;
}

/** Runs a mutation that must fail with `code` and leave no audit event. */
async function noEvent(run: () => Promise<unknown>, code: string): Promise<void> {
  const before = await totalEvents();
  await expectError(run(), code);
  expect(await totalEvents()).toBe(before);
}

const proposalInput = (over: Partial<ProposalInput> = {}): ProposalInput => ({
  title: '社区智能健身驿站预约',
  summary: '居民可以在线预约社区智能健身驿站的时段。',
  categoryCode: 'life.culture-sport',
  channels: ['APP'],
  ...over,
});

describe('every mutation writes one audit event, in its transaction', () => {
  let citizen: TestCitizen;
  const serviceA = serviceId('HF-0004');

  it('records the citizen’s profile, signals, votes, ratings and requests', async () => {
    const id = randomUUID();
    const client = t.client(await t.token(Role.CITIZEN, { sub: id }));
    const actor = { actorId: id, actorRole: 'CITIZEN' };
    const profile = await oneEvent(
      () =>
        client.request(UpdateMyProfileDocument, {
          input: { districtCode: '520103', birthYear: 1980, tags: ['car-owner'] },
        }),
      { ...actor, action: 'citizen.profile.update', targetType: 'citizen', targetId: id },
    );
    expect(JSON.parse(profile.details!)).toMatchObject({
      districtCode: '520103',
      birthYear: 1980,
      tags: ['car-owner'],
    });
    citizen = { id, client, token: '' };

    const batch = [
      { kind: 'VIEW' as const, serviceId: serviceA, clientEventId: 'e1' },
      { kind: 'USE' as const, serviceId: serviceA, clientEventId: 'e2' },
      { kind: 'SEARCH' as const, text: '公积金', clientEventId: 'e3' },
    ];
    const first = await oneEvent(() => client.request(RecordSignalsDocument, { signals: batch }), {
      ...actor,
      action: 'signals.record',
      targetType: 'citizen',
      targetId: id,
    });
    expect(JSON.parse(first.details!)).toEqual({
      received: 3,
      accepted: 3,
      duplicates: 0,
      kinds: { VIEW: 1, USE: 1, SEARCH: 1 },
    });
    // A batch whose every signal is a duplicate still writes its one event.
    const repeat = await oneEvent(() => client.request(RecordSignalsDocument, { signals: batch }), {
      ...actor,
      action: 'signals.record',
    });
    expect(JSON.parse(repeat.details!)).toMatchObject({ received: 3, accepted: 0, duplicates: 3 });

    const cast = await oneEvent(() => client.request(VoteDocument, { serviceId: serviceA, value: 'UP' }), {
      ...actor,
      action: 'vote.cast',
      targetType: 'service',
      targetId: serviceA,
    });
    expect(JSON.parse(cast.details!)).toEqual({ value: 'UP' });
    await oneEvent(() => client.request(VoteDocument, { serviceId: serviceA, value: null }), {
      ...actor,
      action: 'vote.clear',
      targetId: serviceA,
    });
    const rating = await oneEvent(
      () => client.request(RateServiceDocument, { serviceId: serviceA, stars: 4, comment: '方便' }),
      {
        ...actor,
        action: 'rating.set',
        targetType: 'service',
        targetId: serviceA,
      },
    );
    expect(JSON.parse(rating.details!)).toEqual({ stars: 4, comment: '方便' });

    let requestId = '';
    const request = await oneEvent(
      async () => {
        requestId = (await client.request(SubmitRequestDocument, { input: { text: '租房提取公积金' } })).submitRequest
          .request.id;
      },
      { ...actor, action: 'request.submit', targetType: 'signal' },
    );
    expect(request.targetId).toBe(requestId);
    expect(JSON.parse(request.details!)).toMatchObject({ unmet: false, matchedServiceId: serviceA });

    const mine = (await auditor.request(AuditEventsDocument, { filter: { actorId: id } })).auditEvents;
    expect(mine.edges.map((e) => e.node.action)).toEqual([
      'request.submit',
      'rating.set',
      'vote.clear',
      'vote.cast',
      'signals.record',
      'signals.record',
      'citizen.profile.update',
    ]);
  });

  it('records every move of a proposal and the retirement of a service, by the staff or reviewer who made it', async () => {
    const staffId = randomUUID();
    const staff = t.client(await t.token(Role.STAFF, { sub: staffId, dept: departmentId('GY-SPORT') }));
    const reviewerId = randomUUID();
    const reviewer = t.client(await t.token(Role.REVIEWER, { sub: reviewerId, dept: departmentId('GY-GSC') }));
    const byStaff = { actorId: staffId, actorRole: 'STAFF', targetType: 'proposal' };
    const byReviewer = { actorId: reviewerId, actorRole: 'REVIEWER', targetType: 'proposal' };

    let id = '';
    const created = await oneEvent(
      async () => {
        id = (await staff.request(CreateProposalDocument, { input: proposalInput() })).createProposal.id;
      },
      { ...byStaff, action: 'proposal.create' },
    );
    expect(created.targetId).toBe(id);
    const updated = await oneEvent(
      () => staff.request(UpdateProposalDocument, { id, input: proposalInput({ title: '健身驿站预约' }) }),
      {
        ...byStaff,
        action: 'proposal.update',
        targetId: id,
      },
    );
    expect(JSON.parse(updated.details!)).toEqual({
      status: 'DRAFT',
      changes: { title: ['社区智能健身驿站预约', '健身驿站预约'] },
    });
    const submitted = await oneEvent(() => staff.request(SubmitProposalDocument, { id }), {
      ...byStaff,
      action: 'proposal.submit',
      targetId: id,
    });
    expect(JSON.parse(submitted.details!)).toEqual({ from: 'DRAFT', to: 'SUBMITTED' });
    await oneEvent(
      () => reviewer.request(ReviewProposalDocument, { id, decision: 'REQUEST_CHANGES', comment: '请补充' }),
      {
        ...byReviewer,
        action: 'proposal.request_changes',
        targetId: id,
      },
    );
    await oneEvent(() => staff.request(SubmitProposalDocument, { id }), {
      ...byStaff,
      action: 'proposal.submit',
      targetId: id,
    });
    const approved = await oneEvent(() => reviewer.request(ReviewProposalDocument, { id, decision: 'APPROVE' }), {
      ...byReviewer,
      action: 'proposal.approve',
      targetId: id,
    });
    const approval = JSON.parse(approved.details!);
    expect(approval).toMatchObject({ from: 'SUBMITTED', to: 'APPROVED', serviceVersion: 1, replaced: false });
    expect(await countRows(t, "service WHERE id = $1 AND status = 'PUBLISHED'", [approval.serviceId])).toBe(1);

    const other = (await staff.request(CreateProposalDocument, { input: proposalInput() })).createProposal.id;
    await staff.request(SubmitProposalDocument, { id: other });
    await oneEvent(() => reviewer.request(ReviewProposalDocument, { id: other, decision: 'REJECT', comment: '重复' }), {
      ...byReviewer,
      action: 'proposal.reject',
      targetId: other,
    });
    const third = (await staff.request(CreateProposalDocument, { input: proposalInput() })).createProposal.id;
    await oneEvent(() => staff.request(WithdrawProposalDocument, { id: third }), {
      ...byStaff,
      action: 'proposal.withdraw',
      targetId: third,
    });

    const hpfId = randomUUID();
    const hpf = t.client(await t.token(Role.STAFF, { sub: hpfId, dept: departmentId('GY-HPF') }));
    const retired = await oneEvent(
      () => hpf.request(RetireServiceDocument, { id: serviceId('HF-0011'), reason: '业务调整' }),
      {
        actorId: hpfId,
        actorRole: 'STAFF',
        action: 'service.retire',
        targetType: 'service',
        targetId: serviceId('HF-0011'),
      },
    );
    expect(JSON.parse(retired.details!)).toMatchObject({
      reason: '业务调整',
      code: 'HF-0011',
      from: 'PUBLISHED',
      to: 'RETIRED',
    });

    const trail = (await auditor.request(AuditEventsDocument, { filter: { targetType: 'proposal', targetId: id } }))
      .auditEvents;
    expect(trail.edges.map((e) => e.node.action).reverse()).toEqual([
      'proposal.create',
      'proposal.update',
      'proposal.submit',
      'proposal.request_changes',
      'proposal.submit',
      'proposal.approve',
    ]);
  });

  it('writes nothing for a mutation that fails, before or inside its transaction', async () => {
    const client = citizen.client;
    await noEvent(() => client.request(UpdateMyProfileDocument, { input: { districtCode: '999999' } }), 'NOT_FOUND');
    const future = new Date(Date.now() + 86_400_000).toISOString();
    await noEvent(
      () =>
        client.request(RecordSignalsDocument, {
          signals: [
            { kind: 'VIEW', serviceId: serviceA },
            { kind: 'VIEW', occurredAt: future },
          ],
        }),
      'BAD_USER_INPUT',
    );
    await noEvent(() => client.request(VoteDocument, { serviceId: randomUUID(), value: 'UP' }), 'NOT_FOUND');
    await noEvent(() => client.request(RateServiceDocument, { serviceId: serviceA, stars: 0 }), 'BAD_USER_INPUT');
    await noEvent(() => client.request(SubmitRequestDocument, { input: { text: '  ' } }), 'BAD_USER_INPUT');

    const hpf = t.client(await t.token(Role.STAFF, { dept: departmentId('GY-HPF') }));
    const reviewer = t.client(await t.token(Role.REVIEWER, { dept: departmentId('GY-GSC') }));
    await noEvent(
      () => hpf.request(CreateProposalDocument, { input: proposalInput({ categoryCode: 'life' }) }),
      'BAD_USER_INPUT',
    );
    const { id } = (
      await hpf.request(CreateProposalDocument, {
        input: proposalInput({ categoryCode: 'gov.housing-fund', replacesServiceId: serviceId('HF-0010') }),
      })
    ).createProposal;
    await noEvent(() => reviewer.request(ReviewProposalDocument, { id, decision: 'APPROVE' }), 'CONFLICT');
    const otherStaff = t.client(await t.token(Role.STAFF, { dept: departmentId('GY-SPORT') }));
    await noEvent(() => otherStaff.request(SubmitProposalDocument, { id }), 'FORBIDDEN');
    await noEvent(
      () => hpf.request(RetireServiceDocument, { id: serviceId('EL-0003'), reason: '不是我们的' }),
      'FORBIDDEN',
    );
    await noEvent(
      () => hpf.request(RetireServiceDocument, { id: serviceId('HF-0011'), reason: '已经退役' }),
      'CONFLICT',
    );

    // The approval fails inside its transaction, after writing its review: both roll back.
    await hpf.request(SubmitProposalDocument, { id });
    await t
      .client(await t.token(Role.ADMIN))
      .request(RetireServiceDocument, { id: serviceId('HF-0010'), reason: '合并' });
    await noEvent(() => reviewer.request(ReviewProposalDocument, { id, decision: 'APPROVE' }), 'CONFLICT');
    expect(await countRows(t, 'proposal_review WHERE proposal_id = $1', [id])).toBe(0);
    expect(await countRows(t, "audit_event WHERE target_id = $1 AND action = 'proposal.approve'", [id])).toBe(0);
  });
});

describe('the audit table', () => {
  it('refuses UPDATE, DELETE and TRUNCATE, whoever sends them', async () => {
    const before: { id: string; action: string }[] = await t.db.query(
      'SELECT id::text, action FROM audit_event ORDER BY id',
    );
    expect(before.length).toBeGreaterThan(0);
    await expect(t.db.query(`UPDATE audit_event SET action = 'forged' WHERE id = $1`, [before[0].id])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.query('UPDATE audit_event SET details = NULL')).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM audit_event WHERE id = $1', [before[0].id])).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
    await expect(t.db.query('TRUNCATE audit_event')).rejects.toThrow(/append-only/);
    expect(await t.db.query('SELECT id::text, action FROM audit_event ORDER BY id')).toEqual(before);
    // Appending is what it is for.
    await t.db.query(`INSERT INTO audit_event (action, target_type) VALUES ('test.append', 'test')`);
    expect(await totalEvents()).toBe(before.length + 1);
  });
});

describe('auditEvents', () => {
  it('is for AUDITOR and ADMIN only', async () => {
    await expectError(t.client().request(AuditEventsDocument, {}), 'UNAUTHENTICATED');
    for (const role of [Role.CITIZEN, Role.STAFF, Role.REVIEWER, Role.PLANNER]) {
      await expectError(
        t.client(await t.token(role, { dept: departmentId('GY-HPF') })).request(AuditEventsDocument, {}),
        'FORBIDDEN',
      );
    }
    const admin = t.client(await t.token(Role.ADMIN));
    expect((await admin.request(AuditEventsDocument, { first: 1 })).auditEvents.totalCount).toBe(await totalEvents());
  });

  it('lists newest first, filtered and paged', async () => {
    const all = (await auditor.request(AuditEventsDocument, { first: 100 })).auditEvents;
    expect(all.totalCount).toBe(await totalEvents());
    const keys = all.edges.map((e) => [Date.parse(e.node.at), Number(e.node.id)]);
    for (let i = 1; i < keys.length; i += 1) {
      expect(keys[i][0] < keys[i - 1][0] || (keys[i][0] === keys[i - 1][0] && keys[i][1] < keys[i - 1][1])).toBe(true);
    }

    const votes = (await auditor.request(AuditEventsDocument, { filter: { action: 'vote.cast' } })).auditEvents;
    expect(votes.totalCount).toBe(await countRows(t, "audit_event WHERE action = 'vote.cast'"));
    expect(votes.edges.every((e) => e.node.action === 'vote.cast')).toBe(true);

    const page1 = (await auditor.request(AuditEventsDocument, { filter: { targetType: 'proposal' }, first: 3 }))
      .auditEvents;
    const page2 = (
      await auditor.request(AuditEventsDocument, {
        filter: { targetType: 'proposal' },
        first: 3,
        after: page1.pageInfo.endCursor,
      })
    ).auditEvents;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page2.pageInfo.hasPreviousPage).toBe(true);
    const ids = [...page1.edges, ...page2.edges].map((e) => e.node.id);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toEqual(
      all.edges
        .filter((e) => e.node.targetType === 'proposal')
        .slice(0, 6)
        .map((e) => e.node.id),
    );

    const hour = 3_600_000;
    const inWindow = (
      await auditor.request(AuditEventsDocument, {
        filter: { from: new Date(Date.now() - hour).toISOString(), to: new Date(Date.now() + hour).toISOString() },
      })
    ).auditEvents;
    expect(inWindow.totalCount).toBe(all.totalCount);
    const future = (
      await auditor.request(AuditEventsDocument, { filter: { from: new Date(Date.now() + hour).toISOString() } })
    ).auditEvents;
    expect(future).toMatchObject({ totalCount: 0, edges: [] });
    await expectError(
      auditor.request(AuditEventsDocument, {
        filter: { from: new Date().toISOString(), to: new Date(Date.now() - hour).toISOString() },
      }),
      'BAD_USER_INPUT',
    );
    await expectError(auditor.request(AuditEventsDocument, { filter: { actorId: 'someone' } }), 'BAD_USER_INPUT');
    await expectError(auditor.request(AuditEventsDocument, { first: 101 }), 'BAD_USER_INPUT');
    await expectError(auditor.request(AuditEventsDocument, { after: 'forged' }), 'BAD_USER_INPUT');
  });
});
