import { Role } from '../../src/core/auth';
import { databaseSignalSource, runRankingFitOnce } from '../../src/modules/matching/ranking-fit.job';
import {
  DEFAULT_FIT,
  fitTuningOn,
  fitWindow,
  sourceBefore,
  type FitOptions,
  type SignalSource,
} from '../../src/modules/matching/ranking-fit';
import { ACTIVE_CHECK_MS } from '../../src/modules/matching/ranking-models';
import { newCitizen } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/test-app';

const DAY_MS = 86_400_000;
const RANKING = `query R($first: Int) { recommendedServices(first: $first) { rankingModelId edges { node { service { id } score } } } }`;
const MODELS = `query { rankingModels { id active method fitCitizens historyFrom fitFrom evaluationFrom evaluationTo parameters { name value } evaluation { citizens fitted defaults baselines { name ndcg } } } }`;
const ACTIVATE = `mutation A($id: Int) { activateRankingModel(id: $id) { id active activatedAt } }`;

let t: TestApp;
let citizenIds: string[];
const END = new Date();
const options: FitOptions = { ...DEFAULT_FIT, end: END, minQueries: 10, maxQueries: 200, rounds: 1 };

/** Services open to everyone, grouped by category (the first four categories with at least six). */
async function servicesByCategory(): Promise<string[][]> {
  const rows: { category: string; ids: string[] }[] = await t.db.query(
    `SELECT category_id AS category, array_agg(id ORDER BY code) AS ids FROM service
      WHERE status = 'PUBLISHED' AND min_age IS NULL AND max_age IS NULL AND required_tags = '{}' AND district_codes = '{}'
      GROUP BY 1 HAVING count(*) >= 6 ORDER BY 1 LIMIT 4`,
  );
  return rows.map((r) => r.ids);
}

/** USE signals of `citizen` about `services` on the given days before END. */
async function insertUses(citizenId: string, services: string[], daysAgo: number[]): Promise<void> {
  await t.db.query(
    `INSERT INTO signal (citizen_id, kind, service_id, district_code, age_band, occurred_at)
     SELECT $1, 'USE', s, '520103', 'ADULT', $3::timestamptz - d * interval '1 day'
       FROM unnest($2::uuid[], $4::float8[]) AS x(s, d)`,
    [citizenId, services, END, daysAgo],
  );
}

beforeAll(async () => {
  t = await startTestApp();
  const categories = await servicesByCategory();
  citizenIds = [];
  // Forty citizens who each keep to one category: some of its services in the history, others
  // in the fit week, others in the evaluation week.
  for (let i = 0; i < 40; i += 1) {
    const citizen = await newCitizen(t, { districtCode: '520103', birthYear: 1985 });
    citizenIds.push(citizen.id);
    const own = categories[i % categories.length];
    await insertUses(citizen.id, [own[i % 3], own[(i + 1) % 3], own[(i + 2) % 3]], [30, 20, 16]);
    await insertUses(citizen.id, [own[3 + (i % 2)]], [10]);
    await insertUses(citizen.id, [own[5]], [3]);
  }
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe(`ranking models (${process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('fits without reading the evaluation week: every read of the fit ends before it', async () => {
    const { evaluationFrom } = fitWindow(options);
    const source = databaseSignalSource(t.db);
    const reads: Date[] = [];
    const recording: SignalSource = {
      ...source,
      signals: async (since, before) => (reads.push(before), source.signals(since, before)),
    };
    // A source that throws if asked for anything past the split: the fit runs through it.
    const fit = await fitTuningOn(sourceBefore(recording, evaluationFrom), options);
    expect('tuning' in fit).toBe(true);
    expect(reads.length).toBeGreaterThan(0);
    for (const before of reads) expect(before.getTime()).toBeLessThanOrEqual(evaluationFrom.getTime());
    await expect(sourceBefore(source, evaluationFrom).signals(evaluationFrom, END)).rejects.toThrow(
      /may not read signals after/,
    );
  });

  it('keeps the defaults when there is too little data', async () => {
    const run = await runRankingFitOnce(
      { dataSource: t.db, embedded: !process.env.TEST_DATABASE_URL },
      { ...options, minQueries: 1000 },
    );
    expect(run?.outcome.kind).toBe('too little data');
    expect(run?.modelId).toBeNull();
    const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM ranking_model');
    expect(count).toBe(0);
  });

  it('stores a fitted model with its windows and evaluation; planners list, only an ADMIN activates, audited', async () => {
    const run = await runRankingFitOnce({ dataSource: t.db, embedded: !process.env.TEST_DATABASE_URL }, options);
    expect(run?.outcome.kind).toBe('fitted');
    const id = run!.modelId!;
    const planner = t.client(await t.token(Role.PLANNER));
    const admin = t.client(await t.token(Role.ADMIN));
    const citizen = t.client(await t.token(Role.CITIZEN, { sub: citizenIds[0] }));
    const { rankingModels } = await planner.request<{ rankingModels: any[] }>(MODELS);
    const model = rankingModels.find((m) => m.id === id);
    expect(model.method).toMatch(/coordinate ascent/);
    expect(new Date(model.evaluationFrom).getTime()).toBe(END.getTime() - 7 * DAY_MS);
    expect(new Date(model.fitFrom).getTime()).toBe(END.getTime() - 14 * DAY_MS);
    expect(model.fitCitizens).toBeGreaterThanOrEqual(10);
    expect(model.evaluation.citizens).toBeGreaterThan(0);
    expect(model.evaluation.baselines.map((b: { name: string }) => b.name)).toEqual(
      expect.arrayContaining(['own category', 'item kNN', 'global popularity']),
    );
    await expect(citizen.request(MODELS)).rejects.toThrow(/FORBIDDEN|not authori[sz]ed|Access denied/i);
    await expect(planner.request(ACTIVATE, { id })).rejects.toThrow(/FORBIDDEN|not authori[sz]ed|Access denied/i);
    await expect(admin.request(ACTIVATE, { id: 999_999 })).rejects.toThrow(/not found/);

    // A second model with other weights: activating it and rolling back, each audited.
    const [{ id: other }] = await t.db.query(
      `INSERT INTO ranking_model (weights, method, history_from, fit_from, evaluation_from, evaluation_to, fit_citizens, evaluation)
       SELECT '{"weights.OWN_HISTORY": 0, "categoryTaste": 0}'::jsonb, method, history_from, fit_from, evaluation_from, evaluation_to, fit_citizens, evaluation
         FROM ranking_model WHERE id = $1 RETURNING id`,
      [id],
    );
    const activated = await admin.request<{ activateRankingModel: { id: number; active: boolean } }>(ACTIVATE, {
      id: other,
    });
    expect(activated.activateRankingModel).toMatchObject({ id: other, active: true });
    const back = await admin.request<{ activateRankingModel: { id: number; active: boolean } }>(ACTIVATE, { id });
    expect(back.activateRankingModel).toMatchObject({ id, active: true });
    const actives = await t.db.query('SELECT id FROM ranking_model WHERE active');
    expect(actives).toEqual([{ id }]);
    const audit = await t.db.query(
      `SELECT actor_role AS role, target_id AS target, details FROM audit_event WHERE action = 'rankingModel.activate' ORDER BY at, id`,
    );
    expect(audit.slice(-2)).toEqual([
      { role: 'ADMIN', target: String(other), details: { previous: run!.activated ? id : null, active: other } },
      { role: 'ADMIN', target: String(id), details: { previous: other, active: id } },
    ]);
    // The partial unique index: never two active models.
    await expect(t.db.query('UPDATE ranking_model SET active = true WHERE id = $1', [other])).rejects.toThrow(
      /ranking_model_one_active|unique/,
    );
  });

  it("ranks with the active model's weights, and says which model ranks", async () => {
    const admin = t.client(await t.token(Role.ADMIN));
    const citizen = t.client(await t.token(Role.CITIZEN, { sub: citizenIds[0] }));
    // The history of the ranked citizen as the ranking reads it (the aggregates), so that the
    // history's weight matters.
    await t.db.query(
      `INSERT INTO citizen_service_score (citizen_id, service_id, score, signals, last_at)
       SELECT citizen_id, service_id, count(*) * 1000, count(*), max(occurred_at) FROM signal WHERE citizen_id = $1 GROUP BY 1, 2
       ON CONFLICT DO NOTHING`,
      [citizenIds[0]],
    );
    const [{ id: withoutHistory }] = await t.db.query(
      `INSERT INTO ranking_model (weights, method, history_from, fit_from, evaluation_from, evaluation_to, fit_citizens, evaluation)
       SELECT '{"weights.OWN_HISTORY": 0, "categoryTaste": 0}'::jsonb, method, history_from, fit_from, evaluation_from, evaluation_to, fit_citizens, evaluation
         FROM ranking_model ORDER BY id LIMIT 1 RETURNING id`,
    );
    await admin.request(ACTIVATE, { id: null });
    type Ranking = {
      recommendedServices: {
        rankingModelId: number | null;
        edges: { node: { service: { id: string }; score: number } }[];
      };
    };
    const defaults = (await citizen.request<Ranking>(RANKING, { first: 10 })).recommendedServices;
    expect(defaults.rankingModelId).toBeNull();
    await admin.request(ACTIVATE, { id: withoutHistory });
    const fitted = (await citizen.request<Ranking>(RANKING, { first: 10 })).recommendedServices;
    expect(fitted.rankingModelId).toBe(withoutHistory);
    const ids = (r: Ranking['recommendedServices']) => r.edges.map((e) => e.node.service.id);
    expect(ids(fitted)).not.toEqual(ids(defaults));
    await admin.request(ACTIVATE, { id: null });
    expect((await citizen.request<Ranking>(RANKING, { first: 10 })).recommendedServices.rankingModelId).toBeNull();
  });

  it('refuses to activate a model this version cannot use, and ranks with the defaults while one is active', async () => {
    const admin = t.client(await t.token(Role.ADMIN));
    const citizen = t.client(await t.token(Role.CITIZEN, { sub: citizenIds[0] }));
    // As a model fitted by an older release would be: a parameter this one no longer knows.
    const [{ id: stale }] = await t.db.query(
      `INSERT INTO ranking_model (weights, method, history_from, fit_from, evaluation_from, evaluation_to, fit_citizens, evaluation)
       SELECT '{"weights.OWN_HISTORY": 1, "retiredParameter": 2}'::jsonb, method, history_from, fit_from, evaluation_from, evaluation_to, fit_citizens, evaluation
         FROM ranking_model ORDER BY id LIMIT 1 RETURNING id`,
    );
    await admin.request(ACTIVATE, { id: null });
    await expect(admin.request(ACTIVATE, { id: stale })).rejects.toThrow(/cannot rank with this version/);
    expect(await t.db.query('SELECT id FROM ranking_model WHERE active')).toEqual([]);
    type Ranking = { recommendedServices: { rankingModelId: number | null; edges: unknown[] } };
    const defaults = (await citizen.request<Ranking>(RANKING, { first: 10 })).recommendedServices;

    await t.db.query('UPDATE ranking_model SET active = true WHERE id = $1', [stale]);
    await new Promise((resolve) => setTimeout(resolve, ACTIVE_CHECK_MS + 100));
    const ranked = (await citizen.request<Ranking>(RANKING, { first: 10 })).recommendedServices;
    expect(ranked.rankingModelId).toBeNull();
    expect(ranked.edges).toEqual(defaults.edges);
    await t.db.query('UPDATE ranking_model SET active = false WHERE id = $1', [stale]);
  });
});
