import type { GraphQLClient } from 'graphql-request';
import { departmentId } from '../../seeds/catalogue';
import { Role } from '../../src/core/auth';
import { forgetCatalogueSnapshot } from '../../src/modules/catalogue/catalogue-snapshot';
import { refreshServiceNeighbours } from '../../src/modules/matching/aggregates';
import { ageBandOf } from '../../src/modules/citizens/age-band';
import {
  CreateProposalDocument,
  RateServiceDocument,
  RecommendedDocument,
  RecordSignalsDocument,
  ReviewProposalDocument,
  SubmitProposalDocument,
  VoteDocument,
  type RecommendedQuery,
} from '../generated/graphql';
import { newCitizen, type TestCitizen } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

type Node = RecommendedQuery['recommendedServices']['edges'][number]['node'];
const uses = (serviceId: string, times: number) =>
  Array.from({ length: times }, () => ({ kind: 'USE' as const, serviceId }));

let t: TestApp;
/** The profile of the segment whose demand the tests build: 乌当区, 18 to 34. */
const PROFILE = { districtCode: '520112', birthYear: 1995 };
let housingFund: string[];
let others: string[];

/** Published services open to everyone, of the housing fund ('=') or of any other category ('<>'), in code order. */
async function openServices(housingFundOrNot: '=' | '<>', limit = 100): Promise<string[]> {
  const rows: { id: string }[] = await t.db.query(
    `SELECT id FROM service
      WHERE category_id ${housingFundOrNot} (SELECT id FROM category WHERE code = 'gov.housing-fund') AND status = 'PUBLISHED'
        AND min_age IS NULL AND max_age IS NULL AND required_tags = '{}' AND district_codes = '{}'
      ORDER BY code LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  t = await startTestApp();
  housingFund = await openServices('=');
  others = await openServices('<>', 40);
  // The segment mostly uses housing-fund services, and a spread of others less and less:
  // a ranking without ties, whose first page would be all housing fund without the cap.
  for (let i = 0; i < 4; i += 1) {
    const neighbour = await newCitizen(t, PROFILE);
    await neighbour.client.request(RecordSignalsDocument, {
      signals: [
        ...housingFund.slice(0, 9).flatMap((serviceId, k) => uses(serviceId, 12 - k)),
        ...others
          .slice(0, 30)
          .map((serviceId, k) => ({ kind: k % 2 ? ('VIEW' as const) : ('USE' as const), serviceId })),
      ],
    });
  }
  // Ratings and votes elsewhere in the city, so that it has a mean to measure against.
  for (let i = 0; i < 6; i += 1) {
    const rater = await newCitizen(t, { districtCode: '520102', birthYear: 1970 });
    for (const serviceId of others.slice(30, 36)) {
      await rater.client.request(RateServiceDocument, { serviceId, stars: 4 });
      await rater.client.request(VoteDocument, { serviceId, value: 'UP' });
    }
  }
  // The planted signals applied by the rollup worker (which waits for a quiet period) before the neighbours are read.
  await t.applyRollups();
  await refreshServiceNeighbours(t.db.manager);
});
afterAll(async () => {
  await t?.stop();
});

async function ranking(client: GraphQLClient): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null | undefined;
  for (;;) {
    const page = (await client.request(RecommendedDocument, { first: 100, after })).recommendedServices;
    nodes.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

/** A stranger's ranking as of now (standing and demand read afresh). */
async function strangerRanking(profile: Partial<typeof PROFILE> & { tags?: string[] } = PROFILE): Promise<Node[]> {
  forgetCatalogueSnapshot(t.db);
  return ranking((await newCitizen(t, { ...PROFILE, ...profile })).client);
}
const rankOf = (nodes: Node[], id: string) => nodes.findIndex((n) => n.service.id === id) + 1;
const ACTIVATE = `mutation A($id: Int) { activateRankingModel(id: $id) { id active } }`;

describe('votes and ratings', () => {
  it('let one up-vote move a service at most 3 places in a same-profile stranger’s ranking', async () => {
    const before = await strangerRanking();
    for (const position of [5, 12, 25, 60, 150]) {
      const target = before[position - 1].service.id;
      const voter = await newCitizen(t, PROFILE);
      await voter.client.request(VoteDocument, { serviceId: target, value: 'UP' });
      const after = await strangerRanking();
      const moved = Math.abs(rankOf(after, target) - rankOf(before, target));
      expect({ position, withinThree: moved <= 3 }).toEqual({ position, withinThree: true });
      await voter.client.request(VoteDocument, { serviceId: target, value: null });
    }
  });

  it('never raise a service for six down-votes with 1★ ratings, and praise nothing below the city’s mean', async () => {
    const before = await strangerRanking();
    const targets = [8, 20, 40].map((position) => before[position - 1].service.id);
    const demandOf = async () => {
      // Popularity is the rollup worker's: once it has applied every signal.
      await t.applyRollups();
      return (
        (await t.db.query('SELECT score FROM service_popularity WHERE service_id = ANY($1) ORDER BY service_id', [
          targets,
        ])) as {
          score: number;
        }[]
      ).map((r) => r.score);
    };
    const demandBefore = await demandOf();
    for (let i = 0; i < 6; i += 1) {
      // From the stranger's own segment, where their ratings would weigh most as demand.
      const critic = await newCitizen(t, PROFILE);
      for (const serviceId of targets) {
        await critic.client.request(VoteDocument, { serviceId, value: 'DOWN' });
        await critic.client.request(RateServiceDocument, { serviceId, stars: 1 });
      }
    }
    // Poor ratings are no demand: they cannot raise a service through popularity.
    expect(await demandOf()).toEqual(demandBefore);
    const after = await strangerRanking();
    for (const target of targets) {
      const [was, is] = [before, after].map((nodes) => nodes.find((n) => n.service.id === target)!);
      expect(rankOf(after, target)).toBeGreaterThanOrEqual(rankOf(before, target));
      expect(is.score).toBeLessThan(was.score);
      expect(is.reasons.map((r) => r.kind)).not.toContain('WELL_RATED');
    }
    await expectFaithful(after, (await newCitizen(t, PROFILE)).id);
  });
});

/**
 * Every reason of a ranking names a signal that really exists for that service and citizen,
 * read back from the database: the segment's use, the city's, the circumstance's, the
 * citizen's own history, requests and interests, praise earned against the city's means,
 * publication after the catalogue's first load.
 */
async function expectFaithful(nodes: Node[], citizenId: string, app: TestApp = t): Promise<void> {
  const t = app;
  // The aggregates read back are the rollup worker's: once it has applied every signal.
  await t.applyRollups();
  const [citizen] = await t.db.query('SELECT district_code, birth_year, tags FROM citizen WHERE id = $1', [citizenId]);
  const ageBand = ageBandOf(citizen.birth_year, new Date());
  const [city] = await t.db.query(
    `SELECT sum(upvotes)::float8 / nullif(sum(upvotes + downvotes), 0) AS "upShare",
            sum(rating_sum)::float8 / nullif(sum(rating_count), 0) AS "meanRating"
       FROM service_stats st JOIN service s ON s.id = st.service_id WHERE s.status = 'PUBLISHED'`,
  );
  const one = async (sql: string, params: unknown[]) => ((await t.db.query(sql, params)) as unknown[]).length > 0;
  for (const { service, reasons } of nodes) {
    for (const reason of reasons) {
      const backed = await (async () => {
        switch (reason.kind) {
          case 'SEGMENT_DEMAND':
            // 全市…: the age band's use in any district; else the citizen's own district's. Use by
            // at least three distinct citizens of it, read from the signals themselves.
            return reason.message.startsWith('全市')
              ? one(
                  `SELECT 1 FROM signal WHERE kind = 'USE' AND age_band = $1 AND service_id = $2
                    HAVING count(DISTINCT citizen_id) >= 3`,
                  [ageBand, service.id],
                )
              : one(
                  `SELECT 1 FROM signal WHERE kind = 'USE' AND district_code = $1 AND age_band = $2 AND service_id = $3
                    HAVING count(DISTINCT citizen_id) >= 3`,
                  [citizen.district_code, ageBand, service.id],
                );
          case 'POPULAR':
            return one('SELECT 1 FROM service_popularity WHERE service_id = $1 AND score > 0', [service.id]);
          case 'SIMILAR_CITIZENS':
            return one(
              'SELECT 1 FROM cohort_service_score WHERE tag = ANY($1) AND age_band = $2 AND service_id = $3 AND score > 0',
              [citizen.tags, ageBand, service.id],
            );
          case 'OWN_HISTORY': {
            const related = /^常与您近期办理的“(.+)”类服务一起办理$/.exec(reason.message);
            if (!related) return one('SELECT 1 FROM citizen_service_score WHERE citizen_id = $1', [citizenId]);
            // The citizen used a service of that category, and services of it are co-used with this one's category.
            return one(
              `SELECT 1 FROM citizen_service_score h JOIN service hs ON hs.id = h.service_id
                 JOIN category via ON via.id = hs.category_id AND via.name = $2
                WHERE h.citizen_id = $1 AND EXISTS (
                  SELECT 1 FROM service_neighbour n JOIN service a ON a.id = n.service_id JOIN service b ON b.id = n.neighbour_id
                   WHERE a.category_id = via.id AND b.category_id = (SELECT category_id FROM service WHERE id = $3))`,
              [citizenId, related[1], service.id],
            );
          }
          case 'TEXT_MATCH':
            return one(`SELECT 1 FROM signal WHERE citizen_id = $1 AND kind IN ('REQUEST', 'SEARCH')`, [citizenId]);
          case 'INTEREST':
            return one(
              `SELECT 1 FROM citizen_interest i JOIN category c ON c.id = (SELECT category_id FROM service WHERE id = $2)
                WHERE i.citizen_id = $1 AND i.category_id IN (c.id, c.parent_id)`,
              [citizenId, service.id],
            );
          case 'NEW_SERVICE':
            return one(
              'SELECT 1 FROM service WHERE id = $1 AND published_at > (SELECT min(published_at) FROM service)',
              [service.id],
            );
          case 'WELL_RATED': {
            const [s] = await t.db.query(
              'SELECT upvotes, downvotes, rating_count, rating_sum FROM service_stats WHERE service_id = $1',
              [service.id],
            );
            const upShare = s.upvotes / (s.upvotes + s.downvotes);
            if (reason.message === '居民点赞较多') return s.upvotes > 2 * s.downvotes && upShare > city.upShare;
            return s.rating_count >= 5 && s.rating_sum / s.rating_count > city.meanRating;
          }
          default:
            return false;
        }
      })();
      expect({ service: service.title, reason, backed }).toEqual({ service: service.title, reason, backed: true });
    }
  }
}

describe('signals', () => {
  it('let one account’s flood of uses count in its segment’s demand as 15 uses, not a thousand', async () => {
    // A segment of its own (南明区, 60 and over): one account uses a service a thousand times in
    // two batches, twenty neighbours use another once each.
    const profile = { districtCode: '520102', birthYear: 1955 };
    const [flooded, used] = others.slice(36, 38);
    const flooder = await newCitizen(t, profile);
    for (let batch = 0; batch < 2; batch += 1)
      await flooder.client.request(RecordSignalsDocument, { signals: uses(flooded, 500) });
    for (let i = 0; i < 20; i += 1) {
      const neighbour = await newCitizen(t, profile);
      await neighbour.client.request(RecordSignalsDocument, { signals: uses(used, 1) });
    }
    await t.applyRollups();
    const newcomer = await newCitizen(t, profile);
    const nodes = await ranking(newcomer.client);
    const order = nodes.map((n) => n.service.id);
    expect(order.indexOf(used)).toBeLessThan(order.indexOf(flooded));
    // One account is not its segment's residents: the flooded service names no segment.
    const segmentReasons = (id: string) =>
      nodes.find((n) => n.service.id === id)!.reasons.filter((r) => r.kind === 'SEGMENT_DEMAND');
    expect(segmentReasons(flooded)).toEqual([]);
    expect(segmentReasons(used).map((r) => r.message)).toContain('南明区60岁以上居民近期常用');
    await expectFaithful(nodes, newcomer.id);
    // The flooder's own history keeps every use.
    const [own] = await t.db.query(
      'SELECT signals FROM citizen_service_score WHERE citizen_id = $1 AND service_id = $2',
      [flooder.id, flooded],
    );
    expect(own.signals).toBe(1000);
  });
});

describe('reasons', () => {
  it('name only signals that exist in a city with no use at all, and when its first use is read in part', async () => {
    const cold = await startTestApp();
    try {
      // Nobody has used anything: no score, no reason, and the same order each time.
      const first = await newCitizen(cold, PROFILE);
      const nothing = await ranking(first.client);
      expect(nothing.filter((n) => n.score !== 0 || n.reasons.length > 0)).toEqual([]);
      // In catalogue order (by code), not in that of the ids.
      const codes = nothing.map((n) => n.service.code);
      expect(codes).toEqual([...codes].sort());
      expect((await ranking(first.client)).map((n) => n.service.id)).toEqual(nothing.map((n) => n.service.id));
      // The city's first use, by 南明区 18 to 34: the standing of the services is still the
      // copy read above (no use), the segment's demand is read afresh by a newcomer of it.
      const user = await newCitizen(cold, { districtCode: '520102', birthYear: 1995 });
      const [used] = await cold.db.query(
        `SELECT id FROM service WHERE status = 'PUBLISHED' AND min_age IS NULL AND max_age IS NULL
            AND required_tags = '{}' AND district_codes = '{}' ORDER BY code LIMIT 1`,
      );
      await user.client.request(RecordSignalsDocument, { signals: uses(used.id, 2) });
      await cold.applyRollups();
      const newcomer = await newCitizen(cold, { districtCode: '520102', birthYear: 1995 });
      const nodes = await ranking(newcomer.client);
      await expectFaithful(nodes, newcomer.id, cold);
      expect(nodes.flatMap((n) => n.reasons.map((r) => r.kind))).not.toContain('POPULAR');
      // One citizen's use ranks the service first, but is not "the segment's residents": no reason.
      expect(nodes[0].service.id).toBe(used.id);
      expect(nodes[0].reasons).toEqual([]);
      // Two more citizens of the segment use it: three are.
      for (let i = 0; i < 2; i += 1) {
        const other = await newCitizen(cold, { districtCode: '520102', birthYear: 1995 });
        await other.client.request(RecordSignalsDocument, { signals: uses(used.id, 1) });
      }
      await cold.applyRollups();
      forgetCatalogueSnapshot(cold.db);
      const later = await newCitizen(cold, { districtCode: '520102', birthYear: 1995 });
      const three = await ranking(later.client);
      await expectFaithful(three, later.id, cold);
      expect(three[0].service.id).toBe(used.id);
      expect(three[0].reasons.map((r) => r.message)).toContain('南明区18至34岁居民近期常用');
    } finally {
      await cold.stop();
    }
  });

  it('name only signals that exist, for every kind, for a stranger and for a citizen with a history', async () => {
    const stranger = await strangerRanking();
    await expectFaithful(stranger, (await newCitizen(t, PROFILE)).id);
    const kinds = new Set(stranger.flatMap((n) => n.reasons.map((r) => r.kind)));
    expect(kinds).toEqual(new Set(['SEGMENT_DEMAND', 'POPULAR', 'WELL_RATED']));
    // 白云区: nobody of that segment used anything, so no ranking names it.
    const elsewhere = await strangerRanking({ districtCode: '520113' });
    expect(elsewhere.flatMap((n) => n.reasons.map((r) => r.message)).filter((m) => m.includes('白云区'))).toEqual([]);
    const regular = await newCitizen(t, { ...PROFILE, tags: ['student'], interestCategoryCodes: ['life.health'] });
    await regular.client.request(RecordSignalsDocument, {
      signals: [
        { kind: 'USE', serviceId: others[3] },
        { kind: 'VIEW', serviceId: others[5] },
        { kind: 'SEARCH', text: '公积金提取' },
      ],
    });
    forgetCatalogueSnapshot(t.db);
    await expectFaithful(await ranking(regular.client), regular.id);
  });

  it('name only signals that exist under a fitted model that leans on the age band and related categories', async () => {
    const admin = t.client(await t.token(Role.ADMIN));
    const [{ id }] = await t.db.query(
      `INSERT INTO ranking_model (weights, method, history_from, fit_from, evaluation_from, evaluation_to, fit_citizens, evaluation)
       VALUES ('{"ageBandSmoothing": 50, "relatedTaste": 2, "recentTaste": 1}'::jsonb, 'test', now() - interval '104 days',
               now() - interval '14 days', now() - interval '7 days', now(), 0,
               '{"queries": 0, "fitted": 0, "defaults": 0, "baselines": {}}'::jsonb) RETURNING id`,
    );
    await admin.request(ACTIVATE, { id });
    try {
      // 白云区 18 to 34: nobody of the segment used anything; the age band did, in 乌当区.
      const elsewhere = await newCitizen(t, { ...PROFILE, districtCode: '520113' });
      forgetCatalogueSnapshot(t.db);
      const nodes = await ranking(elsewhere.client);
      await expectFaithful(nodes, elsewhere.id);
      const messages = nodes.flatMap((n) => n.reasons.map((r) => r.message));
      expect(messages).toContain('全市18至34岁居民近期常用');
      expect(messages.filter((m) => m.includes('白云区'))).toEqual([]);
      const regular = await newCitizen(t, PROFILE);
      await regular.client.request(RecordSignalsDocument, { signals: uses(others[3], 2) });
      forgetCatalogueSnapshot(t.db);
      const own = await ranking(regular.client);
      await expectFaithful(own, regular.id);
      expect(own.flatMap((n) => n.reasons.map((r) => r.message)).some((m) => m.startsWith('常与您近期办理的'))).toBe(
        true,
      );
    } finally {
      await admin.request(ACTIVATE, { id: null });
    }
  });

  it('say 新上线服务 for no seeded service, and for a service published after the catalogue’s first load', async () => {
    const kinds = (nodes: Node[]) => nodes.flatMap((n) => n.reasons.map((r) => r.kind));
    expect(kinds(await strangerRanking())).not.toContain('NEW_SERVICE');
    const staff = t.client(await t.token(Role.STAFF, { dept: departmentId('GY-SPORT') }));
    const draft = (
      await staff.request(CreateProposalDocument, {
        input: {
          title: '社区智能健身驿站预约',
          titleEn: 'Booking community smart fitness stations',
          summary: '居民可以在线预约社区智能健身驿站的时段。',
          categoryCode: 'life.culture-sport',
          tags: ['健身驿站'],
          channels: ['APP'],
          eligibility: {},
          coDepartmentIds: [],
          rationale: '居民多次提出希望就近健身。',
        },
      })
    ).createProposal;
    await staff.request(SubmitProposalDocument, { id: draft.id });
    const reviewer = t.client(await t.token(Role.REVIEWER, { dept: departmentId('GY-GSC') }));
    const approved = await reviewer.request(ReviewProposalDocument, { id: draft.id, decision: 'APPROVE' });
    const published = approved.reviewProposal.service!;
    const after = await strangerRanking();
    const fresh = after.find((n) => n.service.id === published.id)!;
    expect(fresh.reasons.map((r) => r.kind)).toContain('NEW_SERVICE');
    expect(fresh.reasons.find((r) => r.kind === 'NEW_SERVICE')!.message).toBe('新上线服务');
    const announced = after.filter((n) => n.reasons.some((r) => r.kind === 'NEW_SERVICE'));
    expect(announced.map((n) => n.service.id)).toEqual([published.id]);
  });
});

describe('the diversity cap', () => {
  const housingFundIn = (nodes: Node[]) => nodes.slice(0, 10).filter((n) => housingFund.includes(n.service.id)).length;

  it('holds a stranger’s first ten to three services of one sub-category', async () => {
    const nodes = await strangerRanking();
    expect(housingFundIn(nodes)).toBe(3);
    // Without the cap the segment's demand would have filled the page with them.
    const bySegment = [...nodes].sort((a, b) => b.score - a.score).slice(0, 10);
    expect(housingFundIn(bySegment)).toBeGreaterThan(3);
  });

  it('gives way when most of the citizen’s own recent use is in that sub-category', async () => {
    const citizen: TestCitizen = await newCitizen(t, PROFILE);
    await citizen.client.request(RecordSignalsDocument, {
      signals: housingFund.slice(0, 6).flatMap((serviceId) => uses(serviceId, 2)),
    });
    forgetCatalogueSnapshot(t.db);
    expect(housingFundIn(await ranking(citizen.client))).toBeGreaterThan(3);
    // One use elsewhere does not ask for it.
    const other = await newCitizen(t, PROFILE);
    await other.client.request(RecordSignalsDocument, { signals: [...uses(others[0], 1), ...uses(others[1], 1)] });
    expect(housingFundIn(await ranking(other.client))).toBeLessThanOrEqual(3);
  });

  it('is not lifted by a first look: one view of a housing-fund service asks for no more of them', async () => {
    const citizen: TestCitizen = await newCitizen(t, PROFILE);
    await citizen.client.request(RecordSignalsDocument, { signals: [{ kind: 'VIEW', serviceId: housingFund[8] }] });
    expect(housingFundIn(await ranking(citizen.client))).toBeLessThanOrEqual(3);
  });
});
