// npm run tune:matching [-- --citizens 3000 --signals 150000 --seed 23 --sample 600 --minutes 15 --start name=value,…]
//   [--compare 'name=value,…;name=value,…']  (evaluates the given settings instead of searching)
//   [--half-lives 30,60,120]  (rebuilds the aggregates with each demand half-life and scores them)
// Searches the ranking blend's constants (TUNING in src/modules/matching/scoring.ts) on a
// synthetic population of its own seed, so that the reported evaluation (seeds 11–13, `npm run
// eval:matching`) stays a check the constants were not chosen on. The population is built
// and held out as in matching.eval.ts; each sampled citizen's ranking inputs are read once,
// then every candidate setting is scored in memory. The sample is split in two: the search
// maximises NDCG@10 on the first half, the second half shows whether the gain carries over.
// Cold-start citizens (at most 3 signals) are a few percent of any sample, so every one of
// the population with held-out interactions is read as well and reported apart, in two halves.
import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { Role } from '../../src/core/auth';
import { createContext } from '../../src/core/context';
import { DECAY } from '../../src/modules/matching/affinity';
import { MatchReasonKind } from '../../src/modules/matching/match-reason';
import { rankingInputs, topOfRanking, type RankingInputs } from '../../src/modules/matching/recommendation.service';
import { scoreCandidates, TUNING } from '../../src/modules/matching/scoring';
import { catalogueIndexOf } from '../../src/modules/matching/catalogue-index';
import { readServices } from '../../seeds/seed-cli';
import { plantedPreferences } from '../../seeds/population';
import { heldOutPopulation, populationOptions, seasonalOracle } from './held-out-population';
import { mean, ndcgAtK } from './metrics';

const K = 10;
/** Multipliers tried on each constant in turn (0 switches a component off), coarse then fine. */
const COARSE_STEPS = [0, 0.5, 0.7, 1.4, 2];
const FINE_STEPS = [0.8, 0.9, 1.1, 1.25];

interface Options {
  citizens: number;
  signals: number;
  seed: number;
  sample: number;
  minutes: number;
  start: [string, number][];
  compare: [string, number][][];
  halfLives: number[];
}

function settings(list: string): [string, number][] {
  return list
    .split(',')
    .filter(Boolean)
    .map((pair) => {
      const [name, value] = pair.split('=');
      return [name.trim(), Number(value)];
    });
}

function options(argv: string[]): Options {
  const minutes = argv.indexOf('--minutes');
  return {
    ...populationOptions(argv, { citizens: 3000, signals: 150_000, seed: 23, sample: 600 }),
    minutes: minutes >= 0 ? Number(argv[minutes + 1]) : 15,
    // Constants to start from instead of the current ones, e.g. `selfSimilarity=4,weights.POPULAR=0`.
    start: argv.includes('--start') ? settings(argv[argv.indexOf('--start') + 1]) : [],
    // Settings to compare without searching, separated by semicolons.
    compare: argv.includes('--compare') ? argv[argv.indexOf('--compare') + 1].split(';').map(settings) : [],
    // Demand half-lives in days: each one rebuilds the population's aggregates (stored scores
    // are decayed at write time, so it is not a constant of TUNING that can move in memory).
    halfLives: argv.includes('--half-lives') ? argv[argv.indexOf('--half-lives') + 1].split(',').map(Number) : [],
  };
}

interface Case {
  inputs: RankingInputs;
  /** Signals of the citizen before the held-out days (of any kind, with or without a service). */
  trainSignals: number;
  relevant: Set<string>;
  /**
   * NDCG@10 of ranking by the preferences planted in the citizen times the held-out days'
   * seasonal factor (what the held-out signals were drawn with): the ceiling to compare with.
   */
  oracle: number;
}

/** A tunable constant: where it lives in TUNING and which values it may take. */
interface Knob {
  name: string;
  get: () => number;
  set: (value: number) => void;
  bounds: [number, number];
}

function knobs(): Knob[] {
  // The population cannot value these: its demand ignores quality and none of its services
  // is new. They stay at the small weights chosen for the product.
  const fixed = new Set<string>([MatchReasonKind.WELL_RATED, MatchReasonKind.NEW_SERVICE]);
  const weightKnobs = Object.keys(TUNING.weights)
    .filter((kind) => !fixed.has(kind))
    .map((kind) => {
      const key = kind as keyof typeof TUNING.weights;
      return {
        name: `weights.${key}`,
        get: () => TUNING.weights[key],
        set: (v: number) => (TUNING.weights[key] = v),
        bounds: [0, 100] as [number, number],
      };
    });
  const scalar = (name: Exclude<keyof typeof TUNING, 'weights'>, bounds: [number, number]): Knob => ({
    name,
    get: () => TUNING[name],
    set: (v) => (TUNING[name] = v),
    bounds,
  });
  return [
    ...weightKnobs,
    scalar('categoryTaste', [0, 100]),
    scalar('demandHalfPoint', [0.01, 100]),
    scalar('segmentFloor', [0, 1]),
    scalar('historyCountShare', [0, 1]),
    scalar('historyHalfPoint', [0.05, 100]),
    scalar('segmentSmoothing', [0, 10_000]),
    scalar('selfSimilarity', [0, 20]),
    scalar('neighbourHalfPoint', [0, 1000]),
    scalar('sameCategorySimilarity', [0, 1]),
    scalar('historyShareHalfPoint', [0.001, 10]),
    scalar('mmrLambda', [0.5, 1]),
  ];
}

/** Candidate values of a knob around its current value. */
function trials(knob: Knob, steps: readonly number[]): number[] {
  const current = knob.get();
  const [low, high] = knob.bounds;
  // λ is near 1: step its distance from 1 rather than itself.
  const raw =
    knob.name === 'mmrLambda'
      ? steps.map((f) => 1 - (1 - current) * f)
      : current === 0
        ? [0.01, 0.03, 0.1, 0.3]
        : steps.map((f) => current * f);
  return [...new Set(raw.map((v) => Number(Math.min(high, Math.max(low, v)).toPrecision(3))))].filter(
    (v) => v !== current,
  );
}

function ndcgOf(cases: readonly Case[]): number {
  return mean(cases.map(caseNdcg));
}

function caseNdcg({ inputs, relevant }: Case): number {
  const ranked = topOfRanking(
    inputs,
    scoreCandidates(inputs.candidates, inputs.signals, inputs.titleOf, catalogueIndexOf(inputs.snapshot).slots),
    K,
  );
  return ndcgAtK(
    ranked.slice(0, K).map((s) => s.candidate.id),
    relevant,
    K,
  );
}

/** Cold start as matching.eval.ts counts it: at most this many signals before the held-out days. */
const COLD_SIGNALS = 3;

/** Engine and oracle NDCG@10 of the citizens with at most COLD_SIGNALS signals. */
function coldStart(cases: readonly Case[]): string {
  const members = cases.filter((c) => c.trainSignals <= COLD_SIGNALS);
  return `${members.length} citizens, engine ${mean(members.map(caseNdcg)).toFixed(3)}, oracle ${mean(members.map((c) => c.oracle)).toFixed(3)}`;
}

/** Engine and oracle NDCG@10 by how many services the citizen's history holds. */
function byHistory(cases: readonly Case[]): string {
  const groups = [
    [0, 0],
    [1, 3],
    [4, 10],
    [11, Infinity],
  ] as const;
  return groups
    .map(([low, high]) => {
      const members = cases.filter(
        (c) => c.inputs.signals.history.size >= low && c.inputs.signals.history.size <= high,
      );
      return `${low}–${high}: ${members.length} citizens, engine ${mean(members.map(caseNdcg)).toFixed(3)}, oracle ${mean(members.map((c) => c.oracle)).toFixed(3)}`;
    })
    .join('; ');
}

/**
 * The sampled citizens, split later into halves, and every other citizen of the population
 * with held-out interactions and at most COLD_SIGNALS signals: cold start is a small slice
 * of any sample, so it gets a set of its own to be measured on.
 */
async function readCases(opts: Options): Promise<{ sampled: Case[]; cold: Case[] }> {
  const population = await heldOutPopulation(opts, 'minsheng-tune-');
  const { database, dataDir, split, truth } = population;
  try {
    const db = database.dataSource.manager;
    const ids: { id: string; trainSignals: number }[] = await db.query(
      `SELECT c.id, (SELECT count(*)::int FROM signal s WHERE s.citizen_id = c.id) AS "trainSignals"
         FROM citizen c WHERE c.personalization ORDER BY md5(c.id::text)`,
    );
    const services = await readServices(db);
    const withTruth = ids.filter((c) => truth.has(c.id));
    const sample = withTruth.slice(0, opts.sample);
    const coldRest = withTruth.slice(opts.sample).filter((c) => c.trainSignals <= COLD_SIGNALS);
    const ctx = createContext({
      requestId: 'tune',
      user: { id: '00000000-0000-4000-8000-000000000001', role: Role.PLANNER, departmentId: null },
      dataSource: database.dataSource,
      config: loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }),
      logger: pino({ level: 'silent' }),
    });
    // As of the split, as the evaluation ranks: the same on any run date.
    const now = split;
    const read = async ({ id, trainSignals }: { id: string; trainSignals: number }): Promise<Case> => {
      const inputs = await rankingInputs(ctx, id, null, now);
      const { citizen } = inputs;
      const relevant = truth.get(id)!;
      const planted = seasonalOracle(plantedPreferences(citizen, services, opts.seed, split), services, split);
      const byPreference = inputs.candidates
        .map((c) => c.id)
        .sort((a, b) => (planted.get(b) ?? 0) - (planted.get(a) ?? 0) || a.localeCompare(b));
      return { inputs, trainSignals, relevant, oracle: ndcgAtK(byPreference.slice(0, K), relevant, K) };
    };
    const sampled: Case[] = [];
    for (const citizen of sample) sampled.push(await read(citizen));
    const cold: Case[] = sampled.filter((c) => c.trainSignals <= COLD_SIGNALS);
    for (const citizen of coldRest) cold.push(await read(citizen));
    return { sampled, cold };
  } finally {
    await population.dispose();
  }
}

/**
 * The demand half-life, which lives outside TUNING: for each candidate the population is built
 * again (the same, from its seed) with its aggregates decayed at that half-life, and the
 * current constants are scored on both halves. The choice is made on the tuning half.
 */
async function sweepHalfLives(opts: Options): Promise<void> {
  const kept = DECAY.halfLifeDays;
  try {
    for (const halfLife of opts.halfLives) {
      if (!(halfLife > 0)) throw new Error(`bad half-life ${halfLife}`);
      DECAY.halfLifeDays = halfLife;
      const { sampled } = await readCases(opts);
      const tuning = sampled.filter((_, i) => i % 2 === 0);
      const check = sampled.filter((_, i) => i % 2 === 1);
      const ratio = (cases: Case[]) => (ndcgOf(cases) / mean(cases.map((c) => c.oracle))).toFixed(3);
      console.log(
        `half-life ${halfLife} days: NDCG@10 ${ndcgOf(tuning).toFixed(4)} (tuning half), ${ndcgOf(check).toFixed(4)} (check half); ` +
          `engine / oracle ${ratio(tuning)} / ${ratio(check)}`,
      );
    }
  } finally {
    DECAY.halfLifeDays = kept;
  }
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  if (opts.halfLives.length > 0) return sweepHalfLives(opts);
  const started = Date.now();
  const { sampled: cases, cold } = await readCases(opts);
  const tuning = cases.filter((_, i) => i % 2 === 0);
  const check = cases.filter((_, i) => i % 2 === 1);
  console.log(
    `seed ${opts.seed}: ${cases.length} citizens read in ${((Date.now() - started) / 1000).toFixed(0)} s (${tuning.length} to tune on, ${check.length} to check)`,
  );
  // Cold start split the same way: the first half may guide a change, the second checks it.
  const coldHalves = () =>
    `cold start (≤ ${COLD_SIGNALS} signals, sampled or not): ${coldStart(cold.filter((_, i) => i % 2 === 0))} (first half); ${coldStart(cold.filter((_, i) => i % 2 === 1))} (second half)`;

  const all = knobs();
  const apply = (values: [string, number][]) => {
    for (const [name, value] of values) {
      const knob = all.find((k) => k.name === name);
      if (!knob || !Number.isFinite(value)) throw new Error(`unknown constant or bad value in ${name}=${value}`);
      knob.set(value);
    }
  };
  if (opts.compare.length > 0) {
    const defaults = all.map((k) => [k.name, k.get()] as [string, number]);
    for (const values of opts.compare) {
      apply(defaults);
      apply(values);
      console.log(
        `${values.map(([n, v]) => `${n}=${v}`).join(',') || 'current'}: ${ndcgOf(tuning).toFixed(4)} (tuning half), ${ndcgOf(check).toFixed(4)} (check half)`,
      );
      console.log(`  services in history ${byHistory(cases)}`);
      console.log(`  ${coldHalves()}`);
    }
    return;
  }
  apply(opts.start);
  const deadline = Date.now() + opts.minutes * 60_000;
  const initial = { tune: ndcgOf(tuning), check: ndcgOf(check) };
  const oracle = { tune: mean(tuning.map((c) => c.oracle)), check: mean(check.map((c) => c.oracle)) };
  console.log(`oracle: NDCG@10 ${oracle.tune.toFixed(4)} (tuning half), ${oracle.check.toFixed(4)} (check half)`);
  console.log(
    `current constants: NDCG@10 ${initial.tune.toFixed(4)} (tuning half), ${initial.check.toFixed(4)} (check half)`,
  );
  let best = initial.tune;
  let steps = COARSE_STEPS;
  // Coordinate search: each knob in turn moves to its best trial value; when a whole pass
  // changes nothing the steps get finer, then the search ends (or when the time is up).
  for (let pass = 1; Date.now() < deadline; pass += 1) {
    let improved = false;
    for (const knob of all) {
      if (Date.now() >= deadline) break;
      const kept = knob.get();
      let bestValue = kept;
      for (const value of trials(knob, steps)) {
        knob.set(value);
        const ndcg = ndcgOf(tuning);
        // A change must gain clearly, so noise does not walk the constants around.
        if (ndcg > best + 5e-4) {
          best = ndcg;
          bestValue = value;
        }
      }
      knob.set(bestValue);
      if (bestValue !== kept) {
        improved = true;
        console.log(`pass ${pass}: ${knob.name} ${kept} → ${bestValue}: ${best.toFixed(4)}`);
      }
    }
    if (!improved) {
      if (steps === FINE_STEPS) break;
      steps = FINE_STEPS;
    }
  }
  const final = { tune: best, check: ndcgOf(check) };
  console.log(
    `best constants: NDCG@10 ${final.tune.toFixed(4)} (tuning half, was ${initial.tune.toFixed(4)}), ${final.check.toFixed(4)} (check half, was ${initial.check.toFixed(4)})`,
  );
  console.log(
    `engine / oracle on the check half: ${(initial.check / oracle.check).toFixed(3)} → ${(final.check / oracle.check).toFixed(3)}`,
  );
  console.log(coldHalves());
  console.log(JSON.stringify(TUNING, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
