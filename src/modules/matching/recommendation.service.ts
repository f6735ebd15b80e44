import { Role } from '../../core/auth';
import { requireRole, type Context } from '../../core/context';
import { BadInputError, ForbiddenError, NotFoundError } from '../../core/errors';
import { buildPage, checkPageSize } from '../../core/pagination';
import { isUuid } from '../../db/sql';
import { recordAccess, PersonalDataRead } from '../audit/access.service';
import { ageBandOf } from '../citizens/age-band';
import { Citizen } from '../citizens/citizen.entity';
import { CREATE_PROFILE_FIRST } from '../citizens/citizens.service';
import { serviceFromRow } from '../catalogue/service-row';
import { decayFactor, HALF_LIFE_DAYS } from './affinity';
import { BoundedMemo } from '../../lib/memos';
import { catalogueSnapshot, type CatalogueSnapshot, type SnapshotService } from '../catalogue/catalogue-snapshot';
import { catalogueIndexOf, ELIGIBLE_LIST_ENTRIES, type CatalogueIndex } from './catalogue-index';
import {
  ageBandDemand,
  cityRepeatRowsWithin,
  cityCategoryRowsWithin,
  cohortShares,
  segmentDemand,
  serviceNeighbours,
  serviceStanding,
  type ServiceStanding,
} from './ranking-demand';
import { eligibilityKey, hasRequiredTags, meetsAgeAndDistrict, tagBitsOf } from './eligibility';
import type { ServiceMatchConnection } from './matching.types';
import { activeRankingModel } from './ranking-models';
import type { TextMatchMemo } from './text-match-memo';
import { redactPersonalData } from '../../text/redact';
import {
  categoriesAskedFor,
  cityStandingOf,
  exemptionRuleOf,
  rankedTop,
  scoredSource,
  standingEvidence,
  topReasons,
  type Candidate,
  type CitizenSignals,
  type CityStanding,
  type CoUseNeighbour,
  type ScoredCandidate,
  type ScoredSource,
} from './scoring';
import { TUNING, type Tuning } from './ranking-model';
import { matchingPolicy } from './matching.policy';
import { categoryLeanOf, type CategoryLean, type CategoryRow } from './category-lean';
import { repeatRateOf, type RepeatRate, type RepeatRow } from './repeat-rate';
import { citizenRankingRows, type CitizenRankingRows } from './ranking.queries';

/** Recent free-text requests and searches that feed the TEXT_MATCH component. */
const RECENT_REQUESTS = 20;
const REQUEST_WINDOW_DAYS = 180;

/** Whose ranking: the caller's own (CITIZEN) or any citizen's (PLANNER, ADMIN); the citizen's id. */
function targetCitizenId(ctx: Context, citizenId: string | null | undefined): string {
  const user = requireRole(ctx, ...matchingPolicy.recommendedServices);
  if (user.role === Role.CITIZEN) {
    if (citizenId && citizenId.toLowerCase() !== user.id)
      throw new ForbiddenError('A citizen may see only their own ranking');
    return user.id;
  }
  if (user.role === Role.PLANNER || user.role === Role.ADMIN) {
    if (!citizenId) throw BadInputError.field('citizenId', 'required', 'citizenId is required for PLANNER and ADMIN');
    return citizenId.toLowerCase();
  }
  throw new ForbiddenError('Rankings are for citizens, planners and administrators');
}

function categoryFilter(
  snapshot: CatalogueSnapshot,
  categoryCode: string | null | undefined,
): ((codes: string[]) => boolean) | null {
  if (!categoryCode) return null;
  const known = [...snapshot.services.values()].some((s) => s.categoryCodes.includes(categoryCode));
  return known ? (codes) => codes.includes(categoryCode) : () => false;
}

type CitizenRows = CitizenRankingRows;

/**
 * The citizen and everything of theirs a ranking reads, in one statement: a ranking's only
 * round trip to the database when the shared demand is cached. Undefined for an unknown id.
 */
async function readCitizenRows(
  ctx: Context,
  citizenId: string,
  now: Date,
): Promise<{ citizen: Citizen; rows: CitizenRows } | undefined> {
  if (!isUuid(citizenId)) return undefined;
  const rows = await citizenRankingRows(
    ctx.db,
    citizenId,
    new Date(now.getTime() - REQUEST_WINDOW_DAYS * 86_400_000),
    RECENT_REQUESTS,
  );
  if (!rows) return undefined;
  const { id, districtCode, birthYear, tags, personalization, createdAt, updatedAt } = rows;
  const citizen = Object.assign(new Citizen(), {
    id,
    districtCode,
    birthYear,
    tags,
    personalization,
    createdAt,
    updatedAt,
  });
  ctx.loaders.citizen.prime(id, citizen);
  return { citizen, rows };
}

/**
 * A segment's stored demand decayed to now, computed by the first ranking that reads this copy
 * of it and shared by the rankings of the seconds it is cached: their `now` differ by less
 * than the cache lasts, which moves the decay by less than a millionth.
 */
const decayedSegments = new WeakMap<Map<string, number>, Map<string, number>>();

function decayedOnce(stored: Map<string, number>, decay: number): Map<string, number> {
  let decayed = decayedSegments.get(stored);
  if (!decayed) {
    decayed = new Map<string, number>();
    for (const [serviceId, score] of stored) decayed.set(serviceId, score * decay);
    decayedSegments.set(stored, decayed);
  }
  return decayed;
}

/** The signals of the citizen (decayed to now) that scoring needs; personal ones only when allowed. */
async function citizenSignals(
  ctx: Context,
  citizen: Citizen,
  rows: CitizenRows,
  snapshot: CatalogueSnapshot,
  now: Date,
): Promise<{ signals: CitizenSignals }> {
  const decay = decayFactor(now);
  const ageBand = ageBandOf(citizen.birthYear, now);
  const personal = citizen.personalization;
  // Segment and cohort demand and the neighbours are shared by many citizens (cached for seconds).
  const [district, segmentDemandStored, ageBandDemandStored, cohortShareRows, neighbours] = await Promise.all([
    ctx.loaders.district.load(citizen.districtCode),
    segmentDemand(ctx, citizen.districtCode, ageBand),
    ageBand ? ageBandDemand(ctx, ageBand) : undefined,
    personal && ageBand && citizen.tags.length > 0 ? cohortShares(ctx, ageBand, citizen.tags) : [],
    personal ? serviceNeighbours(ctx) : new Map<string, CoUseNeighbour[]>(),
  ]);
  const interestIds = rows.interests ?? [];

  // Without personalisation the shared demand is read as it is, the citizen's own part in it
  // included: their ranking is then exactly a stranger's of the same profile.
  const own = new Map<string, number>();
  const historyCounts = new Map<string, number>();
  const historyLastAt = new Map<string, number>();
  if (personal)
    for (const [serviceId, score, count, lastAt] of rows.history) {
      own.set(serviceId, score * decay);
      historyCounts.set(serviceId, count);
      historyLastAt.set(serviceId, Date.parse(lastAt));
    }
  const segment = decayedOnce(segmentDemandStored.scores, decay);
  const text = new Map<string, RequestMatch>();
  const { requestMatches, matcher } = catalogueIndexOf(snapshot);
  for (const [requestText, occurredAt, answeredId, answeredScore] of rows.requests ?? []) {
    const recency = 2 ** (-(now.getTime() - Date.parse(occurredAt)) / 86_400_000 / HALF_LIFE_DAYS);
    requestMatches.forEach(requestText, (serviceIndex, matchScore) => {
      const score = matchScore * recency;
      const serviceId = matcher.serviceIdAt(serviceIndex);
      if (score > (text.get(serviceId)?.score ?? 0))
        text.set(serviceId, new RequestMatch(score, requestMatches, requestText, serviceIndex));
    });
    // The words alone miss what a situation told in the citizen's own words asks for (我老婆下个月
    // 生孩子 shares only 孩子 with adoption); the service the request was answered with, which
    // understood the need, counts at the score it was answered with.
    const answeredIndex = answeredId === null ? undefined : matcher.serviceIndexOf(answeredId);
    if (answeredIndex !== undefined && answeredScore !== null) {
      const score = answeredScore * recency;
      if (score > (text.get(answeredId!)?.score ?? 0))
        text.set(answeredId!, new RequestMatch(score, requestMatches, requestText, answeredIndex));
    }
  }
  const signals: CitizenSignals = {
    personalized: personal,
    districtName: district?.name ?? '',
    ageBand,
    interestCategoryIds: new Set(interestIds),
    segment,
    segmentUsers: segmentDemandStored.users,
    ageBandDemand: ageBandDemandStored && decayedOnce(ageBandDemandStored.scores, decay),
    ageBandUsers: ageBandDemandStored?.users,
    cohort: cohortShareRows,
    history: own,
    historyCounts,
    historyLastAt,
    neighbours,
    text,
    hidden: rows.downVoted.length > 0 ? new Set(rows.downVoted) : undefined,
    now,
  };
  return { signals };
}

/**
 * A request as a reason quotes it when none of its words is the service's: its first characters,
 * personal data hidden (a planner may read a citizen's ranking).
 */
function quoted(text: string): string {
  const chars = [...redactPersonalData(text).trim()];
  return chars.length > QUOTED_CHARACTERS ? `“${chars.slice(0, QUOTED_CHARACTERS).join('')}…”` : `“${chars.join('')}”`;
}
const QUOTED_CHARACTERS = 12;

/** A request's match to a service; the matched words (for the reason's sentence) found when read. */
class RequestMatch {
  private words: string[] | undefined;
  constructor(
    readonly score: number,
    private readonly matches: TextMatchMemo,
    private readonly text: string,
    private readonly serviceIndex: number,
  ) {}

  /** The request's words the service contains; else (an answer to a need it did not name) the request itself, cut short. */
  get terms(): string[] {
    if (this.words === undefined) {
      const words = this.matches.matchedTerms(this.text, this.serviceIndex);
      this.words = words.length > 0 ? words : [quoted(this.text)];
    }
    return this.words;
  }
}

/** What scoring needs for one citizen's ranking: their eligible candidates and signals, as of `now`. */
/**
 * The first `count` services of a ranking as recommendedServices shows them: diversified with
 * the cap on sub-categories the citizen's history does not ask for, voted-down services left out.
 * The evaluations rank through it too.
 */
export function topOfRanking(
  inputs: Pick<RankingInputs, 'snapshot' | 'signals'>,
  scored: readonly ScoredCandidate[] | ScoredSource,
  count: number,
  tuning: Tuning = TUNING,
): ScoredCandidate[] {
  const uncapped = categoriesAskedFor(
    inputs.signals,
    (id) => inputs.snapshot.services.get(id)?.categoryId,
    exemptionRuleOf(tuning),
  );
  return rankedTop(scored, count, uncapped, inputs.signals.hidden);
}

export interface RankingInputs {
  citizen: Citizen;
  snapshot: CatalogueSnapshot;
  candidates: Candidate[];
  signals: CitizenSignals;
  titleOf: (serviceId: string) => string | undefined;
}

/**
 * The citizen, the eligible published services (only those of `categoryCode` when given) with
 * their standing, and the citizen's signals (with the services they voted down, which scoring
 * leaves out of the ranking).
 */
export async function rankingInputs(
  ctx: Context,
  citizenId: string,
  categoryCode: string | null | undefined,
  now: Date,
): Promise<RankingInputs> {
  const [snapshot, standing, read, repeats, categories] = await Promise.all([
    catalogueSnapshot(ctx.dataSource, ctx.db),
    serviceStanding(ctx),
    readCitizenRows(ctx, citizenId, now),
    cityRepeatRowsWithin(ctx),
    cityCategoryRowsWithin(ctx),
  ]);
  if (!read) {
    const own = ctx.user?.role === Role.CITIZEN && ctx.user.id === citizenId;
    throw new NotFoundError('Citizen', citizenId, 'citizenId', own ? CREATE_PROFILE_FIRST : undefined);
  }
  const { citizen, rows } = read;
  const inCategory = categoryFilter(snapshot, categoryCode);
  const { signals } = await citizenSignals(ctx, citizen, rows, snapshot, now);
  // The age and district rules once per catalogue and eligibility key; required tags per citizen.
  const index = catalogueIndexOf(snapshot);
  const key = eligibilityKey(citizen, index.eligibility, now);
  const services = index.eligibleServices.get(key, () => eligibleServicesOf(index, citizen, now)) as EligibleServices;
  const shared = sharedCandidates(snapshot, standing, now);
  signals.city = shared.city;
  signals.repeatRate = repeatRateFor(shared, repeats);
  signals.categoryLean = categoryLeanFor(shared, categories);
  const lists = eligibleCandidates(shared, key, services);
  // Most lists are used as they are (no required tag met): shared, not copied.
  let candidates = lists.untagged;
  const tagged = taggedCandidatesOf(citizen, index, services, lists.tagged);
  if (tagged.length > 0) candidates = candidates.concat(tagged);
  if (inCategory) candidates = candidates.filter((c) => inCategory(snapshot.services.get(c.id)!.categoryCodes));
  return { citizen, snapshot, candidates, signals, titleOf: (id) => snapshot.services.get(id)?.title };
}

/** The standing of a service no signal has reached yet. */
const NO_STANDING: ServiceStanding = {
  upvotes: 0,
  downvotes: 0,
  ratingCount: 0,
  ratingSum: 0,
  popularity: 0,
  recentDemand: 0,
  recentSignals: 0,
};

/**
 * Every published service as a candidate as all citizens see it (catalogue fields, votes,
 * ratings, decayed citywide demand), built once per catalogue snapshot and standing refresh
 * and shared, never changed, by the rankings of those seconds; with them, the lists of
 * candidates passing the age and district rules, per eligibility key, split by whether a
 * required tag is left to check.
 */
interface SharedCandidates {
  snapshot: CatalogueSnapshot;
  candidates: Map<string, Candidate>;
  /** The same candidates by catalogue slot. */
  bySlot: Candidate[];
  /** The city's up share and mean rating, which each service's votes and ratings are shrunk towards. */
  city: CityStanding;
  eligible: BoundedMemo;
}
interface EligibleCandidates {
  untagged: Candidate[];
  /** In the order of EligibleServices.tagged. */
  tagged: Candidate[];
}

/**
 * The services of an eligibility key (those passing its age and district rules), by catalogue
 * slot in catalogue order, those open to all ages and districts first, split by whether a
 * required tag is left to check; made once per catalogue snapshot and key.
 */
interface EligibleServices {
  untagged: Int32Array;
  tagged: Int32Array;
  /** Per tagged service, the bits of its required tags (with the index's requiredTags), when there are bits. */
  needs: Int32Array | undefined;
  taggedServices: SnapshotService[];
}

function eligibleServicesOf(index: CatalogueIndex, citizen: Citizen, now: Date): EligibleServices {
  const untagged: number[] = [];
  const taggedServices: SnapshotService[] = [];
  const add = (service: SnapshotService) => {
    if (service.requiredTags.length > 0) taggedServices.push(service);
    else untagged.push(index.slots.slotOf.get(service.id)!);
  };
  for (const service of index.unrestricted) add(service);
  for (const service of index.restricted) if (meetsAgeAndDistrict(citizen, service, now)) add(service);
  const bits = index.requiredTags;
  return {
    untagged: Int32Array.from(untagged),
    tagged: Int32Array.from(taggedServices, (service) => index.slots.slotOf.get(service.id)!),
    needs: bits && Int32Array.from(taggedServices, (service) => tagBitsOf(bits, service.requiredTags)),
    taggedServices,
  };
}

/** The tagged candidates of a key whose required tags the citizen has, in the key's order. */
function taggedCandidatesOf(
  citizen: Citizen,
  index: CatalogueIndex,
  services: EligibleServices,
  tagged: readonly Candidate[],
): Candidate[] {
  const passed: Candidate[] = [];
  const { needs } = services;
  if (needs && index.requiredTags) {
    const has = tagBitsOf(index.requiredTags, citizen.tags);
    for (let i = 0; i < needs.length; i += 1) if ((needs[i] & ~has) === 0) passed.push(tagged[i]);
  } else {
    services.taggedServices.forEach((service, i) => {
      if (hasRequiredTags(citizen, service)) passed.push(tagged[i]);
    });
  }
  return passed;
}

const candidatesByStanding = new WeakMap<Map<string, ServiceStanding>, SharedCandidates>();

function sharedCandidates(
  snapshot: CatalogueSnapshot,
  standing: Map<string, ServiceStanding>,
  now: Date,
): SharedCandidates {
  const built = candidatesByStanding.get(standing);
  if (built?.snapshot === snapshot) return built;
  const decay = decayFactor(now);
  const firstLoad = snapshot.firstLoadedAt?.getTime() ?? Infinity;
  const city = cityStandingOf(standing.values());
  const { slots } = catalogueIndexOf(snapshot);
  const candidates = new Map<string, Candidate>();
  const bySlot = new Array<Candidate>(slots.size);
  for (const service of snapshot.services.values()) {
    const s = standing.get(service.id) ?? NO_STANDING;
    const candidate: Candidate = {
      id: service.id,
      title: service.title,
      categoryId: service.categoryId,
      parentCategoryId: service.parentCategoryId,
      categoryName: service.categoryName,
      launchedAt: service.publishedAt && service.publishedAt.getTime() > firstLoad ? service.publishedAt : null,
      upvotes: s.upvotes,
      downvotes: s.downvotes,
      ratingCount: s.ratingCount,
      ratingSum: s.ratingSum,
      standingEvidence: standingEvidence(s, city),
      popularity: s.popularity * decay,
      recentDemand: s.recentDemand,
      slot: slots.slotOf.get(service.id)!,
    };
    candidates.set(service.id, candidate);
    bySlot[candidate.slot] = candidate;
  }
  const shared = {
    snapshot,
    candidates,
    bySlot,
    city,
    eligible: new BoundedMemo(ELIGIBLE_LIST_ENTRIES),
  };
  candidatesByStanding.set(standing, shared);
  return shared;
}

/**
 * `measure` of a copy of the city's rows and the shared candidates' popularity, worked out once
 * per pair of copies (the last pair seen for those rows).
 */
function oncePerCopies<Row extends object, Value>(
  measure: (rows: Row[], candidates: Iterable<Candidate>) => Value,
): (shared: SharedCandidates, rows: Row[]) => Value {
  const known = new WeakMap<Row[], { shared: SharedCandidates; value: Value }>();
  return (shared, rows) => {
    const kept = known.get(rows);
    if (kept?.shared === shared) return kept.value;
    const value = measure(rows, shared.candidates.values());
    known.set(rows, { shared, value });
    return value;
  };
}

/** The city's repeat rate. */
const repeatRateFor = oncePerCopies<RepeatRow, RepeatRate>(repeatRateOf);
/** The city's category lean. */
const categoryLeanFor = oncePerCopies<CategoryRow, CategoryLean>(categoryLeanOf);

/** The shared candidates of an eligibility key's services. */
function eligibleCandidates(shared: SharedCandidates, key: string, services: EligibleServices): EligibleCandidates {
  return shared.eligible.get(key, () => ({
    untagged: Array.from(services.untagged, (slot) => shared.bySlot[slot]),
    tagged: Array.from(services.tagged, (slot) => shared.bySlot[slot]),
  }));
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
  const citizenId = targetCitizenId(ctx, args.citizenId);
  const listing = `recommended:${citizenId}:${args.categoryCode ?? ''}`;
  const offset = ctx.cursors.decode(listing, args.after);
  // The active fitted model: cached, checked at most every ACTIVE_CHECK_MS (no query per ranking).
  const [{ citizen, snapshot, candidates, signals, titleOf }, model] = await Promise.all([
    rankingInputs(ctx, citizenId, args.categoryCode, new Date()),
    activeRankingModel(ctx),
  ]);
  await recordAccess(ctx, {
    citizenId,
    what: PersonalDataRead.RANKING,
    details: {
      categoryCode: args.categoryCode ?? null,
      first: args.first,
      offset,
      personalized: citizen.personalization,
    },
  });
  // Diversification is greedy, so the first n positions do not depend on later ones: only
  // as many are re-ranked as this page reaches.
  const reach = offset + args.first;
  const scored = scoredSource(candidates, signals, titleOf, catalogueIndexOf(snapshot).slots, model.tuning);
  const hidden = signals.hidden ?? new Set<string>();
  const page = topOfRanking({ snapshot, signals }, scored, reach, model.tuning).slice(offset);
  let shown = candidates.length;
  if (hidden.size > 0) for (const c of candidates) if (hidden.has(c.id)) shown -= 1;
  // The page's services as of the snapshot the ranking was made from (its rows are at most a
  // version check old, like the ranking itself); also for the request's other fields.
  const nodes = page.map((scored, index) => {
    const service = serviceFromRow(snapshot.services.get(scored.candidate.id)!.row);
    ctx.loaders.service.prime(service.id, service);
    return { service, score: scored.score, rank: offset + index + 1, reasons: topReasons(scored) };
  });
  return {
    ...buildPage(ctx.cursors, listing, nodes, offset, reach < shown),
    personalized: citizen.personalization,
    rankingModelId: model.id,
  };
}
