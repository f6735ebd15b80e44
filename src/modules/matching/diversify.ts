import type { CitizenSignals, ScoredCandidate, ScoredSource, Candidate } from './scoring';
import { TUNING, type Tuning } from './ranking-model';

const DAY_MS = 86_400_000;

/** The diversity cap: at most `perCategory` services of one leaf category in the first `positions`. */
export const CATEGORY_CAP = { perCategory: 3, positions: 10 };
/**
 * A citizen's history asks for more of a category than the cap allows when the category holds
 * at least this share of their recent (decayed) history, of at least `minSignals` signals (the
 * default; a fitted model may set its own, capExemptionSignals, never under 1).
 */
export const CAP_EXEMPTION = { historyShare: 0.5, minSignals: TUNING.capExemptionSignals };

/** How a model reads a history for the cap: the signals it needs, and how fast a category's use fades. */
export interface ExemptionRule {
  minSignals: number;
  /** Halvings a day of a category's part since the citizen last used it (a model's tasteFading). */
  fading: number;
}

/** The rule of a model's tuning. */
export function exemptionRuleOf(tuning: Pick<Tuning, 'capExemptionSignals' | 'tasteFading'>): ExemptionRule {
  return { minSignals: tuning.capExemptionSignals, fading: tuning.tasteFading };
}

/**
 * The categories the citizen's own history asks to see more of than the diversity cap allows:
 * those holding at least CAP_EXEMPTION.historyShare of their recent (decayed) history, when it
 * counts at least `rule.minSignals` signals; with `rule.fading`, a category's part fades with
 * the time since its last use, as the model's category taste does, so that a burst of use
 * that stopped weeks ago asks for nothing. Empty without personalisation.
 */
export function categoriesAskedFor(
  citizen: Pick<CitizenSignals, 'personalized' | 'history' | 'historyCounts' | 'historyLastAt' | 'now'>,
  categoryOf: (serviceId: string) => string | undefined,
  rule: ExemptionRule = exemptionRuleOf(TUNING),
): Set<string> {
  const asked = new Set<string>();
  if (!citizen.personalized) return asked;
  let signals = 0;
  for (const count of citizen.historyCounts.values()) signals += count;
  if (signals < Math.max(1, rule.minSignals)) return asked;
  const byCategory = new Map<string, number>();
  const lastUse = new Map<string, number>();
  for (const [serviceId, affinity] of citizen.history) {
    const category = categoryOf(serviceId);
    if (!category) continue;
    byCategory.set(category, (byCategory.get(category) ?? 0) + affinity);
    const at = citizen.historyLastAt?.get(serviceId) ?? Number.NaN;
    if (Number.isFinite(at)) lastUse.set(category, Math.max(lastUse.get(category) ?? at, at));
  }
  let total = 0;
  for (const [category, value] of byCategory) {
    const at = lastUse.get(category);
    const faded =
      at === undefined ? value : value * 2 ** (-rule.fading * (Math.max(0, citizen.now.getTime() - at) / DAY_MS));
    byCategory.set(category, faded);
    total += faded;
  }
  // Nothing in the history at all: 0 / 0 is no share.
  for (const [category, value] of byCategory) if (value / total >= CAP_EXEMPTION.historyShare) asked.add(category);
  return asked;
}

/** Positions re-ranked for diversity; beyond them the order is by score. */
export const DIVERSIFIED_POSITIONS = 100;

function categorySimilarity(a: Candidate, b: Candidate): number {
  if (a.categoryId === b.categoryId) return 1;
  if (a.parentCategoryId && a.parentCategoryId === b.parentCategoryId) return 0.3;
  return 0;
}

/** By score, ties by id: the order diversification starts from. */
const rankOrder = (scoreA: number, idA: string, scoreB: number, idB: string): number =>
  scoreB - scoreA || idA.localeCompare(idB);
const byRank = (a: ScoredCandidate, b: ScoredCandidate): number =>
  rankOrder(a.score, a.candidate.id, b.score, b.candidate.id);

const NO_CATEGORIES: ReadonlySet<string> = new Set();

/**
 * Ranks by score with maximal marginal relevance over categories for the first positions:
 * each next pick maximises λ·relevance − (1−λ)·(category similarity to the last ten picks;
 * a window, so that a category returns once others have had their turn), and the first
 * CATEGORY_CAP.positions hold at most CATEGORY_CAP.perCategory services of one leaf category
 * except those of `uncapped` (categoriesAskedFor). Deterministic (ties by id; when nothing scores
 * above zero, in catalogue order), so pages of the
 * ranking are stable.
 */
export function diversify(
  scored: readonly ScoredCandidate[],
  positions = DIVERSIFIED_POSITIONS,
  uncapped: ReadonlySet<string> = NO_CATEGORIES,
): ScoredCandidate[] {
  const remaining = [...scored].sort(byRank);
  const top = remaining[0]?.score ?? 0;
  // Nothing scores above zero (no signal for any of them, nothing known of the citizen): by
  // score, ties in catalogue order (slots follow the services' codes), not by random ids.
  if (top <= 0) return remaining.sort((a, b) => b.score - a.score || a.candidate.slot - b.candidate.slot);
  const picked = pickDiverse(remaining, positions, top, uncapped);
  return [...picked, ...remaining];
}

/** A list of scored candidates as a source. */
export function sourceOf(scored: readonly ScoredCandidate[]): ScoredSource {
  return {
    size: scored.length,
    score: (index) => scored[index].score,
    candidate: (index) => scored[index].candidate,
    scored: (index) => scored[index],
  };
}

const isSource = (scored: readonly ScoredCandidate[] | ScoredSource): scored is ScoredSource => !Array.isArray(scored);

/** Every scored candidate of a list or a source. */
function allOf(scored: readonly ScoredCandidate[] | ScoredSource): readonly ScoredCandidate[] {
  return isSource(scored) ? Array.from({ length: scored.size }, (_, index) => scored.scored(index)) : scored;
}

/**
 * The candidates that can reach the first `count` (at least 1) positions of `diversify(scored,
 * count, uncapped)`, in rank order, or undefined when nothing scores above zero or fewer than
 * `count` of them can be picked at all. A pick only looks at candidates whose relevance is within
 * (1−λ)/λ of the best pickable one's. Services of one category are picked in score order
 * (their similarity to any pick is the same), so the cap only ever passes over a category's
 * services after its best `perCategory`: the best pickable score never falls below the floor
 * (the count-th best score once those are left out), and whatever scores lower than the floor
 * less (1−λ)/λ·top is never looked at. This narrowing is what makes diversifiedTop cheaper than
 * diversify: only these are sorted.
 */
export function contendersOf(
  scored: readonly ScoredCandidate[],
  count: number,
  uncapped: ReadonlySet<string> = NO_CATEGORIES,
): ScoredCandidate[] | undefined {
  return contenderIndexes(sourceOf(scored), count, uncapped)?.map((index) => scored[index]);
}

/** contendersOf over a source: the contenders' indexes, in rank order. */
function contenderIndexes(source: ScoredSource, count: number, uncapped: ReadonlySet<string>): number[] | undefined {
  // The best `count` scores, smallest first, in one pass (best[length] is undefined, never
  // below a score: the search stops there).
  const best: number[] = [];
  for (let index = 0; index < source.size; index += 1) {
    const score = source.score(index);
    if (best.length === count && score <= best[0]) continue;
    if (best.length === count) best.shift();
    let at = 0;
    while (best[at] < score) at += 1;
    best.splice(at, 0, score);
  }
  // Fewer than `count` candidates: undefined.
  const top = best[count - 1];
  if (!(top > 0)) return undefined;
  const lambda = TUNING.mmrLambda;
  // A little lower than the bound, against rounding: more contenders change nothing.
  const margin = ((1 - lambda) / lambda) * top * 1.001;
  // The count-th best score bounds the floor from above: the contenders of that bound are the
  // head of the rank order, so the floor found within them is the whole list's.
  const threshold = best[0] - margin;
  const contenders = rankedAtLeast(source, threshold);
  // Too few of them pickable under the cap (the best scores of a category or two): the floor
  // is sought in the whole rank order, scores only, before any candidate is built.
  const floor =
    pickableFloor(source, contenders, count, uncapped) ??
    pickableFloor(source, rankedAtLeast(source, -Infinity), count, uncapped);
  if (floor === undefined) return undefined;
  return floor - margin < threshold ? rankedAtLeast(source, floor - margin) : contenders;
}

/** The indexes of the candidates scoring at least `threshold`, in rank order. */
function rankedAtLeast(source: ScoredSource, threshold: number): number[] {
  const indexes: number[] = [];
  for (let index = 0; index < source.size; index += 1) if (source.score(index) >= threshold) indexes.push(index);
  // rankOrder, with the ids read only on a tie (reading a candidate is a cache miss).
  return indexes.sort(
    (a, b) => source.score(b) - source.score(a) || source.candidate(a).id.localeCompare(source.candidate(b).id),
  );
}

/** The score of the count-th candidate (in rank order) that the cap lets be picked, if there is one. */
function pickableFloor(
  source: ScoredSource,
  ranked: readonly number[],
  count: number,
  uncapped: ReadonlySet<string>,
): number | undefined {
  const perCategory = new Map<string, number>();
  let pickable = 0;
  for (const index of ranked) {
    const category = source.candidate(index).categoryId;
    const seen = (perCategory.get(category) ?? 0) + 1;
    perCategory.set(category, seen);
    if (seen <= CATEGORY_CAP.perCategory || uncapped.has(category)) pickable += 1;
    if (pickable === count) return source.score(index);
  }
  return undefined;
}

/**
 * The first `count` positions of `diversify(scored, count, uncapped)`, without sorting the
 * candidates that cannot reach them (contendersOf), nor, from a source, building their
 * scored candidates.
 */
export function diversifiedTop(
  scored: readonly ScoredCandidate[] | ScoredSource,
  count: number,
  uncapped: ReadonlySet<string> = NO_CATEGORIES,
): ScoredCandidate[] {
  if (count <= 0) return [];
  const source = isSource(scored) ? scored : sourceOf(scored);
  const indexes = contenderIndexes(source, count, uncapped);
  if (!indexes) return diversify(allOf(scored), count, uncapped).slice(0, count);
  const contenders = indexes.map((index) => source.scored(index));
  return pickDiverse(contenders, count, contenders[0].score, uncapped);
}

/**
 * The first `count` positions of the ranking: diversified (the first DIVERSIFIED_POSITIONS) as
 * if nothing were hidden, then without the `hidden` services, so that hiding one moves no other.
 */
export function rankedTop(
  scored: readonly ScoredCandidate[] | ScoredSource,
  count: number,
  uncapped: ReadonlySet<string> = NO_CATEGORIES,
  hidden: ReadonlySet<string> = NO_CATEGORIES,
): ScoredCandidate[] {
  const reach = count + hidden.size;
  const ranked =
    reach <= DIVERSIFIED_POSITIONS
      ? diversifiedTop(scored, reach, uncapped)
      : diversify(allOf(scored), DIVERSIFIED_POSITIONS, uncapped);
  return ranked.filter((s) => !hidden.has(s.candidate.id)).slice(0, count);
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
