import { SignalKind } from '../signals/signal-kind';
import { categoriesAskedFor, exemptionRuleOf, rankedTop } from './diversify';
import { BASELINES, baselineTop, type Baseline } from './ranking-baselines';
import { FITTED_PARAMETERS, TUNING, parameterOf, parametersOf, tuningWith, type Tuning } from './ranking-model';
import { scoredSource, type Candidate, type CatalogueSlots, type CitizenSignals } from './scoring';
import {
  SignalFeatures,
  type FeatureCitizen,
  type FeatureService,
  type SignalRecord,
  type TextMatch,
  type TextRecord,
} from './signal-features';

/**
 * Fitting the blend's weights and schedules on a city's own signals, on a time split:
 *
 *   |— history (historyDays) —|— validation week —|— fit week —|— evaluation week —|
 *                             V                   F            E                    end
 *
 * The fit scores citizens as of F (features from the signals before F) against what they
 * used in the fit week, and moves the parameters by coordinate ascent on mean NDCG@10 (from
 * each of FIT_STARTS). Its guard (validateFit) scores the searches' results and the defaults
 * as of V against the week before the fit week, which no search optimised: a fitted model is
 * kept only if it beats the defaults there. The evaluation then scores as of E against the
 * last week, for the kept parameters, the defaults and the simple baselines. The fit reads
 * signals only before E (fitTuningOn gets a source that refuses anything later); only the
 * evaluation reads the last week.
 */

const DAY_MS = 86_400_000;
export const NDCG_K = 10;

/** Where the signals come from: the signal table, or a simulated world's log. */
export interface SignalSource {
  services(): Promise<FeatureService[]>;
  citizens(): Promise<Map<string, FeatureCitizen>>;
  /** Signals about services and free-text requests with `since` ≤ at < `before`. */
  signals(since: Date, before: Date): Promise<{ signals: SignalRecord[]; texts: TextRecord[] }>;
  textMatch(): Promise<TextMatch>;
}

/** A source that refuses to read signals at or after `limit`: what the fit is given. */
export function sourceBefore(source: SignalSource, limit: Date): SignalSource {
  return {
    services: () => source.services(),
    citizens: () => source.citizens(),
    textMatch: () => source.textMatch(),
    async signals(since, before) {
      if (before.getTime() > limit.getTime())
        throw new Error(
          `The fit may not read signals after ${limit.toISOString()} (asked up to ${before.toISOString()})`,
        );
      return source.signals(since, before);
    },
  };
}

export interface FitOptions {
  /** The end of the evaluation week (now, for the job). */
  end: Date;
  evaluationDays: number;
  fitDays: number;
  /** Days of signals behind each split's features. */
  historyDays: number;
  /** Fewer citizens with a use in the fit week than this: no fit, the defaults stay. */
  minQueries: number;
  /** At most this many citizens are scored per split (a deterministic sample). */
  maxQueries: number;
  /** Rounds of coordinate ascent over the parameters. */
  rounds: number;
  /** Where the searches start (FIT_STARTS by default). */
  starts?: ReadonlyArray<Readonly<Record<string, number>>>;
  /** A later start's search is kept only this many standard errors clear (START_STANDARD_ERRORS by default). */
  startStandardErrors?: number;
}

export const DEFAULT_FIT: Omit<FitOptions, 'end'> = {
  evaluationDays: 7,
  fitDays: 7,
  historyDays: 90,
  minQueries: 100,
  maxQueries: 1500,
  rounds: 5,
};

/** One citizen's ranking to score: their eligible candidates and signals as of a split, and what they used after. */
export interface RankingQuery {
  citizenId: string;
  candidates: Candidate[];
  signals: CitizenSignals;
  relevant: ReadonlySet<string>;
}

export interface SplitQueries {
  queries: RankingQuery[];
  slots: CatalogueSlots;
  /** Citizens with a use in the window (before sampling). */
  citizens: number;
  signals: number;
}

export function ndcgAt(ranked: readonly string[], relevant: ReadonlySet<string>, k = NDCG_K): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i += 1) if (relevant.has(ranked[i])) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i += 1) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Per citizen, the services they viewed, used or rated in the signals (what a ranking should have shown). */
export function usedServices(signals: readonly SignalRecord[]): Map<string, Set<string>> {
  const truth = new Map<string, Set<string>>();
  for (const s of signals) {
    if (s.kind !== SignalKind.VIEW && s.kind !== SignalKind.USE && s.kind !== SignalKind.RATING) continue;
    let set = truth.get(s.citizenId);
    if (!set) truth.set(s.citizenId, (set = new Set()));
    set.add(s.serviceId);
  }
  return truth;
}

/** A stable order of citizens for sampling (FNV-1a of the id). */
function sampleKey(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i += 1) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The queries of one split: features as of `at` from the `historyDays` before, truth from [at, until). */
export async function splitQueries(
  source: SignalSource,
  at: Date,
  until: Date,
  options: Pick<FitOptions, 'historyDays' | 'maxQueries'>,
): Promise<SplitQueries> {
  const [services, citizens, textMatch] = await Promise.all([source.services(), source.citizens(), source.textMatch()]);
  const past = await source.signals(new Date(at.getTime() - options.historyDays * DAY_MS), at);
  const after = await source.signals(at, until);
  const features = new SignalFeatures(services, citizens, past.signals, past.texts, at, textMatch);
  const truth = usedServices(after.signals);
  const ids = [...truth.keys()]
    .filter((id) => citizens.has(id))
    .sort((a, b) => sampleKey(a) - sampleKey(b) || (a < b ? -1 : 1));
  const queries: RankingQuery[] = [];
  for (const id of ids.slice(0, options.maxQueries)) {
    const citizen = citizens.get(id)!;
    const candidates = features.candidatesFor(citizen);
    const eligible = new Set(candidates.map((c) => c.id));
    const relevant = new Set([...truth.get(id)!].filter((s) => eligible.has(s)));
    if (relevant.size > 0) queries.push({ citizenId: id, candidates, signals: features.signalsFor(citizen), relevant });
  }
  return { queries, slots: features.slots, citizens: ids.length, signals: past.signals.length };
}

/** The first NDCG_K services of a query's ranking under `tuning`, as recommendedServices orders them. */
export function engineTop(query: RankingQuery, slots: CatalogueSlots, tuning: Tuning = TUNING): string[] {
  const scored = scoredSource(query.candidates, query.signals, undefined, slots, tuning);
  const categoryOf = new Map(query.candidates.map((c) => [c.id, c.categoryId]));
  const uncapped = categoriesAskedFor(query.signals, (id) => categoryOf.get(id), exemptionRuleOf(tuning));
  return rankedTop(scored, NDCG_K, uncapped).map((s) => s.candidate.id);
}

export function meanNdcg(split: Pick<SplitQueries, 'queries' | 'slots'>, tuning: Tuning): number {
  if (split.queries.length === 0) return 0;
  let sum = 0;
  for (const q of split.queries) sum += ndcgAt(engineTop(q, split.slots, tuning), q.relevant);
  return sum / split.queries.length;
}

/**
 * Values tried for a parameter now at `value`: in the first round a wide range (its lowest
 * value, and an eighth to eight times the value), then halving and doubling, then finer steps.
 * From its lowest value, levels a factor of ten apart up to its highest (from 0), or 2 to 64
 * times the lowest.
 */
export function stepsFrom(value: number, round: number, bounds: { min: number; max: number }): number[] {
  if (value <= bounds.min)
    return bounds.min > 0
      ? [2, 4, 8, 16, 64].map((f) => bounds.min * f)
      : [1e-4, 1e-3, 1e-2, 0.1, 1].map((f) => bounds.max * f);
  if (round === 0) return [bounds.min, value / 8, value / 4, value / 2, value * 2, value * 4, value * 8];
  if (round === 1) return [value * 0.5, value * 0.7, value * 1.4, value * 2];
  return [value * 0.85, value * 1.15, value * 0.6, value * 1.6];
}

export interface FitTrace {
  ndcg: number;
  /** Evaluations of the fit week, over every start. */
  evaluations: number;
  /** The start the kept search began from: the parameters it set apart from the defaults (empty: the defaults). */
  start: Record<string, number>;
  /**
   * Each start's search (multiStartAscent): its start, its NDCG@10 on the fit week, its gain over
   * the search kept before it with the standard error of that gain, and whether it is kept.
   */
  searches?: { start: Record<string, number>; ndcg: number; gain: number; standardError: number; kept: boolean }[];
  /** The guard on the week before the fit week (validateFit): what each model scored there, which was kept. */
  validation?: FitValidation;
  /** Each accepted move: parameter, from, to, NDCG@10 after. */
  moves: { parameter: string; from: number; to: number; ndcg: number }[];
}

/** One accepted move of a coordinate ascent: parameter, from, to, the objective after. */
export interface AscentMove {
  parameter: string;
  from: number;
  to: number;
  value: number;
}

export interface AscentOptions {
  rounds: number;
  start?: Tuning;
  /** A move is taken only if it raises the objective by more than this. */
  minGain?: number;
  /** Called after each accepted move (progress of a long search). */
  onMove?: (move: AscentMove, round: number) => void;
  /** Checked before each parameter: true ends the search with the best values so far. */
  stop?: () => boolean;
  /** The names of FITTED_PARAMETERS the search may move (all by default). */
  parameters?: readonly string[];
}

/**
 * Coordinate ascent over FITTED_PARAMETERS on any objective of a tuning (higher is better):
 * each parameter in turn takes the value among stepsFrom's that raises the objective the most
 * (by more than `minGain`), for `rounds` rounds or until no move helps. Deterministic; yields
 * to the event loop after each evaluation.
 */
export async function ascend(
  objective: (tuning: Tuning) => number,
  options: AscentOptions,
): Promise<{ tuning: Tuning; value: number; evaluations: number; moves: AscentMove[] }> {
  const start = options.start ?? TUNING;
  const minGain = options.minGain ?? 0.0005;
  let values = parametersOf(start);
  let best = objective(tuningWith(values, start));
  let evaluations = 1;
  const moves: AscentMove[] = [];
  search: for (let round = 0; round < options.rounds; round += 1) {
    let moved = false;
    for (const parameter of FITTED_PARAMETERS) {
      if (options.parameters && !options.parameters.includes(parameter.name)) continue;
      if (options.stop?.()) break search;
      const from = values[parameter.name];
      let bestValue = from;
      for (const step of stepsFrom(from, round, parameter)) {
        const value = Math.min(parameter.max, Math.max(parameter.min, step));
        if (value === from) continue;
        const score = objective(tuningWith({ ...values, [parameter.name]: value }, start));
        evaluations += 1;
        // A server fitting in its own process stays responsive between evaluations.
        await new Promise((resolve) => setImmediate(resolve));
        if (score > best + minGain) {
          best = score;
          bestValue = value;
        }
      }
      if (bestValue !== from) {
        values = { ...values, [parameter.name]: bestValue };
        const move = { parameter: parameter.name, from, to: bestValue, value: best };
        moves.push(move);
        options.onMove?.(move, round);
        moved = true;
      }
    }
    if (!moved) break;
  }
  return { tuning: tuningWith(values, start), value: best, evaluations, moves };
}

/** A move is taken, and a later start's search kept, only if it raises the fit week's NDCG@10 by more than this. */
export const MIN_GAIN = 0.0005;

/**
 * Where the fit's searches start: the defaults, and the defaults with the city's demand read
 * from its last days (trendMix 1). trendMix changes what the city's demand is — the input of
 * POPULAR, of the segment's smoothing and of the category taste's passing to services — so the
 * weights of those parts are worth fitting in either frame: from the defaults, where POPULAR is
 * 0, turning it on alone moves little, and by the time a single search tries it the other
 * weights have settled around the 60-day demand (it is the last parameter tried). Each start
 * runs its own coordinate ascent; a later start's result is kept only when it is clearly better
 * on the fit week (multiStartAscent). Each start is a full search: two starts, about twice the
 * evaluations of one.
 */
export const FIT_STARTS: ReadonlyArray<Readonly<Record<string, number>>> = [{}, { trendMix: 1 }];

/**
 * The fit's search: coordinate ascent (ascend) on the mean NDCG@10 of the fit week, each move
 * taken if it raises it by more than MIN_GAIN, from `start`.
 */
export async function coordinateAscent(
  split: Pick<SplitQueries, 'queries' | 'slots'>,
  rounds: number,
  start: Tuning = TUNING,
): Promise<{ tuning: Tuning; trace: FitTrace }> {
  const result = await ascend((tuning) => meanNdcg(split, tuning), { rounds, start, minGain: MIN_GAIN });
  const moves = result.moves.map(({ parameter, from, to, value }) => ({ parameter, from, to, ndcg: value }));
  const defaults = parametersOf(TUNING);
  const startValues = Object.fromEntries(
    Object.entries(parametersOf(start)).filter(([name, value]) => value !== defaults[name]),
  );
  return {
    tuning: result.tuning,
    trace: { ndcg: result.value, evaluations: result.evaluations, start: startValues, moves },
  };
}

/** Each query's NDCG@10 under `tuning`, in the split's order. */
export function queryNdcgs(split: Pick<SplitQueries, 'queries' | 'slots'>, tuning: Tuning): number[] {
  return split.queries.map((q) => ndcgAt(engineTop(q, split.slots, tuning), q.relevant));
}

/** The mean of paired differences b − a and its standard error. */
export function pairedGain(a: readonly number[], b: readonly number[]): { gain: number; standardError: number } {
  const n = a.length;
  if (n === 0) return { gain: 0, standardError: 0 };
  const d = a.map((x, i) => b[i] - x);
  const gain = d.reduce((sum, x) => sum + x, 0) / n;
  const variance = n > 1 ? d.reduce((sum, x) => sum + (x - gain) ** 2, 0) / (n - 1) : 0;
  return { gain, standardError: Math.sqrt(variance / n) };
}

/**
 * A later start's search is kept only if its gain on the fit week over the one kept so far
 * stands this many standard errors (of the citizens' paired differences) clear of zero.
 */
export const START_STANDARD_ERRORS = 1;

/**
 * Coordinate ascent from each of `starts` (parameter values put into the defaults). The first
 * start's result is kept unless a later one beats it on the fit week by more than MIN_GAIN and
 * by more than `standardErrors` standard errors of the per-citizen paired differences: two
 * searches end at points that score alike within the week's noise, and the one from the
 * defaults stays then. Reads the fit week's queries only.
 */
export async function multiStartAscent(
  split: Pick<SplitQueries, 'queries' | 'slots'>,
  rounds: number,
  starts: ReadonlyArray<Readonly<Record<string, number>>> = FIT_STARTS,
  standardErrors = START_STANDARD_ERRORS,
): Promise<{ tuning: Tuning; trace: FitTrace; searched: Tuning[] }> {
  let kept: { tuning: Tuning; trace: FitTrace; ndcgs: number[] } | undefined;
  let evaluations = 0;
  const searches: FitTrace['searches'] = [];
  const searched: Tuning[] = [];
  for (const start of starts.length > 0 ? starts : [{}]) {
    const result = await coordinateAscent(split, rounds, tuningWith(start));
    searched.push(result.tuning);
    evaluations += result.trace.evaluations;
    const ndcgs = queryNdcgs(split, result.tuning);
    if (!kept) {
      kept = { ...result, ndcgs };
      searches.push({ start: result.trace.start, ndcg: result.trace.ndcg, gain: 0, standardError: 0, kept: true });
      continue;
    }
    const { gain, standardError } = pairedGain(kept.ndcgs, ndcgs);
    const better = gain > MIN_GAIN && gain > standardErrors * standardError;
    searches.push({ start: result.trace.start, ndcg: result.trace.ndcg, gain, standardError, kept: better });
    if (better) {
      for (const s of searches) s.kept = false;
      searches[searches.length - 1].kept = true;
      kept = { ...result, ndcgs };
    }
  }
  return { tuning: kept!.tuning, trace: { ...kept!.trace, evaluations, searches }, searched };
}

export interface FitWindow {
  historyFrom: Date;
  fitFrom: Date;
  evaluationFrom: Date;
  evaluationTo: Date;
}

export function fitWindow(options: FitOptions): FitWindow {
  const evaluationFrom = new Date(options.end.getTime() - options.evaluationDays * DAY_MS);
  const fitFrom = new Date(evaluationFrom.getTime() - options.fitDays * DAY_MS);
  return {
    historyFrom: new Date(fitFrom.getTime() - options.historyDays * DAY_MS),
    fitFrom,
    evaluationFrom,
    evaluationTo: options.end,
  };
}

/**
 * A fitted model's values moved `share` of the way back to the defaults: a parameter that is
 * above 0 both fitted and by default by the geometric mean (the bounds span orders of
 * magnitude), otherwise linearly.
 */
export function shrunkTowardsDefaults(tuning: Tuning, share: number): Tuning {
  const defaults = parametersOf(TUNING);
  const values = parametersOf(tuning);
  const shrunk: Record<string, number> = {};
  for (const p of FITTED_PARAMETERS) {
    const [d, f] = [defaults[p.name], values[p.name]];
    const value = d > 0 && f > 0 ? d ** share * f ** (1 - share) : share * d + (1 - share) * f;
    shrunk[p.name] = Math.min(p.max, Math.max(p.min, value));
  }
  return tuningWith(shrunk);
}

/** One model the validation week judges: the defaults, a search's result, or one shrunk towards the defaults. */
export interface ValidationCandidate {
  label: string;
  tuning: Tuning;
  /** Mean NDCG@10 on the validation week. */
  ndcg: number;
  /** Paired gain over the defaults on the validation week, and its standard error. */
  gain: number;
  standardError: number;
}

export interface FitValidation {
  /** Citizens scored on the validation week. */
  queries: number;
  from: string;
  to: string;
  candidates: { label: string; ndcg: number; gain: number; standardError: number }[];
  /** The candidate kept ('defaults': the fit did not carry over to the week before). */
  kept: string;
}

/**
 * How far a fitted model is shrunk towards the defaults, as a candidate beside it: halfway
 * (geometric for parameters above 0 both ways, see shrunkTowardsDefaults).
 */
export const VALIDATION_SHRINK = 0.5;

/**
 * The guard of a fit, on data its search did not read: the validation week, the `fitDays`
 * before the fit week, scored as of its own start (features from the history before it). Each
 * start's search result, each shrunk halfway towards the defaults (shrunkTowardsDefaults) and
 * the defaults are scored there.
 *
 * - Which search: the one with the highest NDCG@10 over both weeks (its fit-week NDCG@10, from
 *   `searches`, plus its validation-week NDCG@10). Both searches were fitted on the fit week, so
 *   it says little between them on its own; the validation week adds what it did not see.
 * - Whether to keep it: only if it beats the defaults on the validation week by more than
 *   MIN_GAIN (its gain on the fit week is what the search maximised, so it does not count);
 *   otherwise its shrunk version, if that does; otherwise the defaults stay.
 *
 * With fewer than `minQueries` citizens in the validation week the fit cannot be judged, and the
 * defaults stay.
 */
export function validateFit(
  validation: Pick<SplitQueries, 'queries' | 'slots'>,
  searches: ReadonlyArray<{ tuning: Tuning; ndcg: number }>,
  minQueries: number,
): { tuning: Tuning; candidates: (ValidationCandidate & { tuning: Tuning })[]; kept: string } {
  const models: { label: string; tuning: Tuning }[] = [{ label: 'defaults', tuning: TUNING }];
  searches.forEach(({ tuning }, i) => {
    models.push({ label: `search ${i + 1}`, tuning });
    models.push({ label: `search ${i + 1}, shrunk`, tuning: shrunkTowardsDefaults(tuning, VALIDATION_SHRINK) });
  });
  const base = queryNdcgs(validation, TUNING);
  const candidates = models.map(({ label, tuning }) => {
    const ndcgs = label === 'defaults' ? base : queryNdcgs(validation, tuning);
    const { gain, standardError } = pairedGain(base, ndcgs);
    const ndcg = ndcgs.reduce((sum, x) => sum + x, 0) / Math.max(1, ndcgs.length);
    return { label, tuning, ndcg, gain, standardError };
  });
  const byLabel = new Map(candidates.map((c) => [c.label, c]));
  const defaults = candidates[0];
  if (validation.queries.length < minQueries || searches.length === 0)
    return { tuning: defaults.tuning, candidates, kept: defaults.label };
  let chosen = 0;
  for (let i = 1; i < searches.length; i += 1) {
    const both = (j: number) => searches[j].ndcg + byLabel.get(`search ${j + 1}`)!.ndcg;
    if (both(i) > both(chosen)) chosen = i;
  }
  for (const label of [`search ${chosen + 1}`, `search ${chosen + 1}, shrunk`]) {
    const c = byLabel.get(label)!;
    if (c.gain > MIN_GAIN) return { tuning: c.tuning, candidates, kept: c.label };
  }
  return { tuning: defaults.tuning, candidates, kept: defaults.label };
}

/** The fit proper: reads only `source` before the evaluation week (give it sourceBefore). */
export async function fitTuningOn(
  source: SignalSource,
  options: FitOptions,
): Promise<
  | {
      tuning: Tuning;
      trace: FitTrace;
      fitQueries: number;
      /** Every model the validation week judged, with its tuning. */
      candidates: (ValidationCandidate & { tuning: Tuning })[];
    }
  | { tooLittleData: true; fitQueries: number }
> {
  const window = fitWindow(options);
  const split = await splitQueries(source, window.fitFrom, window.evaluationFrom, options);
  if (split.queries.length < options.minQueries) return { tooLittleData: true, fitQueries: split.queries.length };
  const { trace, searched } = await multiStartAscent(
    split,
    options.rounds,
    options.starts,
    options.startStandardErrors,
  );
  const validationFrom = new Date(window.fitFrom.getTime() - options.fitDays * DAY_MS);
  const validationWeek = await splitQueries(source, validationFrom, window.fitFrom, options);
  const guard = validateFit(
    validationWeek,
    searched.map((tuning, i) => ({ tuning, ndcg: trace.searches![i].ndcg })),
    options.minQueries,
  );
  const validation: FitValidation = {
    queries: validationWeek.queries.length,
    from: validationFrom.toISOString(),
    to: window.fitFrom.toISOString(),
    candidates: guard.candidates.map(({ label, ndcg, gain, standardError }) => ({ label, ndcg, gain, standardError })),
    kept: guard.kept,
  };
  return {
    tuning: guard.tuning,
    trace: { ...trace, validation },
    fitQueries: split.queries.length,
    candidates: guard.candidates,
  };
}

/** NDCG@10 on the evaluation week: the fitted parameters, the defaults and each baseline. */
export interface FitEvaluation {
  queries: number;
  fitted: number;
  defaults: number;
  baselines: Record<Baseline, number>;
}

export function evaluateSplit(split: SplitQueries, fitted: Tuning): FitEvaluation {
  const baselines = {} as Record<Baseline, number>;
  const n = Math.max(1, split.queries.length);
  for (const b of BASELINES) {
    let sum = 0;
    for (const q of split.queries) sum += ndcgAt(baselineTop(b, q.candidates, q.signals, q.citizenId), q.relevant);
    baselines[b] = sum / n;
  }
  return {
    queries: split.queries.length,
    fitted: meanNdcg(split, fitted),
    defaults: meanNdcg(split, TUNING),
    baselines,
  };
}

export type FitOutcome =
  | { kind: 'too little data'; window: FitWindow; fitQueries: number }
  | {
      kind: 'fitted';
      window: FitWindow;
      parameters: Record<string, number>;
      trace: FitTrace;
      fitQueries: number;
      evaluation: FitEvaluation;
    };

/**
 * Fits on the weeks before the last one (through sourceBefore: the evaluation week is never
 * read by the fit), then evaluates the fitted parameters, the defaults and the baselines on
 * the last week.
 */
export async function fitAndEvaluate(source: SignalSource, options: FitOptions): Promise<FitOutcome> {
  const window = fitWindow(options);
  const fit = await fitTuningOn(sourceBefore(source, window.evaluationFrom), options);
  if ('tooLittleData' in fit) return { kind: 'too little data', window, fitQueries: fit.fitQueries };
  const split = await splitQueries(source, window.evaluationFrom, window.evaluationTo, options);
  return {
    kind: 'fitted',
    window,
    parameters: parametersOf(fit.tuning),
    trace: fit.trace,
    fitQueries: fit.fitQueries,
    evaluation: evaluateSplit(split, fit.tuning),
  };
}

export { parameterOf };
