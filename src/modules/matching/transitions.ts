/**
 * What comes next: from the city's own sequences of signals, per category A, how the signals
 * a citizen sends in the `windowDays` after a signal in A spread over categories (A itself
 * included). Each signal with at least one signal after it in the window counts once, its
 * followers sharing that one count; the rows are the mean over A's signals, so each sums to 1.
 */

/** Per category A, per category B: the share of what follows a signal in A that is in B. */
export type CategoryTransitions = ReadonlyMap<string, ReadonlyMap<string, number>>;

const DAY_MS = 86_400_000;

/** One citizen's signal as the transitions read it: its service's category and time (ms). */
export interface SequenceStep {
  categoryId: string;
  at: number;
}

/** The transitions of the citizens' sequences (each in any order; sorted here). */
export function categoryTransitions(
  sequences: Iterable<readonly SequenceStep[]>,
  windowDays: number,
): Map<string, Map<string, number>> {
  const window = windowDays * DAY_MS;
  const sums = new Map<string, Map<string, number>>();
  const sources = new Map<string, number>();
  for (const unsorted of sequences) {
    const steps = [...unsorted].sort((a, b) => a.at - b.at);
    for (let i = 0; i < steps.length; i += 1) {
      let end = i + 1;
      while (end < steps.length && steps[end].at - steps[i].at <= window) end += 1;
      const followers = end - i - 1;
      if (followers === 0) continue;
      const from = steps[i].categoryId;
      sources.set(from, (sources.get(from) ?? 0) + 1);
      let row = sums.get(from);
      if (!row) sums.set(from, (row = new Map()));
      for (let j = i + 1; j < end; j += 1) {
        const to = steps[j].categoryId;
        row.set(to, (row.get(to) ?? 0) + 1 / followers);
      }
    }
  }
  for (const [from, row] of sums) {
    const n = sources.get(from)!;
    for (const [to, value] of row) row.set(to, value / n);
  }
  return sums;
}

/**
 * What should come next for one citizen: each category of their recent use passes its row of
 * `transitions` on, weighted by how recently they last used it (halving every `halfLifeDays`),
 * as shares of 1; with, per category reached, the category of use it came through most.
 */
export function nextCategories(
  lastUse: ReadonlyMap<string, number>,
  transitions: CategoryTransitions,
  now: number,
  halfLifeDays: number,
): { shares: Map<string, number>; via: Map<string, { category: string; value: number }> } {
  const shares = new Map<string, number>();
  const via = new Map<string, { category: string; value: number }>();
  let total = 0;
  for (const [from, at] of lastUse) {
    const row = transitions.get(from);
    if (!row) continue;
    const weight = 2 ** (-Math.max(0, now - at) / DAY_MS / halfLifeDays);
    total += weight;
    for (const [to, share] of row) {
      const value = weight * share;
      shares.set(to, (shares.get(to) ?? 0) + value);
      const best = via.get(to);
      if (!best || value > best.value) via.set(to, { category: from, value });
    }
  }
  if (total > 0) for (const [to, value] of shares) shares.set(to, value / total);
  return { shares, via };
}

/** The transitions as a model row stores them (jsonb): per category, per next category, the share. */
export type StoredTransitions = Record<string, Record<string, number>>;

export function storedTransitions(transitions: CategoryTransitions): StoredTransitions {
  const stored: StoredTransitions = {};
  for (const [from, row] of transitions) stored[from] = Object.fromEntries(row);
  return stored;
}

/** A stored row read back; shares that are not numbers from 0 to 1 are refused. */
export function transitionsFromStored(stored: StoredTransitions): Map<string, Map<string, number>> {
  const transitions = new Map<string, Map<string, number>>();
  for (const [from, row] of Object.entries(stored)) {
    const next = new Map<string, number>();
    for (const [to, share] of Object.entries(row)) {
      if (typeof share !== 'number' || !(share >= 0 && share <= 1))
        throw new Error(`Transition ${from} → ${to} out of bounds: ${share}`);
      next.set(to, share);
    }
    transitions.set(from, next);
  }
  return transitions;
}
