import { AgeBand } from '../../src/modules/citizens/age-band';
import type { Candidate, CitizenSignals } from '../../src/modules/matching/scoring';

/** The instant the scoring unit tests rank at. */
export const SCORING_NOW = new Date('2026-11-29T00:00:00Z');

let nextSlot = 0;

/** A published service as scoring reads it: category c1 under root, no votes, popularity 1. */
export const candidate = (id: string, categoryId = 'c1', extra: Partial<Candidate> = {}): Candidate => ({
  slot: nextSlot++,
  id,
  title: `服务${id}`,
  categoryId,
  parentCategoryId: 'root',
  categoryName: '类别',
  launchedAt: null,
  upvotes: 0,
  downvotes: 0,
  ratingCount: 0,
  ratingSum: 0,
  popularity: 1,
  ...extra,
});

/** A senior of 云岩区 with personalisation on and nothing else known. */
export const citizen = (extra: Partial<CitizenSignals> = {}): CitizenSignals => ({
  personalized: true,
  districtName: '云岩区',
  ageBand: AgeBand.SENIOR,
  interestCategoryIds: new Set(),
  segment: new Map(),
  cohort: [],
  history: new Map(),
  historyCounts: new Map(),
  neighbours: new Map(),
  text: new Map(),
  now: SCORING_NOW,
  ...extra,
});
