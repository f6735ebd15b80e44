import { AgeBand } from '../citizens/age-band';
import { MatchReasonKind } from './match-reason';
import { FITTED_PARAMETERS, parametersOf, TUNING, tuningWith } from './ranking-model';
import { scoreCandidates, type Candidate, type CitizenSignals } from './scoring';

const now = new Date('2026-11-29T00:00:00Z');
const DAY_MS = 86_400_000;
const candidate = (id: string, categoryId: string, slot: number): Candidate => ({
  slot,
  id,
  title: `服务${id}`,
  categoryId,
  parentCategoryId: null,
  categoryName: `类${categoryId}`,
  launchedAt: null,
  upvotes: 0,
  downvotes: 0,
  ratingCount: 0,
  ratingSum: 0,
  popularity: 1,
});
const candidates = [candidate('a1', 'a', 0), candidate('a2', 'a', 1), candidate('b1', 'b', 2), candidate('b2', 'b', 3)];
/** Long use of category a, one signal about b: recent (3 days ago) or not (40 days ago). */
const citizen = (bDaysAgo: number): CitizenSignals => ({
  personalized: true,
  districtName: '云岩区',
  ageBand: AgeBand.ADULT,
  interestCategoryIds: new Set(),
  segment: new Map(),
  cohort: [],
  history: new Map([
    ['a1', 8],
    ['b1', 1],
  ]),
  historyCounts: new Map([
    ['a1', 8],
    ['b1', 1],
  ]),
  historyLastAt: new Map([
    ['a1', now.getTime() - 60 * DAY_MS],
    ['b1', now.getTime() - bDaysAgo * DAY_MS],
  ]),
  neighbours: new Map(),
  text: new Map(),
  now,
});

describe('ranking model parameters', () => {
  it('reads a fitted model back only with known names within bounds', () => {
    expect(tuningWith(parametersOf(TUNING))).toEqual(TUNING);
    expect(tuningWith({ 'weights.OWN_HISTORY': 3 }).weights.OWN_HISTORY).toBe(3);
    expect(TUNING.weights.OWN_HISTORY).toBe(2.4);
    expect(() => tuningWith({ mmrLambda: 0.5 })).toThrow(/Unknown ranking parameter/);
    expect(() => tuningWith({ coUse: -1 })).toThrow(/out of bounds/);
    expect(() => tuningWith({ coUse: Number.NaN })).toThrow(/out of bounds/);
    for (const p of FITTED_PARAMETERS) expect(p.min).toBeLessThanOrEqual(p.max);
  });

  it('weighs the categories of recent use when a model turns recent taste on, with its own reason', () => {
    const recentOn = tuningWith({ recentTaste: 1 });
    const score = (days: number, tuning = recentOn) =>
      scoreCandidates(candidates, citizen(days), undefined, undefined, tuning).find((s) => s.candidate.id === 'b2')!;
    const recent = score(3);
    expect(recent.components.map((c) => c.message)).toContain('您近期办理过“类b”类服务');
    expect(recent.components.find((c) => c.message.startsWith('您近期'))!.kind).toBe(MatchReasonKind.OWN_HISTORY);
    // Not recent, or off (the defaults): no such part.
    expect(score(40).components.some((c) => c.message.startsWith('您近期'))).toBe(false);
    expect(score(3, TUNING).components.some((c) => c.message.startsWith('您近期'))).toBe(false);
    expect(recent.score).toBeGreaterThan(score(40).score);
  });
});
