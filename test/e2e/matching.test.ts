import { Role } from '../../src/core/auth';
import { forgetCatalogueSnapshot } from '../../src/modules/catalogue/catalogue-snapshot';
import { refreshServiceNeighbours } from '../../src/modules/matching/aggregates';
import {
  MatchRequestDocument,
  RateServiceDocument,
  RecommendedDocument,
  RecordSignalsDocument,
  SubmitRequestDocument,
  UpdateMyProfileDocument,
  VoteDocument,
  type RecommendedQuery,
} from '../generated/graphql';
import { expectError } from '../helpers/errors';
import { countRows, newCitizen, type TestCitizen } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
const code = async (c: string): Promise<string> =>
  (await t.db.query('SELECT id FROM service WHERE code = $1', [c]))[0].id;

beforeAll(async () => {
  t = await startTestApp();
  // Demand of 35–59-year-olds in 云岩区: many use the housing-fund balance enquiry, fewer two others.
  const [balance, social, marriage] = await Promise.all([
    t.db.query(
      `SELECT id FROM service WHERE category_id = (SELECT id FROM category WHERE code = 'gov.housing-fund') AND min_age IS NULL AND required_tags = '{}' AND district_codes = '{}' ORDER BY code LIMIT 1`,
    ),
    t.db.query(
      `SELECT id FROM service WHERE category_id = (SELECT id FROM category WHERE code = 'gov.social-security') AND min_age IS NULL AND max_age IS NULL AND required_tags = '{}' AND district_codes = '{}' ORDER BY code LIMIT 1`,
    ),
    t.db.query(
      `SELECT id FROM service WHERE category_id = (SELECT id FROM category WHERE code = 'gov.civil-affairs') AND min_age IS NULL AND max_age IS NULL AND required_tags = '{}' AND district_codes = '{}' ORDER BY code LIMIT 1`,
    ),
  ]);
  segmentFavourite = balance[0].id;
  coUsedA = social[0].id;
  coUsedB = marriage[0].id;
  for (let i = 0; i < 6; i += 1) {
    const neighbour = await newCitizen(t, { districtCode: '520103', birthYear: 1980 });
    await neighbour.client.request(RecordSignalsDocument, {
      signals: [
        ...Array.from({ length: 4 }, () => ({ kind: 'USE' as const, serviceId: segmentFavourite })),
        { kind: 'USE', serviceId: coUsedA },
        { kind: 'USE', serviceId: coUsedB },
      ],
    });
  }
  // The planted signals applied by the rollup worker (which waits for a quiet period) before the neighbours are read.
  await t.applyRollups();
  await refreshServiceNeighbours(t.db.manager);
});
afterAll(async () => {
  await t?.stop();
});

let segmentFavourite: string;
let coUsedA: string;
let coUsedB: string;

async function allMatches(
  client: TestCitizen['client'],
  variables: { citizenId?: string; categoryCode?: string } = {},
) {
  const nodes: RecommendedQuery['recommendedServices']['edges'][number]['node'][] = [];
  let after: string | null | undefined;
  for (;;) {
    const page = (await client.request(RecommendedDocument, { ...variables, first: 100, after })).recommendedServices;
    nodes.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

describe('recommendedServices', () => {
  it('ranks only services the citizen is eligible for', async () => {
    const citizen = await newCitizen(t, { districtCode: '520111', birthYear: 1986, tags: ['car-owner'] });
    const nodes = await allMatches(citizen.client);
    const [{ eligible }] = await t.db.query(
      `SELECT count(*)::int AS eligible FROM service WHERE status = 'PUBLISHED'
         AND (min_age IS NULL OR min_age <= $1) AND (max_age IS NULL OR max_age >= $1)
         AND required_tags <@ ARRAY['car-owner'] AND (district_codes = '{}' OR '520111' = ANY(district_codes))`,
      [new Date().getUTCFullYear() - 1986],
    );
    expect(nodes).toHaveLength(eligible);
    const age = new Date().getUTCFullYear() - 1986;
    for (const { service } of nodes) {
      const e = service.eligibility;
      expect(e.minAge === null || e.minAge === undefined || e.minAge <= age).toBe(true);
      expect(e.maxAge === null || e.maxAge === undefined || e.maxAge >= age).toBe(true);
      expect(e.requiredTags.every((tag) => tag === 'car-owner')).toBe(true);
      expect(e.districts.length === 0 || e.districts.some((d) => d.code === '520111')).toBe(true);
    }
    expect(nodes.map((n) => n.rank)).toEqual(nodes.map((_, i) => i + 1));
  });

  it('explains a newcomer’s ranking by the demand of their district and age band', async () => {
    const citizen = await newCitizen(t, { districtCode: '520103', birthYear: 1979 });
    const { recommendedServices } = await citizen.client.request(RecommendedDocument, { first: 5 });
    const top = recommendedServices.edges[0].node;
    expect(top.service.id).toBe(segmentFavourite);
    const segment = top.reasons.find((r) => r.kind === 'SEGMENT_DEMAND');
    expect(segment?.message).toBe('云岩区35至59岁居民近期常用');
    const shares = top.reasons.reduce((sum, r) => sum + r.weight, 0);
    expect(shares).toBeLessThanOrEqual(1 + 1e-9);
    expect(top.reasons[0].weight).toBeGreaterThan(0.3);
  });

  it('recommends from a request only what its words of substance match, never a verb or a negation', async () => {
    const citizen = await newCitizen(t, { districtCode: '520103', birthYear: 1958, tags: ['retiree'] });
    await citizen.client.request(SubmitRequestDocument, { input: { text: '我想用公積金付房租' } });
    const nodes = await allMatches(citizen.client);
    const cited = nodes.flatMap((n) =>
      n.reasons
        .filter((r) => r.kind === 'TEXT_MATCH')
        .map((r) => ({ code: n.service.code, terms: termsOf(r.message) })),
    );
    expect(cited.find((c) => c.code === 'HF-0004')?.terms).toEqual(expect.arrayContaining(['公积金', '房租']));
    for (const { terms } of cited) expect(terms).not.toContain('用');
    // 居民用电报装 shares only 用 with the request.
    expect(cited.map((c) => c.code)).not.toContain('UT-0006');
  });

  it('ranks first, after a situation told in the citizen’s own words, the service the request was answered with', async () => {
    const citizen = await newCitizen(t, { districtCode: '520113', birthYear: 1992 });
    // Shares no word of substance with the noise-complaint service it is answered with (装修 is
    // the renovation-waste service's word).
    const { submitRequest } = await citizen.client.request(SubmitRequestDocument, {
      input: { text: '邻居天天半夜装修吵得睡不着' },
    });
    expect(submitRequest.unmet).toBe(false);
    const answered = submitRequest.matches[0].service;
    const { recommendedServices } = await citizen.client.request(RecommendedDocument, { first: 5 });
    const top = recommendedServices.edges[0].node;
    expect(top.service.code).toBe(answered.code);
    // The reason quotes the request when none of its words is the service's.
    const reason = top.reasons.find((r) => r.kind === 'TEXT_MATCH');
    expect(reason?.message).toMatch(/^匹配您的需求：“邻居天天半夜装修/);
  });

  it('follows the citizen’s own history to co-used services, and says so', async () => {
    const citizen = await newCitizen(t, { districtCode: '520102', birthYear: 1990 });
    await citizen.client.request(RecordSignalsDocument, {
      signals: [
        { kind: 'USE', serviceId: coUsedA },
        { kind: 'USE', serviceId: coUsedA },
      ],
    });
    const nodes = await allMatches(citizen.client);
    const related = nodes.find((n) => n.service.id === coUsedB)!;
    const own = related.reasons.find((r) => r.kind === 'OWN_HISTORY');
    expect(own?.message).toMatch(/^与您办理过的“.+”相关$/);
  });

  it('is faithful: removing the signal behind the top reason lowers the score', async () => {
    const citizen = await newCitizen(t, { districtCode: '520113', birthYear: 1970 });
    await citizen.client.request(SubmitRequestDocument, { input: { text: '我想用公积金付房租' } });
    const before = (await citizen.client.request(RecommendedDocument, { first: 3 })).recommendedServices.edges[0].node;
    expect(before.reasons[0].kind).toBe('TEXT_MATCH');
    expect(before.reasons[0].message).toContain('公积金');
    await t.db.query(`DELETE FROM signal WHERE citizen_id = $1 AND kind = 'REQUEST'`, [citizen.id]);
    const after = (await allMatches(citizen.client)).find((n) => n.service.id === before.service.id)!;
    expect(after.score).toBeLessThan(before.score);
    expect(after.reasons.map((r) => r.kind)).not.toContain('TEXT_MATCH');
  });

  it('never recommends a service the citizen voted down', async () => {
    const citizen = await newCitizen(t, { districtCode: '520103', birthYear: 1981 });
    const before = await allMatches(citizen.client);
    expect(before.map((n) => n.service.id)).toContain(segmentFavourite);
    await citizen.client.request(VoteDocument, { serviceId: segmentFavourite, value: 'DOWN' });
    const after = await allMatches(citizen.client);
    expect(after.map((n) => n.service.id)).not.toContain(segmentFavourite);
    expect(after).toHaveLength(before.length - 1);
  });

  it('ranks with personalisation off as for a stranger of the same profile, less what the citizen voted down', async () => {
    const profile = { districtCode: '520103', birthYear: 1982, tags: ['car-owner'] };
    const citizen = await newCitizen(t, { ...profile, interestCategoryCodes: ['life.health'] });
    // A real history behind them: uses, searches, a request, votes both ways and ratings.
    await citizen.client.request(RecordSignalsDocument, {
      signals: [
        { kind: 'USE', serviceId: coUsedA },
        { kind: 'USE', serviceId: coUsedA },
        { kind: 'VIEW', serviceId: coUsedB },
        { kind: 'SEARCH', text: '残疾人补贴' },
      ],
    });
    await citizen.client.request(SubmitRequestDocument, { input: { text: '公积金贷款' } });
    await citizen.client.request(VoteDocument, { serviceId: coUsedB, value: 'UP' });
    await citizen.client.request(VoteDocument, { serviceId: segmentFavourite, value: 'DOWN' });
    await citizen.client.request(RateServiceDocument, { serviceId: coUsedA, stars: 5 });
    await citizen.client.request(UpdateMyProfileDocument, { input: { ...profile, personalization: false } });
    const stranger = await newCitizen(t, { ...profile, personalization: false });
    // Both rankings must read the same shared demand: the citizen's signals applied to it first.
    await t.applyRollups();
    forgetCatalogueSnapshot(t.db);
    const mine = await allMatches(citizen.client);
    const theirs = await allMatches(stranger.client);
    const first = await citizen.client.request(RecommendedDocument, { first: 1 });
    expect(first.recommendedServices.personalized).toBe(false);
    expect(theirs.map((n) => n.service.id)).toContain(segmentFavourite);
    const shown = theirs.filter((n) => n.service.id !== segmentFavourite);
    expect(mine.map((n) => n.service.id)).toEqual(shown.map((n) => n.service.id));
    mine.forEach((n, i) => {
      expect(Math.abs(n.score - shown[i].score)).toBeLessThan(1e-9);
      expect(n.reasons).toEqual(shown[i].reasons);
    });
    const shared = ['SEGMENT_DEMAND', 'POPULAR', 'WELL_RATED', 'NEW_SERVICE'];
    for (const node of mine) for (const reason of node.reasons) expect(shared).toContain(reason.kind);
  });

  it('pages through one stable ranking', async () => {
    const citizen = await newCitizen(t, { districtCode: '520103', birthYear: 1960, tags: ['retiree'] });
    const whole = (await citizen.client.request(RecommendedDocument, { first: 30 })).recommendedServices.edges.map(
      (e) => e.node.service.id,
    );
    const paged: string[] = [];
    let after: string | null | undefined;
    for (let i = 0; i < 3; i += 1) {
      const page = (await citizen.client.request(RecommendedDocument, { first: 10, after })).recommendedServices;
      paged.push(...page.edges.map((e) => e.node.service.id));
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(whole);
    await expectError(citizen.client.request(RecommendedDocument, { first: 101 }), 'BAD_USER_INPUT');
    await expectError(citizen.client.request(RecommendedDocument, { after: 'forged' }), 'BAD_USER_INPUT');
  });

  it('filters by category, a parent including its children', async () => {
    const citizen = await newCitizen(t, { districtCode: '520103', birthYear: 1975 });
    const gov = await allMatches(citizen.client, { categoryCode: 'gov' });
    expect(gov.length).toBeGreaterThan(0);
    for (const node of gov) expect(node.service.category.parent?.code).toBe('gov');
  });

  it('gives a citizen only their own ranking; planners and admins any, by id', async () => {
    const owner = await newCitizen(t);
    const other = await newCitizen(t);
    await expectError(other.client.request(RecommendedDocument, { citizenId: owner.id }), 'FORBIDDEN');
    const planner = t.client(await t.token(Role.PLANNER));
    const viaPlanner = await planner.request(RecommendedDocument, { citizenId: owner.id, first: 5 });
    const own = await owner.client.request(RecommendedDocument, { first: 5 });
    expect(viaPlanner.recommendedServices.edges.map((e) => e.node.service.id)).toEqual(
      own.recommendedServices.edges.map((e) => e.node.service.id),
    );
    await expectError(planner.request(RecommendedDocument, {}), 'BAD_USER_INPUT');
    // An id that is no id is refused, not read as the caller's own ranking.
    for (const citizenId of ['', 'me', `${owner.id}x`]) {
      const refused = await expectError(owner.client.request(RecommendedDocument, { citizenId }), 'BAD_USER_INPUT');
      expect(refused.extensions?.validationErrors?.[0].property).toBe('citizenId');
      await expectError(planner.request(RecommendedDocument, { citizenId }), 'BAD_USER_INPUT');
    }
    await expectError(
      t.client(await t.token(Role.STAFF)).request(RecommendedDocument, { citizenId: owner.id }),
      'FORBIDDEN',
    );
    await expectError(t.client().request(RecommendedDocument, {}), 'UNAUTHENTICATED');
  });
});

/** The words a TEXT_MATCH reason cites ("匹配您的需求：公积金、提取"). */
const termsOf = (message: string): string[] => message.replace(/^匹配您的需求：/, '').split('、');

describe('matchRequest and submitRequest', () => {
  it('cites the words of substance a request shares with a service, not its function words', async () => {
    const matches = (await t.client().request(MatchRequestDocument, { text: '公司把我辞退了，工资也没给', first: 5 }))
      .matchRequest;
    expect(matches[0].service.code).toBe('EM-0012');
    const cited = matches.flatMap((m) =>
      m.reasons.filter((r) => r.message.startsWith('匹配您的需求：')).flatMap((r) => termsOf(r.message)),
    );
    expect(cited).toEqual(expect.arrayContaining(['辞退', '工资']));
    for (const word of ['没', '给']) expect(cited).not.toContain(word);
  });

  it('matches traditional script, typos and synonyms to the right services', async () => {
    const top = async (text: string) =>
      (await t.client().request(MatchRequestDocument, { text, first: 3 })).matchRequest[0];
    expect((await top('醫保報銷')).service.category.code).toBe('gov.medical-insurance');
    expect((await top('公基金提取')).service.category.code).toBe('gov.housing-fund');
    expect((await top('社宝卡补办')).service.title).toContain('社会保障卡');
    expect((await top('老人证怎么办')).service.title).toContain('老年人优待证');
    const match = await top('housing fund withdrawal');
    expect(match.service.category.code).toBe('gov.housing-fund');
    // The words found are a reason; a need read less surely may share the score with them.
    expect(match.reasons.find((r) => r.kind === 'TEXT_MATCH')?.weight).toBeGreaterThan(0);
    expect(match.reasons.reduce((sum, r) => sum + r.weight, 0)).toBeCloseTo(1, 3);
  });

  it('records a request with its best match, and flags needs no service meets', async () => {
    const citizen = await newCitizen(t, { districtCode: '520115' });
    const met = (await citizen.client.request(SubmitRequestDocument, { input: { text: '公积金怎么提取' } }))
      .submitRequest;
    expect(met.unmet).toBe(false);
    expect(met.request).toMatchObject({ kind: 'REQUEST', text: '公积金怎么提取', district: { code: '520115' } });
    expect(met.request.category?.code).toBe('gov.housing-fund');
    const [stored] = await t.db.query('SELECT matched_service_id, match_score, unmet FROM signal WHERE id = $1', [
      met.request.id,
    ]);
    expect(stored.matched_service_id).toBe(met.matches[0].service.id);
    expect(stored.match_score).toBeCloseTo(met.matches[0].score, 5);

    const unmet = (await citizen.client.request(SubmitRequestDocument, { input: { text: '想找个婚礼跟拍摄影师' } }))
      .submitRequest;
    expect(unmet.unmet).toBe(true);
    expect(unmet.request.category).toBeNull();
  });

  it('refuses empty, overlong and unknown input, writing nothing', async () => {
    const citizen = await newCitizen(t);
    await expectError(citizen.client.request(SubmitRequestDocument, { input: { text: '   ' } }), 'BAD_USER_INPUT');
    await expectError(
      citizen.client.request(SubmitRequestDocument, { input: { text: '长'.repeat(2001) } }),
      'BAD_USER_INPUT',
    );
    await expectError(
      citizen.client.request(SubmitRequestDocument, { input: { text: '社保', districtCode: '000000' } }),
      'NOT_FOUND',
    );
    await expectError(
      citizen.client.request(SubmitRequestDocument, { input: { text: '社保', categoryCode: 'nope' } }),
      'NOT_FOUND',
    );
    expect(await countRows(t, 'signal WHERE citizen_id = $1', [citizen.id])).toBe(0);
    await expectError(t.client().request(MatchRequestDocument, { text: '' }), 'BAD_USER_INPUT');
  });

  it('sees a catalogue change without a restart', async () => {
    const id = await code('HF-0001');
    await t.db.query(`UPDATE service SET status = 'RETIRED', updated_at = now() WHERE id = $1`, [id]);
    forgetCatalogueSnapshot(t.db);
    try {
      const matches = (await t.client().request(MatchRequestDocument, { text: '公积金', first: 50 })).matchRequest;
      expect(matches.map((m) => m.service.id)).not.toContain(id);
    } finally {
      await t.db.query(`UPDATE service SET status = 'PUBLISHED', updated_at = now() WHERE id = $1`, [id]);
      forgetCatalogueSnapshot(t.db);
    }
  });
});
