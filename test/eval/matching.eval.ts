// npm run eval:matching [-- --citizens 12000 --signals 600000 --seeds 11,12,13 --sample 4000 --no-write]
// Offline evaluation of the ranking on synthetic populations with planted preferences, one per
// seed: the generator writes 180 days of signals ending 14 days after a fixed split
// (HOLDOUT_SPLIT, so any run date gives the same figures); the last 14 days are held out (read
// as the truth, then deleted with the votes and ratings made in them), the aggregates rebuilt
// from the rest, and every method ranks all eligible services for each sampled citizen as of
// the split. The engine is what recommendServices runs (rankingInputs → scoredSource →
// rankedTop) with the split as its clock; the oracle ranks by the planted preference
// times the held-out days' seasonal factor, which the held-out signals were drawn with.
// Eligibility violations are counted with a reading of the rules apart from the engine's
// (eligibility-reading.ts). Figures are the mean and spread (sample standard deviation) over
// the seeds.
import 'reflect-metadata';
import pino from 'pino';
import type { EntityManager } from 'typeorm';
import type { Config } from '../../src/config';
import { loadConfig } from '../../src/config';
import { Role } from '../../src/core/auth';
import { createContext } from '../../src/core/context';
import { AgeBand, ageBandOf } from '../../src/modules/citizens/age-band';
import { buildCatalogueSnapshot, type CatalogueSnapshot } from '../../src/modules/catalogue/catalogue-snapshot';
import type { Database } from '../../src/db/database';
import { catalogueIndexOf } from '../../src/modules/matching/catalogue-index';
import { rankingInputs, topOfRanking } from '../../src/modules/matching/recommendation.service';
import { scoredSource } from '../../src/modules/matching/scoring';
import { readServices } from '../../seeds/seed-cli';
import { createRng, plantedPreferences } from '../../seeds/population';
import { markdownTable, writeDocSection } from './doc-section';
import { readsAsEligible } from './eligibility-reading';
import {
  HOLDOUT_DAYS,
  HOLDOUT_SPLIT,
  heldOutPopulation,
  populationOptions,
  seasonalOracle,
} from './held-out-population';
import { averagePrecisionAtK, gini, mean, meanAndSpread as spread, ndcgAtK, recallAtK } from './metrics';

const K = 10;

type SeedServices = Awaited<ReturnType<typeof readServices>>;

interface Options {
  citizens: number;
  signals: number;
  seeds: number[];
  sample: number;
  write: boolean;
}

/** Seeds of the reported evaluation; the tuner's population has its own (23). */
const DEFAULT_SEEDS = [11, 12, 13];

function options(argv: string[]): Options {
  const base = populationOptions(argv, { citizens: 12_000, signals: 600_000, seed: DEFAULT_SEEDS[0], sample: 4000 });
  const listed = argv.indexOf('--seeds');
  const seeds =
    listed >= 0 ? argv[listed + 1].split(',').map(Number) : argv.includes('--seed') ? [base.seed] : DEFAULT_SEEDS;
  if (seeds.some((n) => !Number.isInteger(n))) throw new Error('--seeds takes integers separated by commas');
  return {
    citizens: base.citizens,
    signals: base.signals,
    sample: base.sample,
    seeds,
    write: !argv.includes('--no-write'),
  };
}

interface EvalCitizen {
  id: string;
  districtCode: string;
  birthYear: number | null;
  tags: string[];
  trainSignals: number;
}
type Method = 'engine' | 'oracle' | 'segment popularity' | 'global popularity' | 'text only' | 'random eligible';
const METHODS: Method[] = [
  'engine',
  'oracle',
  'segment popularity',
  'global popularity',
  'text only',
  'random eligible',
];

interface MethodFigures {
  ndcg: number;
  recall: number;
  map: number;
  coverage: number;
  gini: number;
  violations: number;
}
interface SeedResult {
  seed: number;
  sampled: number;
  published: number;
  removed: { votes: number; ratings: number; ratingsRewound: number };
  methods: Map<Method, MethodFigures>;
  checks: { engineOracle: number; engineSegment: number; worstBestDistrict: number; oracleWorstBestDistrict: number };
  /** NDCG@10 by slice: [label, citizens, engine, oracle, segment popularity]. */
  slices: [string, number, number, number, number][];
}

/** What the baselines rank by, from the training signals only. */
interface BaselineInputs {
  globalCounts: Map<string, number>;
  /** Signals per service by segment (`district|age band`). */
  segmentCounts: Map<string, Map<string, number>>;
  /** Each citizen's latest request and search texts (at most 5). */
  textsOf: Map<string, string[]>;
}

async function baselineInputs(db: EntityManager): Promise<BaselineInputs> {
  const globalCounts = new Map<string, number>();
  const segmentCounts = new Map<string, Map<string, number>>();
  const rows: { serviceId: string; districtCode: string; ageBand: AgeBand | null; n: number }[] = await db.query(
    `SELECT service_id AS "serviceId", district_code AS "districtCode", age_band AS "ageBand", count(*)::int AS n
       FROM signal WHERE service_id IS NOT NULL GROUP BY 1, 2, 3`,
  );
  for (const r of rows) {
    globalCounts.set(r.serviceId, (globalCounts.get(r.serviceId) ?? 0) + r.n);
    const key = `${r.districtCode}|${r.ageBand}`;
    const segment = segmentCounts.get(key) ?? new Map<string, number>();
    segment.set(r.serviceId, (segment.get(r.serviceId) ?? 0) + r.n);
    segmentCounts.set(key, segment);
  }
  const texts: { citizenId: string; text: string }[] = await db.query(
    `SELECT citizen_id AS "citizenId", text FROM signal WHERE kind IN ('REQUEST', 'SEARCH') AND text IS NOT NULL ORDER BY occurred_at DESC`,
  );
  const textsOf = new Map<string, string[]>();
  for (const t of texts) {
    const list = textsOf.get(t.citizenId) ?? [];
    if (list.length < 5) list.push(t.text);
    textsOf.set(t.citizenId, list);
  }
  return { globalCounts, segmentCounts, textsOf };
}

/** recommendServices' ranking of a citizen's top K, with the split as its clock instead of the run's date. */
function engineRanking(database: Database, config: Config, split: Date): (citizenId: string) => Promise<string[]> {
  const ctx = createContext({
    requestId: 'eval',
    user: { id: '00000000-0000-4000-8000-000000000001', role: Role.PLANNER, departmentId: null },
    dataSource: database.dataSource,
    config,
    logger: pino({ level: 'silent' }),
  });
  return async (citizenId) => {
    const inputs = await rankingInputs(ctx, citizenId, null, split);
    const scored = scoredSource(
      inputs.candidates,
      inputs.signals,
      inputs.titleOf,
      catalogueIndexOf(inputs.snapshot).slots,
    );
    return topOfRanking(inputs, scored, K).map((s) => s.candidate.id);
  };
}

const byScore = (scores: Map<string, number>, eligible: string[]) =>
  [...eligible].sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || a.localeCompare(b));

/** Every method's ranking of the services a citizen is eligible for (by the independent reading). */
async function rankingsOf(
  citizen: EvalCitizen,
  run: {
    seed: number;
    split: Date;
    services: SeedServices;
    snapshot: CatalogueSnapshot;
    baselines: BaselineInputs;
    engineTop: (citizenId: string) => Promise<string[]>;
  },
): Promise<Record<Method, string[]>> {
  const { seed, split, services, snapshot, baselines } = run;
  const eligible = services.filter((s) => readsAsEligible(citizen, s, split)).map((s) => s.id);
  const rng = createRng('eval-random', citizen.id);
  const segment =
    baselines.segmentCounts.get(`${citizen.districtCode}|${ageBandOf(citizen.birthYear, split)}`) ?? new Map();
  const textScores = new Map<string, number>();
  for (const text of baselines.textsOf.get(citizen.id) ?? []) {
    for (const m of catalogueIndexOf(snapshot).matcher.match(text, { limit: 20 }))
      textScores.set(m.serviceId, Math.max(textScores.get(m.serviceId) ?? 0, m.score));
  }
  return {
    engine: await run.engineTop(citizen.id),
    oracle: byScore(seasonalOracle(plantedPreferences(citizen, services, seed, split), services, split), eligible),
    'segment popularity': byScore(segment, eligible),
    'global popularity': byScore(baselines.globalCounts, eligible),
    'text only': byScore(
      textScores,
      [...eligible].sort(() => rng() - 0.5),
    ),
    'random eligible': [...eligible]
      .map((id) => ({ id, key: rng() }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.id),
  };
}

/** A method's figures per sampled citizen, summed up by methodFigures. */
interface MethodTally {
  ndcg: number[];
  recall: number[];
  map: number[];
  violations: number;
  counts: Map<string, number>;
}

function methodFigures(tallies: Map<Method, MethodTally>, services: SeedServices): Map<Method, MethodFigures> {
  return new Map<Method, MethodFigures>(
    METHODS.map((m) => {
      const r = tallies.get(m)!;
      const counts = services.map((s) => r.counts.get(s.id) ?? 0);
      return [
        m,
        {
          ndcg: mean(r.ndcg),
          recall: mean(r.recall),
          map: mean(r.map),
          coverage: r.counts.size / services.length,
          gini: gini(counts),
          violations: r.violations,
        },
      ];
    }),
  );
}

type CitizenNdcg = { citizen: EvalCitizen; ndcg: Map<Method, number> };
type SliceRow = SeedResult['slices'][number];

/** NDCG@10 by district, by age band, and for cold-start citizens and the others. */
function sliceRows(
  sample: EvalCitizen[],
  groups: CitizenNdcg[],
  split: Date,
): { districts: SliceRow[]; all: SliceRow[] } {
  const slice = (label: string, members: CitizenNdcg[]): SliceRow => [
    label,
    members.length,
    ...(METHODS.slice(0, 3).map((m) => mean(members.map((g) => g.ndcg.get(m)!))) as [number, number, number]),
  ];
  const districtRows = [...new Set(sample.map((c) => c.districtCode))].sort().map((d) =>
    slice(
      d,
      groups.filter((g) => g.citizen.districtCode === d),
    ),
  );
  const bandRows = [AgeBand.CHILD, AgeBand.YOUTH, AgeBand.ADULT, AgeBand.SENIOR, null].map((band) =>
    slice(
      band ?? 'unknown age',
      groups.filter((g) => ageBandOf(g.citizen.birthYear, split) === band),
    ),
  );
  const coldRows = [
    slice(
      'cold start (≤ 3 signals)',
      groups.filter((g) => g.citizen.trainSignals <= 3),
    ),
    slice(
      'others',
      groups.filter((g) => g.citizen.trainSignals > 3),
    ),
  ];
  return { districts: districtRows, all: [...districtRows, ...bandRows, ...coldRows] };
}

async function evaluateSeed(opts: Options, seed: number): Promise<SeedResult> {
  const population = await heldOutPopulation(
    { citizens: opts.citizens, signals: opts.signals, seed },
    'minsheng-eval-',
  );
  const { database, dataDir, split, truth, removed } = population;
  try {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    const db = database.dataSource.manager;
    const citizens: EvalCitizen[] = await db.query(
      `SELECT c.id, c.district_code AS "districtCode", c.birth_year AS "birthYear", c.tags,
              (SELECT count(*)::int FROM signal s WHERE s.citizen_id = c.id) AS "trainSignals"
         FROM citizen c WHERE c.personalization ORDER BY md5(c.id::text)`,
    );
    const sample = citizens.filter((c) => truth.has(c.id)).slice(0, opts.sample);
    const services = await readServices(db);
    const run = {
      seed,
      split,
      services,
      snapshot: await buildCatalogueSnapshot(db),
      baselines: await baselineInputs(db),
      engineTop: engineRanking(database, config, split),
    };
    const tallies = new Map<Method, MethodTally>();
    for (const m of METHODS) tallies.set(m, { ndcg: [], recall: [], map: [], violations: 0, counts: new Map() });
    const groups: CitizenNdcg[] = [];
    const rulesOf = new Map(services.map((s) => [s.id, s]));

    for (const citizen of sample) {
      const relevant = truth.get(citizen.id)!;
      // Baselines rank what the independent reading admits; every method's lists are checked by it.
      const rankings = await rankingsOf(citizen, run);
      const ndcgs = new Map<Method, number>();
      for (const method of METHODS) {
        const top = rankings[method].slice(0, K);
        const r = tallies.get(method)!;
        const ndcg = ndcgAtK(top, relevant, K);
        r.ndcg.push(ndcg);
        r.recall.push(recallAtK(top, relevant, K));
        r.map.push(averagePrecisionAtK(top, relevant, K));
        r.violations += top.filter(
          (id) => !rulesOf.has(id) || !readsAsEligible(citizen, rulesOf.get(id)!, split),
        ).length;
        for (const id of top) r.counts.set(id, (r.counts.get(id) ?? 0) + 1);
        ndcgs.set(method, ndcg);
      }
      groups.push({ citizen, ndcg: ndcgs });
    }

    const methods = methodFigures(tallies, services);
    const slices = sliceRows(sample, groups, split);
    const large = slices.districts.filter((r) => r[1] >= 20);
    const ratio = (values: number[]) => Math.min(...values) / Math.max(...values);
    const result: SeedResult = {
      seed,
      sampled: sample.length,
      published: services.length,
      removed,
      methods,
      checks: {
        engineOracle: methods.get('engine')!.ndcg / methods.get('oracle')!.ndcg,
        engineSegment: methods.get('engine')!.ndcg / methods.get('segment popularity')!.ndcg,
        worstBestDistrict: ratio(large.map((r) => r[2])),
        oracleWorstBestDistrict: ratio(large.map((r) => r[3])),
      },
      slices: slices.all,
    };
    console.log(
      `seed ${seed}: engine / oracle ${result.checks.engineOracle.toFixed(3)}, ${removed.votes} votes and ${removed.ratings} ratings of the held-out days removed (${removed.ratingsRewound} ratings rewound)`,
    );
    return result;
  } finally {
    await population.dispose();
  }
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const started = Date.now();
  const runs: SeedResult[] = [];
  for (const seed of opts.seeds) runs.push(await evaluateSeed(opts, seed));

  const over = (pick: (r: SeedResult) => number, digits: number, scale = 1) => spread(runs.map(pick), digits, scale);
  const summary = markdownTable(
    ['method', 'NDCG@10', 'Recall@10', 'MAP@10', 'coverage', 'Gini', 'eligibility violations'],
    METHODS.map((m) => {
      const f = (r: SeedResult) => r.methods.get(m)!;
      return [
        m,
        over((r) => f(r).ndcg, 4),
        over((r) => f(r).recall, 4),
        over((r) => f(r).map, 4),
        `${over((r) => f(r).coverage, 1, 100)}%`,
        over((r) => f(r).gini, 3),
        runs.map((r) => f(r).violations).reduce((a, b) => a + b, 0),
      ];
    }),
  );
  const range = (pick: (r: SeedResult) => number) => {
    const values = runs.map(pick);
    return `${over(pick, 3)} (seeds: ${values.map((v) => v.toFixed(3)).join(', ')})`;
  };
  const checks = [
    `engine / oracle = ${range((r) => r.checks.engineOracle)} (target ≥ 0.85)`,
    `engine / segment popularity = ${range((r) => r.checks.engineSegment)} (target ≥ 1.2)`,
    `worst / best district (districts with ≥ 20 sampled citizens) = ${range((r) => r.checks.worstBestDistrict)} (target ≥ 0.9; the oracle's own: ${over((r) => r.checks.oracleWorstBestDistrict, 3)})`,
    `catalogue coverage of the engine's top-10 lists = ${over((r) => r.methods.get('engine')!.coverage, 1, 100)}% (target ≥ 50%)`,
    `eligibility violations of the engine, by the independent reading of the rules = ${runs.map((r) => r.methods.get('engine')!.violations).reduce((a, b) => a + b, 0)} (target 0)`,
  ];
  const labels = runs[0].slices.map((row) => row[0]);
  const sliceRows = labels.map((label) => {
    const rowsOf = runs.map((r) => r.slices.find((row) => row[0] === label)!);
    return [
      label,
      Math.round(mean(rowsOf.map((row) => row[1]))),
      ...([2, 3, 4] as const).map((i) =>
        spread(
          rowsOf.map((row) => row[i]),
          4,
        ),
      ),
    ];
  });
  const slices = markdownTable(['slice', 'citizens (mean)', 'engine', 'oracle', 'segment popularity'], sliceRows);
  const removed = runs
    .map((r) => `${r.removed.votes} votes, ${r.removed.ratings} ratings (${r.removed.ratingsRewound} rewound)`)
    .join('; ');
  const setup =
    `Populations: ${opts.citizens} citizens, ${opts.signals} signals over 180 days, seeds ${opts.seeds.join(', ')}; ` +
    `the ${HOLDOUT_DAYS} days from ${HOLDOUT_SPLIT.toISOString()} held out, with the votes and ratings made in them (${removed}); ` +
    `${runs.map((r) => r.sampled).join(' / ')} sampled citizens with held-out interactions; ${runs[0].published} published services; ` +
    `ranking over all eligible services as of the split. Figures are mean ± standard deviation over the seeds. ` +
    `Run took ${((Date.now() - started) / 1000).toFixed(0)} s.`;
  const report = `${setup}\n\n${summary}\n\n${checks.map((c) => `- ${c}`).join('\n')}\n\nNDCG@10 by slice:\n\n${slices}`;
  console.log(report);
  if (opts.write) writeDocSection('matching.md', 'ranking-eval', report);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
