import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { departmentId } from '../../seeds/catalogue';
import { Role } from '../../src/core/auth';
import { getSchema } from '../../src/graphql/schema';
import { countRows, newCitizen, publishedServiceIds, type TestCitizen } from '../helpers/fixtures';
import { postJson, type RawResponse } from '../helpers/http';
import { startTestApp, type TestApp } from '../helpers/test-app';

// Text that PostgreSQL cannot store (NUL) or that jsonb refuses (a lone surrogate), and dates
// outside the sane range, are refused as BAD_USER_INPUT naming the field, for every text and
// date argument of every operation: the cases are read from the schema, so a field added later
// is tested without being listed here.

let t: TestApp;
let citizen: TestCitizen;
let services: string[];

// Every argument leaf of the whole schema, one request per leaf and bad value (102 text leaves
// by three values and 14 date leaves by four: 362 requests, each refused before any resolver).
beforeAll(async () => {
  t = await startTestApp();
  citizen = await newCitizen(t);
  services = await publishedServiceIds(t, 3);
});
afterAll(async () => {
  await t?.stop();
});

const BAD_TEXTS = { nul: 'a\u0000b', high: 'a\uD800b', low: '\uDC00' };

/** Paths of the leaves of an input type whose scalar is in `scalars`: `title`, `tags[0]`, `eligibility.minAge`. */
function leaves(type: GraphQLInputType, path: string, scalars: string[], seen = new Set<string>()): string[] {
  const inner = getNullableType(type);
  if (isListType(inner)) return leaves(inner.ofType, `${path}[0]`, scalars, seen);
  if (isScalarType(inner)) return scalars.includes(inner.name) ? [path] : [];
  if (isInputObjectType(inner)) {
    if (seen.has(inner.name)) return [];
    const within = new Set([...seen, inner.name]);
    const fields = Object.values(inner.getFields());
    return fields.flatMap((field) => leaves(field.type, `${path}.${field.name}`, scalars, within));
  }
  return [];
}

/** A value of `type` that GraphQL accepts, with `bad` at the leaf `rest` (path segments) points to. */
function valueWith(type: GraphQLInputType, rest: string[] | null, bad: string): unknown {
  const inner = getNullableType(type);
  if (rest !== null && rest.length === 0) return bad;
  if (isListType(inner)) return [valueWith(inner.ofType, rest ? rest.slice(1) : null, bad)];
  if (isEnumType(inner)) return inner.getValues()[0].value;
  if (isInputObjectType(inner)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      const required = isNonNullType(field.type) && field.defaultValue === undefined;
      if (rest?.[0] === field.name) value[field.name] = valueWith(field.type, rest.slice(1), bad);
      else if (required) value[field.name] = valueWith(field.type, null, bad);
    }
    return value;
  }
  const scalar = getNamedType(inner).name;
  if (scalar === 'Int' || scalar === 'Float') return 1;
  if (scalar === 'Boolean') return false;
  if (scalar === 'DateTime') return new Date().toISOString();
  return scalar === 'ID' ? randomUUID() : 'x';
}

interface Case {
  operation: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  path: string;
}

/** Every argument leaf of the given scalars, of every mutation and query field. */
async function cases(scalars: string[]): Promise<Case[]> {
  const schema = await getSchema();
  const roots = [
    ['mutation', schema.getMutationType()!],
    ['query', schema.getQueryType()!],
  ] as const;
  return roots.flatMap(([operation, root]) =>
    Object.values(root.getFields()).flatMap((field) =>
      field.args.flatMap((arg) => leaves(arg.type, arg.name, scalars).map((path) => ({ operation, field, path }))),
    ),
  );
}

/** The operation that calls the case's field with `bad` at its path, every argument a variable. */
function request(c: Case, bad: string): { query: string; variables: Record<string, unknown> } {
  const segments = c.path.replace(/\[0\]/g, '.0').split('.');
  const variables: Record<string, unknown> = {};
  const args = c.field.args.filter(
    (arg) => arg.name === segments[0] || (isNonNullType(arg.type) && arg.defaultValue === undefined),
  );
  for (const arg of args) {
    variables[arg.name] = valueWith(arg.type, arg.name === segments[0] ? segments.slice(1) : null, bad);
  }
  const named = getNamedType(c.field.type);
  const selection = isScalarType(named) || isEnumType(named) ? '' : '{ __typename }';
  const definitions = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const call = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return { query: `${c.operation} Case(${definitions}) { ${c.field.name}(${call}) ${selection} }`, variables };
}

function expectRefused(response: RawResponse, path: string | string[], constraint?: string): void {
  const paths = typeof path === 'string' ? [path] : path;
  expect(response.status).toBe(400);
  const [error] = response.json?.errors ?? [];
  expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
  const faults = error?.extensions?.validationErrors as { property: string; constraints: Record<string, string> }[];
  expect(faults.map((e) => e.property)).toEqual(paths);
  if (constraint) expect(Object.keys(faults[0].constraints)).toEqual([constraint]);
  for (const named of paths) expect(error?.message).toContain(named);
}

/** Sends every case with every bad value (an ADMIN token: the refusal comes before any role check). */
async function expectEveryCaseRefused(all: Case[], bad: Record<string, string>, constraint: string): Promise<void> {
  const token = await t.token(Role.ADMIN);
  for (const c of all) {
    for (const [kind, value] of Object.entries(bad)) {
      const response = await postJson(t.url, request(c, value), { authorization: `Bearer ${token}` });
      try {
        expectRefused(response, c.path, constraint);
      } catch (error) {
        const answer = `${response.status} ${response.text}`;
        throw new Error(`${c.field.name}(${c.path}) with ${kind}: ${answer}\n${String(error)}`);
      }
    }
  }
}

const named = (all: Case[]) => new Set(all.map((c) => `${c.field.name}(${c.path})`));

describe('text that cannot be stored', () => {
  it('is refused as BAD_USER_INPUT naming the field, for every text argument of every mutation and query', async () => {
    const all = await cases(['String', 'ID']);
    // The schema has these at least (the 14 stored texts that were internal errors are among them).
    const known = [
      'submitRequest(input.text)',
      'rateService(comment)',
      'retireService(reason)',
      'reviewProposal(comment)',
      'createProposal(input.title)',
      'updateProposal(input.eligibility.requiredTags[0])',
      'recordSignals(signals[0].text)',
      'updateMyProfile(input.tags[0])',
      'matchRequest(text)',
    ];
    for (const field of known) expect(named(all)).toContain(field);
    await expectEveryCaseRefused(all, { 'a NUL': BAD_TEXTS.nul }, 'noNulCharacter');
    const surrogates = { 'a lone high surrogate': BAD_TEXTS.high, 'a lone low surrogate': BAD_TEXTS.low };
    await expectEveryCaseRefused(all, surrogates, 'wellFormedUnicode');
  });

  it('is refused when written as a literal in the document, inside fragments too', async () => {
    const token = await t.token(Role.ADMIN);
    const literal = await postJson(
      t.url,
      { query: `mutation { retireService(id: "${services[0]}", reason: "no\\u0000more") { id } }` },
      { authorization: `Bearer ${token}` },
    );
    expectRefused(literal, 'reason');
    const fragment = await postJson(t.url, {
      query: 'query($t: String!) { ...F } fragment F on Query { matchRequest(text: $t) { score } }',
      variables: { t: '\u0000' },
    });
    expectRefused(fragment, 'text');
  });

  it('writes nothing where the stored texts were an internal error before', async () => {
    const staff = await t.token(Role.STAFF, { dept: departmentId('GY-SPORT') });
    const admin = await t.token(Role.ADMIN);
    const counts = async () => ({
      signals: await countRows(t, 'signal'),
      ratings: await countRows(t, 'rating'),
      proposals: await countRows(t, 'proposal'),
      audit: await countRows(t, 'audit_event'),
    });
    const before = await counts();
    const send = (token: string, query: string, variables: Record<string, unknown>) =>
      postJson(t.url, { query, variables }, { authorization: `Bearer ${token}` });

    const submit = 'mutation($input: RequestInput!) { submitRequest(input: $input) { unmet } }';
    expectRefused(await send(citizen.token, submit, { input: { text: '我想办\u0000社保卡' } }), 'input.text');
    const signals = [
      { kind: 'SEARCH', text: '社保卡', clientEventId: 'ok-1' },
      { kind: 'SEARCH', text: '公积金\u0000', clientEventId: 'bad-2' },
    ];
    const record = 'mutation($s: [SignalInput!]!) { recordSignals(signals: $s) { accepted } }';
    expectRefused(await send(citizen.token, record, { s: signals }), 'signals[1].text');
    const rate = 'mutation($id: ID!, $c: String) { rateService(serviceId: $id, stars: 4, comment: $c) { id } }';
    expectRefused(await send(citizen.token, rate, { id: services[0], c: '很好\uD83D' }), 'comment');
    const proposal = {
      title: '社区健身\u0000预约',
      summary: '居民可以在线预约社区健身。',
      categoryCode: 'life.culture-sport',
      channels: ['APP'],
    };
    const create = 'mutation($input: ProposalInput!) { createProposal(input: $input) { id } }';
    expectRefused(await send(staff, create, { input: proposal }), 'input.title');
    const retire = 'mutation($id: ID!, $r: String!) { retireService(id: $id, reason: $r) { id } }';
    expectRefused(await send(admin, retire, { id: services[0], r: '\uDE00停办' }), 'reason');
    expect(await counts()).toEqual(before);
  });

  it('keeps well-formed text whole, emoji (surrogate pairs) included', async () => {
    const response = await postJson(
      t.url,
      {
        query: 'mutation($id: ID!, $c: String) { rateService(serviceId: $id, stars: 5, comment: $c) { id } }',
        variables: { id: services[1], c: '办得快 😀 𠀀' },
      },
      { authorization: `Bearer ${citizen.token}` },
    );
    expect(response.json?.errors).toBeUndefined();
    const [row] = await t.db.query('SELECT comment FROM rating WHERE service_id = $1 AND citizen_id = $2', [
      services[1],
      citizen.id,
    ]);
    expect(row.comment).toBe('办得快 😀 𠀀');
  });
});

describe('dates outside the sane range', () => {
  it('are refused as BAD_USER_INPUT naming the argument, for every DateTime argument of every operation', async () => {
    const all = await cases(['DateTime']);
    const known = [
      'demandTrends(filter.from)',
      'demandTrends(filter.to)',
      'unmetDemand(from)',
      'auditEvents(filter.to)',
      'generateCatalogueReport(periodStart)',
      'recordSignals(signals[0].occurredAt)',
    ];
    for (const field of known) expect(named(all)).toContain(field);
    const bad = {
      'year 9999': '9999-12-31T00:00:00Z',
      'year 2100': '2100-01-01T00:00:00Z',
      'before 1970': '1969-12-31T23:59:59Z',
      'year 1': '0001-01-01T00:00:00Z',
    };
    await expectEveryCaseRefused(all, bad, 'dateRange');
  });

  it('refuses demandTrends near year 9999 (an internal error before) and answers near 2100', async () => {
    const planner = await t.token(Role.PLANNER);
    const trends =
      'query($f: DemandFilter!, $g: Granularity) { demandTrends(filter: $f, granularity: $g) { total points { periodStart signals } } }';
    const send = (from: string, to: string, granularity = 'WEEK', token: string | null = planner) =>
      postJson(
        t.url,
        { query: trends, variables: { f: { from, to }, g: granularity } },
        token ? { authorization: `Bearer ${token}` } : {},
      );
    // Anonymous too, at every granularity: the cost model counts the points before the input
    // checks run, and it once listed periods past year 10000 (the heap grew until the process died).
    for (const granularity of ['DAY', 'WEEK', 'MONTH']) {
      for (const token of [planner, null]) {
        expectRefused(await send('9998-01-01T00:00:00Z', '9999-12-31T00:00:00Z', granularity, token), [
          'filter.from',
          'filter.to',
        ]);
      }
    }
    const late = await send('2098-01-01T00:00:00Z', '2099-12-31T00:00:00Z');
    expect(late.json?.errors).toBeUndefined();
    const early = await send('1970-01-01T00:00:00Z', '1971-06-01T00:00:00Z');
    expect(early.json?.errors).toBeUndefined();
  });
});

describe('text that shows nothing', () => {
  // Zero-width spaces and joiners, the word joiner, bidirectional controls, the BOM and the
  // Hangul filler render as nothing: such a text is as blank as white space. They passed the
  // blank checks (String.trim keeps them): an invisible request was stored as unmet demand, a
  // proposal had an invisible title.
  const INVISIBLE = ['\u200b\u200c\u200d', '\u2060\u202e\u2066', ' \ufeff\u3164 ', '\u00ad\u200b\u3000'];

  const send = (token: string | null, query: string, variables: Record<string, unknown>) =>
    postJson(t.url, { query, variables }, token ? { authorization: `Bearer ${token}` } : {});

  function expectBlankRefused(response: RawResponse, property: string): void {
    const [error] = response.json?.errors ?? [];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const faults = error?.extensions?.validationErrors as { property: string }[];
    expect(faults.map((e) => e.property)).toContain(property);
  }

  it('is refused like white space where a text is required, and nothing is written', async () => {
    const staff = await t.token(Role.STAFF, { dept: departmentId('GY-SPORT') });
    const admin = await t.token(Role.ADMIN);
    const counts = async () => ({
      signals: await countRows(t, 'signal'),
      proposals: await countRows(t, 'proposal'),
      retired: await countRows(t, `service WHERE status = 'RETIRED'`),
      audit: await countRows(t, 'audit_event'),
    });
    const before = await counts();
    const submit = 'mutation($input: RequestInput!) { submitRequest(input: $input) { unmet } }';
    const match = 'query($text: String!) { matchRequest(text: $text) { score } }';
    const create = 'mutation($input: ProposalInput!) { createProposal(input: $input) { id } }';
    const retire = 'mutation($id: ID!, $r: String!) { retireService(id: $id, reason: $r) { id } }';
    const proposal = { summary: '居民可以在线预约社区健身。', categoryCode: 'life.culture-sport', channels: ['APP'] };
    for (const text of INVISIBLE) {
      expectBlankRefused(await send(citizen.token, submit, { input: { text } }), 'input.text');
      expectBlankRefused(await send(null, match, { text }), 'text');
      expectBlankRefused(await send(staff, create, { input: { ...proposal, title: `${text}${text}` } }), 'input.title');
      expectBlankRefused(await send(admin, retire, { id: services[0], r: text }), 'reason');
    }
    const record = 'mutation($s: [SignalInput!]!) { recordSignals(signals: $s) { accepted } }';
    const signals = [{ kind: 'SEARCH', text: INVISIBLE[0], clientEventId: `blank-${randomUUID()}` }];
    expectBlankRefused(await send(citizen.token, record, { s: signals }), 'signals[0].text');
    expect(await counts()).toEqual(before);
  });

  it('searches the whole catalogue like an empty search', async () => {
    const search = 'query($q: String) { services(filter: { search: $q }) { totalCount } }';
    const total = async (q: string | null) =>
      ((await send(null, search, { q })).json?.data as { services: { totalCount: number } }).services.totalCount;
    const all = await total(null);
    expect(all).toBeGreaterThan(0);
    for (const q of INVISIBLE) expect(await total(q)).toBe(all);
  });

  it('keeps a text whose visible characters sit between invisible ones', async () => {
    const submit = 'mutation($input: RequestInput!) { submitRequest(input: $input) { unmet } }';
    const response = await send(citizen.token, submit, { input: { text: '\u200b我想办社保卡\u200d👨‍👩‍👧' } });
    expect(response.json?.errors).toBeUndefined();
  });
});

describe('arguments refused by their class-validator rules', () => {
  it('are named with their rule, and the arguments sent are not echoed back', async () => {
    const citizenToken = citizen.token;
    const send = (query: string, variables: Record<string, unknown>) =>
      postJson(t.url, { query, variables }, { authorization: `Bearer ${citizenToken}` });
    const page = await send('query($n: Int) { services(first: $n) { totalCount } }', { n: 100000 });
    const [pageError] = page.json?.errors ?? [];
    expect(pageError?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(pageError?.message).toBe('first must not be greater than 100');
    expect(pageError?.extensions?.validationErrors).toEqual([
      { property: 'first', constraints: { max: 'first must not be greater than 100' } },
    ]);
    const secretish = 'x'.repeat(3000);
    const profile = await send('mutation($i: CitizenProfileInput!) { updateMyProfile(input: $i) { id } }', {
      i: { districtCode: '520103', birthYear: 1800, tags: [secretish] },
    });
    const [profileError] = profile.json?.errors ?? [];
    expect(profileError?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(profileError?.message).toContain('birthYear must not be less than 1900');
    expect((profileError?.extensions?.validationErrors as { property: string }[]).map((e) => e.property)).toEqual([
      'birthYear',
      'tags',
    ]);
    expect(JSON.stringify(profile.json)).not.toContain(secretish);
    expect(JSON.stringify(profile.json)).not.toContain('"target"');
  });
});
