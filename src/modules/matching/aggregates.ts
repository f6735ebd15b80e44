import type { EntityManager } from 'typeorm';
import { lockDerivedTables } from '../signals/signal-log';
import {
  addAppliedSignalsToMatchingAggregates,
  applyRequestMatches,
  clearMatchingAggregates,
  replaceServiceNeighbours,
  unmatchedRequestTexts,
} from './aggregates.queries';

/**
 * Recomputes every matching aggregate from the signals below the rollup watermark, under the
 * worker's lock (the worker adds the others, once). Call it in a transaction.
 */
export async function rebuildMatchingAggregates(db: EntityManager): Promise<void> {
  await lockDerivedTables(db);
  await clearMatchingAggregates(db);
  await addAppliedSignalsToMatchingAggregates(db);
  await refreshServiceNeighbours(db);
}

export const NEIGHBOURS_PER_SERVICE = 20;
/** Pairs used together by fewer citizens than this are noise. */
export const MIN_CO_CITIZENS = 2;
/**
 * A pair's cosine is times co / (co + CO_USE_SHRINKAGE), co the citizens who used both: two
 * citizens who happened to use the same two rare services make a cosine of 1, which says
 * little; thirty say much. Ranks neighbours by what stands behind them.
 */
export const CO_USE_SHRINKAGE = 5;

/** The cosine of a pair shrunk by its support (CO_USE_SHRINKAGE). */
export function shrunkCoUse(co: number, degreeA: number, degreeB: number): number {
  return (co / Math.sqrt(degreeA * degreeB)) * (co / (co + CO_USE_SHRINKAGE));
}

/** Expected co-users a pair's prior lift of 1 is worth before its own count (coUseLiftLowerBound). */
export const CO_USE_LIFT_PRIOR = 1;
/** The standard normal's 95th percentile: coUseLiftLowerBound's interval is one-sided 95%. */
const ONE_SIDED_95 = 1.645;

/**
 * A pair's lift over independence, counting its evidence: `co` citizens used both where
 * `expected` would have by chance (expectedCoUse). The lift is given a prior of 1 worth
 * CO_USE_LIFT_PRIOR expected co-users (Gamma–Poisson), and the lower end of its one-sided 95%
 * interval is returned (Wilson–Hilferty's approximation of the Gamma quantile). Two
 * co-users of two rare services have a lift of tens by chance; here they count 0.8, eight 4.7,
 * twenty 14 (at a few hundredths of a co-user expected); a pair of common services needs its
 * co-users well above the chance ones.
 */
export function coUseLiftLowerBound(co: number, expected: number): number {
  if (!(co > 0) || !(expected >= 0)) return 0;
  const shape = co + CO_USE_LIFT_PRIOR;
  const lower = shape * Math.max(0, 1 - 1 / (9 * shape) - ONE_SIDED_95 / (3 * Math.sqrt(shape))) ** 3;
  return lower / (expected + CO_USE_LIFT_PRIOR);
}

/**
 * The co-users a pair of services used by `degreeA` and `degreeB` citizens would have by chance,
 * given how many services each citizen used (`activity`: Σ n² / (Σ n)² over the citizens, n
 * the services each used; 1 / citizens when all used as many): a citizen who used forty services
 * shares one with any other service's users far more often than one who used two, so where a few
 * citizens use much, co-use among their services is expected, not a sign the services belong
 * together.
 */
export function expectedCoUse(degreeA: number, degreeB: number, activity: number): number {
  return degreeA * degreeB * activity;
}

/**
 * Item-to-item neighbours: cosine similarity of services over the citizens who used both
 * (binary, from citizen_service_score), shrunk by support (shrunkCoUse), the best
 * NEIGHBOURS_PER_SERVICE kept per service. Run by the refresh job, never per request.
 */
export async function refreshServiceNeighbours(db: EntityManager): Promise<number> {
  return replaceServiceNeighbours(db, MIN_CO_CITIZENS, NEIGHBOURS_PER_SERVICE, CO_USE_SHRINKAGE);
}

/**
 * Fills the best match, score and unmet flag of REQUEST signals loaded without them (COPY).
 * Each distinct text is matched once; one UPDATE joins them all (one pass over signals).
 * Runs inside the caller's transaction (the temporary table lives until its commit).
 */
export async function backfillRequestMatches(
  db: EntityManager,
  match: (text: string) => { serviceId: string; score: number } | undefined,
  threshold: number,
): Promise<number> {
  const texts = await unmatchedRequestTexts(db);
  if (texts.length === 0) return 0;
  const matches = texts.map((text) => {
    const best = match(text);
    return { text, serviceId: best?.serviceId ?? null, score: best?.score ?? null };
  });
  return applyRequestMatches(db, matches, threshold);
}
