import { queryRows } from '../../db/sql';
import { Role } from '../../graphql/auth';
import { requireUser, type Context } from '../../graphql/context';
import { BadInputError, ForbiddenError, NotFoundError } from '../../graphql/errors';
import { buildPage, checkPageSize } from '../../graphql/pagination';
import { isUuid } from '../../db/sql';
import { ageBandOf, ageInYear } from '../citizens/age-band';
import type { Citizen } from '../citizens/citizen.entity';
import { decayFactor, HALF_LIFE_DAYS } from './affinity';
import { catalogueSnapshot, serviceStanding, type CatalogueSnapshot } from './catalogue-snapshot';
import { isEligible } from './eligibility';
import type { ServiceMatchConnection } from './matching.types';
import { DIVERSIFIED_POSITIONS, diversify, scoreCandidates, topReasons, type Candidate, type CitizenSignals } from './scoring';

/** Recent free-text requests and searches that feed the TEXT_MATCH component. */
const RECENT_REQUESTS = 5;
const REQUEST_WINDOW_DAYS = 90;

/** Whose ranking: the caller's own (CITIZEN) or any citizen's (PLANNER, ADMIN). */
async function targetCitizen(ctx: Context, citizenId: string | null | undefined): Promise<Citizen> {
  const user = requireUser(ctx);
  let id: string;
  if (user.role === Role.CITIZEN) {
    if (citizenId && citizenId.toLowerCase() !== user.id) throw new ForbiddenError("A citizen may see only their own ranking");
    id = user.id;
  } else if (user.role === Role.PLANNER || user.role === Role.ADMIN) {
    if (!citizenId) throw BadInputError.field('citizenId', 'required', 'citizenId is required for PLANNER and ADMIN');
    id = citizenId.toLowerCase();
  } else {
    throw new ForbiddenError('Rankings are for citizens, planners and administrators');
  }
  const citizen = isUuid(id) ? await ctx.loaders.citizen.load(id) : undefined;
  if (!citizen) throw new NotFoundError('Citizen', id, 'citizenId');
  return citizen;
}

function categoryFilter(snapshot: CatalogueSnapshot, categoryCode: string | null | undefined): ((codes: string[]) => boolean) | null {
  if (!categoryCode) return null;
  const known = [...snapshot.services.values()].some((s) => s.categoryCodes.includes(categoryCode));
  return known ? (codes) => codes.includes(categoryCode) : () => false;
}

/** The signals of the citizen (decayed to now) that scoring needs; personal ones only when allowed. */
async function citizenSignals(
  ctx: Context,
  citizen: Citizen,
  snapshot: CatalogueSnapshot,
  now: Date,
): Promise<{ signals: CitizenSignals; own: Map<string, number> }> {
  const decay = decayFactor(now);
  const ageBand = ageBandOf(citizen.birthYear, now);
  const personal = citizen.personalization;
  // Independent reads, sent together (on PostgreSQL they run on separate connections).
  const [district, segmentRows, historyRows, neighbourRows, interestIds, cohortRows, requests] = await Promise.all([
    ctx.loaders.district.load(citizen.districtCode),
    queryRows<{ serviceId: string; score: number }>(
      ctx.db,
      `SELECT service_id AS "serviceId", sum(score) AS score FROM segment_service_score
        WHERE district_code = $1 AND ($2::age_band IS NULL OR age_band = $2) GROUP BY service_id`,
      [citizen.districtCode, ageBand],
    ),
    queryRows<{ serviceId: string; score: number }>(
      ctx.db,
      'SELECT service_id AS "serviceId", score FROM citizen_service_score WHERE citizen_id = $1',
      [citizen.id],
    ),
    personal
      ? queryRows<{ serviceId: string; neighbourId: string; similarity: number }>(
          ctx.db,
          `SELECT service_id AS "serviceId", neighbour_id AS "neighbourId", similarity FROM service_neighbour
            WHERE service_id = ANY(ARRAY(SELECT service_id FROM citizen_service_score WHERE citizen_id = $1))`,
          [citizen.id],
        )
      : [],
    personal ? ctx.loaders.citizenInterestIds.load(citizen.id) : [],
    personal && ageBand && citizen.tags.length > 0
      ? queryRows<{ serviceId: string; tag: string; share: number }>(
          ctx.db,
          `SELECT DISTINCT ON (service_id) service_id AS "serviceId", tag, share FROM (
             SELECT service_id, tag, score / nullif(sum(score) OVER (PARTITION BY tag), 0) AS share
               FROM cohort_service_score WHERE age_band = $1 AND tag = ANY($2::text[])
           ) shares WHERE share IS NOT NULL ORDER BY service_id, share DESC, tag`,
          [ageBand, citizen.tags],
        )
      : [],
    personal
      ? queryRows<{ text: string; occurredAt: Date }>(
          ctx.db,
          `SELECT text, occurred_at AS "occurredAt" FROM signal
            WHERE citizen_id = $1 AND kind IN ('REQUEST', 'SEARCH') AND text IS NOT NULL AND occurred_at > $2
            ORDER BY occurred_at DESC LIMIT ${RECENT_REQUESTS}`,
          [citizen.id, new Date(now.getTime() - REQUEST_WINDOW_DAYS * 86_400_000)],
        )
      : [],
  ]);

  const own = new Map(historyRows.map((r) => [r.serviceId, r.score * decay]));
  const segment = new Map(segmentRows.map((r) => [r.serviceId, r.score * decay]));
  if (!personal) {
    // Leave-one-out: the citizen's own signals are part of their segment's demand; without
    // personalisation their ranking must not depend on them, so they are taken out again.
    for (const [serviceId, value] of own) segment.set(serviceId, Math.max(0, (segment.get(serviceId) ?? 0) - value));
  }
  const neighbours = new Map<string, { id: string; similarity: number }[]>();
  for (const r of neighbourRows) {
    const list = neighbours.get(r.serviceId);
    if (list) list.push({ id: r.neighbourId, similarity: r.similarity });
    else neighbours.set(r.serviceId, [{ id: r.neighbourId, similarity: r.similarity }]);
  }
  const text = new Map<string, { score: number; terms: string[] }>();
  for (const request of requests) {
    const recency = 2 ** (-(now.getTime() - request.occurredAt.getTime()) / 86_400_000 / HALF_LIFE_DAYS);
    const matches = snapshot.requestMatches.get(request.text, () => snapshot.matcher.match(request.text, { limit: 20 }));
    for (const match of matches) {
      const score = match.score * recency;
      if (score > (text.get(match.serviceId)?.score ?? 0)) text.set(match.serviceId, { score, terms: match.matchedTerms });
    }
  }
  const signals: CitizenSignals = {
    personalized: personal,
    districtName: district?.name ?? '',
    ageBand,
    interestCategoryIds: new Set(interestIds),
    segment,
    cohort: new Map(cohortRows.map((r) => [r.serviceId, { share: r.share, tag: r.tag }])),
    history: personal ? own : new Map(),
    neighbours,
    text,
    now,
  };
  return { signals, own };
}

/**
 * The citizen's ranking: eligible published services (never the ones they voted down),
 * scored by the blend of scoring.ts, diversified over categories, paged by cursor.
 */
export async function recommendServices(
  ctx: Context,
  args: { citizenId?: string | null; categoryCode?: string | null; first: number; after?: string | null },
): Promise<ServiceMatchConnection> {
  checkPageSize(args.first);
  const citizen = await targetCitizen(ctx, args.citizenId);
  const listing = `recommended:${citizen.id}:${args.categoryCode ?? ''}`;
  const offset = ctx.cursors.decode(listing, args.after);
  const now = new Date();
  const [snapshot, standing] = [await catalogueSnapshot(ctx.dataSource, ctx.db), await serviceStanding(ctx.dataSource, ctx.db)];
  const downVoted = new Set(
    (await queryRows<{ id: string }>(ctx.db, `SELECT service_id AS id FROM vote WHERE citizen_id = $1 AND value = 'DOWN'`, [citizen.id])).map(
      (r) => r.id,
    ),
  );
  const inCategory = categoryFilter(snapshot, args.categoryCode);
  const decay = decayFactor(now);
  const { signals, own } = await citizenSignals(ctx, citizen, snapshot, now);
  // Citizens of one district, age and circumstances are eligible for the same services.
  const eligibility = `${citizen.districtCode}:${citizen.birthYear === null ? '-' : ageInYear(citizen.birthYear, now)}:${[...citizen.tags].sort().join(',')}`;
  const eligible = snapshot.eligibleServices.get(eligibility, () => [
    ...snapshot.unrestricted,
    ...snapshot.restricted.filter((s) => isEligible(citizen, s, now)),
  ]);
  const candidates: Candidate[] = [];
  for (const service of eligible) {
    if (downVoted.has(service.id) || (inCategory && !inCategory(service.categoryCodes))) continue;
    const s = standing.get(service.id) ?? { upvotes: 0, downvotes: 0, ratingCount: 0, ratingSum: 0, popularity: 0 };
    candidates.push({
      id: service.id,
      title: service.title,
      categoryId: service.categoryId,
      parentCategoryId: service.parentCategoryId,
      categoryName: service.categoryName,
      publishedAt: service.publishedAt,
      upvotes: s.upvotes,
      downvotes: s.downvotes,
      ratingCount: s.ratingCount,
      ratingSum: s.ratingSum,
      // Without personalisation the citizen's own share of citywide demand is left out too.
      popularity: Math.max(0, s.popularity * decay - (citizen.personalization ? 0 : (own.get(service.id) ?? 0))),
    });
  }
  // Diversification is greedy, so the first n positions do not depend on later ones: only
  // as many are re-ranked as this page reaches.
  const positions = Math.min(DIVERSIFIED_POSITIONS, offset + args.first);
  const ranked = diversify(scoreCandidates(candidates, signals, (id) => snapshot.services.get(id)?.title), positions);
  const page = ranked.slice(offset, offset + args.first);
  const services = await ctx.loaders.service.loadMany(page.map((p) => p.candidate.id));
  const nodes = page.map((scored, index) => ({
    service: services[index] as Exclude<(typeof services)[number], Error | undefined>,
    score: scored.score,
    rank: offset + index + 1,
    reasons: topReasons(scored),
  }));
  return {
    ...buildPage(ctx.cursors, listing, nodes, offset, offset + args.first < ranked.length),
    personalized: citizen.personalization,
  };
}
