// npm run eval:matching [-- --worlds default,taste,chains,segment,cold,bursts --seeds 11,12,13 --size small --no-write]
// (--worlds waves,sparse,habits: three worlds built on other assumptions, run only when named)
// (--guard: per seed, every model the fit's validation week judged, scored on the evaluation week too; for development seeds)
// The ranking in several simulated worlds (worlds.ts), each a 104-day log of signals in memory
// over the seeded catalogue, once per seed. Per world and seed, as the deployment's fit job
// does it: the fit reads the weeks before the last one only (sourceBefore: a source that
// throws past the split), fits the blend by coordinate ascent on the second-to-last week, and
// every method ranks as of the start of the last week, scored by NDCG@10 against what each
// citizen used in it. The last week is the held-out split: nothing fitted reads it. Methods:
// the engine with the fitted parameters (what the job would make active), the engine with the
// defaults, the world's oracle and the simple baselines. Eligibility violations are counted
// with the independent reading of the rules (eligibility-reading.ts). Figures are the mean and
// spread (sample standard deviation) over the seeds.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { BASELINES, baselineTop } from '../../src/modules/matching/ranking-baselines';
import {
  DEFAULT_FIT,
  engineTop,
  fitTuningOn,
  fitWindow,
  ndcgAt,
  sourceBefore,
  splitQueries,
  type FitOptions,
  type RankingQuery,
  type SplitQueries,
} from '../../src/modules/matching/ranking-fit';
import { FITTED_PARAMETERS, parametersOf, TUNING, type Tuning } from '../../src/modules/matching/ranking-model';
import { markdownTable, writeDocSection } from './doc-section';
import { readsAsEligible } from './eligibility-reading';
import { mean, meanAndSpread } from './metrics';
import {
  buildWorld,
  oracleTop,
  WORLD_DAYS,
  WORLD_END,
  WORLD_FLAGS,
  worldRun,
  worldSource,
  type WorldRun,
  type World,
  type WorldName,
} from './worlds';

/** The reported seeds; development used others (7). */
const DEFAULT_SEEDS = [11, 12, 13];

interface Options extends WorldRun {
  write: boolean;
  /** Print, per seed, every model the fit's validation week judged and its score on the evaluation week. */
  guard: boolean;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...WORLD_FLAGS,
      seed: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      guard: { type: 'boolean', default: false },
    },
  });
  const run = worldRun({ ...values, seeds: values.seeds ?? values.seed }, DEFAULT_SEEDS);
  // A smaller run is for development: it writes no figures into the docs.
  return { ...run, guard: values.guard, write: !values['no-write'] && run.size === 'full' && !run.resized };
}

/** Slices of the evaluation week's citizens by the size of their history as of the split. */
const HISTORY_SLICES = ['no history', '1–3 signals', '4–10 signals', 'more than 10'] as const;

function historySlice(query: RankingQuery): (typeof HISTORY_SLICES)[number] {
  let signals = 0;
  for (const count of query.signals.historyCounts.values()) signals += count;
  if (signals === 0) return 'no history';
  if (signals <= 3) return '1–3 signals';
  return signals <= 10 ? '4–10 signals' : 'more than 10';
}

/** NDCG@10 sums and counts of the engine and the oracle per slice. */
type Slices = Map<string, { citizens: number; engine: number; oracle: number }>;

interface SeedRun {
  seed: number;
  signals: number;
  fitQueries: number;
  queries: number;
  ndcg: Record<string, number>;
  violations: number;
  /** The fitted parameters that differ from the defaults (empty: too little data, or nothing moved). */
  fitted: Record<string, number>;
  /** The start of the search kept (FIT_STARTS; empty: the defaults). */
  start: Record<string, number>;
  tooLittleData: boolean;
  /** The model the validation week kept (validateFit: 'defaults', 'search 1', 'search 2, shrunk' …). */
  validated?: string;
  slices: Slices;
  seconds: number;
}

function changedParameters(tuning: Tuning): Record<string, number> {
  const fitted = parametersOf(tuning);
  const defaults = parametersOf(TUNING);
  return Object.fromEntries(Object.entries(fitted).filter(([name, value]) => value !== defaults[name]));
}

/**
 * The guard's view (development, --guard): each model the validation week judged, with its
 * score there and on the evaluation week, and what the fit week said of each search.
 */
function printGuard(
  name: WorldName,
  seed: number,
  fit: Extract<Awaited<ReturnType<typeof fitTuningOn>>, { candidates: unknown }>,
  split: Pick<SplitQueries, 'queries' | 'slots'>,
  oracle: number,
): void {
  const n = Math.max(1, split.queries.length);
  const evaluation = (tuning: Tuning) =>
    split.queries.reduce((sum, q) => sum + ndcgAt(engineTop(q, split.slots, tuning), q.relevant), 0) / n;
  console.log(
    'GUARD ' +
      JSON.stringify({
        world: name,
        seed,
        oracle,
        fitWeek: fit.trace.searches?.map((x) => ({ ndcg: x.ndcg, gain: x.gain, se: x.standardError, kept: x.kept })),
        validationQueries: fit.trace.validation?.queries,
        kept: fit.trace.validation?.kept,
        candidates: fit.candidates.map((c) => ({
          label: c.label,
          validation: c.ndcg,
          gain: c.gain,
          se: c.standardError,
          evaluation: evaluation(c.tuning),
        })),
      }),
  );
}

async function evaluateWorld(name: WorldName, seed: number, opts: Options): Promise<{ world: World; run: SeedRun }> {
  const started = Date.now();
  const world = buildWorld(name, { citizens: opts.citizens, seed });
  const fitOptions: FitOptions = { ...DEFAULT_FIT, end: WORLD_END, maxQueries: opts.maxQueries, minQueries: 50 };
  const window = fitWindow(fitOptions);
  const source = worldSource(world);
  // The fit is given a source that refuses the evaluation week.
  const fit = await fitTuningOn(sourceBefore(source, window.evaluationFrom), fitOptions);
  const fitted = 'tooLittleData' in fit ? TUNING : fit.tuning;
  const split = await splitQueries(source, window.evaluationFrom, window.evaluationTo, fitOptions);
  const sums: Record<string, number> = { engine: 0, 'engine, default weights': 0, oracle: 0 };
  for (const b of BASELINES) sums[b] = 0;
  const slices: Slices = new Map();
  let violations = 0;
  const rules = new Map(world.services.map((s) => [s.id, s]));
  for (const q of split.queries) {
    const top = engineTop(q, split.slots, fitted);
    const engine = ndcgAt(top, q.relevant);
    const oracle = ndcgAt(oracleTop(world, q.candidates, q.citizenId), q.relevant);
    sums.engine += engine;
    sums['engine, default weights'] += ndcgAt(engineTop(q, split.slots, TUNING), q.relevant);
    sums.oracle += oracle;
    for (const b of BASELINES) sums[b] += ndcgAt(baselineTop(b, q.candidates, q.signals, q.citizenId), q.relevant);
    for (const slice of [historySlice(q), world.groupOf?.(q.citizenId)]) {
      if (!slice) continue;
      const entry = slices.get(slice) ?? { citizens: 0, engine: 0, oracle: 0 };
      entry.citizens += 1;
      entry.engine += engine;
      entry.oracle += oracle;
      slices.set(slice, entry);
    }
    const citizen = world.citizens.get(q.citizenId)!;
    for (const id of top) if (!readsAsEligible(citizen, rules.get(id)!, window.evaluationFrom)) violations += 1;
  }
  const n = Math.max(1, split.queries.length);
  if ('candidates' in fit && opts.guard) printGuard(name, seed, fit, split, sums.oracle / n);
  const run: SeedRun = {
    seed,
    signals: world.signals.length + world.texts.length,
    fitQueries: fit.fitQueries,
    queries: split.queries.length,
    ndcg: Object.fromEntries(Object.entries(sums).map(([m, sum]) => [m, sum / n])),
    violations,
    fitted: 'tooLittleData' in fit ? {} : changedParameters(fit.tuning),
    start: 'tooLittleData' in fit ? {} : fit.trace.start,
    tooLittleData: 'tooLittleData' in fit,
    validated: 'tooLittleData' in fit ? undefined : fit.trace.validation?.kept,
    slices,
    seconds: (Date.now() - started) / 1000,
  };
  const best = Math.max(...BASELINES.map((b) => run.ndcg[b]));
  console.log(
    `${name} seed ${seed}: engine ${run.ndcg.engine.toFixed(4)} (defaults ${run.ndcg['engine, default weights'].toFixed(4)}), oracle ${run.ndcg.oracle.toFixed(4)}, best baseline ${best.toFixed(4)}, engine / oracle ${(run.ndcg.engine / run.ndcg.oracle).toFixed(3)}, ${run.seconds.toFixed(0)} s`,
  );
  return { world, run };
}

interface WorldResult {
  name: string;
  description: string;
  runs: SeedRun[];
}

const ratio = (r: SeedRun, method: string) => r.ndcg.engine / r.ndcg[method];
const bestBaseline = (r: SeedRun) => Math.max(...BASELINES.map((b) => r.ndcg[b]));

function parameterList(values: Record<string, number>): string {
  const names = FITTED_PARAMETERS.map((p) => p.name).filter((name) => name in values);
  return names.map((name) => `${name.replace('weights.', '')} ${+values[name].toPrecision(3)}`).join(', ');
}

/** A seed's line: its sizes and the fitted parameters (and the start of the search kept, when not the defaults). */
function seedLine(r: SeedRun): string {
  const fit = r.tooLittleData
    ? 'too little data, defaults'
    : `fitted ${parameterList(r.fitted) || 'as the defaults'}` +
      (r.validated ? ` (kept by the validation week: ${r.validated})` : '');
  return `seed ${r.seed}: ${r.signals} signals, ${r.fitQueries} citizens in the fit week, ${r.queries} in the evaluation week; ${fit}`;
}

function report(results: WorldResult[], opts: Options, seconds: number): string {
  const methods = ['engine', 'engine, default weights', 'oracle', ...BASELINES];
  const table = markdownTable(
    ['world', ...methods, 'engine / oracle', 'engine / best baseline', 'violations'],
    results.map(({ name, runs }) => [
      name,
      ...methods.map((m) =>
        meanAndSpread(
          runs.map((r) => r.ndcg[m]),
          4,
        ),
      ),
      meanAndSpread(
        runs.map((r) => ratio(r, 'oracle')),
        3,
      ),
      meanAndSpread(
        runs.map((r) => r.ndcg.engine / bestBaseline(r)),
        3,
      ),
      runs.reduce((sum, r) => sum + r.violations, 0),
    ]),
  );
  const sliceRows: (string | number)[][] = [];
  for (const { name, runs } of results) {
    const names = [...new Set(runs.flatMap((r) => [...r.slices.keys()]))].sort(
      (a, b) =>
        (HISTORY_SLICES.indexOf(a as never) + 1 || 99) - (HISTORY_SLICES.indexOf(b as never) + 1 || 99) ||
        a.localeCompare(b),
    );
    for (const slice of names) {
      const present = runs.map((r) => r.slices.get(slice)).filter((s) => s !== undefined && s.citizens > 0);
      if (present.length === 0) continue;
      sliceRows.push([
        name,
        slice,
        Math.round(mean(present.map((s) => s!.citizens))),
        meanAndSpread(
          present.map((s) => s!.engine / s!.citizens),
          4,
        ),
        meanAndSpread(
          present.map((s) => s!.oracle / s!.citizens),
          4,
        ),
        meanAndSpread(
          present.map((s) => (s!.oracle > 0 ? s!.engine / s!.oracle : 0)),
          3,
        ),
      ]);
    }
  }
  const slices = markdownTable(
    ['world', 'citizens of the evaluation week', 'citizens (mean)', 'engine', 'oracle', 'engine / oracle'],
    sliceRows,
  );
  const worlds = results.map(({ name, description, runs }) => {
    const perSeed = runs.map(seedLine).join('; ');
    return `- **${name}**: ${description}. ${perSeed}.`;
  });
  const size = opts.size === 'full' ? '' : ` (--size ${opts.size})`;
  return [
    `Worlds of ${opts.citizens} citizens each${size}, seeds ${opts.seeds.join(', ')}; ${WORLD_DAYS} days ending ${WORLD_END.toISOString()}. Per world and seed the fit reads only the weeks before the last (the fit week and the 90 days before it); every method ranks as of the start of the last week (the held-out evaluation week, features from the 90 days before it) and is scored on it; at most ${opts.maxQueries} citizens scored per week. NDCG@10 on the evaluation week, mean ± standard deviation over the seeds (ratios per seed, then averaged). Run took ${seconds.toFixed(0)} s.`,
    '',
    table,
    '',
    'By slice of the evaluation week (history size as of the split, and the world’s own groups: where a cold-start citizen or a life event stands at the split, known to the simulator only):',
    '',
    slices,
    '',
    ...worlds,
  ].join('\n');
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const started = Date.now();
  const results: WorldResult[] = [];
  for (const name of opts.worlds) {
    const runs: SeedRun[] = [];
    let world: World | undefined;
    for (const seed of opts.seeds) {
      const evaluated = await evaluateWorld(name, seed, opts);
      world = evaluated.world;
      runs.push(evaluated.run);
    }
    results.push({ name: world!.name, description: world!.description, runs });
  }
  const text = report(results, opts, (Date.now() - started) / 1000);
  console.log(text);
  if (opts.write) writeDocSection('matching.md', 'worlds-eval', text);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
