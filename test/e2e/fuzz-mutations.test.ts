import fc from 'fast-check';
import { Role } from '../../src/graphql/auth';
import { newCitizen, publishedServiceIds, type TestCitizen } from '../helpers/fixtures';
import { postJson, type RawResponse } from '../helpers/http';
import { startTestApp, type TestApp } from '../helpers/test-app';

// Random and malformed input thrown at every citizen and staff mutation: never a 500, never
// an internal message, and nothing written by a call that was refused.

let t: TestApp;
let citizen: TestCitizen;
let staffToken: string;
let reviewerToken: string;
let plannerToken: string;
let services: string[];
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
});
afterAll(async () => {
  await t?.stop();
});

const MUTATIONS = {
  updateMyProfile: 'mutation M($input: CitizenProfileInput!) { updateMyProfile(input: $input) { id } }',
  recordSignals: 'mutation M($signals: [SignalInput!]!) { recordSignals(signals: $signals) { accepted duplicates } }',
  vote: 'mutation M($serviceId: ID!, $value: VoteValue) { vote(serviceId: $serviceId, value: $value) { viewerVote } }',
  rateService: 'mutation M($serviceId: ID!, $stars: Int!, $comment: String) { rateService(serviceId: $serviceId, stars: $stars, comment: $comment) { id } }',
  submitRequest: 'mutation M($input: RequestInput!) { submitRequest(input: $input) { unmet } }',
  createProposal: 'mutation M($input: ProposalInput!) { createProposal(input: $input) { id } }',
  updateProposal: 'mutation M($id: ID!, $input: ProposalInput!) { updateProposal(id: $id, input: $input) { id } }',
  submitProposal: 'mutation M($id: ID!) { submitProposal(id: $id) { id } }',
  withdrawProposal: 'mutation M($id: ID!) { withdrawProposal(id: $id) { id } }',
  reviewProposal: 'mutation M($id: ID!, $decision: ReviewDecision!, $comment: String) { reviewProposal(id: $id, decision: $decision, comment: $comment) { id } }',
  retireService: 'mutation M($id: ID!, $reason: String!) { retireService(id: $id, reason: $reason) { id } }',
  generateCatalogueReport: 'mutation M($periodStart: DateTime!, $periodEnd: DateTime!) { generateCatalogueReport(periodStart: $periodStart, periodEnd: $periodEnd) { id } }',
};

/** Any JSON-ish value, from well-typed to junk. */
const junk = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 2100 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('520103', '999999', 'UP', 'DOWN', 'VIEW', 'REQUEST', '2026-01-01T00:00:00Z', 'not-a-date', '00000000-0000-4000-8000-000000000000'),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }),
);
const record = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), junk, { maxKeys: keys.length });

/** Well-typed values with random content, so that calls get past GraphQL's own checks. */
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', minLength: 1990, maxLength: 2010 }), fc.constantFrom('', '   ', '社保卡补办', '宠物疫苗'));
const id = fc.oneof(fc.uuid(), fc.constantFrom('svc0', 'svc1', 'svc2', 'not-an-id', ''));
const time = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const code = fc.constantFrom('520103', '520111', '999999', '', 'gov', 'gov.housing-fund', 'no.such');
const typed = {
  updateMyProfile: fc
    .record(
      { districtCode: code, birthYear: fc.integer({ min: 1800, max: 2200 }), tags: fc.array(fc.constantFrom('disabled', 'retiree', 'vip', ''), { maxLength: 4 }), interestCategoryCodes: fc.array(code, { maxLength: 3 }), personalization: fc.boolean() },
      { requiredKeys: ['districtCode'] },
    )
    .map((input) => ({ input })),
  recordSignals: fc
    .array(
      fc.record(
        { kind: fc.constantFrom('REQUEST', 'SEARCH', 'VIEW', 'USE', 'RATING', 'COMPLAINT'), serviceId: id, categoryCode: code, districtCode: code, text, rating: fc.integer({ min: -2, max: 8 }), occurredAt: time, clientEventId: fc.string({ maxLength: 140 }) },
        { requiredKeys: ['kind'] },
      ),
      { maxLength: 5 },
    )
    .map((signals) => ({ signals })),
  vote: fc.record({ serviceId: id, value: fc.constantFrom('UP', 'DOWN', null) }),
  rateService: fc.record({ serviceId: id, stars: fc.integer({ min: -1, max: 7 }), comment: fc.option(text) }),
  submitRequest: fc.record({ text, districtCode: fc.option(code), categoryCode: fc.option(code) }, { requiredKeys: ['text'] }).map((input) => ({ input })),
  updateProposal: fc.record({ id, input: fc.record({ title: text, summary: text, categoryCode: code, channels: fc.array(fc.constantFrom('ONLINE', 'APP'), { maxLength: 2 }) }) }),
  submitProposal: fc.record({ id }),
  withdrawProposal: fc.record({ id }),
  reviewProposal: fc.record({ id, decision: fc.constantFrom('APPROVE', 'REJECT', 'REQUEST_CHANGES'), comment: fc.option(text) }),
  // Other departments' services only: a retirement that is allowed would be a write, not a refusal.
  retireService: fc.record({ id: fc.oneof(fc.uuid(), fc.constantFrom('svc0', 'svc1', 'svc2', 'x')), reason: text }),
  generateCatalogueReport: fc.record({ periodStart: fc.oneof(time, junk), periodEnd: fc.oneof(time, junk) }),
  createProposal: fc
    .record({ title: text, summary: text, categoryCode: code, channels: fc.array(fc.constantFrom('ONLINE', 'APP', 'PHONE'), { maxLength: 3 }), tags: fc.array(fc.string({ maxLength: 50 }), { maxLength: 4 }), coDepartmentIds: fc.array(id, { maxLength: 2 }), replacesServiceId: fc.option(id) }, { requiredKeys: ['title', 'summary', 'categoryCode', 'channels'] })
    .map((input) => ({ input })),
};

const variables: Record<keyof typeof MUTATIONS, fc.Arbitrary<Record<string, unknown>>> = {
  updateMyProfile: record(['districtCode', 'birthYear', 'tags', 'interestCategoryCodes', 'personalization']).map((input) => ({ input })),
  recordSignals: fc
    .array(record(['kind', 'serviceId', 'categoryCode', 'districtCode', 'text', 'rating', 'occurredAt', 'clientEventId']), { maxLength: 4 })
    .map((signals) => ({ signals })),
  vote: fc.record({ serviceId: junk, value: junk }),
  rateService: fc.record({ serviceId: junk, stars: junk, comment: junk }),
  submitRequest: record(['text', 'districtCode', 'categoryCode']).map((input) => ({ input })),
  createProposal: record(['title', 'summary', 'categoryCode', 'channels', 'tags', 'coDepartmentIds', 'eligibility', 'replacesServiceId']).map((input) => ({
    input,
  })),
  updateProposal: fc.record({ id: junk, input: record(['title', 'summary', 'categoryCode', 'channels']) }),
  submitProposal: fc.record({ id: junk }),
  withdrawProposal: fc.record({ id: junk }),
  reviewProposal: fc.record({ id: junk, decision: junk, comment: junk }),
  retireService: fc.record({ id: junk, reason: junk }),
  generateCatalogueReport: fc.record({ periodStart: junk, periodEnd: junk }),
};

async function writtenRows(): Promise<number> {
  const [row] = await t.db.query(
    `SELECT (SELECT count(*) FROM signal) + (SELECT count(*) FROM vote) + (SELECT count(*) FROM rating)
          + (SELECT count(*) FROM proposal) + (SELECT count(*) FROM proposal_review) + (SELECT count(*) FROM audit_event)
          + (SELECT count(*) FROM catalogue_report) + (SELECT count(*) FROM service WHERE status = 'RETIRED') AS n`,
  );
  return Number(row.n);
}

function assertClean(response: RawResponse): void {
  expect(response.status).toBeLessThan(500);
  for (const error of response.json?.errors ?? []) {
    expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    expect(error.message).not.toMatch(/SELECT|INSERT|UPDATE|relation|column|syntax error at|stack|TypeError|undefined/i);
  }
}

describe('random and malformed input to every mutation', () => {
  for (const [name, query] of Object.entries(MUTATIONS) as [keyof typeof MUTATIONS, string][]) {
    it(`${name}: no 500, no internals, nothing written when refused`, async () => {
      const token =
        name === 'reviewProposal' ? reviewerToken : name === 'generateCatalogueReport' ? plannerToken : name.endsWith('Proposal') || name === 'retireService' ? staffToken : citizen.token;
      await fc.assert(
        fc.asyncProperty(fc.oneof(variables[name], typed[name], typed[name]), async (vars) => {
          // Placeholders stand for real ids, so some calls reach the service layer.
          const body = JSON.parse(JSON.stringify(vars).replace(/"svc(\d)"/g, (_, i) => `"${services[Number(i)]}"`));
          const before = await writtenRows();
          const response = await postJson(t.url, { query, variables: body }, { authorization: `Bearer ${token}` });
          assertClean(response);
          if (response.json?.errors?.length) expect(await writtenRows()).toBe(before);
        }),
        { numRuns: RUNS, seed: 20261129 },
      );
    });
  }
});

/** JSON text of a value nested `depth` containers deep (text: JSON.stringify overflows first). */
const nestedJson = fc
  .record({ depth: fc.integer({ min: 1, max: 6000 }), containers: fc.array(fc.constantFrom('[', '{"k":'), { minLength: 1, maxLength: 3 }), leaf: fc.constantFrom('1', '"x"', 'null', '[]', '{}') })
  .map(({ depth, containers, leaf }) => {
    const opens = Array.from({ length: depth }, (_, i) => containers[i % containers.length]);
    return { depth: depth + (leaf === '[]' || leaf === '{}' ? 1 : 0), json: `${opens.join('')}${leaf}${opens.reverse().map((o) => (o === '[' ? ']' : '}')).join('')}` };
  });

describe('deeply nested variables', () => {
  it('every operation, with a token or without: deeper than MAX_VARIABLE_DEPTH is 400 VARIABLES_TOO_DEEP, else no 500; nothing written', async () => {
    const operations = [['query', '{ __typename }'], ...Object.entries(MUTATIONS)];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations), nestedJson, fc.constantFrom('v', 'input', 'signals', 'id'), fc.boolean(), async ([, query], { depth, json }, name, signedIn) => {
        const before = await writtenRows();
        // The variables object is one level more than its member.
        const body = `{"query":${JSON.stringify(query)},"variables":{${JSON.stringify(name)}:${json}}}`;
        const response = await postJson(t.url, body, signedIn ? { authorization: `Bearer ${citizen.token}` } : {});
        assertClean(response);
        if (depth + 1 > 10) {
          expect(response.status).toBe(400);
          expect(response.json?.errors?.map((e) => e.extensions?.code)).toEqual(['VARIABLES_TOO_DEEP']);
        }
        expect(await writtenRows()).toBe(before);
      }),
      { numRuns: RUNS, seed: 20261205 },
    );
  });
});
