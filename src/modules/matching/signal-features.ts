import { cityDayOf } from '../analytics/periods';
import { ageBandOf, type AgeBand } from '../citizens/age-band';
import { SignalKind } from '../signals/signal-kind';
import { HALF_LIFE_DAYS, KIND_WEIGHTS } from './affinity';
import { coUseLiftLowerBound, expectedCoUse, MIN_CO_CITIZENS, NEIGHBOURS_PER_SERVICE, shrunkCoUse } from './aggregates';
import { LOW_RATING_STARS } from './aggregates.queries';
import { isEligible, type EligibilityRules } from './eligibility';
import { repeatRateOf, repeatRowsOf, REPEAT_WINDOW_DAYS, type RepeatRate } from './repeat-rate';
import {
  slotsOf,
  TREND_DAYS,
  type Candidate,
  type CatalogueSlots,
  type CitizenSignals,
  type CohortShare,
  type CoUseNeighbour,
} from './scoring';

/**
 * A ranking's inputs rebuilt in memory from a log of signals as of a moment: what the stored
 * aggregates (aggregates.ts) and the citizen's rows hold when only the signals before it
 * exist. The fit (ranking-fit.ts) and the simulated worlds score through it, with the same
 * scoring as recommendedServices.
 */

/** One signal about a service, as the log holds it. */
export interface SignalRecord {
  citizenId: string;
  serviceId: string;
  kind: SignalKind;
  /** Stars of a RATING, else null. */
  stars: number | null;
  at: Date;
  districtCode: string;
  ageBand: AgeBand | null;
}

/** A free-text request or search of a citizen. */
export interface TextRecord {
  citizenId: string;
  text: string;
  at: Date;
}

export interface FeatureCitizen {
  id: string;
  districtCode: string;
  districtName: string;
  birthYear: number | null;
  tags: readonly string[];
  interestCategoryIds: readonly string[];
}

export interface FeatureService extends EligibilityRules {
  id: string;
  title: string;
  categoryId: string;
  parentCategoryId: string | null;
  categoryName: string;
}

/** Matches a request's text: each service it meets with its score. */
export type TextMatch = (text: string) => Iterable<{ serviceId: string; score: number }>;

const DAY_MS = 86_400_000;
const RECENT_REQUESTS = 20;
const REQUEST_WINDOW_DAYS = 180;

/** The weight of a signal at `asOf`: its kind's (stars for RATING), halved every HALF_LIFE_DAYS. */
function decayedWeight(s: SignalRecord, asOf: number): number {
  const base =
    s.kind === SignalKind.RATING && s.stars !== null ? Math.max(0.25, 1 + (s.stars - 3) * 0.5) : KIND_WEIGHTS[s.kind];
  return base * 2 ** (-(asOf - s.at.getTime()) / DAY_MS / HALF_LIFE_DAYS);
}

function addTo<K>(map: Map<K, number>, key: K, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function nested<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/** The signals before `asOf`, aggregated as the stored tables aggregate them. */
export class SignalFeatures {
  readonly slots: CatalogueSlots;
  private readonly popularity = new Map<string, number>();
  /** Citizen-days of views and uses per service in the TREND_DAYS before the moment (as service_activity_daily.citizens counts them). */
  private readonly recentDemand = new Map<string, number>();
  /** The (citizen, service, kind, city day) of the views and uses counted in recentDemand. */
  private readonly recentDemandKeys = new Set<string>();
  private readonly segments = new Map<string, Map<string, number>>();
  private readonly ageBands = new Map<string, Map<string, number>>();
  private readonly cohortScores = new Map<string, Map<string, number>>();
  private readonly cohortShareCache = new Map<string, CohortShare>();
  /** Per citizen, per service: decayed affinity and count of signals. */
  private readonly histories = new Map<string, Map<string, { affinity: number; count: number; lastAt: number }>>();
  private readonly ratings = new Map<string, { count: number; sum: number }>();
  private readonly texts = new Map<string, TextRecord[]>();
  readonly neighbours: Map<string, CoUseNeighbour[]>;
  private readonly candidates: Candidate[];
  /** The city's repeat rate (repeat-rate.ts) as of the moment, as recommendedServices reads it. */
  readonly repeatRate: RepeatRate;

  constructor(
    private readonly services: readonly FeatureService[],
    private readonly citizens: ReadonlyMap<string, FeatureCitizen>,
    signals: Iterable<SignalRecord>,
    texts: Iterable<TextRecord>,
    readonly asOf: Date,
    private readonly textMatch: TextMatch = () => [],
  ) {
    const t = asOf.getTime();
    for (const s of signals) {
      if (s.at.getTime() >= t) throw new Error(`A signal of ${s.at.toISOString()} is not before ${asOf.toISOString()}`);
      this.add(s, t);
    }
    for (const r of texts) {
      if (r.at.getTime() >= t)
        throw new Error(`A request of ${r.at.toISOString()} is not before ${asOf.toISOString()}`);
      if (t - r.at.getTime() <= REQUEST_WINDOW_DAYS * DAY_MS) nested(this.texts, r.citizenId, () => []).push(r);
    }
    for (const list of this.texts.values())
      list.sort((a, b) => b.at.getTime() - a.at.getTime()).splice(RECENT_REQUESTS);
    this.neighbours = this.coUseNeighbours();
    this.slots = slotsOf(services.map((s, slot) => ({ id: s.id, categoryId: s.categoryId, slot })));
    this.candidates = services.map((s, slot) => this.candidateOf(s, slot));
    this.repeatRate = this.cityRepeatRate(t);
  }

  /** From the histories' pairs with a signal in the REPEAT_WINDOW_DAYS before the moment. */
  private cityRepeatRate(asOf: number): RepeatRate {
    const categoryOf = new Map(this.services.map((s) => [s.id, s.categoryId]));
    const histories = [...this.histories.values()].map((history) =>
      [...history].map(([serviceId, h]) => ({
        serviceId,
        categoryId: categoryOf.get(serviceId),
        count: h.count,
        lastAt: h.lastAt,
      })),
    );
    return repeatRateOf(repeatRowsOf(histories, asOf - REPEAT_WINDOW_DAYS * DAY_MS), this.candidates);
  }

  private add(s: SignalRecord, asOf: number): void {
    const w = decayedWeight(s, asOf);
    if ((s.kind === SignalKind.VIEW || s.kind === SignalKind.USE) && asOf - s.at.getTime() <= TREND_DAYS * DAY_MS) {
      const key = `${s.citizenId}|${s.serviceId}|${s.kind}|${cityDayOf(s.at)}`;
      if (!this.recentDemandKeys.has(key)) {
        this.recentDemandKeys.add(key);
        addTo(this.recentDemand, s.serviceId, 1);
      }
    }
    const history = nested(this.histories, s.citizenId, () => new Map());
    const own = nested(history, s.serviceId, () => ({ affinity: 0, count: 0, lastAt: 0 }));
    own.affinity += w;
    own.count += 1;
    own.lastAt = Math.max(own.lastAt, s.at.getTime());
    if (s.kind === SignalKind.RATING && s.stars !== null) {
      const r = nested(this.ratings, s.serviceId, () => ({ count: 0, sum: 0 }));
      r.count += 1;
      r.sum += s.stars;
    }
    if (s.kind === SignalKind.RATING && s.stars !== null && s.stars <= LOW_RATING_STARS) return;
    addTo(this.popularity, s.serviceId, w);
    if (!s.ageBand) return;
    addTo(
      nested(this.segments, `${s.districtCode}:${s.ageBand}`, () => new Map()),
      s.serviceId,
      w,
    );
    addTo(
      nested(this.ageBands, s.ageBand, () => new Map()),
      s.serviceId,
      w,
    );
    for (const tag of this.citizens.get(s.citizenId)?.tags ?? []) {
      addTo(
        nested(this.cohortScores, `${s.ageBand}:${tag}`, () => new Map()),
        s.serviceId,
        w,
      );
    }
  }

  /** Cosine over the citizens who used both (binary), shrunk by support, the best NEIGHBOURS_PER_SERVICE per service. */
  private coUseNeighbours(): Map<string, CoUseNeighbour[]> {
    const degree = new Map<string, number>();
    const co = new Map<string, Map<string, number>>();
    for (const history of this.histories.values()) {
      const used = [...history.keys()];
      for (const a of used) {
        addTo(degree, a, 1);
        const row = nested(co, a, () => new Map<string, number>());
        for (const b of used) if (b !== a) addTo(row, b, 1);
      }
    }
    let sum = 0;
    let sumOfSquares = 0;
    for (const history of this.histories.values()) {
      sum += history.size;
      sumOfSquares += history.size * history.size;
    }
    const activity = sum > 0 ? sumOfSquares / (sum * sum) : 0;
    const neighbours = new Map<string, CoUseNeighbour[]>();
    for (const [a, row] of co) {
      const list: CoUseNeighbour[] = [];
      for (const [b, count] of row) {
        if (count >= MIN_CO_CITIZENS)
          list.push({
            id: b,
            similarity: shrunkCoUse(count, degree.get(a)!, degree.get(b)!),
            lift: coUseLiftLowerBound(count, expectedCoUse(degree.get(a)!, degree.get(b)!, activity)),
          });
      }
      list.sort((x, y) => y.similarity - x.similarity || (x.id < y.id ? -1 : 1));
      if (list.length > 0) neighbours.set(a, list.slice(0, NEIGHBOURS_PER_SERVICE));
    }
    return neighbours;
  }

  private candidateOf(s: FeatureService, slot: number): Candidate {
    const r = this.ratings.get(s.id);
    return {
      id: s.id,
      title: s.title,
      categoryId: s.categoryId,
      parentCategoryId: s.parentCategoryId,
      categoryName: s.categoryName,
      launchedAt: null,
      upvotes: 0,
      downvotes: 0,
      ratingCount: r?.count ?? 0,
      ratingSum: r?.sum ?? 0,
      popularity: this.popularity.get(s.id) ?? 0,
      recentDemand: this.recentDemand.get(s.id) ?? 0,
      slot,
    };
  }

  /** The services `citizen` is eligible for as of the features' moment, as candidates. */
  candidatesFor(citizen: FeatureCitizen): Candidate[] {
    return this.candidates.filter((_, i) => isEligible(citizen, this.services[i], this.asOf));
  }

  /** Decayed citywide demand per service. */
  popularityOf(serviceId: string): number {
    return this.popularity.get(serviceId) ?? 0;
  }

  /** The decayed demand of a district × age band per service. */
  segmentOf(districtCode: string, ageBand: AgeBand | null): ReadonlyMap<string, number> {
    return (ageBand && this.segments.get(`${districtCode}:${ageBand}`)) || new Map();
  }

  /** The services of the citizen's history with the number of signals about each. */
  historyCounts(citizenId: string): Map<string, number> {
    return new Map([...(this.histories.get(citizenId) ?? new Map())].map(([id, h]) => [id, h.count]));
  }

  private cohortShare(ageBand: AgeBand, tag: string): CohortShare {
    const key = `${ageBand}:${tag}`;
    return nested(this.cohortShareCache, key, () => {
      const scores = this.cohortScores.get(key) ?? new Map<string, number>();
      let total = 0;
      for (const v of scores.values()) total += v;
      return { tag, shares: new Map([...scores].map(([id, v]) => [id, total > 0 ? v / total : 0])) };
    });
  }

  /** The citizen's signals as scoring reads them (personalised), as of the features' moment. */
  signalsFor(citizen: FeatureCitizen): CitizenSignals {
    const ageBand = ageBandOf(citizen.birthYear, this.asOf);
    const history =
      this.histories.get(citizen.id) ?? new Map<string, { affinity: number; count: number; lastAt: number }>();
    const text = new Map<string, { score: number; terms: readonly string[] }>();
    for (const request of this.texts.get(citizen.id) ?? []) {
      const recency = 2 ** (-(this.asOf.getTime() - request.at.getTime()) / DAY_MS / HALF_LIFE_DAYS);
      for (const { serviceId, score } of this.textMatch(request.text)) {
        if (score * recency > (text.get(serviceId)?.score ?? 0))
          text.set(serviceId, { score: score * recency, terms: [request.text] });
      }
    }
    return {
      personalized: true,
      districtName: citizen.districtName,
      ageBand,
      interestCategoryIds: new Set(citizen.interestCategoryIds),
      segment: this.segmentOf(citizen.districtCode, ageBand),
      ageBandDemand: (ageBand && this.ageBands.get(ageBand)) || new Map(),
      cohort: ageBand ? [...new Set(citizen.tags)].sort().map((tag) => this.cohortShare(ageBand, tag)) : [],
      history: new Map([...history].map(([id, h]) => [id, h.affinity])),
      historyCounts: new Map([...history].map(([id, h]) => [id, h.count])),
      historyLastAt: new Map([...history].map(([id, h]) => [id, h.lastAt])),
      neighbours: this.neighbours,
      text,
      repeatRate: this.repeatRate,
      now: this.asOf,
    };
  }
}
