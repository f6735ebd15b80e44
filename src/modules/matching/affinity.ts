import { SignalKind } from '../signals/signal-kind';

/** How much one signal says about a citizen's need for its service. */
export const KIND_WEIGHTS: Record<SignalKind, number> = {
  [SignalKind.VIEW]: 1,
  [SignalKind.USE]: 3,
  [SignalKind.RATING]: 1.5,
  [SignalKind.COMPLAINT]: 0.5,
  [SignalKind.REQUEST]: 1,
  [SignalKind.SEARCH]: 1,
};

/**
 * Demand halves every 60 days: chosen by the tuner's half-life sweep on its own population
 * (`npm run tune:matching -- --half-lives …`, docs/matching.md), not on the evaluated ones.
 */
export const HALF_LIFE_DAYS = 60;
/**
 * The half-life the stored aggregates are built with and read at. Only the tuner changes it,
 * to rebuild a population's aggregates with another half-life; stored scores assume the value
 * they were built with (the Matching migration), so a server never changes it.
 */
export const DECAY = { halfLifeDays: HALF_LIFE_DAYS };
/** Scores are stored scaled to this instant; see the Matching migration. */
export const DECAY_EPOCH = new Date('2026-01-01T00:00:00Z');
const halfLifeSeconds = () => DECAY.halfLifeDays * 86_400;

/** The weight of one signal of `kind` (stars for RATING) at `at`, scaled to the epoch. */
export function epochWeight(kind: SignalKind, stars: number | null, at: Date): number {
  const base =
    kind === SignalKind.RATING && stars !== null ? Math.max(0.25, 1 + (stars - 3) * 0.5) : KIND_WEIGHTS[kind];
  return base * 2 ** ((at.getTime() - DECAY_EPOCH.getTime()) / 1000 / halfLifeSeconds());
}

/** Multiplying a stored score by this gives its decayed value at `now`. */
export function decayFactor(now: Date): number {
  return 2 ** (-(now.getTime() - DECAY_EPOCH.getTime()) / 1000 / halfLifeSeconds());
}

/** SQL twin of `epochWeight` over columns of a signal row (`kind`, `rating`, `occurred_at`). */
export function epochWeightSql(row = ''): string {
  return `${kindWeightSql(row)} * ${epochScaleSql(row)}`;
}

/** SQL: the weight of the signal row's kind (and stars), before its time scales it. */
export function kindWeightSql(row = ''): string {
  const p = row ? `${row}.` : '';
  const cases = Object.entries(KIND_WEIGHTS)
    .map(([kind, weight]) => `WHEN '${kind}' THEN ${weight}`)
    .join(' ');
  return `(CASE WHEN ${p}kind = 'RATING' AND ${p}rating IS NOT NULL THEN greatest(0.25, 1 + (${p}rating - 3) * 0.5)
            ELSE (CASE ${p}kind::text ${cases} END) END)`;
}

/** SQL: what a weight of 1 at the signal row's `occurred_at` is, scaled to the epoch. */
export function epochScaleSql(row = ''): string {
  const p = row ? `${row}.` : '';
  return `power(2, extract(epoch FROM ${p}occurred_at - timestamptz '${DECAY_EPOCH.toISOString()}') / ${halfLifeSeconds()})`;
}
