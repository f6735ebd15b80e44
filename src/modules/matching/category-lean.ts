/**
 * The city's category lean: how much more often a citizen's other signals fall in the
 * category of one of their signals than the categories' popularity predicts. In some cities a
 * citizen's few signals are mostly about one need (a birth, a disability, a business), and a
 * newcomer's first signal says which category the next ones will be in; in others a signal is
 * as likely one of the city's popular services, or anything at all, and one signal's category
 * says little. Scoring reads it (thinLeanShareOf) to set how far a thin history leans on the
 * categories of its few signals.
 *
 * Read from per-citizen counts (citizen_service_score, or the fit's histories), without the
 * signals' order: a citizen with h ≥ 2 signals, n of them in category K, has for a signal in K
 * another of their signals in K with probability (n − 1) / (h − 1), where the categories'
 * popularity alone predicts Q_K (K's share of the city's demand). Per citizen, the observed rate
 * is Σ_K n (n − 1) / (h (h − 1)) over their categories, the predicted Σ_K n Q_K / h; the city's
 * lean is the mean excess (observed − predicted) over its citizens with two signals or more.
 * Each citizen counts once, so that the few long histories do not speak for the many thin
 * ones: with the order taken as exchangeable, it is how often a thin history's next signal
 * lands in its category beyond popularity.
 */

import { REPEAT_WINDOW_DAYS } from './repeat-rate';

/** The (citizen, service) pairs read: those with a signal in the last REPEAT_WINDOW_DAYS. */
export const CATEGORY_LEAN_WINDOW_DAYS = REPEAT_WINDOW_DAYS;

/** Citizens grouped by a category's signals among theirs and their signals in all (at least 2). */
export interface CategoryRow {
  categoryId: string;
  /** The citizen's signals about services of the category. */
  categorySignals: number;
  /** The citizen's signals in all (in the window). */
  historySignals: number;
  /** Citizens with those counts. */
  citizens: number;
}

/** Summed over the city's citizens with two signals or more. */
export interface CategoryLean {
  /** Σ per citizen of the rate at which another signal shares a signal's category. */
  observed: number;
  /** Σ per citizen of that rate as the categories' popularity predicts it. */
  expected: number;
  /** The citizens counted. */
  citizens: number;
}

/**
 * The city's lean from `rows` and the services' popularity (by category); rows of a category
 * without popularity are left out of `expected` only (its popularity predicts nothing there).
 */
export function categoryLeanOf(
  rows: readonly CategoryRow[],
  services: Iterable<{ categoryId: string; popularity: number }>,
): CategoryLean {
  const categoryTotals = new Map<string, number>();
  let total = 0;
  for (const s of services) {
    const popularity = Math.max(0, s.popularity);
    categoryTotals.set(s.categoryId, (categoryTotals.get(s.categoryId) ?? 0) + popularity);
    total += popularity;
  }
  let observed = 0;
  let expected = 0;
  let citizens = 0;
  for (const { categoryId, categorySignals: n, historySignals: h, citizens: count } of rows) {
    if (!(h >= 2) || !(n >= 1) || n > h) continue;
    const share = total > 0 ? (categoryTotals.get(categoryId) ?? 0) / total : 0;
    observed += (count * n * (n - 1)) / (h * (h - 1));
    expected += (count * n * share) / h;
    // A citizen's categories' n sum to h: each row counts n / h of its citizens.
    citizens += (count * n) / h;
  }
  return { observed, expected, citizens };
}

/**
 * The rows of categoryLeanOf from per-citizen histories: per citizen, per service, its
 * category, the number of signals about it and when the last was (ms); pairs whose last signal
 * is before `since` are left out, as the stored statement (categoryRows) leaves them out.
 */
export function categoryRowsOf(
  histories: Iterable<Iterable<{ categoryId: string | undefined; count: number; lastAt: number }>>,
  since: number,
): CategoryRow[] {
  const rows = new Map<string, CategoryRow>();
  for (const history of histories) {
    const perCategory = new Map<string, number>();
    let historySignals = 0;
    for (const { categoryId, count, lastAt } of history) {
      if (categoryId === undefined || lastAt < since || !(count > 0)) continue;
      perCategory.set(categoryId, (perCategory.get(categoryId) ?? 0) + count);
      historySignals += count;
    }
    if (historySignals < 2) continue;
    for (const [categoryId, categorySignals] of perCategory) {
      const key = `${categoryId}:${categorySignals}:${historySignals}`;
      const row = rows.get(key) ?? { categoryId, categorySignals, historySignals, citizens: 0 };
      row.citizens += 1;
      rows.set(key, row);
    }
  }
  return [...rows.values()];
}
