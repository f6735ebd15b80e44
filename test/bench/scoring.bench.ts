// node dist/test/bench/scoring.bench.js — scoredSource + rankedTop in process, no database:
// a synthetic catalogue of 2,000 services in 200 categories and citizens with 0–60 signals of
// history, co-use neighbours, segment and cohort demand and text matches. Measures the pure
// hot path of recommendedServices (what the HTTP benchmark measures with the database around it).
import 'reflect-metadata';
import {
  categoriesAskedFor,
  exemptionRuleOf,
  rankedTop,
  scoredSource,
  slotsOf,
  topReasons,
  TUNING,
  type Candidate,
  type CitizenSignals,
} from '../../src/modules/matching/scoring';
import { tuningWith } from '../../src/modules/matching/ranking-model';
import { createRng } from '../../seeds/population';

const SERVICES = 2000;
const CITIZENS = 400;
const RUNS = Number(process.env.RUNS ?? 5);

const rng = createRng('scoring-bench');
const candidates: Candidate[] = Array.from({ length: SERVICES }, (_, i) => ({
  id: `s${String(i).padStart(5, '0')}`,
  title: `服务${i}`,
  categoryId: `c${i % 200}`,
  parentCategoryId: `p${i % 20}`,
  categoryName: `类${i % 200}`,
  launchedAt: null,
  upvotes: Math.floor(rng() * 5),
  downvotes: Math.floor(rng() * 2),
  ratingCount: Math.floor(rng() * 4),
  ratingSum: 0,
  popularity: rng() * 100,
  slot: i,
}));
for (const c of candidates) c.ratingSum = c.ratingCount * 4;
const slots = slotsOf(candidates);
const neighbours = new Map(
  candidates.map((c) => [
    c.id,
    Array.from({ length: 20 }, () => ({ id: candidates[Math.floor(rng() * SERVICES)].id, similarity: rng() })),
  ]),
);
const segment = new Map(candidates.filter(() => rng() < 0.5).map((c) => [c.id, rng() * 10]));
const ageBandDemand = new Map(candidates.filter(() => rng() < 0.8).map((c) => [c.id, rng() * 40]));
const cohort = [
  { tag: 'student', shares: new Map(candidates.filter(() => rng() < 0.2).map((c) => [c.id, rng() / 200])) },
];
const citizens: CitizenSignals[] = Array.from({ length: CITIZENS }, (_, k) => {
  const used = Array.from({ length: k % 60 }, () => candidates[Math.floor(rng() * SERVICES)].id);
  return {
    personalized: true,
    districtName: '云岩区',
    ageBand: null,
    interestCategoryIds: new Set(['c3']),
    segment,
    ageBandDemand,
    cohort,
    history: new Map(used.map((id) => [id, rng() * 3])),
    historyLastAt: new Map(used.map((id) => [id, Date.parse('2026-11-16T00:00:00Z') - rng() * 90 * 86_400_000])),
    historyCounts: new Map(used.map((id) => [id, 1 + Math.floor(rng() * 3)])),
    neighbours,
    text: new Map(used.slice(0, 3).map((id) => [id, { score: 0.5, terms: ['社保'] }])),
    now: new Date('2026-11-16T00:00:00Z'),
  };
});

/**
 * A fitted model with every part that is off by default turned on: fading histories, recent and
 * related categories, the age band's demand, a lower cap exemption.
 */
const everyPart = tuningWith({
  historyFading: 0.05,
  tasteFading: 0.1,
  recentTaste: 0.5,
  relatedTaste: 0.5,
  ageBandSmoothing: 100,
  capExemptionSignals: 1,
});

for (const [name, tuning] of [
  ['default weights', TUNING],
  ['every part on', everyPart],
] as const) {
  const timings: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = process.hrtime.bigint();
    for (const citizen of citizens) {
      const categoryOf = (id: string) => candidates[slots.slotOf.get(id)!].categoryId;
      const uncapped = categoriesAskedFor(citizen, categoryOf, exemptionRuleOf(tuning));
      const top = rankedTop(scoredSource(candidates, citizen, undefined, slots, tuning), 10, uncapped);
      for (const s of top) topReasons(s);
    }
    timings.push(Number(process.hrtime.bigint() - started) / 1e6 / CITIZENS);
  }
  timings.sort((a, b) => a - b);
  console.log(
    `scoredSource + rankedTop(10) + reasons, ${SERVICES} services, ${name}: median ${timings[Math.floor(RUNS / 2)].toFixed(3)} ms, best ${timings[0].toFixed(3)} ms per ranking (${RUNS} runs of ${CITIZENS})`,
  );
}
