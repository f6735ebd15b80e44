import { BoundedMemo } from '../../lib/memos';
import { AgeBand } from '../citizens/age-band';
import { MatchReasonKind, PERSONAL_KINDS } from './match-reason';
import { TUNING, type Tuning } from './ranking-model';
import { reasonSentence, type SentenceContext, type SentencePart } from './reasons';
import type { RepeatRate } from './repeat-rate';
import { cityStandingOf, standingEvidence, type CityStanding } from './standing';

export { TUNING, type Tuning } from './ranking-model';
export * from './standing';
export * from './diversify';
export { TAG_LABELS, topReasons, type Reason } from './reasons';

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
  /**
   * Views and uses of it across the city in the last TREND_DAYS (what the city is using now,
   * trendMix's input); absent: none.
   */
  recentDemand?: number;
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
  /** The slots of the services of each parent category's children (when the services said their parents). */
  byParent?: ReadonlyMap<string, readonly number[]>;
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
  /**
   * Decayed demand of the citizen's age band across the city per service (every district's
   * segment of that band): what a segment's thin demand leans on (ageBandSmoothing). Empty or
   * absent without an age band.
   */
  ageBandDemand?: ReadonlyMap<string, number>;
  /**
   * How many citizens of the segment used each service (segment_service_citizen), and of the age
   * band across the city: the segment (or the band) is named as a reason only for a service at
   * least MIN_SEGMENT_REASON_CITIZENS of them used; below that its demand still counts in the
   * score, unnamed. Absent: not known (the fit's features, whose reasons nobody reads), and
   * every such part may be named.
   */
  segmentUsers?: ReadonlyMap<string, number>;
  ageBandUsers?: ReadonlyMap<string, number>;
  /** The shares of demand among citizens of the age band sharing each of the citizen's tags, in tag order; per service the best counts. */
  cohort: readonly CohortShare[];
  /** Decayed affinity of the citizen to services they used, viewed, rated. */
  history: ReadonlyMap<string, number>;
  /** How many signals the citizen sent about each service of the history, not decayed. */
  historyCounts: ReadonlyMap<string, number>;
  /** When the citizen last sent a signal about each service of the history (ms since the epoch). */
  historyLastAt?: ReadonlyMap<string, number>;
  /** Co-use neighbours of the services in the history. */
  neighbours: ReadonlyMap<string, readonly CoUseNeighbour[]>;
  /** Best text match of the citizen's recent requests per service, decayed, with matched words. */
  text: ReadonlyMap<string, { score: number; terms: readonly string[] }>;
  /** The city's means that votes and ratings are shrunk towards (from the candidates when not given). */
  city?: CityStanding;
  /**
   * Services the citizen voted down: scored and diversified with the rest, so that nothing
   * else moves, then left out of the ranking (see rankedTop).
   */
  hidden?: ReadonlySet<string>;
  /**
   * The city's repeat rate (repeat-rate.ts), which sets how much a used service itself counts
   * (selfShareOf); absent or without data: as much as the defaults say.
   */
  repeatRate?: RepeatRate;
  now: Date;
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
  /**
   * The part of the score that no reason names: the city's even share of a segment's smoothing
   * while the city has no use at all (unusedCityShareOf), and a segment's (or an age band's)
   * demand from fewer than MIN_SEGMENT_REASON_CITIZENS of its citizens. Counted in what raised
   * the score, so that the reasons' weights stay their real shares.
   */
  unexplained?: number;
}

/**
 * A ranking's candidates by index: each one's score and candidate, and its scored candidate
 * (components and sentences), which only the candidates that can reach the top need: a
 * ranking made for a page builds just those (scoredSource, rankedTop).
 */
export interface ScoredSource {
  size: number;
  score(index: number): number;
  candidate(index: number): Candidate;
  scored(index: number): ScoredCandidate;
}

const NEW_SERVICE_DAYS = 30;
/** The days of the city's recent use (Candidate.recentDemand) that trendMix reads. */
export const TREND_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * Maps a share of demand to 0–1: a service whose share is `demandHalfPoint` times the
 * average (1 / services) scores 0.5.
 */
function shareToScore(share: number, services: number, tuning: Tuning): number {
  const relative = share * services;
  return relative / (relative + tuning.demandHalfPoint);
}

/**
 * The citizen's affinity per service: decayed affinity blended with the plain count of signals,
 * faded by the time since their last signal about it (`historyFading` halvings a day; 0: not
 * at all), so that a burst of use that has stopped weighs less than a use that goes on.
 */
export function historyOf(
  citizen: Pick<CitizenSignals, 'history' | 'historyCounts' | 'historyLastAt' | 'now'>,
  tuning: Tuning = TUNING,
): Map<string, number> {
  const share = tuning.historyCountShare;
  const fading = tuning.historyFading;
  const now = citizen.now.getTime();
  const blended = new Map<string, number>();
  for (const [serviceId, affinity] of citizen.history) {
    let value = (1 - share) * affinity + share * (citizen.historyCounts.get(serviceId) ?? 0);
    // Without fading (0), the factor is 2^0 = 1.
    const lastAt = citizen.historyLastAt?.get(serviceId) ?? Number.NaN;
    if (Number.isFinite(lastAt)) value *= 2 ** ((-fading * Math.max(0, now - lastAt)) / DAY_MS);
    blended.set(serviceId, value);
  }
  return blended;
}

/** How far personal signals have taken over from segment demand, 0 to 1. */
export function personalShare(history: ReadonlyMap<string, number>, tuning: Tuning = TUNING): number {
  let total = 0;
  for (const value of history.values()) total += value;
  return total / (total + tuning.historyHalfPoint);
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
    for (const slot of slots.byCategory.get(categoryId) ?? [])
      if (positionOf[slot] >= 0) positions.push(positionOf[slot]);
    byCategory.set(
      categoryId,
      positions.sort((a, b) => a - b),
    );
  }
  return { byId, byCategory };
}

/**
 * The catalogue's slots from its services' (a catalogue's, or candidates' when none is given);
 * byParent when every service says its parent category (null: none).
 */
export function slotsOf(
  services: Iterable<{ id: string; categoryId: string; slot: number; parentCategoryId?: string | null }>,
): CatalogueSlots {
  const slotOf = new Map<string, number>();
  const byCategory = new Map<string, number[]>();
  let byParent: Map<string, number[]> | undefined = new Map();
  let size = 0;
  const add = (map: Map<string, number[]>, key: string, slot: number) => {
    const members = map.get(key);
    if (members) members.push(slot);
    else map.set(key, [slot]);
  };
  for (const { id, categoryId, slot, parentCategoryId } of services) {
    slotOf.set(id, slot);
    size = Math.max(size, slot + 1);
    add(byCategory, categoryId, slot);
    if (parentCategoryId === undefined) byParent = undefined;
    else if (parentCategoryId !== null && byParent) add(byParent, parentCategoryId, slot);
  }
  return { slotOf, size, byCategory, byParent };
}

const interestFlagCopies = new WeakMap<CatalogueSlots, BoundedMemo>();
const INTEREST_FLAG_ENTRIES = 1_000;

/**
 * By slot, 1 for the services of `interests` (their own category's or their parent's), made
 * once per catalogue and set of interests; undefined when the slots do not know the parents.
 * Reading a flag by slot spares scoring a look at each candidate's category ids, strings of
 * their own scattered over the heap (most of its loop's time when it compared them).
 */
function interestFlagsOf(slots: CatalogueSlots, interests: ReadonlySet<string>): Uint8Array | undefined {
  const { byParent } = slots;
  if (!byParent) return undefined;
  let copies = interestFlagCopies.get(slots);
  if (!copies) interestFlagCopies.set(slots, (copies = new BoundedMemo(INTEREST_FLAG_ENTRIES)));
  return copies.get([...interests].sort().join(' '), () => {
    const flags = new Uint8Array(slots.size);
    for (const interest of interests) {
      for (const slot of slots.byCategory.get(interest) ?? []) flags[slot] = 1;
      for (const slot of byParent.get(interest) ?? []) flags[slot] = 1;
    }
    return flags;
  });
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

/** What the steps of scoring one citizen's candidates share. */
interface ScoringFrame {
  candidates: readonly Candidate[];
  citizen: CitizenSignals;
  tuning: Tuning;
  personal: boolean;
  /** Candidates, at least 1. */
  n: number;
  cityTotal: number;
  /** The candidates' recent demand in all (read only when trendMix is on; 0 otherwise). */
  recentTotal: number;
  /** The share of the city's demand read from its recent use: trendMix when the city used anything lately, else 0. */
  trendWeight: number;
  /** Where each slot's candidate is in the list (−1: not a candidate). */
  positionOf: Int32Array;
  slots: CatalogueSlots;
  /** The segment's demand of each candidate, by position, and its total. */
  segmentValues: Float64Array;
  segmentTotal: number;
  /** The age band's citywide demand of each candidate, by position, and its total (0: none). */
  bandValues: Float64Array;
  bandTotal: number;
  /** The band's pseudo-signals in all (ageBandSmoothing; 0 when the band has no demand). */
  bandWeight: number;
  /** Pseudo-signals at the city's shares a segment's demand is smoothed with (segmentPriorOf). */
  segmentPrior: number;
  /**
   * What a segment's smoothed shares are shares of: its demand and the pseudo-signals of its
   * band and of the city; 0 when it has neither demand nor band prior (the city's shares stand in).
   */
  demandTotal: number;
  history: Map<string, number>;
  historyTotal: number;
  /** The candidates among the history's services; the positions of the candidates of their categories. */
  byId: Map<string, Candidate>;
  byCategory: Map<string, number[]>;
  /** How far personal signals have taken over from segment demand (personalShare). */
  alpha: number;
  city: CityStanding;
  /** Per related category (addRelatedTaste), the category of recent use that it is most related through. */
  relatedVia: Map<string, { category: string; value: number }>;
  /** How much of selfSimilarity a used service itself gets, by the city's repeat rate (selfShareOf). */
  selfShare: number;
  /** Each circumstance's shares (citizen.cohort, in its order) by slot. */
  cohortBySlot: Float64Array[];
}

function positionOfId(frame: Pick<ScoringFrame, 'slots' | 'positionOf'>, id: string): number {
  const slot = frame.slots.slotOf.get(id);
  return slot === undefined ? -1 : frame.positionOf[slot];
}

const NO_VALUES = new Float64Array(0);

/** A shared map's value of each candidate, by position, and their total. */
function valuesByPosition(
  values: ReadonlyMap<string, number>,
  candidates: readonly Candidate[],
  slots: CatalogueSlots,
): [Float64Array, number] {
  const bySlot = denseBySlot(values, slots);
  const byPosition = new Float64Array(candidates.length);
  let total = 0;
  for (let i = 0; i < candidates.length; i += 1) {
    const value = bySlot[candidates[i].slot];
    byPosition[i] = value;
    total += value;
  }
  return [byPosition, total];
}

function scoringFrame(
  candidates: readonly Candidate[],
  citizen: CitizenSignals,
  slots: CatalogueSlots,
  tuning: Tuning,
): ScoringFrame {
  const personal = citizen.personalized;
  const positionOf = new Int32Array(slots.size).fill(-1);
  let cityTotal = 0;
  for (let position = 0; position < candidates.length; position += 1) {
    const candidate = candidates[position];
    positionOf[candidate.slot] = position;
    cityTotal += candidate.popularity;
  }
  const [segmentValues, segmentTotal] = valuesByPosition(citizen.segment, candidates, slots);
  const [bandValues, bandTotal] =
    tuning.ageBandSmoothing > 0 && citizen.ageBandDemand
      ? valuesByPosition(citizen.ageBandDemand, candidates, slots)
      : [NO_VALUES, 0];
  const bandWeight = bandTotal > 0 ? tuning.ageBandSmoothing : 0;
  const segmentPrior = segmentPriorOf(candidates.length, tuning);
  const recentTotal = tuning.trendMix > 0 ? candidates.reduce((sum, c) => sum + (c.recentDemand ?? 0), 0) : 0;
  // Without personalisation no history, whatever a caller passed: nothing reached, α 0.
  const history = personal ? historyOf(citizen, tuning) : new Map<string, number>();
  let historyTotal = 0;
  for (const value of history.values()) historyTotal += value;
  const { byId, byCategory } = historyIndexes(candidates, history, slots, positionOf, (id) =>
    positionOfId({ slots, positionOf }, id),
  );
  return {
    candidates,
    citizen,
    tuning,
    personal,
    n: Math.max(1, candidates.length),
    cityTotal,
    recentTotal,
    trendWeight: recentTotal > 0 ? tuning.trendMix : 0,
    positionOf,
    slots,
    segmentValues,
    segmentTotal,
    bandValues,
    bandTotal,
    bandWeight,
    segmentPrior,
    demandTotal: segmentTotal > 0 || bandWeight > 0 ? segmentTotal + bandWeight + segmentPrior : 0,
    history,
    historyTotal,
    byId,
    byCategory,
    alpha: personalShare(history, tuning),
    city: citizen.city ?? cityStandingOf(candidates),
    relatedVia: new Map(),
    selfShare: selfShareOf(citizen.repeatRate, tuning),
    cohortBySlot: citizen.cohort.map((c) => denseBySlot(c.shares, slots)),
  };
}

/**
 * What the history reaches, by candidate position: how much, and which history item (an index
 * into `sources`, −1 where nothing reached) led there most. Dense arrays: the category spread
 * reaches most of a catalogue, and a map of objects per ranking was most of its allocation.
 */
export interface HistoryReach {
  value: Float64Array;
  viaValue: Float64Array;
  via: Int32Array;
  /** The history's service ids, in the order they were read. */
  sources: string[];
}

/**
 * A co-use neighbour of a service: its shrunk cosine (aggregates.ts, shrunkCoUse) and the pair's
 * lift over independence counting its evidence (coUseLiftLowerBound; 0 when not known).
 */
export interface CoUseNeighbour {
  id: string;
  similarity: number;
  lift?: number;
}

/** A service's co-use neighbours by slot (−1: not in the catalogue), best first, with their similarity. */
interface NeighbourSlots {
  slots: Int32Array;
  similarity: Float64Array;
  lift: Float64Array;
}

const neighbourSlotCopies = new WeakMap<
  CitizenSignals['neighbours'],
  { slots: CatalogueSlots; byService: Map<string, NeighbourSlots | undefined> }
>();

/**
 * The neighbours of each service by slot, resolved on first use and kept per copy of the
 * neighbours and catalogue (shared by every ranking of those seconds), so that a ranking reads
 * arrays rather than looking up each neighbour's id.
 */
function neighbourSlotsOf(
  neighbours: CitizenSignals['neighbours'],
  slots: CatalogueSlots,
): { get(serviceId: string): NeighbourSlots | undefined } {
  let copy = neighbourSlotCopies.get(neighbours);
  if (copy?.slots !== slots) {
    copy = { slots, byService: new Map() };
    neighbourSlotCopies.set(neighbours, copy);
  }
  const { byService } = copy;
  return {
    get(serviceId) {
      if (byService.has(serviceId)) return byService.get(serviceId);
      const list = neighbours.get(serviceId);
      const resolved = list && {
        slots: Int32Array.from(list, ({ id }) => slots.slotOf.get(id) ?? -1),
        similarity: Float64Array.from(list, ({ similarity }) => similarity),
        lift: Float64Array.from(list, ({ lift }) => lift ?? 0),
      };
      byService.set(serviceId, resolved);
      return resolved;
    },
  };
}

/**
 * Item-to-item: each service the history reaches — the services used (selfSimilarity), their
 * co-use neighbours (coUse × similarity) and their categories' other services
 * (sameCategorySimilarity), the last two growing with the history (neighbourHalfPoint; a pair
 * whose evidence-counted lift reaches coUseLiftGate by coUseEarlyHalfPoint). Only
 * candidates are kept; the first history item to reach one is its `via` until another reaches
 * it by more.
 */
function reachFromHistory(frame: ScoringFrame): HistoryReach {
  const { tuning, candidates } = frame;
  const reach: HistoryReach = {
    value: new Float64Array(candidates.length),
    viaValue: new Float64Array(candidates.length),
    via: new Int32Array(candidates.length).fill(-1),
    sources: [],
  };
  const add = (position: number, value: number, source: number) => {
    if (position < 0) return;
    reach.value[position] += value;
    if (reach.via[position] < 0) reach.via[position] = source;
    if (value > reach.viaValue[position]) {
      reach.via[position] = source;
      reach.viaValue[position] = value;
    }
  };
  if (frame.history.size === 0) return reach;
  const confidence = frame.historyTotal / (frame.historyTotal + tuning.neighbourHalfPoint);
  const earlyConfidence = Math.max(confidence, frame.historyTotal / (frame.historyTotal + tuning.coUseEarlyHalfPoint));
  const liftGate = tuning.coUseLiftGate;
  const neighbourSlots = neighbourSlotsOf(frame.citizen.neighbours, frame.slots);
  const self = tuning.selfSimilarity * frame.selfShare;
  for (const [serviceId, affinity] of frame.history) {
    const source = reach.sources.push(serviceId) - 1;
    const own = positionOfId(frame, serviceId);
    add(own, affinity * self, source);
    const spread = affinity * confidence;
    const coUse = spread * tuning.coUse;
    const earlyCoUse = affinity * earlyConfidence * tuning.coUse;
    const neighbours = neighbourSlots.get(serviceId);
    if (neighbours)
      for (let i = 0; i < neighbours.slots.length; i += 1) {
        const slot = neighbours.slots[i];
        const pairCoUse = neighbours.lift[i] >= liftGate ? earlyCoUse : coUse;
        add(slot < 0 ? -1 : frame.positionOf[slot], pairCoUse * neighbours.similarity[i], source);
      }
    const category = frame.byId.get(serviceId)?.categoryId;
    for (const position of category ? (frame.byCategory.get(category) ?? []) : []) {
      if (position !== own) add(position, spread * tuning.sameCategorySimilarity, source);
    }
  }
  return reach;
}

/**
 * The city's repeat lift: its repeats over those its categories' popularity predicts, each
 * side given repeatPseudoCount expected repeats at repeatLiftReference, so that a city with
 * few repeats to go by reads close to the reference.
 */
export function repeatLiftOf(rate: RepeatRate | undefined, tuning: Tuning = TUNING): number {
  const reference = tuning.repeatLiftReference;
  const pseudo = tuning.repeatPseudoCount;
  const repeats = rate?.repeats ?? 0;
  const expected = rate?.expected ?? 0;
  return (repeats + pseudo * reference) / (expected + pseudo);
}

/**
 * How much of selfSimilarity a used service itself gets, 0 to 1: 1 at a repeat lift of
 * repeatLiftReference or more (a city whose citizens come back to what they used, what the
 * defaults were set for), 0 at repeatLiftFloor or less (a used service no likelier to come back
 * than its category's popularity says: the history's category, not the service, is what it
 * tells), linear between. 1 while the city's expected repeats are fewer than
 * repeatMinExpected (too few to say), and without a reference above the floor and 1 (a model
 * that turns it off).
 */
export function selfShareOf(rate: RepeatRate | undefined, tuning: Tuning = TUNING): number {
  const reference = tuning.repeatLiftReference;
  const floor = tuning.repeatLiftFloor;
  if (!(reference > 1) || !(reference > floor)) return 1;
  if (!rate || !(rate.expected >= tuning.repeatMinExpected)) return 1;
  const lift = repeatLiftOf(rate, tuning);
  return Math.min(1, Math.max(0, (lift - floor) / (reference - floor)));
}

/**
 * The city's share of a candidate: of its decayed demand, with `trendMix` of it the share of
 * the city's recent use instead (when there is any).
 */
function cityShareOf(frame: ScoringFrame, c: Candidate): number {
  const share = frame.cityTotal > 0 ? c.popularity / frame.cityTotal : 1 / frame.n;
  const mix = frame.trendWeight;
  return mix > 0 ? (1 - mix) * share + (mix * (c.recentDemand ?? 0)) / frame.recentTotal : share;
}

/**
 * The part of cityShareOf that no use stands behind: while the city has no demand at all, the
 * even share 1 / n every candidate gets (less trendMix's part when the city used anything
 * lately). Not a reason: "全市居民常用" would name use that does not exist.
 */
function unusedCityShareOf(frame: ScoringFrame): number {
  return frame.cityTotal > 0 ? 0 : (1 - frame.trendWeight) / frame.n;
}

/**
 * The pseudo-signals at the city's shares a segment's demand is smoothed with: segmentSmoothing
 * plus segmentPriorPerService for each of the `services` the citizen may be shown. A segment's
 * shares are estimated over the whole catalogue, so how many signals make them better than
 * the city's grows with the catalogue: a segment of a few dozen signals over 300 services is
 * mostly noise, one of thousands says what its citizens want.
 */
export function segmentPriorOf(services: number, tuning: Tuning = TUNING): number {
  return tuning.segmentSmoothing + tuning.segmentPriorPerService * Math.max(1, services);
}

/** The age band's pseudo-signals for a candidate (ageBandSmoothing times its share of the band's demand). */
function bandPriorOf(frame: ScoringFrame, position: number): number {
  return frame.bandWeight > 0 ? (frame.bandWeight * frame.bandValues[position]) / frame.bandTotal : 0;
}

/**
 * The segment's demand smoothed towards its age band's across the city (ageBandSmoothing, when
 * the band has any demand) and the city's (segmentSmoothing): what someone of the segment
 * wants. Without segment demand nor band prior, the city's share.
 */
function demandShareOf(frame: ScoringFrame, c: Candidate, position: number): number {
  const cityShare = cityShareOf(frame, c);
  if (frame.demandTotal <= 0) return cityShare;
  return (
    (frame.segmentValues[position] + bandPriorOf(frame, position) + frame.segmentPrior * cityShare) / frame.demandTotal
  );
}

/**
 * How many times its weight the category taste counts for a history of size `h` (thin histories
 * lean on their categories): 1 + thinTasteBoost × T / (h + T), T = thinTasteHalfPoint.
 */
export function thinTasteFactor(h: number, tuning: Tuning = TUNING): number {
  const halfPoint = tuning.thinTasteHalfPoint;
  if (!(halfPoint > 0)) return 1;
  return 1 + (tuning.thinTasteBoost * halfPoint) / (h + halfPoint);
}

/**
 * How much of the city's demand, rather than the segment's, passes the category taste of a
 * history of size `h` on to its services: T / (h + T), T = thinCityHalfPoint (0: none).
 */
export function thinCityShare(h: number, tuning: Tuning = TUNING): number {
  const halfPoint = tuning.thinCityHalfPoint;
  return halfPoint > 0 ? halfPoint / (h + halfPoint) : 0;
}

/**
 * The citizen's own maps, entry by entry, into `parts`: text matches, what the history
 * reaches, and the category taste (own-category affinity: how the history spreads over
 * categories, each category's share passed on to its services in proportion to their demand
 * in the segment).
 */
function addPersonalParts(frame: ScoringFrame, reached: HistoryReach, parts: Float64Array): void {
  const { tuning, citizen, alpha, historyTotal } = frame;
  const { weights } = tuning;
  for (const [serviceId, match] of citizen.text) {
    const position = positionOfId(frame, serviceId);
    if (position >= 0) parts[position * KIND_COUNT + TEXT] = weights.TEXT_MATCH * match.score;
  }
  if (historyTotal <= 0) return;
  for (let position = 0; position < reached.via.length; position += 1) {
    if (reached.via[position] < 0) continue;
    const share = reached.value[position] / historyTotal;
    parts[position * KIND_COUNT + OWN] = weights.OWN_HISTORY * alpha * (share / (share + tuning.historyShareHalfPoint));
  }
  // A weight of 0 (a fitted model's) writes parts of 0.
  addCategoryTaste(
    frame,
    categorySharesOf(frame, frame.history, tuning.tasteFading),
    tuning.categoryTaste *
      alpha *
      thinTasteFactor(historyTotal, tuning) *
      (1 + tuning.repeatTasteGain * (1 - frame.selfShare)),
    TASTE,
    parts,
    thinCityShare(historyTotal, tuning),
  );
  const lastAt = citizen.historyLastAt;
  // Both off by default (weights are never negative): the recent use is not even read.
  if (tuning.recentTaste + tuning.relatedTaste > 0 && lastAt) {
    const since = citizen.now.getTime() - tuning.recentDays * DAY_MS;
    const recent = new Map<string, number>();
    for (const [serviceId, count] of citizen.historyCounts)
      if ((lastAt.get(serviceId) ?? 0) >= since) recent.set(serviceId, count);
    const shares = categorySharesOf(frame, recent);
    addCategoryTaste(frame, shares, tuning.recentTaste, RECENT, parts);
    if (tuning.relatedTaste > 0) addRelatedTaste(frame, shares, parts);
  }
}

/**
 * How `history` (per service) spreads over the categories of its services that are candidates;
 * with `fading` (halvings a day), each category's part faded by the time since the citizen last
 * used any of its services: a category used until lately is a standing need, one whose use
 * stopped weeks ago (a life event's) is not.
 */
function categorySharesOf(frame: ScoringFrame, history: ReadonlyMap<string, number>, fading = 0): Map<string, number> {
  const byCategory = new Map<string, number>();
  const lastUse = new Map<string, number>();
  const lastAt = frame.citizen.historyLastAt;
  let total = 0;
  for (const [serviceId, affinity] of history) {
    const category = frame.byId.get(serviceId)?.categoryId;
    if (!fading) total += affinity;
    if (!category) continue;
    byCategory.set(category, (byCategory.get(category) ?? 0) + affinity);
    const at = lastAt?.get(serviceId) ?? Number.NaN;
    if (Number.isFinite(at)) lastUse.set(category, Math.max(lastUse.get(category) ?? at, at));
  }
  if (fading > 0) {
    const now = frame.citizen.now.getTime();
    for (const [category, value] of byCategory) {
      const at = lastUse.get(category);
      const faded = at === undefined ? value : value * 2 ** ((-fading * Math.max(0, now - at)) / DAY_MS);
      byCategory.set(category, faded);
      total += faded;
    }
  }
  for (const [category, value] of byCategory) byCategory.set(category, total > 0 ? value / total : 0);
  return byCategory;
}

/** The positions (in list order) of the candidates of `category`. */
function positionsOfCategory(frame: ScoringFrame, category: string): number[] {
  let positions = frame.byCategory.get(category);
  if (!positions) {
    positions = [];
    for (const slot of frame.slots.byCategory.get(category) ?? [])
      if (frame.positionOf[slot] >= 0) positions.push(frame.positionOf[slot]);
    frame.byCategory.set(category, positions);
  }
  return positions;
}

/**
 * Related categories of recent use (an OWN_HISTORY part): the categories whose services are
 * co-used with those of the categories the citizen used lately (categoryLinks), each with the
 * recent category's share times the link, passed on to its services like a category taste.
 * Needs that come together (a birth: its registration, the child's hukou and insurance) are
 * seen from the first of them.
 */
function addRelatedTaste(frame: ScoringFrame, recent: ReadonlyMap<string, number>, parts: Float64Array): void {
  const links = categoryLinks(frame.citizen.neighbours, frame.slots);
  const related = new Map<string, number>();
  for (const [from, share] of recent) {
    const row = links.get(from);
    if (!row) continue;
    for (const [to, link] of row) {
      const value = share * link;
      related.set(to, (related.get(to) ?? 0) + value);
      const via = frame.relatedVia.get(to);
      if (!via || value > via.value) frame.relatedVia.set(to, { category: from, value });
    }
  }
  addCategoryTaste(frame, related, frame.tuning.relatedTaste, RELATED, parts);
}

const categoryOfSlotCopies = new WeakMap<CatalogueSlots, string[]>();
const linkCopies = new WeakMap<object, { slots: CatalogueSlots; links: Map<string, Map<string, number>> }>();

/**
 * Per category A, per other category B: the share of the co-use similarity of A's services
 * with their neighbours that goes to services of B. Made once per copy of the neighbours and
 * catalogue (shared by every ranking of those seconds).
 */
export function categoryLinks(
  neighbours: CitizenSignals['neighbours'],
  slots: CatalogueSlots,
): Map<string, Map<string, number>> {
  const cached = linkCopies.get(neighbours);
  if (cached?.slots === slots) return cached.links;
  let categoryOfSlot = categoryOfSlotCopies.get(slots);
  if (!categoryOfSlot) {
    categoryOfSlot = new Array<string>(slots.size);
    for (const [category, members] of slots.byCategory) for (const slot of members) categoryOfSlot[slot] = category;
    categoryOfSlotCopies.set(slots, categoryOfSlot);
  }
  const categoryOf = (id: string) => {
    const slot = slots.slotOf.get(id);
    return slot === undefined ? undefined : categoryOfSlot[slot];
  };
  const totals = new Map<string, number>();
  const links = new Map<string, Map<string, number>>();
  for (const [serviceId, list] of neighbours) {
    const from = categoryOf(serviceId);
    if (!from) continue;
    for (const { id, similarity } of list) {
      const to = categoryOf(id);
      if (!to) continue;
      totals.set(from, (totals.get(from) ?? 0) + similarity);
      if (to === from) continue;
      let row = links.get(from);
      if (!row) links.set(from, (row = new Map()));
      row.set(to, (row.get(to) ?? 0) + similarity);
    }
  }
  for (const [from, row] of links) for (const [to, value] of row) row.set(to, value / totals.get(from)!);
  linkCopies.set(neighbours, { slots, links });
  return links;
}

/**
 * A taste over categories into `parts[kind]`: each category's share (of the citizen's history,
 * of their recent use …) passed on to its services in proportion to their demand in the
 * segment (with `city` of it, 0 to 1, their share of the city's demand instead), mapped like a
 * demand share, times `weight`.
 */
function addCategoryTaste(
  frame: ScoringFrame,
  shares: ReadonlyMap<string, number>,
  weight: number,
  kind: number,
  parts: Float64Array,
  city = 0,
): void {
  const { candidates, n, tuning } = frame;
  // The city's share, with weight `city`, beside the segment's smoothed demand.
  const valueOf = (position: number) =>
    city > 0
      ? (1 - city) * demandShareOf(frame, candidates[position], position) +
        city * cityShareOf(frame, candidates[position])
      : demandShareOf(frame, candidates[position], position);
  for (const [category, categoryShare] of shares) {
    const positions = positionsOfCategory(frame, category);
    const values = positions.map(valueOf);
    let demand = 0;
    for (const value of values) demand += value;
    if (demand <= 0) continue;
    positions.forEach((position, i) => {
      const share = categoryShare * (values[i] / demand);
      parts[position * KIND_COUNT + kind] = weight * shareToScore(share, n, tuning);
    });
  }
}

/** Whether the candidate's category or its parent is one of `interests`. */
function isInterest(interests: readonly string[], candidate: Candidate): boolean {
  for (const interest of interests)
    if (candidate.categoryId === interest || candidate.parentCategoryId === interest) return true;
  return false;
}

/**
 * The fewest distinct citizens of a segment (or an age band) whose use lets a reason say that
 * its citizens use a service (…居民近期常用). One account is not "residents"; two may be one
 * household or one person's two accounts; three distinct people is the smallest group the
 * sentence describes, and a segment reason resting on fewer would tell neighbours what one of
 * them did (the smallest cell statistical offices publish is usually three). The demand of
 * fewer still counts in the score (capped per citizen by SHARED_DEMAND_CAP), unnamed.
 */
export const MIN_SEGMENT_REASON_CITIZENS = 3;

/** Whether `users` (absent: not known) lets the segment be named for the service. */
function usedByEnough(users: ReadonlyMap<string, number> | undefined, serviceId: string): boolean {
  return users === undefined || (users.get(serviceId) ?? 0) >= MIN_SEGMENT_REASON_CITIZENS;
}

/** Every candidate's shared components into `parts`: circumstance, segment and city demand, standing, interests, novelty. */
function addSharedParts(frame: ScoringFrame, parts: Float64Array, unexplained: Float64Array): void {
  const { tuning, citizen, candidates, n, alpha } = frame;
  const unusedCity = frame.segmentPrior * unusedCityShareOf(frame);
  const { weights } = tuning;
  const { cohortBySlot } = frame;
  const segmentWeight = weights.SEGMENT_DEMAND * (tuning.segmentFloor + (1 - tuning.segmentFloor) * (1 - alpha));
  const interestWeight = weights.INTEREST * (1 - alpha);
  const interests = [...citizen.interestCategoryIds];
  const interestFlags = interests.length > 0 ? interestFlagsOf(frame.slots, citizen.interestCategoryIds) : undefined;
  const now = citizen.now.getTime();
  for (let position = 0; position < candidates.length; position += 1) {
    const candidate = candidates[position];
    const offset = position * KIND_COUNT;
    if (cohortBySlot.length > 0) {
      let best = -1;
      for (const shares of cohortBySlot) best = Math.max(best, shares[candidate.slot]);
      parts[offset + SIMILAR] = weights.SIMILAR_CITIZENS * shareToScore(best, n, tuning);
    }
    const cityShare = cityShareOf(frame, candidate);
    if (frame.cityTotal > 0) parts[offset + POPULAR] = weights.POPULAR * shareToScore(cityShare, n, tuning);
    if (frame.demandTotal > 0) {
      // The smoothed share's value, split between what the segment's own use, its age band's
      // across the city and the city's (the smoothing) put into it: each is a reason of its
      // own, so that the segment (or the band) is named only for a service its citizens
      // really used, and the city only for a service it used (its even share while it has no
      // use at all counts in the score, unnamed).
      const own = frame.segmentValues[position];
      const band = bandPriorOf(frame, position);
      const city = frame.segmentPrior * cityShare;
      const sum = own + band + city;
      const value = segmentWeight * shareToScore(sum / frame.demandTotal, n, tuning);
      if (sum > 0) {
        const segmentPart = (value * own) / sum;
        const bandPart = (value * band) / sum;
        const segmentNamed = usedByEnough(citizen.segmentUsers, candidate.id);
        const bandNamed = usedByEnough(citizen.ageBandUsers, candidate.id);
        parts[offset + SEGMENT] = segmentNamed ? segmentPart : 0;
        parts[offset + BAND] = bandNamed ? bandPart : 0;
        parts[offset + POPULAR] += (value * (city - unusedCity)) / sum;
        unexplained[position] =
          (value * unusedCity) / sum + (segmentNamed ? 0 : segmentPart) + (bandNamed ? 0 : bandPart);
      }
    }
    // Without votes or ratings, the evidence is 0.
    parts[offset + RATED] =
      weights.WELL_RATED * (candidate.standingEvidence ?? standingEvidence(candidate, frame.city));
    if (
      interests.length > 0 &&
      (interestFlags ? interestFlags[candidate.slot] === 1 : isInterest(interests, candidate))
    ) {
      parts[offset + INTEREST] = interestWeight;
    }
    if (candidate.launchedAt) {
      const days = (now - candidate.launchedAt.getTime()) / 86_400_000;
      if (days >= 0 && days < NEW_SERVICE_DAYS)
        parts[offset + NEW] = weights.NEW_SERVICE * (1 - days / NEW_SERVICE_DAYS);
    }
    // Without personalisation the citizen's own text, interests and circumstances count for nothing.
    if (!frame.personal) for (const i of PERSONAL_INDEXES) parts[offset + i] = 0;
  }
}

/**
 * Scores every candidate; pure: the same inputs give the same scores. `titleOf` names the
 * services of the history (which need not be candidates any more) in reasons; `slots` are the
 * catalogue's (the candidates' own when not given); `tuning` is the blend's weights and
 * schedules (the defaults, or the active fitted model's).
 */
export function scoreCandidates(
  candidates: readonly Candidate[],
  citizen: CitizenSignals,
  titleOf: (serviceId: string) => string | undefined = () => undefined,
  slots: CatalogueSlots = slotsOf(candidates),
  tuning: Tuning = TUNING,
): ScoredCandidate[] {
  const source = scoredSource(candidates, citizen, titleOf, slots, tuning);
  return candidates.map((_, index) => source.scored(index));
}

/**
 * The same scores as scoreCandidates, as a source (diversify.ts) whose scored candidates are
 * built when asked for: a ranking reads every score but builds only the few candidates that
 * can reach its page (rankedTop), not one object per candidate of the catalogue.
 */
export function scoredSource(
  candidates: readonly Candidate[],
  citizen: CitizenSignals,
  titleOf: (serviceId: string) => string | undefined = () => undefined,
  slots: CatalogueSlots = slotsOf(candidates),
  tuning: Tuning = TUNING,
): ScoredSource {
  const frame = scoringFrame(candidates, citizen, slots, tuning);
  const reached = reachFromHistory(frame);
  // Contributions per component kind first (most candidates never show a reason); the
  // reasons' sentences are written only for the candidates whose components are read.
  // Every candidate's contributions in one array (KIND_COUNT per candidate): one allocation.
  const parts = new Float64Array(candidates.length * KIND_COUNT);
  const unexplained = new Float64Array(candidates.length);
  addPersonalParts(frame, reached, parts);
  addSharedParts(frame, parts, unexplained);
  const scores = new Float64Array(candidates.length);
  for (let index = 0; index < candidates.length; index += 1) {
    let score = unexplained[index];
    for (let i = index * KIND_COUNT; i < (index + 1) * KIND_COUNT; i += 1) score += parts[i];
    scores[index] = score;
  }
  const sentences: SentenceContext = {
    citizen,
    reachedVia: (serviceId) => {
      const position = positionOfId(frame, serviceId);
      return position >= 0 && reached.via[position] >= 0 ? reached.sources[reached.via[position]] : undefined;
    },
    nameOf: (id) => frame.byId.get(id)?.title ?? titleOf(id),
    city: frame.city,
    relatedThrough: (categoryId) => {
      const via = frame.relatedVia.get(categoryId)?.category;
      for (const c of frame.byId.values()) if (c.categoryId === via) return c.categoryName;
      return undefined;
    },
    similarCohort: (candidate) => {
      // The first circumstance with the best share, as scored.
      let best = 0;
      frame.cohortBySlot.forEach((shares, i) => {
        if (shares[candidate.slot] > frame.cohortBySlot[best][candidate.slot]) best = i;
      });
      return citizen.cohort[best];
    },
  };
  return {
    size: candidates.length,
    score: (index) => scores[index],
    candidate: (index) => candidates[index],
    scored: (index) =>
      new Scored(candidates[index], scores[index], parts, index * KIND_COUNT, sentences, unexplained[index]),
  };
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
  // Recent category taste: the citizen's own history too, with a sentence of its own.
  MatchReasonKind.OWN_HISTORY,
  // Categories related to those of recent use: the citizen's own history too.
  MatchReasonKind.OWN_HISTORY,
  // The age band's demand across the city: shared demand of the citizen's kind, as the segment's.
  MatchReasonKind.SEGMENT_DEMAND,
] as const;
const [TEXT, OWN, TASTE, SIMILAR, SEGMENT, POPULAR, RATED, INTEREST, NEW, RECENT, RELATED, BAND] = KINDS.map(
  (_, i) => i,
);
const KIND_COUNT = KINDS.length;
const PERSONAL_INDEXES = KINDS.flatMap((kind, i) => (PERSONAL_KINDS.has(kind) ? [i] : []));

/** Which sentence of its kind each component index has (reasonSentence). */
const PARTS = KINDS.map((_, i): SentencePart => {
  if (i === TASTE) return 'taste';
  if (i === RECENT) return 'recent';
  if (i === RELATED) return 'related';
  if (i === BAND) return 'band';
  return 'item';
});

/** A scored candidate whose components (with their sentences) are built when first read. */
class Scored implements ScoredCandidate {
  private built: Component[] | undefined;

  /** Its contributions are `parts[offset]` to `parts[offset + KIND_COUNT - 1]`, summing to `score`. */
  constructor(
    readonly candidate: Candidate,
    readonly score: number,
    private readonly parts: Float64Array,
    private readonly offset: number,
    private readonly sentences: SentenceContext,
    readonly unexplained: number,
  ) {}

  /** The positive contributions, with their sentences: what raised the score. */
  get components(): Component[] {
    if (!this.built) {
      const components: Component[] = [];
      for (let i = 0; i < KIND_COUNT; i += 1) {
        const contribution = this.parts[this.offset + i];
        if (contribution > 0)
          components.push({
            kind: KINDS[i],
            contribution,
            message: reasonSentence(KINDS[i], PARTS[i], this.candidate, this.sentences),
          });
      }
      this.built = components.sort((a, b) => b.contribution - a.contribution);
    }
    return this.built;
  }
}
