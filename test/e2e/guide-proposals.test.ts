import type { GraphQLClient } from 'graphql-request';
import { departmentId, serviceId } from '../../seeds/catalogue';
import { Role } from '../../src/core/auth';
import {
  CreateGuideProposalDocument,
  ReviewProposalDocument,
  ServiceGuideVersionsDocument,
  SubmitProposalDocument,
  UpdateGuideProposalDocument,
  type GuideFieldsFragment,
  type ProposalInput,
  type ServiceGuideInput,
} from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { countRows } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let sport: GraphQLClient; // staff of GY-SPORT, which leads CS-0002, CS-0003, CS-0004, CS-0008
let reviewer: GraphQLClient; // a reviewer of the service-management office

beforeAll(async () => {
  t = await startTestApp();
  sport = t.client(await t.token(Role.STAFF, { dept: departmentId('GY-SPORT') }));
  reviewer = t.client(await t.token(Role.REVIEWER, { dept: departmentId('GY-GSC') }));
});
afterAll(async () => {
  await t?.stop();
});

const readById = async (id: string) =>
  (await t.client(await t.token(Role.ADMIN)).request(ServiceGuideVersionsDocument, { id })).service!;
const readService = (code: string) => readById(serviceId(code));

/** A guide as shown, sent back as input. */
const asInput = (guide: GuideFieldsFragment): ServiceGuideInput => ({
  ...guide,
  materials: guide.materials.map((m) => ({ ...m })),
  fee: { ...guide.fee },
  where: { ...guide.where },
});

/** A revision of a service with its current content and `guide`. */
async function revision(code: string, guide: ServiceGuideInput | null): Promise<ProposalInput> {
  const s = await readService(code);
  return {
    title: s.title,
    titleEn: s.titleEn,
    summary: s.summary,
    description: s.description,
    categoryCode: s.category.code,
    tags: s.tags,
    channels: s.channels,
    eligibility: {
      minAge: s.eligibility.minAge,
      maxAge: s.eligibility.maxAge,
      requiredTags: s.eligibility.requiredTags,
      districtCodes: s.eligibility.districts.map((d) => d.code),
    },
    replacesServiceId: s.id,
    guide,
  };
}

const create = async (input: ProposalInput, client = sport) =>
  (await client.request(CreateGuideProposalDocument, { input })).createProposal;

async function approve(id: string) {
  await sport.request(SubmitProposalDocument, { id });
  return (await reviewer.request(ReviewProposalDocument, { id, decision: 'APPROVE' })).reviewProposal;
}

describe('guides through proposals', () => {
  it('publishes a new version of the guide on approval and keeps the old one in the history', async () => {
    const before = await readService('CS-0004');
    const guide = asInput(before.guide!);
    guide.promisedTimeLimitDays = 0;
    guide.legalTimeLimitDays = 3;
    guide.fee = { free: false, amount: '每次20元', basis: '《贵州省体育局关于国民体质测定收费的通知》' };
    guide.materials = [
      ...guide.materials,
      { name: '体质测定预约码', form: 'ELECTRONIC', count: 1, notes: '在筑民生预约后出示' },
    ];
    const proposal = await create(await revision('CS-0004', guide));
    expect(proposal.guide).toMatchObject({ fee: { free: false, amount: '每次20元' }, legalTimeLimitDays: 3 });
    // Until approved, the published guide is unchanged.
    expect((await readService('CS-0004')).guide).toEqual(before.guide);

    const approved = await approve(proposal.id);
    expect(approved.status).toBe('APPROVED');
    const after = await readService('CS-0004');
    expect(after.version).toBe(before.version + 1);
    expect(after.guide).toEqual({ ...before.guide, ...guide, where: { ...guide.where } });
    expect(after.guide!.materials.at(-1)).toEqual({
      name: '体质测定预约码',
      form: 'ELECTRONIC',
      count: 1,
      notes: '在筑民生预约后出示',
    });
    const [current, previous] = after.versions;
    expect(current).toMatchObject({ version: after.version, validTo: null });
    expect(current.guide).toEqual(after.guide);
    expect(previous).toMatchObject({ version: before.version, supersededByProposalId: proposal.id });
    expect(previous.validTo).not.toBeNull();
    expect(previous.guide).toEqual(before.guide);

    const [event] = await t.db.query(
      "SELECT details FROM audit_event WHERE target_id = $1 AND action = 'proposal.approve'",
      [proposal.id],
    );
    expect(event.details).toMatchObject({ guideChanged: true, serviceVersion: after.version, replaced: true });
  });

  it('keeps the current guide, versioned, when a revision carries none', async () => {
    const before = await readService('CS-0003');
    const input = await revision('CS-0003', null);
    const proposal = await create({ ...input, summary: `${input.summary}（新增晚间时段）` });
    expect(proposal.guide).toBeNull();
    await approve(proposal.id);
    const after = await readService('CS-0003');
    expect(after.version).toBe(before.version + 1);
    expect(after.guide).toEqual(before.guide);
    expect(after.versions[1].guide).toEqual(before.guide);
  });

  it('gives a new service the guide of its proposal', async () => {
    const guide = asInput((await readService('CS-0002')).guide!);
    const input = await revision('CS-0002', guide);
    const proposal = await create({
      ...input,
      replacesServiceId: null,
      title: '社区夜间球场预约',
      summary: '预约社区球场夜间开放时段。',
    });
    const approved = await approve(proposal.id);
    const [{ service_id: id }] = await t.db.query('SELECT service_id FROM proposal WHERE id = $1', [approved.id]);
    const service = await readById(id);
    expect(service.version).toBe(1);
    expect(service.guide).toEqual(guide);
    expect(service.versions).toHaveLength(1);
  });

  it('records a changed guide in the audit trail of an update', async () => {
    const guide = asInput((await readService('CS-0008')).guide!);
    const proposal = await create(await revision('CS-0008', guide));
    const changed = { ...guide, consultationPhone: '0851-85551234' };
    const updated = (
      await sport.request(UpdateGuideProposalDocument, { id: proposal.id, input: await revision('CS-0008', changed) })
    ).updateProposal;
    expect(updated.guide!.consultationPhone).toBe('0851-85551234');
    const [event] = await t.db.query(
      "SELECT details FROM audit_event WHERE target_id = $1 AND action = 'proposal.update'",
      [proposal.id],
    );
    expect(Object.keys(event.details.changes)).toEqual(['guideData']);
  });
});

describe('invalid guides', () => {
  const cases: [string, (g: ServiceGuideInput) => ServiceGuideInput, string, string][] = [
    [
      'a promise beyond the legal limit',
      (g) => ({ ...g, legalTimeLimitDays: 2, promisedTimeLimitDays: 5 }),
      'input.guide.promisedTimeLimitDays',
      'withinLegalLimit',
    ],
    [
      'a fee without its amount',
      (g) => ({ ...g, fee: { free: false, basis: '《某收费通知》' } }),
      'input.guide.fee.amount',
      'isNotEmpty',
    ],
    [
      'a free service with an amount',
      (g) => ({ ...g, fee: { free: true, amount: '10元' } }),
      'input.guide.fee',
      'freeHasNoAmount',
    ],
    ['no materials', (g) => ({ ...g, materials: [] }), 'input.guide.materials', 'arrayNotEmpty'],
    [
      'a legal basis that names no law',
      (g) => ({ ...g, legalBasis: ['体育法'] }),
      'input.guide.legalBasis[0]',
      'namedLaw',
    ],
    [
      'an online address for a service without ONLINE',
      (g) => ({ ...g, where: { ...g.where, onlineUrl: 'https://example.gov.cn' } }),
      'input.guide.where.onlineUrl',
      'matchesChannels',
    ],
    [
      'no app for an APP service',
      (g) => ({ ...g, where: { ...g.where, apps: [] } }),
      'input.guide.where.apps',
      'matchesChannels',
    ],
    [
      'a window service with neither point nor venue',
      (g) => ({ ...g, where: { ...g.where, venue: null } }),
      'input.guide.where',
      'windowOrVenue',
    ],
    ['a malformed hotline', (g) => ({ ...g, consultationPhone: '123-45' }), 'input.guide.consultationPhone', 'hotline'],
    [
      'a material counted zero',
      (g) => ({ ...g, materials: [{ ...g.materials[0], count: 0 }] }),
      'input.guide.materials[0].count',
      'min',
    ],
  ];

  it.each(cases)(
    'refuses %s with BAD_USER_INPUT naming the field, and stores nothing',
    async (_, spoil, property, rule) => {
      // CS-0004: APP and SERVICE_WINDOW, done at a venue of its own.
      const guide = asInput((await readService('CS-0004')).guide!);
      const proposals = await countRows(t, 'proposal');
      const error = await expectError(create(await revision('CS-0004', spoil(guide))), 'BAD_USER_INPUT');
      const fault = error.extensions?.validationErrors?.find((e) => e.property === property);
      expect(fault?.constraints).toHaveProperty(rule);
      expect(await countRows(t, 'proposal')).toBe(proposals);
    },
  );
});

describe('who may change a guide', () => {
  it('lets only staff propose and only a reviewer of another department approve', async () => {
    const guide = asInput((await readService('CS-0002')).guide!);
    const input = await revision('CS-0002', { ...guide, conditions: ['本市居民'] });
    await expectError(create(input, t.client(await t.token(Role.CITIZEN))), 'FORBIDDEN');
    await expectError(create(input, reviewer), 'FORBIDDEN');
    // Staff of another department may not revise GY-SPORT's service.
    const other = t.client(await t.token(Role.STAFF, { dept: departmentId('GY-HPF') }));
    await expectError(create(input, other), 'BAD_USER_INPUT');
    const proposal = await create(input);
    await sport.request(SubmitProposalDocument, { id: proposal.id });
    await expectError(sport.request(ReviewProposalDocument, { id: proposal.id, decision: 'APPROVE' }), 'FORBIDDEN');
    const ownReviewer = t.client(await t.token(Role.REVIEWER, { dept: departmentId('GY-SPORT') }));
    await expectError(
      ownReviewer.request(ReviewProposalDocument, { id: proposal.id, decision: 'APPROVE' }),
      'FORBIDDEN',
    );
    const before = await readService('CS-0002');
    expect(before.guide!.conditions).not.toEqual(['本市居民']);
    await reviewer.request(ReviewProposalDocument, { id: proposal.id, decision: 'APPROVE' });
    expect((await readService('CS-0002')).guide!.conditions).toEqual(['本市居民']);
  });
});
