// npm run tune:defaults [-- --seeds 21,22 --size full --worlds default,taste,… --rounds 2 --minutes 45]
//   [--keep name,…]  (parameters the search leaves at their defaults)
//   [--compare 'name=value,…']  (evaluates the given values against the defaults instead of searching)
// Searches the ranking's defaults (TUNING in ranking-model.ts: what a deployment ranks with
// until its first fit) jointly across the simulated worlds (worlds.ts) on development seeds.
// Per world and seed it builds, as the fit does, the fit week's split from a source that
// refuses the evaluation week (sourceBefore): nothing here reads the last week, and the
// reported seeds (11–13) are refused. The objective of a tuning is the mean over worlds ×
// seeds of log(NDCG@10 / the oracle's NDCG@10), both on the fit week. The oracle is the
// world's preference at the end of the fit week (the only state a world keeps), a ceiling
// only approximately for worlds whose state moves within the week; as a constant per split it
// does not change which tuning wins, it only scales the guard: the default world's ratio
// (mean over seeds) may not fall by more than 0.005 below the current defaults'. Search:
// coordinate ascent over FITTED_PARAMETERS from TUNING (ranking-fit.ts, ascend).
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { BASELINES, baselineTop } from '../../src/modules/matching/ranking-baselines';
import {
  ascend,
  DEFAULT_FIT,
  fitWindow,
  meanNdcg,
  ndcgAt,
  sourceBefore,
  splitQueries,
  type FitOptions,
  type SplitQueries,
} from '../../src/modules/matching/ranking-fit';
import {
  FITTED_PARAMETERS,
  parametersOf,
  TUNING,
  tuningWith,
  type Tuning,
} from '../../src/modules/matching/ranking-model';
import { mean } from './metrics';
import {
  buildWorld,
  oracleTop,
  WORLD_END,
  WORLD_FLAGS,
  worldRun,
  worldSource,
  type WorldName,
  type WorldRun,
} from './worlds';

/** Development seeds; the reported evaluation's (worlds.eval.ts) may not be used. */
const DEFAULT_SEEDS = [21, 22];
const HELD_OUT_SEEDS = [11, 12, 13];
/** How far the default world's ratio to the oracle may fall below the current defaults'. */
const GUARD = 0.005;

interface Options extends WorldRun {
  rounds: number;
  minutes: number;
  keep: string[];
  compare?: Record<string, number>;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...WORLD_FLAGS,
      rounds: { type: 'string', default: '2' },
      minutes: { type: 'string', default: '45' },
      keep: { type: 'string', default: '' },
      compare: { type: 'string' },
    },
  });
  const run = worldRun(values, DEFAULT_SEEDS);
  const heldOut = run.seeds.filter((n) => HELD_OUT_SEEDS.includes(n));
  if (heldOut.length > 0)
    throw new Error(`Seeds ${heldOut.join(', ')} are the reported evaluation's: tune on development seeds`);
  const keep = values.keep.split(',').filter(Boolean);
  for (const name of keep)
    if (!FITTED_PARAMETERS.some((p) => p.name === name)) throw new Error(`--keep: unknown parameter ${name}`);
  return {
    ...run,
    rounds: Number(values.rounds),
    minutes: Number(values.minutes),
    keep,
    compare: values.compare
      ? Object.fromEntries(
          values.compare
            .split(',')
            .filter(Boolean)
            .map((pair) => [pair.split('=')[0].trim(), Number(pair.split('=')[1])]),
        )
      : undefined,
  };
}

/** One world and seed: the fit week's split and the oracle's and best baseline's NDCG@10 on it. */
interface Case {
  world: WorldName;
  seed: number;
  split: SplitQueries;
  oracle: number;
  bestBaseline: number;
}

async function fitWeekCase(name: WorldName, seed: number, opts: Options): Promise<Case> {
  const world = buildWorld(name, { citizens: opts.citizens, seed });
  // As worlds.eval.ts sets up the fit.
  const fitOptions: FitOptions = { ...DEFAULT_FIT, end: WORLD_END, maxQueries: opts.maxQueries, minQueries: 50 };
  const window = fitWindow(fitOptions);
  // As fitTuningOn builds its split: from a source that refuses the evaluation week.
  const split = await splitQueries(
    sourceBefore(worldSource(world), window.evaluationFrom),
    window.fitFrom,
    window.evaluationFrom,
    fitOptions,
  );
  const n = Math.max(1, split.queries.length);
  let oracle = 0;
  const baselines = Object.fromEntries(BASELINES.map((b) => [b, 0]));
  for (const q of split.queries) {
    oracle += ndcgAt(oracleTop(world, q.candidates, q.citizenId), q.relevant);
    for (const b of BASELINES) baselines[b] += ndcgAt(baselineTop(b, q.candidates, q.signals, q.citizenId), q.relevant);
  }
  return { world: name, seed, split, oracle: oracle / n, bestBaseline: Math.max(...Object.values(baselines)) / n };
}

/** Per case, NDCG@10 of a tuning over the oracle's. */
function ratios(cases: readonly Case[], tuning: Tuning): number[] {
  return cases.map((c) => meanNdcg(c.split, tuning) / c.oracle);
}

const objectiveOf = (r: readonly number[]) => mean(r.map((x) => Math.log(Math.max(x, 1e-9))));

/** The default world's ratio (mean over its seeds), or undefined without it. */
function defaultWorldRatio(cases: readonly Case[], r: readonly number[]): number | undefined {
  const own = r.filter((_, i) => cases[i].world === 'default');
  return own.length > 0 ? mean(own) : undefined;
}

function perWorld(cases: readonly Case[], r: readonly number[], label: string): void {
  const rows = [...new Set(cases.map((c) => c.world))].map((world) => {
    const own = cases.map((c, i) => (c.world === world ? i : -1)).filter((i) => i >= 0);
    const ndcg = mean(own.map((i) => r[i] * cases[i].oracle));
    const oracle = mean(own.map((i) => cases[i].oracle));
    const baseline = mean(own.map((i) => cases[i].bestBaseline));
    const ratio = mean(own.map((i) => r[i]));
    return `  ${world.padEnd(8)} NDCG@10 ${ndcg.toFixed(4)}, oracle ${oracle.toFixed(4)}, best baseline ${baseline.toFixed(4)}, ratio to the oracle ${ratio.toFixed(4)} (per seed ${own.map((i) => r[i].toFixed(4)).join(', ')})`;
  });
  console.log(`${label}: objective (mean log ratio) ${objectiveOf(r).toFixed(5)}\n${rows.join('\n')}`);
}

function changed(tuning: Tuning): string {
  const now = parametersOf(tuning);
  const before = parametersOf(TUNING);
  return (
    Object.entries(now)
      .filter(([name, value]) => value !== before[name])
      .map(([name, value]) => `${name}=${+value.toPrecision(4)}`)
      .join(',') || '(none)'
  );
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const started = Date.now();
  const cases: Case[] = [];
  for (const world of opts.worlds)
    for (const seed of opts.seeds) {
      const built = Date.now();
      cases.push(await fitWeekCase(world, seed, opts));
      const c = cases[cases.length - 1];
      console.log(
        `${world} seed ${seed}: ${c.split.queries.length} citizens in the fit week, oracle ${c.oracle.toFixed(4)}, best baseline ${c.bestBaseline.toFixed(4)}, ${((Date.now() - built) / 1000).toFixed(0)} s`,
      );
    }
  const timed = Date.now();
  const before = ratios(cases, TUNING);
  console.log(
    `One evaluation of the objective (${cases.length} splits): ${((Date.now() - timed) / 1000).toFixed(1)} s`,
  );
  perWorld(cases, before, 'Current defaults');
  const floor = defaultWorldRatio(cases, before);
  const guarded = (r: readonly number[]) => {
    const own = defaultWorldRatio(cases, r);
    return floor !== undefined && own !== undefined && own < floor - GUARD ? -Infinity : objectiveOf(r);
  };
  let tuning: Tuning;
  if (opts.compare) {
    tuning = tuningWith(opts.compare);
  } else {
    const deadline = started + opts.minutes * 60_000;
    const result = await ascend((t) => guarded(ratios(cases, t)), {
      rounds: opts.rounds,
      onMove: (move, round) =>
        console.log(
          `round ${round + 1}: ${move.parameter} ${+move.from.toPrecision(4)} → ${+move.to.toPrecision(4)}, objective ${move.value.toFixed(5)} (${((Date.now() - started) / 60_000).toFixed(1)} min)`,
        ),
      stop: () => Date.now() > deadline,
      parameters: FITTED_PARAMETERS.map((p) => p.name).filter((name) => !opts.keep.includes(name)),
    });
    if (Date.now() > deadline) console.log(`Stopped at the time limit (${opts.minutes} min)`);
    console.log(`${result.evaluations} evaluations`);
    tuning = result.tuning;
  }
  const after = ratios(cases, tuning);
  perWorld(cases, after, 'Found');
  console.log(`Changed: ${changed(tuning)}`);
  console.log(
    `Guard (default world's ratio ≥ ${floor === undefined ? '—' : (floor - GUARD).toFixed(4)}): ${guarded(after) > -Infinity ? 'kept' : 'broken'}; run took ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
