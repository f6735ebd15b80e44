// npm run eval:matching [-- --worlds default,taste,chains,segment,cold,bursts --citizens 3000 --seed 7 --no-write]
// The ranking in several simulated worlds (worlds.ts), each an 84-day log of signals in memory
// over the seeded catalogue. Per world, as the deployment's fit job does it: the fit reads the
// weeks before the last one only (sourceBefore: a source that throws past the split), fits the
// blend by coordinate ascent on the second-to-last week, and every method ranks as of the
// start of the last week, scored by NDCG@10 against what each citizen used in it. Methods: the
// engine with the fitted parameters (what the job would make active), the engine with the
// defaults, the world's oracle and the simple baselines. Eligibility violations are counted
// with the independent reading of the rules (eligibility-reading.ts).
import 'reflect-metadata';
import { BASELINES, baselineTop } from '../../src/modules/matching/ranking-baselines';
import {
  DEFAULT_FIT,
  engineTop,
  fitTuningOn,
  fitWindow,
  meanNdcg,
  ndcgAt,
  sourceBefore,
  splitQueries,
  type FitOptions,
} from '../../src/modules/matching/ranking-fit';
import { TUNING } from '../../src/modules/matching/ranking-model';
import { markdownTable, writeDocSection } from './doc-section';
import { readsAsEligible } from './eligibility-reading';
import { buildWorld, WORLD_END, WORLD_NAMES, worldSource, type WorldName } from './worlds';

interface Options {
  worlds: WorldName[];
  citizens: number;
  seed: number;
  write: boolean;
  maxQueries: number;
}

function options(argv: string[]): Options {
  const value = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const worlds = (value('--worlds')?.split(',') ?? [...WORLD_NAMES]) as WorldName[];
  for (const w of worlds)
    if (!WORLD_NAMES.includes(w)) throw new Error(`Unknown world ${w} (${WORLD_NAMES.join(', ')})`);
  return {
    worlds,
    citizens: Number(value('--citizens') ?? 2000),
    seed: Number(value('--seed') ?? 7),
    maxQueries: Number(value('--queries') ?? 800),
    write: !argv.includes('--no-write'),
  };
}

interface WorldResult {
  name: string;
  description: string;
  signals: number;
  fitQueries: number;
  queries: number;
  ndcg: Record<string, number>;
  violations: number;
  moves: string;
  seconds: number;
}

async function evaluateWorld(name: WorldName, opts: Options): Promise<WorldResult> {
  const started = Date.now();
  const world = buildWorld(name, { citizens: opts.citizens, seed: opts.seed });
  const fitOptions: FitOptions = { ...DEFAULT_FIT, end: WORLD_END, maxQueries: opts.maxQueries, minQueries: 50 };
  const window = fitWindow(fitOptions);
  const source = worldSource(world);
  const fit = await fitTuningOn(sourceBefore(source, window.evaluationFrom), fitOptions);
  const fitted = 'tooLittleData' in fit ? TUNING : fit.tuning;
  const split = await splitQueries(source, window.evaluationFrom, window.evaluationTo, fitOptions);
  const ndcg: Record<string, number> = {
    engine: meanNdcg(split, fitted),
    'engine, default weights': meanNdcg(split, TUNING),
  };
  let oracle = 0;
  let violations = 0;
  const rules = new Map(world.services.map((s) => [s.id, s]));
  for (const q of split.queries) {
    const planted = world.oracle(q.citizenId);
    const ranked = [...q.candidates].sort(
      (a, b) => (planted.get(b.id) ?? 0) - (planted.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1),
    );
    oracle += ndcgAt(
      ranked.slice(0, 10).map((c) => c.id),
      q.relevant,
    );
    const citizen = world.citizens.get(q.citizenId)!;
    for (const id of engineTop(q, split.slots, fitted))
      if (!readsAsEligible(citizen, rules.get(id)!, window.evaluationFrom)) violations += 1;
  }
  ndcg.oracle = oracle / Math.max(1, split.queries.length);
  for (const b of BASELINES) {
    let sum = 0;
    for (const q of split.queries) sum += ndcgAt(baselineTop(b, q.candidates, q.signals, q.citizenId), q.relevant);
    ndcg[b] = sum / Math.max(1, split.queries.length);
  }
  const moves =
    'tooLittleData' in fit
      ? 'too little data: defaults'
      : fit.trace.moves.map((m) => `${m.parameter} ${+m.from.toPrecision(3)}→${+m.to.toPrecision(3)}`).join(', ');
  const result = {
    name: world.name,
    description: world.description,
    signals: world.signals.length + world.texts.length,
    fitQueries: fit.fitQueries,
    queries: split.queries.length,
    ndcg,
    violations,
    moves,
    seconds: (Date.now() - started) / 1000,
  };
  console.log(
    `${name}: engine ${ndcg.engine.toFixed(4)} (defaults ${ndcg['engine, default weights'].toFixed(4)}), oracle ${ndcg.oracle.toFixed(4)}, best baseline ${Math.max(...BASELINES.map((b) => ndcg[b])).toFixed(4)}, ${result.seconds.toFixed(0)} s`,
  );
  return result;
}

function report(results: WorldResult[], opts: Options, seconds: number): string {
  const methods = ['engine', 'engine, default weights', 'oracle', ...BASELINES];
  const table = markdownTable(
    ['world', ...methods, 'engine / oracle', 'engine / best baseline', 'violations'],
    results.map((r) => {
      const best = Math.max(...BASELINES.map((b) => r.ndcg[b]));
      return [
        r.name,
        ...methods.map((m) => r.ndcg[m].toFixed(4)),
        (r.ndcg.engine / r.ndcg.oracle).toFixed(3),
        (r.ndcg.engine / best).toFixed(3),
        r.violations,
      ];
    }),
  );
  const worlds = results.map(
    (r) =>
      `- **${r.name}**: ${r.description}; ${r.signals} signals, ${r.fitQueries} citizens in the fit week, ${r.queries} in the evaluation week. Fit: ${r.moves || 'no move helped'}.`,
  );
  return [
    `Worlds of ${opts.citizens} citizens each (seed ${opts.seed}), ${104} days ending ${WORLD_END.toISOString()}; fit on the week before the last (features from the 90 days before each week), evaluated on the last week; at most ${opts.maxQueries} citizens scored per week. NDCG@10 on the evaluation week. Run took ${seconds.toFixed(0)} s.`,
    '',
    table,
    '',
    ...worlds,
  ].join('\n');
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const started = Date.now();
  const results: WorldResult[] = [];
  for (const name of opts.worlds) results.push(await evaluateWorld(name, opts));
  const text = report(results, opts, (Date.now() - started) / 1000);
  console.log(text);
  if (opts.write) writeDocSection('matching.md', 'worlds-eval', text);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
