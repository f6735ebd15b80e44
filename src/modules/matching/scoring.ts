import { AgeBand } from '../citizens/age-band';
import { wilsonLowerBound } from '../catalogue/service-stats';
import { MatchReasonKind, PERSONAL_KINDS } from './match-reason';

/** A published service the citizen is eligible for, with what scoring needs of it. */
export interface Candidate {
  id: string;
  title: string;
  categoryId: string;
  parentCategoryId: string | null;
  categoryName: string;
  /**
   * When it was published, if after the catalogue's first load; null for the services that
   * came with it (the seeded catalogue is not new to anyone).
   */
  launchedAt: Date | null;
  upvotes: number;
  downvotes: number;
  ratingCount: number;
  ratingSum: number;
  /**
   * standingEvidence of its votes and ratings, when computed ahead (once per refresh of the
   * standing, shared by the rankings of those seconds); computed from the counts when absent.
   */
  standingEvidence?: number;
  /** Decayed citywide demand. */
  popularity: number;
  /** Its place in the catalogue (see CatalogueSlots). */
  slot: number;
}

/**
 * Each published service's place in the catalogue, 0 to size − 1: shared demand (a segment's,
 * a circumstance's) is read into arrays by it once per copy, so that scoring a candidate reads
 * an array rather than a map.
 */
export interface CatalogueSlots {
  slotOf: ReadonlyMap<string, number>;
  size: number;
  /** The slots of each category's services. */
  byCategory: ReadonlyMap<string, readonly number[]>;
}

/** One circumstance's (tag's) share of the demand of its citizens, per service. */
export interface CohortShare {
  tag: string;
  shares: ReadonlyMap<string, number>;
}

/** Everything known about the citizen, already decayed to now; empty when not personalised. */
export interface CitizenSignals {
  personalized: boolean;
  districtName: string;
  ageBand: AgeBand | null;
  interestCategoryIds: ReadonlySet<string>;
  /** Decayed demand of the citizen's segment (district × age band) per service. */
  segment: ReadonlyMap<string, number>;
  /** The shares of demand among citizens of the age band sharing each of the citizen's tags, in tag order; per service the best counts. */
  cohort: readonly CohortShare[];
  /** Decayed affinity of the citizen to services they used, viewed, rated. */
  history: ReadonlyMap<string, number>;
  /** How many signals the citizen sent about each service of the history, not decayed. */
  historyCounts: ReadonlyMap<string, number>;
  /** Co-use neighbours of the services in the history. */
  neighbours: ReadonlyMap<string, readonly { id: string; similarity: number }[]>;
  /** Best text match of the citizen's recent requests per service, decayed, with matched words. */
  text: ReadonlyMap<string, { score: number; terms: readonly string[] }>;
  /** The city's means that votes and ratings are shrunk towards (from the candidates when not given). */
  city?: CityStanding;
  /**
   * Services the citizen voted down: scored and diversified with the rest, so that nothing
   * else moves, then left out of the ranking (see rankedTop).
   */
  hidden?: ReadonlySet<string>;
  now: Date;
}

/** A service's votes and ratings, as counted. */
export type VotesAndRatings = Pick<Candidate, 'upvotes' | 'downvotes' | 'ratingCount' | 'ratingSum'>;

/** The city's share of up votes and mean rating, over all published services. */
export interface CityStanding {
  upShare: number;
  meanRating: number;
}

export interface Component {
  kind: MatchReasonKind;
  /** Weighted contribution to the score. */
  contribution: number;
  message: string;
}

export interface ScoredCandidate {
  candidate: Candidate;
  score: number;
  components: Component[];
}

/**
 * The blend's weights and constants, chosen on the offline evaluation (see "How the weights
 * were chosen" in docs/matching.md). Never changed by the product; the tuning script
 * (test/eval/tune-matching.ts) varies them to search for better ones.
 */
export const TUNING = {
  /** Base weight per component; SEGMENT_DEMAND's moves to personal signals as history grows. */
  weights: {
    [MatchReasonKind.TEXT_MATCH]: 0.4,
    [MatchReasonKind.OWN_HISTORY]: 2.4,
    [MatchReasonKind.SIMILAR_CITIZENS]: 0.07,
    [MatchReasonKind.SEGMENT_DEMAND]: 0.56,
    // Off: the segment's demand is already smoothed towards the city's.
    [MatchReasonKind.POPULAR]: 0,
    [MatchReasonKind.WELL_RATED]: 0.02,
    // Times 1 − α: declared interests count while the history is short.
    [MatchReasonKind.INTEREST]: 0.2,
    [MatchReasonKind.NEW_SERVICE]: 0.02,
  } as Record<MatchReasonKind, number>,
  /** Weight of the citizen's taste over categories (an OWN_HISTORY reason of its own), times α. */
  categoryTaste: 0.075,
  /** Demand shares (relative to the average service's) that score 0.5; see shareToScore. */
  demandHalfPoint: 2,
  /** Share of the segment weight that stays even for the most active citizen. */
  segmentFloor: 0.1,
  /**
   * Share of a service's place in the history that comes from the plain count of the
   * citizen's signals about it rather than their decayed affinity: standing needs (a
   * pension, a disability card) recur for months, so old signals still say much about them.
   */
  historyCountShare: 1,
  /** History size (see historyOf) at which personal history weighs as much as the segment. */
  historyHalfPoint: 0.5,
  /** Pseudo-count smoothing a segment's shares towards citywide popularity. */
  segmentSmoothing: 10,
  /** Past use of the service itself counts this many times as much as use of a perfectly similar neighbour. */
  selfSimilarity: 5,
  /**
   * History size at which what the history says about other services (co-use neighbours,
   * services of the same category) counts half; past use of a service itself counts in full
   * from the first signal. A signal or two says much about the service used, little about
   * what else the citizen will want.
   */
  neighbourHalfPoint: 100,
  /** Services of a category the citizen used count as weakly similar to what they used. */
  sameCategorySimilarity: 0.01,
  /** A service holding this share of the citizen's history scores 0.5 on OWN_HISTORY. */
  historyShareHalfPoint: 0.45,
  /** Relevance against category variety in the re-ranking of the first positions. */
  mmrLambda: 0.975,
};
const NEW_SERVICE_DAYS = 30;

/**
 * Votes and ratings (see voteEvidence, ratingEvidence): each service's are shrunk towards the
 * city's mean by a prior worth this many votes or ratings, and count only by how far the
 * shrunk value stands out of its own uncertainty (this many standard deviations).
 */
export const STANDING = {
  priorVotes: 10,
  priorRatings: 10,
  credibleDeviations: 1,
  /** The spread of one citizen's stars around a service's mean, in stars. */
  ratingSpread: 1,
  /** Fewer ratings than this never earn the praise "评价较好". */
  praiseMinRatings: 5,
  /** "居民点赞较多" needs the Wilson lower bound of the up share above this: clearly more up than down. */
  praiseMinUpShare: 0.5,
  /** Without votes or ratings in the city. */
  defaultUpShare: 0.5,
  defaultMeanRating: 3.5,
};

/** The diversity cap: at most `perCategory` services of one leaf category in the first `positions`. */
export const CATEGORY_CAP = { perCategory: 3, positions: 10 };
/**
 * A citizen's history asks for more of a category than the cap allows when the category holds
 * at least this share of their recent (decayed) history, of at least `minSignals` signals.
 */
export const CAP_EXEMPTION = { historyShare: 0.5, minSignals: 3 };

const AGE_BAND_LABELS: Record<AgeBand, string> = {
  [AgeBand.CHILD]: '未成年',
  [AgeBand.YOUTH]: '18至34岁',
  [AgeBand.ADULT]: '35至59岁',
  [AgeBand.SENIOR]: '60岁以上',
};

export const TAG_LABELS: Record<string, string> = {
  disabled: '残疾人',
  'low-income': '低收入家庭',
  veteran: '退役军人',
  retiree: '退休人员',
  student: '学生',
  unemployed: '失业人员',
  'expectant-parent': '准父母',
  'parent-of-young-child': '婴幼儿家长',
  'migrant-worker': '外来务工人员',
  'rural-resident': '农村居民',
  'car-owner': '车主',
  homeowner: '房主',
};

/**
 * Maps a share of demand to 0–1: a service whose share is `demandHalfPoint` times the
 * average (1 / services) scores 0.5.
 */
function shareToScore(share: number, services: number): number {
  const relative = share * services;
  return relative / (relative + TUNING.demandHalfPoint);
}

/** The city's up share and mean rating over `services`' votes and ratings (defaults without any). */
export function cityStandingOf(services: Iterable<VotesAndRatings>): CityStanding {
  let up = 0;
  let down = 0;
  let count = 0;
  let sum = 0;
  for (const s of services) {
    up += s.upvotes;
    down += s.downvotes;
    count += s.ratingCount;
    sum += s.ratingSum;
  }
  // Kept off 0 and 1, where a Beta prior would have no room on one side.
  const upShare = up + down > 0 ? Math.min(0.95, Math.max(0.05, up / (up + down))) : STANDING.defaultUpShare;
  return { upShare, meanRating: count > 0 ? sum / count : STANDING.defaultMeanRating };
}

/** The signed part of `gap` beyond `deviations` standard deviations `sd`; 0 within them. */
function credibleExcess(gap: number, sd: number): number {
  const excess = Math.abs(gap) - STANDING.credibleDeviations * sd;
  return excess > 0 ? Math.sign(gap) * excess : 0;
}

/**
 * How far a service's up share stands above (positive) or below (negative) the city's, −1 to 1:
 * the mean of a Beta posterior whose prior is centred on the city's share with the strength of
 * `priorVotes` votes, less one posterior standard deviation; 0 while the votes are too few to
 * tell the service from the city (one vote never counts).
 */
export function voteEvidence(upvotes: number, downvotes: number, cityUpShare: number): number {
  if (upvotes + downvotes === 0) return 0;
  const a = STANDING.priorVotes * cityUpShare + upvotes;
  const b = STANDING.priorVotes * (1 - cityUpShare) + downvotes;
  const mean = a / (a + b);
  return credibleExcess(mean - cityUpShare, Math.sqrt((mean * (1 - mean)) / (a + b + 1)));
}

/**
 * How far a service's ratings stand above or below the city's mean, in quarters of the 1–5
 * scale (−1 to 1): the Bayesian average towards the city's mean with `priorRatings` ratings'
 * weight, less its standard deviation; 0 while the ratings are too few to tell.
 */
export function ratingEvidence(ratingCount: number, ratingSum: number, cityMeanRating: number): number {
  if (ratingCount === 0) return 0;
  const weight = ratingCount + STANDING.priorRatings;
  const mean = (ratingSum + STANDING.priorRatings * cityMeanRating) / weight;
  return credibleExcess(mean - cityMeanRating, STANDING.ratingSpread / Math.sqrt(weight)) / 4;
}

/**
 * What a service's votes and ratings say of it against the city's means, signed: the sum of
 * their evidence, a positive part counted only where it is praiseworthy (see praisedVotes).
 */
export function standingEvidence(c: VotesAndRatings, city: CityStanding): number {
  return praisedVotes(c, city) + praisedRatings(c, city);
}

/** The praise a service's votes earn: a positive share only with clearly more up than down. */
function praisedVotes(c: VotesAndRatings, city: CityStanding): number {
  const evidence = voteEvidence(c.upvotes, c.downvotes, city.upShare);
  return evidence > 0 && wilsonLowerBound(c.upvotes, c.downvotes) <= STANDING.praiseMinUpShare ? 0 : evidence;
}
/** The praise a service's ratings earn: a positive share only from enough ratings. */
function praisedRatings(c: VotesAndRatings, city: CityStanding): number {
  const evidence = ratingEvidence(c.ratingCount, c.ratingSum, city.meanRating);
  return evidence > 0 && c.ratingCount < STANDING.praiseMinRatings ? 0 : evidence;
}

/**
 * The categories the citizen's own history asks to see more of than the diversity cap allows:
 * those holding at least CAP_EXEMPTION.historyShare of their recent (decayed) history, when it
 * counts at least CAP_EXEMPTION.minSignals signals. Empty without personalisation.
 */
export function categoriesAskedFor(
  citizen: Pick<CitizenSignals, 'personalized' | 'history' | 'historyCounts'>,
  categoryOf: (serviceId: string) => string | undefined,
): Set<string> {
  const asked = new Set<string>();
  if (!citizen.personalized) return asked;
  let signals = 0;
  for (const count of citizen.historyCounts.values()) signals += count;
  if (signals < CAP_EXEMPTION.minSignals) return asked;
  let total = 0;
  const byCategory = new Map<string, number>();
  for (const [serviceId, affinity] of citizen.history) {
    total += affinity;
    const category = categoryOf(serviceId);
    if (category) byCategory.set(category, (byCategory.get(category) ?? 0) + affinity);
  }
  for (const [category, value] of byCategory) {
    if (total > 0 && value / total >= CAP_EXEMPTION.historyShare) asked.add(category);
  }
  return asked;
}

/** The citizen's affinity per service: decayed affinity blended with the plain count of signals. */
export function historyOf(citizen: Pick<CitizenSignals, 'history' | 'historyCounts'>): Map<string, number> {
  const share = TUNING.historyCountShare;
  const blended = new Map<string, number>();
  for (const [serviceId, affinity] of citizen.history) {
    blended.set(serviceId, (1 - share) * affinity + share * (citizen.historyCounts.get(serviceId) ?? 0));
  }
  return blended;
}

/** How far personal signals have taken over from segment demand, 0 to 1. */
export function personalShare(history: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const value of history.values()) total += value;
  return total / (total + TUNING.historyHalfPoint);
}

/**
 * The candidates among the history's services, and the positions (in list order) of the
 * candidates of their categories: all that scoring looks up by id or category.
 */
function historyIndexes(
  candidates: readonly Candidate[],
  history: ReadonlyMap<string, number>,
  slots: CatalogueSlots,
  positionOf: Int32Array,
  positionOfId: (id: string) => number,
): { byId: Map<string, Candidate>; byCategory: Map<string, number[]> } {
  const byId = new Map<string, Candidate>();
  const byCategory = new Map<string, number[]>();
  for (const id of history.keys()) {
    const position = positionOfId(id);
    if (position >= 0) byId.set(id, candidates[position]);
  }
  for (const { categoryId } of byId.values()) {
    if (byCategory.has(categoryId)) continue;
    const positions: number[] = [];
    for (const slot of slots.byCategory.get(categoryId) ?? []) if (positionOf[slot] >= 0) positions.push(positionOf[slot]);
    byCategory.set(categoryId, positions.sort((a, b) => a - b));
  }
  return { byId, byCategory };
}

/** The catalogue's slots from its services' (a catalogue's, or candidates' when none is given). */
export function slotsOf(services: Iterable<{ id: string; categoryId: string; slot: number }>): CatalogueSlots {
  const slotOf = new Map<string, number>();
  const byCategory = new Map<string, number[]>();
  let size = 0;
  for (const { id, categoryId, slot } of services) {
    slotOf.set(id, slot);
    size = Math.max(size, slot + 1);
    const members = byCategory.get(categoryId);
    if (members) members.push(slot);
    else byCategory.set(categoryId, [slot]);
  }
  return { slotOf, size, byCategory };
}

const denseCopies = new WeakMap<ReadonlyMap<string, number>, { slots: CatalogueSlots; values: Float64Array }>();

/** A shared map's values in an array by slot (0 where absent), made once per map and catalogue. */
function denseBySlot(values: ReadonlyMap<string, number>, slots: CatalogueSlots): Float64Array {
  const cached = denseCopies.get(values);
  if (cached?.slots === slots) return cached.values;
  const dense = new Float64Array(slots.size);
  for (const [id, value] of values) {
    const slot = slots.slotOf.get(id);
    if (slot !== undefined) dense[slot] = value;
  }
  denseCopies.set(values, { slots, values: dense });
  return dense;
}

/**
 * Scores every candidate; pure: the same inputs give the same scores. `titleOf` names the
 * services of the history (which need not be candidates any more) in reasons; `slots` are the
 * catalogue's (the candidates' own when not given).
 */
export function scoreCandidates(
  candidates: readonly Candidate[],
  citizen: CitizenSignals,
  titleOf: (serviceId: string) => string | undefined = () => undefined,
  slots: CatalogueSlots = slotsOf(candidates),
): ScoredCandidate[] {
  const { weights } = TUNING;
  const personal = citizen.personalized;
  const n = Math.max(1, candidates.length);
  const cityTotal = candidates.reduce((sum, c) => sum + c.popularity, 0);
  // Where each slot's candidate is in this list (−1: not a candidate), for the citizen's own
  // maps, which are read entry by entry rather than looked up per candidate.
  const positionOf = new Int32Array(slots.size).fill(-1);
  candidates.forEach((c, position) => (positionOf[c.slot] = position));
  const positionOfId = (id: string): number => {
    const slot = slots.slotOf.get(id);
    return slot === undefined ? -1 : positionOf[slot];
  };
  // The segment's demand of each candidate, by position.
  const segmentBySlot = denseBySlot(citizen.segment, slots);
  const segmentValues = new Float64Array(candidates.length);
  let segmentTotal = 0;
  for (let i = 0; i < candidates.length; i += 1) {
    const value = segmentBySlot[candidates[i].slot];
    segmentValues[i] = value;
    segmentTotal += value;
  }
  const history = personal ? historyOf(citizen) : new Map<string, number>();
  const { byId: candidatesById, byCategory } = historyIndexes(candidates, history, slots, positionOf, positionOfId);
  const candidateOf = (id: string) => candidatesById.get(id);
  const nameOf = (id: string) => candidateOf(id)?.title ?? titleOf(id);
  const alpha = personal ? personalShare(history) : 0;
  const city = citizen.city ?? cityStandingOf(candidates);
  const segmentLabel = `${citizen.districtName}${citizen.ageBand ? AGE_BAND_LABELS[citizen.ageBand] : ''}居民近期常用`;

  // Item-to-item: each service reached from the history, with the history item that led there most.
  const reached = new Map<string, { value: number; via: string; viaValue: number }>();
  let historyTotal = 0;
  for (const value of history.values()) historyTotal += value;
  if (personal) {
    const add = (target: string, value: number, via: string) => {
      const entry = reached.get(target) ?? { value: 0, via, viaValue: 0 };
      entry.value += value;
      if (value > entry.viaValue) Object.assign(entry, { via, viaValue: value });
      reached.set(target, entry);
    };
    const confidence = historyTotal / (historyTotal + TUNING.neighbourHalfPoint);
    for (const [serviceId, affinity] of history) {
      add(serviceId, affinity * TUNING.selfSimilarity, serviceId);
      const reach = affinity * confidence;
      for (const neighbour of citizen.neighbours.get(serviceId) ?? []) add(neighbour.id, reach * neighbour.similarity, serviceId);
      const category = candidateOf(serviceId)?.categoryId;
      for (const position of category ? (byCategory.get(category) ?? []) : []) {
        const sibling = candidates[position].id;
        if (sibling !== serviceId) add(sibling, reach * TUNING.sameCategorySimilarity, serviceId);
      }
    }
  }

  const segmentWeight = weights.SEGMENT_DEMAND * (TUNING.segmentFloor + (1 - TUNING.segmentFloor) * (1 - alpha));
  const segmentOn = segmentTotal > 0 ? 1 : 0;
  const interestWeight = weights.INTEREST * (1 - alpha);
  const now = citizen.now.getTime();
  const cityShareOf = (c: Candidate) => (cityTotal > 0 ? c.popularity / cityTotal : 1 / n);
  // The segment's demand smoothed towards the city's: what someone of the segment wants.
  const demandShareOf = (c: Candidate, position: number) =>
    segmentOn ? (segmentValues[position] + TUNING.segmentSmoothing * cityShareOf(c)) / (segmentTotal + TUNING.segmentSmoothing) : cityShareOf(c);

  // Category taste: how the citizen's history spreads over categories, each category's share
  // passed on to its services in proportion to their demand in the segment.
  const historyByCategory = new Map<string, number>();
  const demandByCategory = new Map<string, number>();
  if (personal && TUNING.categoryTaste > 0 && historyTotal > 0) {
    for (const [serviceId, affinity] of history) {
      const category = candidateOf(serviceId)?.categoryId;
      if (category) historyByCategory.set(category, (historyByCategory.get(category) ?? 0) + affinity);
    }
    for (const [category, positions] of byCategory) {
      let demand = 0;
      for (const position of positions) demand += demandShareOf(candidates[position], position);
      demandByCategory.set(category, demand);
    }
  }

  // Contributions per component kind first (most candidates never show a reason); the
  // reasons' sentences are written only for the candidates whose components are read.
  // Every candidate's contributions in one array (KIND_COUNT per candidate): one allocation.
  const parts = new Float64Array(candidates.length * KIND_COUNT);
  // The citizen's own maps, entry by entry: text matches, what the history reaches, and the
  // category taste of the history's categories.
  if (personal) {
    for (const [serviceId, match] of citizen.text) {
      const position = positionOfId(serviceId);
      if (position >= 0) parts[position * KIND_COUNT + TEXT] = weights.TEXT_MATCH * match.score;
    }
    if (historyTotal > 0) {
      for (const [serviceId, own] of reached) {
        const position = positionOfId(serviceId);
        if (position < 0) continue;
        const share = own.value / historyTotal;
        parts[position * KIND_COUNT + OWN] = weights.OWN_HISTORY * alpha * (share / (share + TUNING.historyShareHalfPoint));
      }
    }
    for (const [category, categoryHistory] of historyByCategory) {
      for (const position of byCategory.get(category)!) {
        const share = (categoryHistory / historyTotal) * (demandShareOf(candidates[position], position) / demandByCategory.get(category)!);
        parts[position * KIND_COUNT + TASTE] = TUNING.categoryTaste * alpha * shareToScore(share, n);
      }
    }
  }
  const cohortBySlot = personal ? citizen.cohort.map((c) => denseBySlot(c.shares, slots)) : [];
  const withInterests = citizen.interestCategoryIds.size > 0;
  const contribute = (candidate: Candidate, position: number): void => {
    const offset = position * KIND_COUNT;
    if (cohortBySlot.length > 0) {
      let best = -1;
      for (const shares of cohortBySlot) best = Math.max(best, shares[candidate.slot]);
      parts[offset + SIMILAR] = weights.SIMILAR_CITIZENS * shareToScore(best, n);
    }
    if (cityTotal > 0) parts[offset + POPULAR] = weights.POPULAR * shareToScore(cityShareOf(candidate), n);
    if (segmentOn) {
      // The smoothed share's value, split between what the segment's own use and the city's
      // (the smoothing) put into it: each is a reason of its own, so that the segment is
      // named only for a service its citizens really used.
      const own = segmentValues[position];
      const prior = TUNING.segmentSmoothing * cityShareOf(candidate);
      const value = segmentWeight * shareToScore((own + prior) / (segmentTotal + TUNING.segmentSmoothing), n);
      if (own + prior > 0) {
        parts[offset + SEGMENT] = (value * own) / (own + prior);
        parts[offset + POPULAR] += (value * prior) / (own + prior);
      }
    }
    if (candidate.upvotes + candidate.downvotes > 0 || candidate.ratingCount > 0) {
      parts[offset + RATED] = weights.WELL_RATED * (candidate.standingEvidence ?? standingEvidence(candidate, city));
    }
    if (
      withInterests &&
      (citizen.interestCategoryIds.has(candidate.categoryId) || (candidate.parentCategoryId !== null && citizen.interestCategoryIds.has(candidate.parentCategoryId)))
    ) {
      parts[offset + INTEREST] = interestWeight;
    }
    if (candidate.launchedAt) {
      const days = (now - candidate.launchedAt.getTime()) / 86_400_000;
      if (days >= 0 && days < NEW_SERVICE_DAYS) parts[offset + NEW] = weights.NEW_SERVICE * (1 - days / NEW_SERVICE_DAYS);
    }
    if (!personal) for (const i of PERSONAL_INDEXES) parts[offset + i] = 0;
  };

  const messageOf = (kind: number, candidate: Candidate): string => {
    switch (kind) {
      case TEXT:
        return `匹配您的需求：${citizen.text.get(candidate.id)!.terms.slice(0, 3).join('、')}`;
      case OWN: {
        const own = reached.get(candidate.id)!;
        if (own.via === candidate.id) return '您办理或浏览过此服务';
        const via = nameOf(own.via);
        return via ? `与您办理过的“${via}”相关` : '与您办理过的服务相关';
      }
      case TASTE:
        return `您常办理“${candidate.categoryName}”类服务`;
      case SIMILAR: {
        // The first circumstance with the best share, as scored.
        let best = citizen.cohort[0];
        for (const c of citizen.cohort) if ((c.shares.get(candidate.id) ?? 0) > (best.shares.get(candidate.id) ?? 0)) best = c;
        return `与您情况相似的居民（${TAG_LABELS[best.tag] ?? best.tag}）常用`;
      }
      case SEGMENT:
        return segmentLabel;
      case POPULAR:
        return '全市居民常用';
      case RATED:
        // Shown only when positive: the larger of the two praises, each earned (see praisedVotes).
        return praisedRatings(candidate, city) > praisedVotes(candidate, city)
          ? `评价较好（${(candidate.ratingSum / candidate.ratingCount).toFixed(1)}分）`
          : '居民点赞较多';
      case INTEREST:
        return `属于您关注的“${candidate.categoryName}”`;
      default:
        return '新上线服务';
    }
  };

  return candidates.map((candidate, i) => {
    contribute(candidate, i);
    return new Scored(candidate, parts, i * KIND_COUNT, messageOf);
  });
}

/** Component kinds by index, in the order contributions are kept. */
const KINDS = [
  MatchReasonKind.TEXT_MATCH,
  MatchReasonKind.OWN_HISTORY,
  // Category taste: also the citizen's own history, with a sentence of its own.
  MatchReasonKind.OWN_HISTORY,
  MatchReasonKind.SIMILAR_CITIZENS,
  MatchReasonKind.SEGMENT_DEMAND,
  MatchReasonKind.POPULAR,
  MatchReasonKind.WELL_RATED,
  MatchReasonKind.INTEREST,
  MatchReasonKind.NEW_SERVICE,
] as const;
const [TEXT, OWN, TASTE, SIMILAR, SEGMENT, POPULAR, RATED, INTEREST, NEW] = KINDS.map((_, i) => i);
const KIND_COUNT = KINDS.length;
const PERSONAL_INDEXES = KINDS.flatMap((kind, i) => (PERSONAL_KINDS.has(kind) ? [i] : []));

/** A scored candidate whose components (with their sentences) are built when first read. */
class Scored implements ScoredCandidate {
  readonly score: number;
  private built: Component[] | undefined;

  /** Its contributions are `parts[offset]` to `parts[offset + KIND_COUNT - 1]`. */
  constructor(
    readonly candidate: Candidate,
    private readonly parts: Float64Array,
    private readonly offset: number,
    private readonly messageOf: (kind: number, candidate: Candidate) => string,
  ) {
    let score = 0;
    for (let i = 0; i < KIND_COUNT; i += 1) score += parts[offset + i];
    this.score = score;
  }

  /** The positive contributions, with their sentences: what raised the score. */
  get components(): Component[] {
    if (!this.built) {
      const components: Component[] = [];
      for (let i = 0; i < KIND_COUNT; i += 1) {
        const contribution = this.parts[this.offset + i];
        if (contribution > 0) components.push({ kind: KINDS[i], contribution, message: this.messageOf(i, this.candidate) });
      }
      this.built = components.sort((a, b) => b.contribution - a.contribution);
    }
    return this.built;
  }
}

export interface Reason {
  kind: MatchReasonKind;
  /** The component's share of the score, 0 to 1. */
  weight: number;
  message: string;
}

/**
 * The components that make up at least 5% of what raised the score (its positive
 * contributions: the score itself unless poor votes or ratings took something off), largest
 * first, at most three.
 */
export function topReasons(scored: ScoredCandidate, limit = 3): Reason[] {
  if (scored.score <= 0) return [];
  const raised = scored.components.reduce((sum, c) => sum + c.contribution, 0);
  return scored.components
    .map((c) => ({ kind: c.kind, weight: c.contribution / raised, message: c.message }))
    .filter((r) => r.weight >= 0.05)
    .slice(0, limit);
}

/** Positions re-ranked for diversity; beyond them the order is by score. */
export const DIVERSIFIED_POSITIONS = 100;

function categorySimilarity(a: Candidate, b: Candidate): number {
  if (a.categoryId === b.categoryId) return 1;
  if (a.parentCategoryId && a.parentCategoryId === b.parentCategoryId) return 0.3;
  return 0;
}

/** By score, ties by id: the order diversification starts from. */
const byRank = (a: ScoredCandidate, b: ScoredCandidate): number => b.score - a.score || a.candidate.id.localeCompare(b.candidate.id);

const NO_CATEGORIES: ReadonlySet<string> = new Set();

/**
 * Ranks by score with maximal marginal relevance over categories for the first positions:
 * each next pick maximises λ·relevance − (1−λ)·(category similarity to the last ten picks;
 * a window, so that a category returns once others have had their turn), and the first
 * CATEGORY_CAP.positions hold at most CATEGORY_CAP.perCategory services of one leaf category
 * except those of `uncapped` (categoriesAskedFor). Deterministic (ties by id), so pages of the
 * ranking are stable.
 */
export function diversify(
  scored: readonly ScoredCandidate[],
  positions = DIVERSIFIED_POSITIONS,
  uncapped: ReadonlySet<string> = NO_CATEGORIES,
): ScoredCandidate[] {
  const remaining = [...scored].sort(byRank);
  const top = remaining[0]?.score ?? 0;
  if (top <= 0) return remaining;
  const picked = pickDiverse(remaining, positions, top, uncapped);
  return [...picked, ...remaining];
}

/**
 * The first `count` positions of `diversify(scored, count, uncapped)`, without sorting the
 * candidates that cannot reach them. A pick only looks at candidates whose relevance is within
 * (1−λ) of the best pickable one's. Services of one category are picked in score order (their
 * similarity to any pick is the same), so the cap only ever passes over a category's services
 * after its best `perCategory`: the best pickable score never falls below the count-th best
 * score once those are left out, and whatever scores lower than that, less (1−λ)/λ·top, is
 * never looked at.
 */
export function diversifiedTop(
  scored: readonly ScoredCandidate[],
  count: number,
  uncapped: ReadonlySet<string> = NO_CATEGORIES,
): ScoredCandidate[] {
  if (count <= 0 || scored.length === 0) return [];
  // The best `count` scores, smallest first, in one pass.
  const best: number[] = [];
  for (const { score } of scored) {
    if (best.length === count && score <= best[0]) continue;
    if (best.length === count) best.shift();
    let at = 0;
    while (at < best.length && best[at] < score) at += 1;
    best.splice(at, 0, score);
  }
  const top = best[best.length - 1];
  if (top <= 0) return [...scored].sort(byRank).slice(0, count);
  const lambda = TUNING.mmrLambda;
  // A little lower than the bound, against rounding: more contenders change nothing.
  const margin = ((1 - lambda) / lambda) * top * 1.001;
  const threshold = best[0] - margin;
  const contenders = scored.filter((s) => s.score >= threshold).sort(byRank);
  // The count-th best score once the cap's leftovers are out; the contenders are the head of
  // the rank order, so where it lies within them it is the whole list's.
  const perCategory = new Map<string, number>();
  let pickable = 0;
  let floor = -Infinity;
  for (const s of contenders) {
    const category = s.candidate.categoryId;
    const seen = (perCategory.get(category) ?? 0) + 1;
    perCategory.set(category, seen);
    if (seen <= CATEGORY_CAP.perCategory || uncapped.has(category)) pickable += 1;
    if (pickable === count) {
      floor = s.score;
      break;
    }
  }
  if (floor === -Infinity) return diversify(scored, count, uncapped).slice(0, count);
  const reach =
    floor - margin < threshold ? scored.filter((s) => s.score >= floor - margin).sort(byRank) : contenders;
  return pickDiverse(reach, count, top, uncapped);
}

/**
 * The first `count` positions of the ranking: diversified (the first DIVERSIFIED_POSITIONS) as
 * if nothing were hidden, then without the `hidden` services, so that hiding one moves no other.
 */
export function rankedTop(
  scored: readonly ScoredCandidate[],
  count: number,
  uncapped: ReadonlySet<string> = NO_CATEGORIES,
  hidden: ReadonlySet<string> = NO_CATEGORIES,
): ScoredCandidate[] {
  const reach = count + hidden.size;
  const ranked =
    reach <= DIVERSIFIED_POSITIONS
      ? diversifiedTop(scored, reach, uncapped)
      : diversify(scored, DIVERSIFIED_POSITIONS, uncapped);
  const shown = hidden.size > 0 ? ranked.filter((s) => !hidden.has(s.candidate.id)) : ranked;
  return shown.slice(0, count);
}

/**
 * Takes up to `positions` picks out of `remaining` (in rank order), in the order picked. While
 * the cap holds, a category with its share of picks is passed over, unless nothing else is left.
 */
function pickDiverse(
  remaining: ScoredCandidate[],
  positions: number,
  top: number,
  uncapped: ReadonlySet<string>,
): ScoredCandidate[] {
  const lambda = TUNING.mmrLambda;
  const picked: ScoredCandidate[] = [];
  const pickedOf = new Map<string, number>();
  while (picked.length < positions && remaining.length > 0) {
    let best = 0;
    let bestValue = -Infinity;
    const recent = picked.slice(-10);
    const capped = picked.length < CATEGORY_CAP.positions;
    for (let i = 0; i < remaining.length; i += 1) {
      const c = remaining[i];
      // Scores are sorted: nothing further down can beat the best by relevance alone.
      if (lambda * (c.score / top) < bestValue) break;
      const category = c.candidate.categoryId;
      if (capped && (pickedOf.get(category) ?? 0) >= CATEGORY_CAP.perCategory && !uncapped.has(category)) continue;
      let redundancy = 0;
      for (const p of recent) redundancy = Math.max(redundancy, categorySimilarity(c.candidate, p.candidate));
      const value = lambda * (c.score / top) - (1 - lambda) * redundancy;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    const [chosen] = remaining.splice(best, 1);
    picked.push(chosen);
    pickedOf.set(chosen.candidate.categoryId, (pickedOf.get(chosen.candidate.categoryId) ?? 0) + 1);
  }
  return picked;
}
