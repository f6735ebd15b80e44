/**
 * The city's repeat rate: how often its citizens come back to a service they already used,
 * against how often they would land on one by the popularity of its category alone. In some
 * cities a citizen's next signal is very often a service of their own history (a pension
 * drawn monthly, a clinic visited again); in others a used service is no likelier to come back
 * than its category's popularity says, and what the history tells is the category. Scoring
 * reads it as a lift (repeatLift) that sets how much a used service itself counts.
 *
 * Read from per-citizen counts (citizen_service_score, or the fit's histories), without the
 * signals' order: a citizen's c signals about a service made c − 1 repeats (its first signal
 * is not one). Each signal of the citizen's n in that service's category that came after the
 * first about the service could have landed on it by the category's popularity alone, with
 * probability q (the service's share of its category's popularity); with the signals' order
 * taken as exchangeable, the first of c signals among n is followed by n − (n + 1) / (c + 1)
 * of them on average, so q × (n − (n + 1) / (c + 1)) repeats of it are expected. A city whose
 * citizens come back to what they used reads a lift (repeats / expected) well above 1; one
 * whose citizens land on a used service only as often as on any service as popular, about 1.
 * Only categories where the citizen sent at least two signals count: a first signal in a
 * category is neither a repeat nor expected to be one.
 */

/** The (citizen, service) pairs read: those with a signal in the last REPEAT_WINDOW_DAYS. */
export const REPEAT_WINDOW_DAYS = 56;

/** (citizen, service) pairs grouped by service and by their counts of signals. */
export interface RepeatRow {
  serviceId: string;
  /** The citizen's signals about services of the service's category (at least 2). */
  categorySignals: number;
  /** The citizen's signals about the service. */
  serviceSignals: number;
  /** Citizens with those counts. */
  citizens: number;
}

/** The city's repeats and those that the categories' popularity alone would predict. */
export interface RepeatRate {
  repeats: number;
  expected: number;
}

/**
 * Repeats observed and expected from `rows` and the services' popularity (by category):
 * a service that is not among `services`, or whose category has no popularity, is left out.
 */
export function repeatRateOf(
  rows: readonly RepeatRow[],
  services: Iterable<{ id: string; categoryId: string; popularity: number }>,
): RepeatRate {
  const categoryTotals = new Map<string, number>();
  const byId = new Map<string, { categoryId: string; popularity: number }>();
  for (const s of services) {
    byId.set(s.id, s);
    categoryTotals.set(s.categoryId, (categoryTotals.get(s.categoryId) ?? 0) + Math.max(0, s.popularity));
  }
  let repeats = 0;
  let expected = 0;
  for (const row of rows) {
    const service = byId.get(row.serviceId);
    const total = service ? (categoryTotals.get(service.categoryId) ?? 0) : 0;
    const n = row.categorySignals;
    const c = row.serviceSignals;
    if (!service || !(total > 0) || n < 2 || c < 1) continue;
    repeats += row.citizens * (c - 1);
    expected += row.citizens * (Math.max(0, service.popularity) / total) * (n - (n + 1) / (c + 1));
  }
  return { repeats, expected };
}

/**
 * The rows of repeatRateOf from per-citizen histories: per citizen, per service, its id and
 * category, the number of signals about it and when the last was (ms); pairs whose last
 * signal is before `since` are left out, as the stored statement (repeatRows) leaves them out.
 */
export function repeatRowsOf(
  histories: Iterable<Iterable<{ serviceId: string; categoryId: string | undefined; count: number; lastAt: number }>>,
  since: number,
): RepeatRow[] {
  const rows = new Map<string, RepeatRow>();
  for (const history of histories) {
    const pairs = [...history].filter((h) => h.categoryId !== undefined && h.lastAt >= since && h.count > 0);
    const perCategory = new Map<string, number>();
    for (const { categoryId, count } of pairs)
      perCategory.set(categoryId!, (perCategory.get(categoryId!) ?? 0) + count);
    for (const { serviceId, categoryId, count } of pairs) {
      const categorySignals = perCategory.get(categoryId!)!;
      if (categorySignals < 2) continue;
      const key = `${serviceId}:${categorySignals}:${count}`;
      const row = rows.get(key) ?? { serviceId, categorySignals, serviceSignals: count, citizens: 0 };
      row.citizens += 1;
      rows.set(key, row);
    }
  }
  return [...rows.values()];
}
