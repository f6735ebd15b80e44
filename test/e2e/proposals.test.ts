import { randomUUID } from 'node:crypto';
import type { GraphQLClient } from 'graphql-request';
import { departmentId, serviceId } from '../../seeds/catalogue';
import { Role } from '../../src/core/auth';
import { nextStatus, type ProposalAction } from '../../src/modules/proposals/proposal-state';
import {
  CreateProposalDocument,
  MatchRequestDocument,
  ProposalDocument,
  ProposalInsightDocument,
  ProposalsDeepDocument,
  ProposalsDocument,
  RetireServiceDocument,
  ReviewProposalDocument,
  ServiceDocument,
  ServicesDocument,
  ServiceVersionsDocument,
  SubmitProposalDocument,
  SubmitRequestDocument,
  UnmetDemandDocument,
  UpdateProposalDocument,
  WithdrawProposalDocument,
  type ProposalInput,
  type ProposalStatus,
} from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { countRows, newCitizen } from '../helpers/fixtures';
import { startTestApp, steadyStatementsOf, type TestApp } from '../helpers/test-app';

let t: TestApp;
let sport: GraphQLClient; // GY-SPORT staff
let reviewer: GraphQLClient; // a reviewer of the service-management office (GY-GSC)
const SPORT = departmentId('GY-SPORT');

const staffOf = async (code: string) => t.client(await t.token(Role.STAFF, { dept: departmentId(code) }));
const reviewerOf = async (code = 'GY-GSC') => t.client(await t.token(Role.REVIEWER, { dept: departmentId(code) }));

beforeAll(async () => {
  t = await startTestApp();
  sport = await staffOf('GY-SPORT');
  reviewer = await reviewerOf();
});
afterAll(async () => {
  await t?.stop();
});

/** A proposal of GY-SPORT unlike anything else in these tests. */
const fitness = (over: Partial<ProposalInput> = {}): ProposalInput => ({
  title: '社区智能健身驿站预约',
  titleEn: 'Booking community smart fitness stations',
  summary: '居民可以在线预约社区智能健身驿站的时段，使用力量和有氧器械。',
  categoryCode: 'life.culture-sport',
  tags: ['健身驿站', '全民健身'],
  channels: ['APP', 'ONLINE'],
  eligibility: { minAge: 14, districtCodes: ['520102', '520103'] },
  coDepartmentIds: [departmentId('GY-CUM')],
  rationale: '居民多次提出希望就近健身。',
  ...over,
});

const create = async (client = sport, input = fitness()) =>
  (await client.request(CreateProposalDocument, { input })).createProposal;
const submit = async (id: string, client = sport) =>
  (await client.request(SubmitProposalDocument, { id })).submitProposal;
const withdraw = async (id: string, client = sport) =>
  (await client.request(WithdrawProposalDocument, { id })).withdrawProposal;
const review = async (
  id: string,
  decision: 'APPROVE' | 'REJECT' | 'REQUEST_CHANGES',
  comment?: string,
  client = reviewer,
) => (await client.request(ReviewProposalDocument, { id, decision, comment })).reviewProposal;

/** The stored row and everything hanging off it, to prove a refused move changed nothing. */
async function stateOf(id: string) {
  const [row] = await t.db.query(
    'SELECT status, title, updated_at, submitted_at, decided_at, service_id FROM proposal WHERE id = $1',
    [id],
  );
  return {
    row,
    reviews: await countRows(t, 'proposal_review WHERE proposal_id = $1', [id]),
    events: await countRows(t, 'audit_event WHERE target_id = $1', [id]),
    services: await countRows(t, 'service'),
  };
}

describe('proposal state machine', () => {
  it('walks DRAFT → SUBMITTED → CHANGES_REQUESTED → SUBMITTED → APPROVED and publishes the service', async () => {
    const draft = await create();
    expect(draft).toMatchObject({
      status: 'DRAFT',
      title: '社区智能健身驿站预约',
      department: { id: SPORT, code: 'GY-SPORT' },
      coDepartments: [{ code: 'GY-CUM' }],
      category: { code: 'life.culture-sport' },
      eligibility: { minAge: 14, maxAge: null, requiredTags: [], districts: [{ code: '520102' }, { code: '520103' }] },
      channels: ['APP', 'ONLINE'],
      submittedAt: null,
      decidedAt: null,
      service: null,
      reviews: [],
    });
    const edited = (
      await sport.request(UpdateProposalDocument, {
        id: draft.id,
        input: fitness({ title: '社区智能健身驿站时段预约' }),
      })
    ).updateProposal;
    expect(edited).toMatchObject({ status: 'DRAFT', title: '社区智能健身驿站时段预约' });
    expect((await submit(draft.id)).status).toBe('SUBMITTED');
    const sentBack = await review(draft.id, 'REQUEST_CHANGES', '请补充开放时间');
    expect(sentBack).toMatchObject({
      status: 'CHANGES_REQUESTED',
      reviews: [{ decision: 'REQUEST_CHANGES', comment: '请补充开放时间' }],
    });
    const revised = (
      await sport.request(UpdateProposalDocument, {
        id: draft.id,
        input: fitness({ title: '社区智能健身驿站时段预约', description: '每天6点至22点开放，每个时段1小时。' }),
      })
    ).updateProposal;
    expect(revised).toMatchObject({ status: 'CHANGES_REQUESTED', description: '每天6点至22点开放，每个时段1小时。' });
    const resubmitted = await submit(draft.id);
    expect(resubmitted.status).toBe('SUBMITTED');
    expect(Date.parse(resubmitted.submittedAt!)).toBeGreaterThanOrEqual(Date.parse(draft.createdAt));

    const approved = await review(draft.id, 'APPROVE');
    expect(approved.status).toBe('APPROVED');
    expect(approved.decidedAt).not.toBeNull();
    expect(approved.reviews.map((r) => r.decision)).toEqual(['REQUEST_CHANGES', 'APPROVE']);
    expect(approved.service).toMatchObject({
      code: `P-${draft.id.replace(/-/g, '').slice(0, 12).toUpperCase()}`,
      title: '社区智能健身驿站时段预约',
      status: 'PUBLISHED',
      version: 1,
      department: { id: SPORT },
      coDepartments: [{ id: departmentId('GY-CUM') }],
      category: { code: 'life.culture-sport' },
    });
    expect(approved.service!.publishedAt).not.toBeNull();
    // Published means searchable, with its counters row.
    const found = (await t.client().request(ServicesDocument, { filter: { search: '健身驿站' } })).services;
    expect(found.edges.map((e) => e.node.id)).toContain(approved.service!.id);
    expect(await countRows(t, 'service_stats WHERE service_id = $1', [approved.service!.id])).toBe(1);
  });

  it('walks SUBMITTED → REJECTED and the three ways to WITHDRAWN', async () => {
    const rejected = await create();
    await submit(rejected.id);
    expect(await review(rejected.id, 'REJECT', '与现有服务重复')).toMatchObject({ status: 'REJECTED', service: null });

    const fromDraft = await create();
    expect((await withdraw(fromDraft.id)).status).toBe('WITHDRAWN');
    const fromSubmitted = await create();
    await submit(fromSubmitted.id);
    expect((await withdraw(fromSubmitted.id)).status).toBe('WITHDRAWN');
    const fromChanges = await create();
    await submit(fromChanges.id);
    await review(fromChanges.id, 'REQUEST_CHANGES', '请修改');
    const withdrawn = await withdraw(fromChanges.id);
    expect(withdrawn).toMatchObject({ status: 'WITHDRAWN', decidedAt: null, service: null });
  });

  it('refuses every illegal move with CONFLICT naming the current state, and changes nothing', async () => {
    const prepare: Record<ProposalStatus, (id: string) => Promise<unknown>> = {
      DRAFT: async () => undefined,
      SUBMITTED: (id) => submit(id),
      CHANGES_REQUESTED: async (id) => review((await submit(id)).id, 'REQUEST_CHANGES', '请修改'),
      APPROVED: async (id) => review((await submit(id)).id, 'APPROVE'),
      REJECTED: async (id) => review((await submit(id)).id, 'REJECT', '不需要'),
      WITHDRAWN: (id) => withdraw(id),
    };
    const act: Record<ProposalAction, (id: string) => Promise<unknown>> = {
      UPDATE: (id) => sport.request(UpdateProposalDocument, { id, input: fitness({ title: '改过的标题' }) }),
      SUBMIT: (id) => submit(id),
      WITHDRAW: (id) => withdraw(id),
      APPROVE: (id) => review(id, 'APPROVE'),
      REJECT: (id) => review(id, 'REJECT', '理由'),
      REQUEST_CHANGES: (id) => review(id, 'REQUEST_CHANGES', '理由'),
    };
    let refused = 0;
    for (const [state, bringTo] of Object.entries(prepare) as [ProposalStatus, (id: string) => Promise<unknown>][]) {
      const { id } = await create();
      await bringTo(id);
      for (const [action, run] of Object.entries(act) as [ProposalAction, (id: string) => Promise<unknown>][]) {
        if (nextStatus(state as never, action) !== null) continue;
        const before = await stateOf(id);
        const error = await expectError(run(id), 'CONFLICT');
        expect(error.message).toContain(`is ${state}`);
        expect(error.extensions?.status).toBe(state);
        expect(await stateOf(id)).toEqual(before);
        refused += 1;
      }
    }
    expect(refused).toBe(26);
  });

  it('answers NOT_FOUND for a proposal that does not exist', async () => {
    await expectError(submit(randomUUID()), 'NOT_FOUND');
    await expectError(review('not-an-id', 'APPROVE'), 'NOT_FOUND');
    expect((await reviewer.request(ProposalDocument, { id: randomUUID() })).proposal).toBeNull();
  });
});

describe('validation', () => {
  it('reports each field at fault and writes nothing', async () => {
    const before = await countRows(t, 'proposal');
    const cases: [Partial<ProposalInput>, string][] = [
      [{ categoryCode: 'life' }, 'input.categoryCode'],
      [{ categoryCode: 'no.such-category' }, 'input.categoryCode'],
      [{ channels: [] }, 'input.channels'],
      [{ title: '长'.repeat(201) }, 'input.title'],
      [{ title: '   ' }, 'input.title'],
      [{ summary: '长'.repeat(2001) }, 'input.summary'],
      [{ eligibility: { requiredTags: ['vip'] } }, 'input.eligibility.requiredTags'],
      [{ eligibility: { districtCodes: ['999999'] } }, 'input.eligibility.districtCodes'],
      [{ eligibility: { minAge: 70, maxAge: 60 } }, 'input.eligibility.maxAge'],
      [{ coDepartmentIds: [SPORT] }, 'input.coDepartmentIds'],
      [{ coDepartmentIds: [randomUUID()] }, 'input.coDepartmentIds'],
      [{ coDepartmentIds: ['not-a-uuid'] }, 'input.coDepartmentIds'],
      [{ replacesServiceId: serviceId('HF-0001') }, 'input.replacesServiceId'], // another department's
      [{ replacesServiceId: randomUUID() }, 'input.replacesServiceId'],
    ];
    for (const [over, field] of cases) {
      const error = await expectError(create(sport, fitness(over)), 'BAD_USER_INPUT');
      expect([field, error.extensions?.validationErrors?.map((e) => e.property)]).toEqual([field, [field]]);
    }
    // Several faults at once are reported together.
    const many = await expectError(
      create(sport, fitness({ categoryCode: 'gov', channels: [], coDepartmentIds: [SPORT] })),
      'BAD_USER_INPUT',
    );
    expect(many.extensions?.validationErrors?.map((e) => e.property).sort()).toEqual([
      'input.categoryCode',
      'input.channels',
      'input.coDepartmentIds',
    ]);
    expect(await countRows(t, 'proposal')).toBe(before);
  });

  it('needs a comment to reject or request changes', async () => {
    const { id } = await create();
    await submit(id);
    for (const decision of ['REJECT', 'REQUEST_CHANGES'] as const) {
      const error = await expectError(review(id, decision), 'BAD_USER_INPUT');
      expect(error.extensions?.validationErrors?.[0].property).toBe('comment');
      await expectError(review(id, decision, '   '), 'BAD_USER_INPUT');
    }
    expect((await stateOf(id)).row.status).toBe('SUBMITTED');
  });
});

describe('separation of duties and visibility', () => {
  it('lets only staff of the proposing department change a proposal, and only with a department', async () => {
    const { id } = await create();
    const other = await staffOf('GY-HPF');
    await expectError(other.request(UpdateProposalDocument, { id, input: fitness() }), 'FORBIDDEN');
    await expectError(submit(id, other), 'FORBIDDEN');
    await expectError(withdraw(id, other), 'FORBIDDEN');
    const noDept = t.client(await t.token(Role.STAFF));
    await expectError(create(noDept), 'FORBIDDEN');
    await expectError(noDept.request(ProposalsDocument, {}), 'FORBIDDEN');
    const citizen = t.client(await t.token(Role.CITIZEN));
    await expectError(create(citizen), 'FORBIDDEN');
    await expectError(create(reviewer), 'FORBIDDEN');
    await expectError(create(t.client()), 'UNAUTHENTICATED');
    expect((await stateOf(id)).row.status).toBe('DRAFT');
  });

  it('never lets a reviewer of the proposing department, nor staff, decide', async () => {
    const { id } = await create();
    await submit(id);
    const sameDepartment = await reviewerOf('GY-SPORT');
    await expectError(review(id, 'APPROVE', undefined, sameDepartment), 'FORBIDDEN');
    await expectError(review(id, 'REJECT', '不行', sameDepartment), 'FORBIDDEN');
    await expectError(review(id, 'APPROVE', undefined, sport), 'FORBIDDEN');
    await expectError(review(id, 'APPROVE', undefined, t.client(await t.token(Role.ADMIN))), 'FORBIDDEN');
    expect((await stateOf(id)).row.status).toBe('SUBMITTED');
    const otherDepartment = await reviewerOf('GY-HPF');
    expect((await review(id, 'APPROVE', undefined, otherDepartment)).status).toBe('APPROVED');
  });

  it("never lets a reviewer without a department decide (any department's proposal was theirs before)", async () => {
    const { id } = await create();
    await submit(id);
    const noDepartment = t.client(await t.token(Role.REVIEWER));
    const before = await stateOf(id);
    const decisions = [
      ['APPROVE', undefined],
      ['REJECT', '不行'],
      ['REQUEST_CHANGES', '再改改'],
    ] as const;
    for (const [decision, comment] of decisions) {
      const error = await expectError(review(id, decision, comment, noDepartment), 'FORBIDDEN');
      expect(error.message).toMatch(/needs a dept claim/);
    }
    expect(await stateOf(id)).toEqual(before);
    expect(before.row.status).toBe('SUBMITTED');
    // A reviewer may still read every proposal without one.
    expect((await noDepartment.request(ProposalDocument, { id })).proposal?.id).toBe(id);
  });

  it('is held by the database too: a review without a department, or by the proposing one, is refused', async () => {
    const { id } = await create();
    const insert = (reviewerDepartmentId: string | null) =>
      t.db.query(
        `INSERT INTO proposal_review (id, proposal_id, reviewer_id, reviewer_department_id, decision)
         VALUES ($1, $2, $3, $4, 'APPROVE')`,
        [randomUUID(), id, randomUUID(), reviewerDepartmentId],
      );
    await expect(insert(null)).rejects.toThrow(/needs the reviewer's department/);
    await expect(insert(SPORT)).rejects.toThrow(/own department/);
    await expect(insert(departmentId('GY-HPF'))).resolves.toBeDefined();
  });

  it('shows STAFF their department’s proposals only, and everyone else all of them', async () => {
    const health = await staffOf('GY-HEALTH');
    const theirs = await create(
      health,
      fitness({ title: '卫生部门的提案', categoryCode: 'life.health', coDepartmentIds: [] }),
    );
    const ours = await create();
    expect((await sport.request(ProposalDocument, { id: theirs.id })).proposal).toBeNull();
    expect((await sport.request(ProposalDocument, { id: ours.id })).proposal?.id).toBe(ours.id);
    const sportList = (await sport.request(ProposalsDocument, { first: 100 })).proposals;
    expect(sportList.edges.every((e) => e.node.department.id === SPORT)).toBe(true);
    expect(sportList.totalCount).toBe(await countRows(t, 'proposal WHERE department_id = $1', [SPORT]));
    await expectError(
      sport.request(ProposalsDocument, { filter: { departmentId: departmentId('GY-HEALTH') } }),
      'FORBIDDEN',
    );

    for (const role of [Role.REVIEWER, Role.PLANNER, Role.ADMIN]) {
      const client = t.client(await t.token(role));
      expect((await client.request(ProposalDocument, { id: theirs.id })).proposal?.id).toBe(theirs.id);
      const all = (await client.request(ProposalsDocument, { first: 5 })).proposals;
      expect(all.totalCount).toBe(await countRows(t, 'proposal'));
    }
    for (const role of [Role.CITIZEN, Role.AUDITOR]) {
      await expectError(t.client(await t.token(role)).request(ProposalsDocument, {}), 'FORBIDDEN');
    }

    // Newest first, filtered, paged with cursors.
    const drafts = (
      await reviewer.request(ProposalsDocument, { filter: { status: 'DRAFT', departmentId: SPORT }, first: 2 })
    ).proposals;
    expect(drafts.edges[0].node.id).toBe(ours.id);
    expect(drafts.edges.every((e) => e.node.status === 'DRAFT')).toBe(true);
    expect(drafts.totalCount).toBe(
      await countRows(t, "proposal WHERE status = 'DRAFT' AND department_id = $1", [SPORT]),
    );
    const next = (
      await reviewer.request(ProposalsDocument, {
        filter: { status: 'DRAFT', departmentId: SPORT },
        first: 2,
        after: drafts.pageInfo.endCursor,
      })
    ).proposals;
    expect(next.pageInfo.hasPreviousPage).toBe(true);
    expect(next.edges.map((e) => e.node.id)).not.toContain(ours.id);
    await expectError(reviewer.request(ProposalsDocument, { after: 'forged' }), 'BAD_USER_INPUT');
    await expectError(reviewer.request(ProposalsDocument, { first: 101 }), 'BAD_USER_INPUT');
  });
});

describe('concurrent review', () => {
  it('lets exactly one of 20 simultaneous approvals win, and publishes one service', async () => {
    const { id } = await create();
    await submit(id);
    const reviewers = await Promise.all(Array.from({ length: 20 }, () => reviewerOf()));
    const servicesBefore = await countRows(t, 'service');
    const results = await Promise.allSettled(reviewers.map((client) => review(id, 'APPROVE', undefined, client)));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of results.filter((r) => r.status === 'rejected')) {
      await expectError(Promise.reject((lost as PromiseRejectedResult).reason), 'CONFLICT');
    }
    expect(await countRows(t, 'service')).toBe(servicesBefore + 1);
    expect(
      await countRows(t, 'service WHERE code = $1', [`P-${id.replace(/-/g, '').slice(0, 12).toUpperCase()}`]),
    ).toBe(1);
    expect(await countRows(t, 'proposal_review WHERE proposal_id = $1', [id])).toBe(1);
    expect(await countRows(t, "audit_event WHERE target_id = $1 AND action = 'proposal.approve'", [id])).toBe(1);
  });
});

describe('versions', () => {
  it('publishes a revision as the same service, version + 1, keeping each earlier version', async () => {
    const hpf = await staffOf('GY-HPF');
    const target = serviceId('HF-0014');
    const original = (await reviewer.request(ServiceVersionsDocument, { id: target })).service!;
    expect(original.versions).toHaveLength(1);
    expect(original.versions[0]).toMatchObject({ version: 1, validTo: null, code: 'HF-0014' });

    const revise = async (title: string, coDepartmentIds: string[]) => {
      const proposal = await create(hpf, {
        title,
        summary: '职工可以通过贵阳公积金APP、网站和12329热线随时查询个人住房公积金账户余额和缴存明细。',
        categoryCode: 'gov.housing-fund',
        tags: ['公积金', '余额查询', '缴存明细'],
        channels: ['APP', 'ONLINE', 'PHONE'],
        coDepartmentIds,
        replacesServiceId: target,
      });
      expect(proposal.replaces).toMatchObject({ id: target, code: 'HF-0014' });
      await submit(proposal.id, hpf);
      return review(proposal.id, 'APPROVE');
    };
    const second = await revise('住房公积金账户余额与明细查询', [departmentId('GY-BDA')]);
    expect(second.service).toMatchObject({
      id: target,
      code: 'HF-0014',
      version: 2,
      title: '住房公积金账户余额与明细查询',
    });
    const third = await revise('住房公积金余额明细查询', []);
    expect(third.service).toMatchObject({ id: target, version: 3, title: '住房公积金余额明细查询' });

    const { service } = await reviewer.request(ServiceVersionsDocument, { id: target });
    expect(service!.versions.map((v) => [v.version, v.title])).toEqual([
      [3, '住房公积金余额明细查询'],
      [2, '住房公积金账户余额与明细查询'],
      [1, original.title],
    ]);
    const [v3, v2, v1] = service!.versions;
    expect(v3.validTo).toBeNull();
    expect(v2.validTo).toBe(v3.validFrom);
    expect(v1.validTo).toBe(v2.validFrom);
    expect(v2.coDepartments).toEqual([{ id: departmentId('GY-BDA') }]);
    expect(v3.coDepartments).toEqual([]);
    expect(v1.supersededByProposalId).toBe(second.id);
    expect(v1.summary).toBe(original.versions[0].summary);
    expect(await countRows(t, 'service WHERE id = $1', [target])).toBe(1);
    // The new text is what search finds; the version history is for staff only.
    const found = (await t.client().request(ServicesDocument, { filter: { search: '余额明细' } })).services.edges.map(
      (e) => e.node.id,
    );
    expect(found).toContain(target);
    await expectError(
      t.client(await t.token(Role.CITIZEN)).request(ServiceVersionsDocument, { id: target }),
      'FORBIDDEN',
    );
  });
});

describe('similar services and demand evidence', () => {
  it('shows a near-duplicate of another department’s service at the top', async () => {
    const health = await staffOf('GY-HEALTH');
    const { id } = await create(health, {
      title: '居家养老上门服务申请',
      summary: '60岁以上居家老年人可以申请社区上门养老服务，由服务机构提供助餐、助洁、助浴和助医服务。',
      categoryCode: 'community.elderly',
      tags: ['居家养老', '上门服务'],
      channels: ['PHONE', 'HOME_VISIT'],
    });
    const { proposal } = await health.request(ProposalInsightDocument, { id });
    const similar = proposal!.similarServices;
    expect(similar[0].service).toMatchObject({ code: 'EL-0003', department: { code: 'GY-CA' } });
    expect(similar[0].similarity).toBeGreaterThan(0.5);
    expect(similar.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < similar.length; i += 1)
      expect(similar[i].similarity).toBeLessThanOrEqual(similar[i - 1].similarity);
    for (const s of similar) expect(s.similarity).toBeLessThanOrEqual(1);
  });

  it('counts the recent unmet requests a proposed service would meet', async () => {
    // Pet vaccination worded so that no published service meets it (the human vaccination
    // services share words with some wordings: see docs/matching.md).
    const petRequests = [
      '狗狗打狂犬针',
      '給貓咪打狂犬針 电话１３８１２３４５６７８',
      '小狗的狂犬疫苗证明怎么办',
      '宠物犬打狂犬针在哪',
    ];
    const [a, b, c, d] = await Promise.all([0, 1, 2, 3].map(() => newCitizen(t)));
    const asked = [
      [a, petRequests[0]],
      [a, petRequests[1]],
      [b, petRequests[2]],
      [c, petRequests[3]],
      [d, '想找个婚礼跟拍摄影师'], // unmet, but not about pets
      [d, '成人疫苗接种预约'], // about vaccination, but met by the catalogue
      [d, petRequests[3]], // about pets, but too old (moved back below)
    ] as const;
    const outcomes = [];
    for (const [citizen, text] of asked)
      outcomes.push((await citizen.client.request(SubmitRequestDocument, { input: { text } })).submitRequest);
    expect(outcomes.map((o) => o.unmet)).toEqual([true, true, true, true, true, false, true]);
    await t.db.query(`UPDATE signal SET occurred_at = now() - interval '100 days' WHERE id = $1`, [
      outcomes[6].request.id,
    ]);

    const agri = await staffOf('GY-AGRI');
    const { id } = await create(agri, {
      title: '宠物犬猫狂犬疫苗接种预约',
      titleEn: 'Rabies vaccination for pet dogs and cats',
      summary: '为市民饲养的宠物狗、猫预约接种狂犬病疫苗，办理犬只免疫证明。',
      description: '养犬人可以在动物诊疗机构或定点免疫点为宠物接种疫苗。',
      categoryCode: 'gov.agriculture',
      tags: ['宠物', '狗', '猫', '狂犬疫苗', '犬只免疫证'],
      channels: ['APP', 'SERVICE_WINDOW'],
    });
    const evidence = (await agri.request(ProposalInsightDocument, { id })).proposal!.demandEvidence;
    expect(evidence.requestCount).toBe(4);
    expect(evidence.citizenCount).toBe(3);
    expect([...evidence.sampleRequests].sort()).toEqual(
      ['狗狗打狂犬针', '給貓咪打狂犬針 电话[电话]', '小狗的狂犬疫苗证明怎么办', '宠物犬打狂犬针在哪'].sort(),
    );
    for (const sample of evidence.sampleRequests)
      for (const citizen of [a, b, c, d]) expect(sample).not.toContain(citizen.id);
    // A proposal about something else has no such evidence.
    const other = (await sport.request(ProposalInsightDocument, { id: (await create()).id })).proposal!.demandEvidence;
    expect(other).toEqual({ requestCount: 0, citizenCount: 0, sampleRequests: [] });
  });

  it('counts as evidence the requests that publishing would answer, and takes them off unmet demand once published', async () => {
    // Street lights: a need of the city-management bureau (GY-CUM) that no service meets. The
    // first and third wordings share no word with the proposal; their recognised need is its own.
    const asked = [
      '路灯不亮了找谁修',
      '路燈壞了',
      '晚上路上黑漆漆',
      '想找个婚礼跟拍摄影师', // unmet, about something else
    ];
    const citizens = await Promise.all(asked.map(() => newCitizen(t)));
    const outcomes = [];
    for (const [i, text] of asked.entries())
      outcomes.push((await citizens[i].client.request(SubmitRequestDocument, { input: { text } })).submitRequest);
    expect(outcomes.map((o) => o.unmet)).toEqual([true, true, true, true]);
    const planner = t.client(await t.token(Role.PLANNER));
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const unmetTexts = async () =>
      (await planner.request(UnmetDemandDocument, { from, to, first: 100 })).unmetDemand.flatMap(
        (c) => c.sampleRequests,
      );
    expect(await unmetTexts()).toEqual(expect.arrayContaining(asked));

    const cum = await staffOf('GY-CUM');
    const streetLights: ProposalInput = {
      title: '道路照明设施故障报修',
      titleEn: 'Reporting faulty street lighting',
      summary: '市民发现路灯损坏、夜间不亮或灯杆倾斜，可报修，由城市管理部门安排维修。',
      categoryCode: 'community.neighbourhood',
      tags: ['路灯', '道路照明'],
      channels: ['APP', 'PHONE'],
    };
    const { id } = await create(cum, streetLights);
    const evidence = (await cum.request(ProposalInsightDocument, { id })).proposal!.demandEvidence;
    expect(evidence.requestCount).toBe(3);
    expect(evidence.citizenCount).toBe(3);
    expect([...evidence.sampleRequests].sort()).toEqual(asked.slice(0, 3).sort());

    await submit(id, cum);
    expect((await review(id, 'APPROVE')).status).toBe('APPROVED');
    // The three citizens heard of it; the planner no longer sees their requests as unmet, nor does
    // the next proposal count them; the request about something else is still unmet.
    expect(
      await countRows(t, `notification WHERE kind = 'request.need_met' AND request_id = ANY ($1::bigint[])`, [
        outcomes.slice(0, 3).map((o) => o.request.id),
      ]),
    ).toBe(3);
    const stillUnmet = await unmetTexts();
    for (const text of asked.slice(0, 3)) expect(stillUnmet).not.toContain(text);
    expect(stillUnmet).toContain('想找个婚礼跟拍摄影师');
    const again = await create(cum, { ...streetLights, title: '路灯报修' });
    expect((await cum.request(ProposalInsightDocument, { id: again.id })).proposal!.demandEvidence.requestCount).toBe(
      0,
    );
  });
});

describe('retireService', () => {
  it('retires a service of the caller’s department: gone from search and matching, still readable by staff', async () => {
    const hpf = await staffOf('GY-HPF');
    const id = serviceId('HF-0013');
    const search = async () =>
      (await t.client().request(ServicesDocument, { filter: { search: '缴存证明' } })).services.edges.map(
        (e) => e.node.id,
      );
    const matched = async () =>
      (await t.client().request(MatchRequestDocument, { text: '开具住房公积金缴存证明', first: 5 })).matchRequest.map(
        (m) => m.service.id,
      );
    expect(await search()).toContain(id);
    expect(await matched()).toContain(id);

    await expectError(sport.request(RetireServiceDocument, { id, reason: '不再提供' }), 'FORBIDDEN');
    await expectError(
      t.client(await t.token(Role.CITIZEN)).request(RetireServiceDocument, { id, reason: '不再提供' }),
      'FORBIDDEN',
    );
    await expectError(reviewer.request(RetireServiceDocument, { id, reason: '不再提供' }), 'FORBIDDEN');
    await expectError(hpf.request(RetireServiceDocument, { id, reason: '  ' }), 'BAD_USER_INPUT');
    await expectError(hpf.request(RetireServiceDocument, { id: randomUUID(), reason: '不再提供' }), 'NOT_FOUND');
    expect((await t.db.query('SELECT status FROM service WHERE id = $1', [id]))[0].status).toBe('PUBLISHED');

    const before = (await t.db.query('SELECT updated_at FROM service WHERE id = $1', [id]))[0].updated_at as Date;
    const retired = (await hpf.request(RetireServiceDocument, { id, reason: '并入电子证照服务' })).retireService;
    expect(retired).toMatchObject({ id, status: 'RETIRED', code: 'HF-0013' });
    expect(retired.retiredAt).not.toBeNull();
    const after = (await t.db.query('SELECT updated_at FROM service WHERE id = $1', [id]))[0].updated_at as Date;
    expect(after.getTime()).toBeGreaterThan(before.getTime());

    expect(await search()).not.toContain(id);
    expect(await matched()).not.toContain(id);
    expect((await t.client().request(ServiceDocument, { id })).service).toBeNull();
    expect((await hpf.request(ServiceDocument, { id })).service).toMatchObject({ id, status: 'RETIRED' });
    const retiredList = (await hpf.request(ServicesDocument, { filter: { status: 'RETIRED' } })).services.edges.map(
      (e) => e.node.id,
    );
    expect(retiredList).toContain(id);

    const again = await expectError(hpf.request(RetireServiceDocument, { id, reason: '再次' }), 'CONFLICT');
    expect(again.message).toContain('RETIRED');
    // A retired service cannot get a new version.
    const error = await expectError(
      create(hpf, { ...fitness({ categoryCode: 'gov.housing-fund', coDepartmentIds: [] }), replacesServiceId: id }),
      'BAD_USER_INPUT',
    );
    expect(error.extensions?.validationErrors?.[0].property).toBe('input.replacesServiceId');
  });

  it('lets ADMIN retire any service, and refuses an approval that would revise a service retired meanwhile', async () => {
    const hpf = await staffOf('GY-HPF');
    const id = serviceId('HF-0012');
    const { id: proposalId } = await create(hpf, {
      ...fitness({ categoryCode: 'gov.housing-fund', coDepartmentIds: [] }),
      replacesServiceId: id,
    });
    await submit(proposalId, hpf);
    const admin = t.client(await t.token(Role.ADMIN));
    expect((await admin.request(RetireServiceDocument, { id, reason: '政策调整' })).retireService.status).toBe(
      'RETIRED',
    );
    const before = await stateOf(proposalId);
    const error = await expectError(review(proposalId, 'APPROVE'), 'CONFLICT');
    expect(error.message).toContain('RETIRED');
    expect(await stateOf(proposalId)).toEqual(before);
    expect(await countRows(t, 'service_version WHERE service_id = $1', [id])).toBe(0);
  });
});

describe('no N+1 queries', () => {
  it('lists proposals with every relation, similar services and evidence in as many statements for 10 as for 2', async () => {
    for (let i = 0; i < 10; i += 1) {
      const { id } = await create();
      if (i % 3 === 0) await review((await submit(id)).id, 'REQUEST_CHANGES', '请补充');
    }
    const two = await steadyStatementsOf(t.statements, () => reviewer.request(ProposalsDeepDocument, { first: 2 }));
    const ten = await steadyStatementsOf(t.statements, () => reviewer.request(ProposalsDeepDocument, { first: 10 }));
    expect(ten).toBe(two);
    expect(ten).toBeLessThanOrEqual(14);
  });
});
