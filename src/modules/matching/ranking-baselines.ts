import type { Candidate, CitizenSignals } from './scoring';

/**
 * Simple rankings a city's data is measured against: what the fitted engine must not be worse
 * than (ranking-fit.ts evaluates them beside it) and what the simulated worlds report.
 * Each orders the citizen's eligible candidates; ties by popularity, then id.
 */
export type Baseline =
  'random' | 'global popularity' | 'segment popularity' | 'own category' | 'item kNN' | 'text only';
export const BASELINES: readonly Baseline[] = [
  'random',
  'global popularity',
  'segment popularity',
  'own category',
  'item kNN',
  'text only',
];

/** A deterministic hash of a string, 0 to 1 (the random baseline's order). */
function unitHash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

function history(citizen: CitizenSignals): Map<string, number> {
  return new Map(citizen.historyCounts);
}

/** Each candidate's score under a baseline (higher first). */
function baselineScore(
  baseline: Baseline,
  candidates: readonly Candidate[],
  citizen: CitizenSignals,
  citizenId: string,
): Map<string, number> {
  const scores = new Map<string, number>();
  const counts = history(citizen);
  switch (baseline) {
    case 'random':
      for (const c of candidates) scores.set(c.id, unitHash(`${citizenId}:${c.id}`));
      break;
    case 'global popularity':
      break;
    case 'segment popularity':
      for (const c of candidates) scores.set(c.id, citizen.segment.get(c.id) ?? 0);
      break;
    case 'own category': {
      // Services in the categories the citizen already uses, by their share of the history.
      const byCategory = new Map<string, number>();
      const categoryOf = new Map(candidates.map((c) => [c.id, c.categoryId]));
      for (const [id, count] of counts) {
        const category = categoryOf.get(id);
        if (category) byCategory.set(category, (byCategory.get(category) ?? 0) + count);
      }
      for (const c of candidates) scores.set(c.id, byCategory.get(c.categoryId) ?? 0);
      break;
    }
    case 'item kNN':
      // The history's services themselves and their co-use neighbours, by count × similarity.
      for (const [id, count] of counts) {
        scores.set(id, (scores.get(id) ?? 0) + count);
        for (const n of citizen.neighbours.get(id) ?? [])
          scores.set(n.id, (scores.get(n.id) ?? 0) + count * n.similarity);
      }
      break;
    case 'text only':
      for (const [id, match] of citizen.text) scores.set(id, match.score);
      break;
  }
  return scores;
}

/** The first `count` service ids of a baseline's ranking of `candidates`. */
export function baselineTop(
  baseline: Baseline,
  candidates: readonly Candidate[],
  citizen: CitizenSignals,
  citizenId: string,
  count = 10,
): string[] {
  const scores = baselineScore(baseline, candidates, citizen, citizenId);
  return [...candidates]
    .sort(
      (a, b) =>
        (scores.get(b.id) ?? 0) - (scores.get(a.id) ?? 0) ||
        b.popularity - a.popularity ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .slice(0, count)
    .map((c) => c.id);
}
