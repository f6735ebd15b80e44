import fc from 'fast-check';
import { Role } from '../../src/core/auth';
import { newCitizen, publishedServiceIds, type TestCitizen } from '../helpers/fixtures';
import { tableDigests } from '../helpers/digest';
import { postJson, type RawResponse } from '../helpers/http';
import { startTestApp, type TestApp } from '../helpers/test-app';

// Random and malformed input thrown at every citizen and staff mutation: never a 500, never
// an internal message, and nothing written by a call that was refused (a digest of every
// table's content, so updates count too). Placeholders stand for real ids (published
// services, the staff department's own services, proposals made for the test), so that
// every mutation both succeeds and is refused within its runs.

let t: TestApp;
let citizen: TestCitizen;
let staffToken: string;
let reviewerToken: string;
let plannerToken: string;
let services: string[];
let ownServices: string[];
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

beforeAll(async () => {
  t = await startTestApp();
  citizen = await newCitizen(t);
  services = await publishedServiceIds(t, 3);
  const [{ id }] = await t.db.query(`SELECT id FROM department WHERE code = 'GY-HRSS'`);
  staffToken = await t.token(Role.STAFF, { dept: id });
  const [{ id: other }] = await t.db.query(`SELECT id FROM department WHERE code = 'GY-CA'`);
  reviewerToken = await t.token(Role.REVIEWER, { dept: other });
  plannerToken = await t.token(Role.PLANNER);
  ownServices = (
    await t.db.query(
      `SELECT id FROM service WHERE status = 'PUBLISHED' AND department_id = $1 ORDER BY code DESC LIMIT 2`,
      [id],
    )
  ).map((row: { id: string }) => row.id);
});
afterAll(async () => {
  await t?.stop();
});

const MUTATIONS = {
  updateMyProfile: 'mutation M($input: CitizenProfileInput!) { updateMyProfile(input: $input) { id } }',
  recordSignals: 'mutation M($signals: [SignalInput!]!) { recordSignals(signals: $signals) { accepted duplicates } }',
  vote: 'mutation M($serviceId: ID!, $value: VoteValue) { vote(serviceId: $serviceId, value: $value) { viewerVote } }',
  rateService:
    'mutation M($serviceId: ID!, $stars: Int!, $comment: String) { rateService(serviceId: $serviceId, stars: $stars, comment: $comment) { id } }',
  submitRequest: 'mutation M($input: RequestInput!) { submitRequest(input: $input) { unmet } }',
  createProposal: 'mutation M($input: ProposalInput!) { createProposal(input: $input) { id } }',
  updateProposal: 'mutation M($id: ID!, $input: ProposalInput!) { updateProposal(id: $id, input: $input) { id } }',
  submitProposal: 'mutation M($id: ID!) { submitProposal(id: $id) { id } }',
  withdrawProposal: 'mutation M($id: ID!) { withdrawProposal(id: $id) { id } }',
  reviewProposal:
    'mutation M($id: ID!, $decision: ReviewDecision!, $comment: String) { reviewProposal(id: $id, decision: $decision, comment: $comment) { id } }',
  retireService: 'mutation M($id: ID!, $reason: String!) { retireService(id: $id, reason: $reason) { id } }',
  generateCatalogueReport:
    'mutation M($periodStart: DateTime!, $periodEnd: DateTime!) { generateCatalogueReport(periodStart: $periodStart, periodEnd: $periodEnd) { id } }',
};

/** Any JSON-ish value, from well-typed to junk. */
const junk = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 2100 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '520103',
    '999999',
    'UP',
    'DOWN',
    'VIEW',
    'REQUEST',
    '2026-01-01T00:00:00Z',
    'not-a-date',
    '00000000-0000-4000-8000-000000000000',
  ),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }),
);
const record = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), junk, { maxKeys: keys.length });

/** Well-typed values with random content, so that calls get past GraphQL's own checks. */
/** Text no column can store: a NUL, or a lone UTF-16 surrogate (refused as BAD_USER_INPUT). */
const unstorable = fc
  .tuple(
    fc.string({ maxLength: 10 }),
    fc.constantFrom('\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF'),
    fc.string({ maxLength: 10 }),
  )
  .map(([before, bad, after]) => `${before}${bad}${after}`);
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1990, maxLength: 2010 }),
  fc.constantFrom('', '   ', '社保卡补办', '宠物疫苗'),
  unstorable,
);
const id = fc.oneof(fc.uuid(), fc.constantFrom('svc0', 'svc1', 'svc2', 'prop0', 'prop1', 'prop2', 'not-an-id', ''));
const time = fc.oneof(
  fc
    .date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  // Huge and tiny dates, refused as BAD_USER_INPUT naming the argument.
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('0001-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '2100-01-01T00:00:00Z', '9999-12-31T23:59:59Z'),
);
const code = fc.constantFrom('520103', '520111', '999999', '', 'gov', 'gov.housing-fund', 'no.such');
// Proposal fields that pass validation as often as not, so that proposals are made and edited.
const proposalText = fc.oneof(text, fc.constantFrom('社区共享工具间借用', '老年人助餐点的预约与配送'));
const proposalChannels = fc.uniqueArray(fc.constantFrom('ONLINE', 'APP', 'PHONE'), { minLength: 1, maxLength: 3 });
const proposalCategory = fc.oneof(code, fc.constantFrom('community.elderly', 'life.culture-sport'));
const validProposal = fc.record({
  title: fc.constantFrom('社区共享工具间借用', '老年人助餐点预约'),
  summary: fc.constantFrom('居民可以借用社区共享工具间的维修工具。', '老年人可以在线预约社区助餐点的午餐。'),
  categoryCode: fc.constantFrom('community.elderly', 'community.neighbourhood'),
  channels: proposalChannels,
});
const typed = {
  updateMyProfile: fc
    .record(
      {
        districtCode: code,
        birthYear: fc.integer({ min: 1800, max: 2200 }),
        tags: fc.array(fc.constantFrom('disabled', 'retiree', 'vip', ''), { maxLength: 4 }),
        interestCategoryCodes: fc.array(code, { maxLength: 3 }),
        personalization: fc.boolean(),
      },
      { requiredKeys: ['districtCode'] },
    )
    .map((input) => ({ input })),
  recordSignals: fc
    .array(
      fc.record(
        {
          kind: fc.constantFrom('REQUEST', 'SEARCH', 'VIEW', 'USE', 'RATING', 'COMPLAINT'),
          serviceId: id,
          categoryCode: code,
          districtCode: code,
          text,
          rating: fc.integer({ min: -2, max: 8 }),
          occurredAt: time,
          clientEventId: fc.string({ maxLength: 140 }),
        },
        { requiredKeys: ['kind'] },
      ),
      { maxLength: 5 },
    )
    .map((signals) => ({ signals })),
  vote: fc.record({ serviceId: id, value: fc.constantFrom('UP', 'DOWN', null) }),
  rateService: fc.record({ serviceId: id, stars: fc.integer({ min: -1, max: 7 }), comment: fc.option(text) }),
  submitRequest: fc
    .record({ text, districtCode: fc.option(code), categoryCode: fc.option(code) }, { requiredKeys: ['text'] })
    .map((input) => ({ input })),
  updateProposal: fc.oneof(
    fc.record({
      id,
      input: fc.record({
        title: proposalText,
        summary: proposalText,
        categoryCode: proposalCategory,
        channels: proposalChannels,
      }),
    }),
    fc.record({ id: fc.constantFrom('prop0', 'prop1', 'prop2'), input: validProposal }),
  ),
  submitProposal: fc.record({ id }),
  withdrawProposal: fc.record({ id }),
  reviewProposal: fc.record({
    id,
    decision: fc.constantFrom('APPROVE', 'REJECT', 'REQUEST_CHANGES'),
    comment: fc.option(text),
  }),
  // Other departments' services (refused) and two of the staff department's own (retired once each).
  retireService: fc.record({
    id: fc.oneof(fc.uuid(), fc.constantFrom('svc0', 'svc1', 'svc2', 'own0', 'own1', 'x')),
    reason: text,
  }),
  generateCatalogueReport: fc.record({ periodStart: fc.oneof(time, junk), periodEnd: fc.oneof(time, junk) }),
  createProposal: fc.oneof(
    validProposal.map((input) => ({ input })),
    fc
      .record(
        {
          title: proposalText,
          summary: proposalText,
          categoryCode: proposalCategory,
          channels: proposalChannels,
          tags: fc.array(fc.string({ maxLength: 50 }), { maxLength: 4 }),
          coDepartmentIds: fc.array(id, { maxLength: 2 }),
          replacesServiceId: fc.option(id),
        },
        { requiredKeys: ['title', 'summary', 'categoryCode', 'channels'] },
      )
      .map((input) => ({ input })),
  ),
};

const variables: Record<keyof typeof MUTATIONS, fc.Arbitrary<Record<string, unknown>>> = {
  updateMyProfile: record(['districtCode', 'birthYear', 'tags', 'interestCategoryCodes', 'personalization']).map(
    (input) => ({ input }),
  ),
  recordSignals: fc
    .array(
      record(['kind', 'serviceId', 'categoryCode', 'districtCode', 'text', 'rating', 'occurredAt', 'clientEventId']),
      { maxLength: 4 },
    )
    .map((signals) => ({ signals })),
  vote: fc.record({ serviceId: junk, value: junk }),
  rateService: fc.record({ serviceId: junk, stars: junk, comment: junk }),
  submitRequest: record(['text', 'districtCode', 'categoryCode']).map((input) => ({ input })),
  createProposal: record([
    'title',
    'summary',
    'categoryCode',
    'channels',
    'tags',
    'coDepartmentIds',
    'eligibility',
    'replacesServiceId',
  ]).map((input) => ({
    input,
  })),
  updateProposal: fc.record({ id: junk, input: record(['title', 'summary', 'categoryCode', 'channels']) }),
  submitProposal: fc.record({ id: junk }),
  withdrawProposal: fc.record({ id: junk }),
  reviewProposal: fc.record({ id: junk, decision: junk, comment: junk }),
  retireService: fc.record({ id: junk, reason: junk }),
  generateCatalogueReport: fc.record({ periodStart: junk, periodEnd: junk }),
};

/** Proposals of the staff's department made for one test: DRAFT, or SUBMITTED for the reviewer. */
async function proposalsFor(name: keyof typeof MUTATIONS): Promise<string[]> {
  if (!['updateProposal', 'submitProposal', 'withdrawProposal', 'reviewProposal'].includes(name)) return [];
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const created = await postJson(
      t.url,
      {
        query: MUTATIONS.createProposal,
        variables: {
          input: {
            title: `社区共享工具间 ${name} ${i}`,
            summary: '居民可以借用社区共享工具间的维修工具。',
            categoryCode: 'community.elderly',
            channels: ['APP'],
          },
        },
      },
      { authorization: `Bearer ${staffToken}` },
    );
    const proposalId = (created.json?.data as { createProposal?: { id: string } } | undefined)?.createProposal
      ?.id as string;
    expect(proposalId).toBeDefined();
    if (name === 'reviewProposal') {
      const submitted = await postJson(
        t.url,
        { query: MUTATIONS.submitProposal, variables: { id: proposalId } },
        { authorization: `Bearer ${staffToken}` },
      );
      expect(submitted.json?.errors).toBeUndefined();
    }
    ids.push(proposalId);
  }
  return ids;
}

function assertClean(response: RawResponse): void {
  expect(response.status).toBeLessThan(500);
  for (const error of response.json?.errors ?? []) {
    expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    expect(error.message).not.toMatch(
      /SELECT|INSERT|UPDATE|relation|column|syntax error at|stack|TypeError|undefined/i,
    );
  }
}

describe('random and malformed input to every mutation', () => {
  for (const [name, query] of Object.entries(MUTATIONS) as [keyof typeof MUTATIONS, string][]) {
    it(`${name}: no 500, no internals, nothing written when refused; some calls succeed`, async () => {
      const token =
        name === 'reviewProposal'
          ? reviewerToken
          : name === 'generateCatalogueReport'
            ? plannerToken
            : name.endsWith('Proposal') || name === 'retireService'
              ? staffToken
              : citizen.token;
      const proposals = await proposalsFor(name);
      const placeholders: Record<string, string[]> = { svc: services, own: ownServices, prop: proposals };
      const outcomes = { succeeded: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(fc.oneof(variables[name], typed[name], typed[name]), async (vars) => {
          const body = JSON.parse(
            JSON.stringify(vars).replace(/"(svc|own|prop)(\d)"/g, (whole, kind: string, i: string) => {
              const real = placeholders[kind][Number(i)];
              return real ? `"${real}"` : whole;
            }),
          );
          const before = await tableDigests(t);
          const response = await postJson(t.url, { query, variables: body }, { authorization: `Bearer ${token}` });
          assertClean(response);
          const refused = Boolean(response.json?.errors?.length);
          outcomes[refused ? 'refused' : 'succeeded']++;
          if (refused) expect(await tableDigests(t)).toEqual(before);
        }),
        { numRuns: RUNS, seed: 20261129 },
      );
      // Both branches above were taken: the refusals checked and the placeholders reaching the services.
      expect(outcomes.refused).toBeGreaterThan(0);
      expect(outcomes.succeeded).toBeGreaterThan(0);
    });
  }
});

/** JSON text of a value nested `depth` containers deep (text: JSON.stringify overflows first). */
const nestedJson = fc
  .record({
    depth: fc.integer({ min: 1, max: 6000 }),
    containers: fc.array(fc.constantFrom('[', '{"k":'), { minLength: 1, maxLength: 3 }),
    leaf: fc.constantFrom('1', '"x"', 'null', '[]', '{}'),
  })
  .map(({ depth, containers, leaf }) => {
    const opens = Array.from({ length: depth }, (_, i) => containers[i % containers.length]);
    return {
      depth: depth + (leaf === '[]' || leaf === '{}' ? 1 : 0),
      json: `${opens.join('')}${leaf}${opens
        .reverse()
        .map((o) => (o === '[' ? ']' : '}'))
        .join('')}`,
    };
  });

describe('deeply nested variables', () => {
  it('every operation, with a token or without: deeper than MAX_VARIABLE_DEPTH is 400 VARIABLES_TOO_DEEP, else no 500; nothing written', async () => {
    const operations = [['query', '{ __typename }'], ...Object.entries(MUTATIONS)];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        nestedJson,
        fc.constantFrom('v', 'input', 'signals', 'id'),
        fc.boolean(),
        async ([, query], { depth, json }, name, signedIn) => {
          const before = await tableDigests(t);
          // The variables object is one level more than its member.
          const body = `{"query":${JSON.stringify(query)},"variables":{${JSON.stringify(name)}:${json}}}`;
          const response = await postJson(t.url, body, signedIn ? { authorization: `Bearer ${citizen.token}` } : {});
          assertClean(response);
          if (depth + 1 > 10) {
            expect(response.status).toBe(400);
            expect(response.json?.errors?.map((e) => e.extensions?.code)).toEqual(['VARIABLES_TOO_DEEP']);
          }
          expect(await tableDigests(t)).toEqual(before);
        },
      ),
      { numRuns: RUNS, seed: 20261205 },
    );
  });
});
