/** Ranking metrics of the offline evaluation; pure. */

export function ndcgAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k = 10): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i += 1) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

export function recallAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k = 10): number {
  if (relevant.size === 0) return 0;
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
}

export function averagePrecisionAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k = 10): number {
  let hits = 0;
  let sum = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) {
      hits += 1;
      sum += hits / (i + 1);
    }
  });
  return relevant.size === 0 ? 0 : sum / Math.min(k, relevant.size);
}

/** Gini coefficient of how often each item was recommended (0: even, 1: one item only). */
export function gini(counts: readonly number[]): number {
  const sorted = [...counts].sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((a, b) => a + b, 0);
  if (n === 0 || total === 0) return 0;
  let weighted = 0;
  sorted.forEach((c, i) => (weighted += (2 * (i + 1) - n - 1) * c));
  return weighted / (n * total);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Mean ± sample standard deviation, `scale` times (just the mean of one value). */
export function meanAndSpread(values: readonly number[], digits: number, scale = 1): string {
  const m = mean(values);
  if (values.length < 2) return (m * scale).toFixed(digits);
  const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
  return `${(m * scale).toFixed(digits)} ± ${(sd * scale).toFixed(digits)}`;
}

/** One labelled request as a matcher answered it: `expected` null when no service meets it. */
export interface RequestOutcome {
  kind: string;
  expected: readonly string[] | null;
  /** Service codes, best first. */
  ranked: readonly string[];
  /** The matcher's score (or confidence) of its best answer; unmet below a threshold. */
  score: number;
}

/** Whether one of the first `k` answers meets a request the catalogue meets. */
export function hitAt(outcome: RequestOutcome, k: number): boolean {
  const { expected } = outcome;
  return expected !== null && outcome.ranked.slice(0, k).some((code) => expected.includes(code));
}

/** A request is flagged unmet when nothing was found or its best score is under the threshold. */
export function flaggedUnmet(outcome: RequestOutcome, threshold: number): boolean {
  return outcome.ranked.length === 0 || outcome.score < threshold;
}

export interface RequestFigures {
  /** Requests the catalogue meets, and those it does not. */
  met: number;
  unmet: number;
  /** Shares of the met requests answered right first, and among the first three; null for none. */
  top1: number | null;
  top3: number | null;
  /** Share of the met requests wrongly flagged unmet; null for none. */
  metFlagged: number | null;
  /** Of the requests flagged unmet, the share that is unmet; null when none is flagged. */
  unmetPrecision: number | null;
  /** Of the unmet requests, the share flagged; null when there is none. */
  unmetRecall: number | null;
}

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

export function requestFigures(outcomes: readonly RequestOutcome[], threshold: number): RequestFigures {
  const met = outcomes.filter((o) => o.expected !== null);
  const unmet = outcomes.filter((o) => o.expected === null);
  const flagged = outcomes.filter((o) => flaggedUnmet(o, threshold));
  const truePositives = flagged.filter((o) => o.expected === null).length;
  return {
    met: met.length,
    unmet: unmet.length,
    top1: share(met.filter((o) => hitAt(o, 1)).length, met.length),
    top3: share(met.filter((o) => hitAt(o, 3)).length, met.length),
    metFlagged: share(flagged.length - truePositives, met.length),
    unmetPrecision: share(truePositives, flagged.length),
    unmetRecall: share(truePositives, unmet.length),
  };
}

/** F1 of the unmet flag: the harmonic mean of its precision and recall (0 when either is 0 or none). */
export function unmetF1(figures: RequestFigures): number {
  const p = figures.unmetPrecision ?? 0;
  const r = figures.unmetRecall ?? 0;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/**
 * The unmet threshold that best flags the unmet requests of `outcomes` (the tuning split):
 * the highest F1 of the unmet flag, then the highest balanced accuracy, then the lowest
 * threshold. Candidates are 0 (flag only requests with no answer) and the midpoints between
 * consecutive distinct best scores.
 */
export function chooseUnmetThreshold(outcomes: readonly RequestOutcome[]): number {
  const scores = [...new Set(outcomes.filter((o) => o.ranked.length > 0).map((o) => o.score))].sort((a, b) => a - b);
  const candidates = [0, ...scores.slice(1).map((s, i) => (scores[i] + s) / 2)];
  let best = { threshold: 0, f1: -1, balanced: -1 };
  for (const threshold of candidates) {
    const figures = requestFigures(outcomes, threshold);
    const f1 = unmetF1(figures);
    const balanced = ((figures.unmetRecall ?? 0) + (1 - (figures.metFlagged ?? 0))) / 2;
    if (f1 > best.f1 + 1e-12 || (Math.abs(f1 - best.f1) <= 1e-12 && balanced > best.balanced + 1e-12)) {
      best = { threshold, f1, balanced };
    }
  }
  return best.threshold;
}
