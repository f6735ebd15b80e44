// npm run eval:matching [-- --citizens 12000 --signals 600000 --seed 11 --sample 4000 --no-write]
// Offline evaluation of recommendedServices on a synthetic population with planted
// preferences: the generator writes 180 days of signals ending 14 days from today; the last
// 14 days are held out (deleted after being read as the truth), the aggregates rebuilt from
// the rest, and every method ranks all eligible services for each sampled citizen as of today.
import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { Role } from '../../src/graphql/auth';
import { createContext } from '../../src/graphql/context';
import { AgeBand, ageBandOf } from '../../src/modules/citizens/age-band';
import { buildCatalogueSnapshot } from '../../src/modules/matching/catalogue-snapshot';
import { isEligible } from '../../src/modules/matching/eligibility';
import { recommendServices } from '../../src/modules/matching/recommendation.service';
import { readServices } from '../../seeds/cli';
import { createRng, plantedPreferences } from '../../seeds/population';
import { markdownTable, writeDocSection } from './doc-section';
import { HOLDOUT_DAYS, heldOutPopulation, populationOptions } from './held-out-population';
import { averagePrecisionAtK, gini, mean, ndcgAtK, recallAtK } from './metrics';

const K = 10;

interface Options { citizens: number; signals: number; seed: number; sample: number; write: boolean }

function options(argv: string[]): Options {
  return {
    ...populationOptions(argv, { citizens: 12_000, signals: 600_000, seed: 11, sample: 4000 }),
    write: !argv.includes('--no-write'),
  };
}

interface EvalCitizen { id: string; districtCode: string; birthYear: number | null; tags: string[]; trainSignals: number }
type Method = 'engine' | 'oracle' | 'segment popularity' | 'global popularity' | 'text only' | 'random eligible';
const METHODS: Method[] = ['engine', 'oracle', 'segment popularity', 'global popularity', 'text only', 'random eligible'];

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const started = Date.now();
  const population = await heldOutPopulation(opts, 'minsheng-eval-');
  const { database, dataDir, split, truth } = population;
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
    const snapshot = await buildCatalogueSnapshot(db);

    // Baselines' inputs, from the training signals only.
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

    const ctx = createContext({
      requestId: 'eval',
      user: { id: '00000000-0000-4000-8000-000000000001', role: Role.PLANNER, departmentId: null },
      dataSource: database.dataSource,
      config,
      logger: pino({ level: 'silent' }),
    });

    const byScore = (scores: Map<string, number>, eligible: string[]) =>
      [...eligible].sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || a.localeCompare(b));
    const results = new Map<Method, { ndcg: number[]; recall: number[]; map: number[]; violations: number; counts: Map<string, number> }>();
    for (const m of METHODS) results.set(m, { ndcg: [], recall: [], map: [], violations: 0, counts: new Map() });
    const groups: { citizen: EvalCitizen; ndcg: Map<Method, number> }[] = [];

    for (const citizen of sample) {
      const relevant = truth.get(citizen.id)!;
      const eligible = services.filter((s) => isEligible(citizen, s, split)).map((s) => s.id);
      const eligibleSet = new Set(eligible);
      const rng = createRng('eval-random', citizen.id);
      const segment = segmentCounts.get(`${citizen.districtCode}|${ageBandOf(citizen.birthYear, split)}`) ?? new Map();
      const textScores = new Map<string, number>();
      for (const text of textsOf.get(citizen.id) ?? []) {
        for (const m of snapshot.matcher.match(text, { limit: 20 })) textScores.set(m.serviceId, Math.max(textScores.get(m.serviceId) ?? 0, m.score));
      }
      const engine = (await recommendServices(ctx, { citizenId: citizen.id, first: K })).edges.map((e) => e.node.service.id);
      const rankings: Record<Method, string[]> = {
        engine,
        oracle: byScore(plantedPreferences(citizen, services, opts.seed, split), eligible),
        'segment popularity': byScore(segment, eligible),
        'global popularity': byScore(globalCounts, eligible),
        'text only': byScore(textScores, [...eligible].sort(() => rng() - 0.5)),
        'random eligible': [...eligible].map((id) => ({ id, key: rng() })).sort((a, b) => a.key - b.key).map((x) => x.id),
      };
      const ndcgs = new Map<Method, number>();
      for (const method of METHODS) {
        const top = rankings[method].slice(0, K);
        const r = results.get(method)!;
        const ndcg = ndcgAtK(top, relevant, K);
        r.ndcg.push(ndcg);
        r.recall.push(recallAtK(top, relevant, K));
        r.map.push(averagePrecisionAtK(top, relevant, K));
        r.violations += top.filter((id) => !eligibleSet.has(id)).length;
        for (const id of top) r.counts.set(id, (r.counts.get(id) ?? 0) + 1);
        ndcgs.set(method, ndcg);
      }
      groups.push({ citizen, ndcg: ndcgs });
    }

    const published = services.length;
    const summary = markdownTable(
      ['method', 'NDCG@10', 'Recall@10', 'MAP@10', 'coverage', 'Gini', 'eligibility violations'],
      METHODS.map((m) => {
        const r = results.get(m)!;
        const counts = services.map((s) => r.counts.get(s.id) ?? 0);
        return [m, mean(r.ndcg).toFixed(4), mean(r.recall).toFixed(4), mean(r.map).toFixed(4),
          `${((100 * r.counts.size) / published).toFixed(1)}%`, gini(counts).toFixed(3), r.violations];
      }),
    );
    const slice = (label: string, members: typeof groups) =>
      [label, members.length, ...METHODS.slice(0, 3).map((m) => mean(members.map((g) => g.ndcg.get(m)!)).toFixed(4))];
    const districtRows = [...new Set(sample.map((c) => c.districtCode))].sort().map((d) => slice(d, groups.filter((g) => g.citizen.districtCode === d)));
    const bandRows = [AgeBand.CHILD, AgeBand.YOUTH, AgeBand.ADULT, AgeBand.SENIOR, null].map((band) =>
      slice(band ?? 'unknown age', groups.filter((g) => ageBandOf(g.citizen.birthYear, split) === band)),
    );
    const coldRows = [slice('cold start (≤ 3 signals)', groups.filter((g) => g.citizen.trainSignals <= 3)), slice('others', groups.filter((g) => g.citizen.trainSignals > 3))];
    const slices = markdownTable(['slice', 'citizens', 'engine', 'oracle', 'segment popularity'], [...districtRows, ...bandRows, ...coldRows]);

    const engine = mean(results.get('engine')!.ndcg);
    const oracle = mean(results.get('oracle')!.ndcg);
    const segmentBaseline = mean(results.get('segment popularity')!.ndcg);
    const districtNdcgs = districtRows.filter((r) => Number(r[1]) >= 20).map((r) => Number(r[2]));
    const checks = [
      `engine / oracle = ${(engine / oracle).toFixed(3)} (target ≥ 0.85)`,
      `engine / segment popularity = ${(engine / segmentBaseline).toFixed(3)} (target ≥ 1.2)`,
      `worst / best district (districts with ≥ 20 sampled citizens) = ${(Math.min(...districtNdcgs) / Math.max(...districtNdcgs)).toFixed(3)} (target ≥ 0.9)`,
      `catalogue coverage of the engine's top-10 lists = ${((100 * results.get('engine')!.counts.size) / published).toFixed(1)}% (target ≥ 50%)`,
      `eligibility violations of the engine = ${results.get('engine')!.violations} (target 0)`,
    ];
    const setup = `Population: ${opts.citizens} citizens, ${opts.signals} signals over 180 days, seed ${opts.seed}; the last ${HOLDOUT_DAYS} days held out; ${sample.length} sampled citizens with held-out interactions; ${published} published services; ranking over all eligible services. Run took ${((Date.now() - started) / 1000).toFixed(0)} s.`;
    const report = `${setup}\n\n${summary}\n\n${checks.map((c) => `- ${c}`).join('\n')}\n\nNDCG@10 by slice:\n\n${slices}`;
    console.log(report);
    if (opts.write) writeDocSection('matching.md', 'ranking-eval', report);
  } finally {
    await population.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
