import { MatchReasonKind } from './match-reason';

/** The ranking blend's weights and schedules: defaults below, or a fitted model's (ranking-models.ts). */
export interface Tuning {
  weights: Record<MatchReasonKind, number>;
  categoryTaste: number;
  demandHalfPoint: number;
  segmentFloor: number;
  historyCountShare: number;
  historyHalfPoint: number;
  segmentSmoothing: number;
  segmentPriorPerService: number;
  selfSimilarity: number;
  neighbourHalfPoint: number;
  coUseLiftGate: number;
  coUseEarlyHalfPoint: number;
  sameCategorySimilarity: number;
  historyShareHalfPoint: number;
  mmrLambda: number;
  coUse: number;
  recentTaste: number;
  recentDays: number;
  historyFading: number;
  relatedTaste: number;
  tasteFading: number;
  ageBandSmoothing: number;
  capExemptionSignals: number;
  trendMix: number;
  thinTasteBoost: number;
  thinTasteHalfPoint: number;
  thinCityHalfPoint: number;
  repeatLiftReference: number;
  repeatLiftFloor: number;
  repeatPseudoCount: number;
  repeatMinExpected: number;
  repeatTasteGain: number;
}

/**
 * The blend's weights and constants, chosen on the offline evaluation (see "How the weights
 * were chosen" in docs/matching.md). Never changed by the product; the tuning script
 * (test/eval/tune-matching.ts) varies them to search for better ones.
 */
export const TUNING: Tuning = {
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
  },
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
  /**
   * Pseudo-signals per service the citizen may be shown, at the city's shares, added to
   * segmentSmoothing (scoring's segmentPriorOf): a segment's shares spread over the whole
   * catalogue, and a segment of a few dozen signals over 300 services is mostly noise that
   * a citizen without history would otherwise be ranked by. Not fitted.
   */
  segmentPriorPerService: 0.33,
  /** Past use of the service itself counts this many times as much as use of a perfectly similar neighbour. */
  selfSimilarity: 5,
  /**
   * History size at which what the history says about other services (co-use neighbours,
   * services of the same category) counts half; past use of a service itself counts in full
   * from the first signal. A signal or two says much about the service used, little about
   * what else the citizen will want. (At 5, a world of services used in sequence gained
   * 0.34 → 0.76–0.86 × item kNN, but a citizen whose own use is all of one category was shown
   * its co-used services before that category's: docs/matching.md, "Three more outside worlds".)
   */
  neighbourHalfPoint: 100,
  /**
   * A co-use pair whose lift over independence, counting its evidence (aggregates.ts,
   * coUseLiftLowerBound), is at least coUseLiftGate reaches the history by h / (h +
   * coUseEarlyHalfPoint) instead of neighbourHalfPoint's: where the city's co-use stands behind a
   * pair (services used one after another), a citizen who just did the first is shown the
   * second from their first signal; a few co-users of two rare services, which a lift alone
   * cannot tell from such a pair, are not enough. Off by default (at neighbourHalfPoint's value
   * or above it changes nothing): at 5 a world of services used in sequence gained 0.31 → 0.49 ×
   * item kNN, but long histories of a taste world lost (docs/matching.md, "A neighbour's early
   * reach gated by the pair's evidence"); a fit turns it on where the city's own weeks say so.
   */
  coUseLiftGate: 2,
  coUseEarlyHalfPoint: 100,
  /** Services of a category the citizen used count as weakly similar to what they used. */
  sameCategorySimilarity: 0.01,
  /** A service holding this share of the citizen's history scores 0.5 on OWN_HISTORY. */
  historyShareHalfPoint: 0.45,
  /** Relevance against category variety in the re-ranking of the first positions. */
  mmrLambda: 0.975,
  /**
   * Multiplier of the co-use similarities of the citizen's history's neighbours (item-to-item,
   * an OWN_HISTORY part): with selfSimilarity and sameCategorySimilarity, how much the history
   * reaches the service itself, its co-used services and its category's.
   */
  coUse: 1,
  /**
   * Weight of the categories of the citizen's recent use (an OWN_HISTORY part of its own): the
   * share of their services used in the last `recentDays` in each category. Off by default; a
   * fit turns it on where needs come in bursts (a life event's weeks).
   */
  recentTaste: 0,
  recentDays: 14,
  /**
   * Halvings a day of a history service's weight since the citizen's last signal about it: 0
   * (the default), standing needs recur for months; a fit raises it where use comes in bursts
   * that end (a life event's weeks), so that what the citizen has stopped using weighs less.
   */
  historyFading: 0,
  /**
   * Weight of the categories related to those of the citizen's recent use (an OWN_HISTORY
   * part): categories whose services are co-used with theirs (scoring's categoryLinks). Off by
   * default; a fit turns it on where needs come together (a life event's several services).
   */
  relatedTaste: 0,
  /**
   * Halvings a day of a category's part of the category taste since the citizen last used a
   * service of it: 0 (the default) counts the whole history alike.
   */
  tasteFading: 0,
  /**
   * Pseudo-count smoothing a segment's shares towards its age band's across the city, beside
   * segmentSmoothing's towards the city's: where demand follows age more than district, a
   * thin segment (or a newcomer's) leans on its band. 0 by default.
   */
  ageBandSmoothing: 0,
  /**
   * Signals a citizen's history needs before it may ask for more of one category than the
   * diversity cap allows (diversify.ts, categoriesAskedFor: the category must also hold half of
   * it). A fit may lower it where a newcomer's first signals already tell their need.
   */
  capExemptionSignals: 3,
  /**
   * Share of the city's demand (the POPULAR part, what a segment's demand is smoothed towards,
   * and so what a category's taste is passed on by) read from the city's views and uses of the
   * last TREND_DAYS instead of its 60-day demand. 0 by default; a fit raises it where deadlines
   * and campaigns (a payment window, an enrolment, a subsidy) make a few services spike for
   * everybody at once, which the 60-day demand sees late and forgets late.
   */
  trendMix: 0,
  /**
   * How much more the category taste counts for a thin history: its weight is categoryTaste ×
   * α × (1 + thinTasteBoost × T / (h + T)), T = thinTasteHalfPoint and h the history's size (as
   * in α). A signal or two says more about the category they were in than about what else the
   * citizen will want (co-use neighbours reach beyond the services used only as the history
   * grows, neighbourHalfPoint) or about the segment's demand: a citizen who used one household-
   * registration service is shown that category's other services before the segment's popular
   * ones. At one signal the taste counts 5 times as much, at ten 1.7 times, at fifty 1.16.
   * Not fitted: a fit scales it with categoryTaste (0 turns the whole taste off).
   */
  thinTasteBoost: 8,
  thinTasteHalfPoint: 1,
  /**
   * History size at which the category taste is passed on to its services half by the city's
   * demand and half by the segment's: with T = thinCityHalfPoint, the city's share weighs
   * T / (h + T). A thin history's few signals are mostly what the city shows everyone (its
   * popular services), and which of a category's services such a citizen uses follows the
   * city's use more than a segment's; a long history's taste is passed on by its segment's.
   * Not fitted.
   */
  thinCityHalfPoint: 5,
  /**
   * How much a used service itself counts, by the city's repeat lift (repeat-rate.ts: how
   * often its citizens come back to a service they used, over what their categories'
   * popularity predicts; scoring's selfShareOf, s): selfSimilarity in full at a lift of
   * repeatLiftReference or more, nothing at repeatLiftFloor or less, linear between.
   * repeatPseudoCount expected repeats at the reference are added to the city's own, and a
   * city whose categories' popularity predicts fewer than repeatMinExpected repeats (a young
   * city, too few to say) ranks as before. What a used service no longer takes
   * goes to its category: the category taste's weight is times 1 + repeatTasteGain × (1 − s).
   * The ramp is narrow and low: the simulated worlds read 1.2–3.1 and keep the defaults
   * (a wider ramp, from 1 to 2, cost the citywide-waves world 0.02); the API's worlds, whose
   * citizens land on a used service as its popularity says, read 1.03–1.06 (docs/matching.md,
   * "A city's own repeat rate"). Not fitted: a fit scales selfSimilarity and categoryTaste on
   * top (0 on either still turns it off).
   */
  repeatLiftReference: 1.2,
  repeatLiftFloor: 1.1,
  repeatPseudoCount: 50,
  repeatMinExpected: 100,
  repeatTasteGain: 3,
};

/**
 * The parameters a fit may move (`weights.KIND` or a top-level name), each within its bounds:
 * the components' weights, the own-category (categoryTaste) and co-use (coUse) baselines, and
 * the schedules of how a history's reach grows (historyHalfPoint, neighbourHalfPoint,
 * historyShareHalfPoint, recentDays) and how far a segment's demand leans on the city's
 * (segmentSmoothing). demandHalfPoint, historyCountShare and mmrLambda stay as
 * chosen: they shape the inputs' scales more than the blend.
 */
export const FITTED_PARAMETERS: ReadonlyArray<{ name: string; min: number; max: number }> = [
  { name: 'weights.TEXT_MATCH', min: 0, max: 5 },
  { name: 'weights.OWN_HISTORY', min: 0, max: 20 },
  { name: 'weights.SIMILAR_CITIZENS', min: 0, max: 5 },
  { name: 'weights.SEGMENT_DEMAND', min: 0, max: 5 },
  { name: 'weights.POPULAR', min: 0, max: 5 },
  { name: 'weights.WELL_RATED', min: 0, max: 1 },
  { name: 'weights.INTEREST', min: 0, max: 5 },
  { name: 'categoryTaste', min: 0, max: 5 },
  { name: 'recentTaste', min: 0, max: 5 },
  { name: 'recentDays', min: 2, max: 60 },
  { name: 'historyFading', min: 0, max: 2 },
  { name: 'relatedTaste', min: 0, max: 5 },
  { name: 'tasteFading', min: 0, max: 2 },
  { name: 'coUse', min: 0, max: 50 },
  { name: 'selfSimilarity', min: 0, max: 50 },
  { name: 'sameCategorySimilarity', min: 0, max: 2 },
  { name: 'segmentFloor', min: 0, max: 1 },
  { name: 'historyHalfPoint', min: 0.05, max: 50 },
  { name: 'neighbourHalfPoint', min: 0.5, max: 1000 },
  { name: 'coUseEarlyHalfPoint', min: 0.5, max: 1000 },
  { name: 'historyShareHalfPoint', min: 0.01, max: 10 },
  { name: 'segmentSmoothing', min: 0, max: 100_000 },
  { name: 'ageBandSmoothing', min: 0, max: 100_000 },
  { name: 'capExemptionSignals', min: 1, max: 20 },
  { name: 'trendMix', min: 0, max: 1 },
];

/** A parameter's value in `tuning` by its name (`weights.KIND` or a top-level name). */
export function parameterOf(tuning: Tuning, name: string): number {
  if (name.startsWith('weights.')) return tuning.weights[name.slice(8) as MatchReasonKind];
  return tuning[name as Exclude<keyof Tuning, 'weights'>];
}

/**
 * The defaults with `values` (by parameter name) put in: a fitted model's tuning. Names that
 * are not parameters of FITTED_PARAMETERS, and values out of their bounds or not finite, are
 * refused: a model row is read back only as it was fitted.
 */
export function tuningWith(values: Readonly<Record<string, number>>, base: Tuning = TUNING): Tuning {
  const tuning: Tuning = { ...base, weights: { ...base.weights } };
  for (const [name, value] of Object.entries(values)) {
    const parameter = FITTED_PARAMETERS.find((p) => p.name === name);
    if (!parameter) throw new Error(`Unknown ranking parameter ${name}`);
    if (!Number.isFinite(value) || value < parameter.min || value > parameter.max)
      throw new Error(`Ranking parameter ${name} out of bounds: ${value}`);
    if (name.startsWith('weights.')) tuning.weights[name.slice(8) as MatchReasonKind] = value;
    else (tuning as unknown as Record<string, number>)[name] = value;
  }
  return tuning;
}

/** The fitted parameters' values in `tuning`, by name. */
export function parametersOf(tuning: Tuning): Record<string, number> {
  return Object.fromEntries(FITTED_PARAMETERS.map((p) => [p.name, parameterOf(tuning, p.name)]));
}
