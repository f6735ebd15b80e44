// npm run eval:api-world [-- --citizens 400 --seed 5 --port 7400 --wait 40 --world taste|segment --model '{"categoryTaste": 0.3}']
//
// The ranking judged from outside, as a client would: a server of its own (`npm start`'s
// build, development mode, the embedded database in a scratch directory, or DATABASE_URL),
// a population drawn by a generator that shares nothing with the simulated worlds
// (`worlds.ts`), its signals sent over HTTP with `recordSignals`, votes with `vote`, then
// `recommendedServices(first: 10)` asked for each citizen and scored on the week that follows,
// which is drawn but never sent. The baselines are computed here from what was sent, with the
// eligibility the API publishes. NDCG@10, graded: a use 2, a view 1.
//
// Worlds: `taste` (each citizen's own two or three categories) and `segment` (citizens of one
// age band and circumstance share most of their categories, and half of them have sent at
// most two signals).
//
// `--model` (with DATABASE_URL, a database of its own) also ranks with a model of those
// parameters, stored as a fitted model and activated by an ADMIN, to compare with the defaults
// on the same population.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { Client } from 'pg';
import { seededRandom } from '../helpers/seeded-random';
import { poisson } from './worlds';

const DEVELOPMENT_JWT_SECRET = 'minsheng-development-secret-do-not-use-in-production';
const ROOT = path.resolve(__dirname, '..', '..', '..');
const DAY_MS = 86_400_000;
const HISTORY_DAYS = 56;
const TAGS = ['retiree', 'student', 'unemployed', 'parent-of-young-child', 'migrant-worker', 'car-owner', 'homeowner'];

interface Service {
  id: string;
  categoryCode: string;
  minAge: number | null;
  maxAge: number | null;
  requiredTags: string[];
  districts: string[];
}
interface Profile {
  districtCode: string;
  birthYear: number;
  tags: string[];
}
interface Signal {
  serviceId: string;
  kind: 'VIEW' | 'USE';
  at: number;
}
interface Citizen {
  id: string;
  token: string;
  profile: Profile;
  history: Signal[];
  nextWeek: Signal[];
  upVote: string | null;
  downVotes: string[];
  ratings: { serviceId: string; stars: number }[];
}

const WORLDS = ['taste', 'segment', 'sequence', 'district', 'longtail'] as const;
type World = (typeof WORLDS)[number];
interface Population {
  url: string;
  services: Service[];
  citizens: Citizen[];
  now: number;
  world: World;
}
interface Scores {
  rows: Record<string, number[]>;
  groups: string[];
}
const NOT_A_BASELINE = 'own category, at most 3 a category (not a baseline)';

async function main() {
  const { values } = parseArgs({
    options: {
      citizens: { type: 'string', default: '400' },
      seed: { type: 'string', default: '5' },
      port: { type: 'string', default: '7400' },
      wait: { type: 'string', default: '0' },
      world: { type: 'string', default: 'taste' },
      model: { type: 'string' },
      explain: { type: 'string', default: '0' },
      'explain-signals': { type: 'string', default: '1-2' },
    },
  });
  const port = Number(values.port);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'minsheng-api-world-'));
  const server = startServer(port, dataDir);
  try {
    await waitReady(`http://127.0.0.1:${port}/readyz`);
    const world = WORLDS.find((w) => w === values.world);
    if (!world) throw new Error(`--world is one of ${WORLDS.join(', ')}`);
    const started = Date.now();
    const population = await populate(
      `http://127.0.0.1:${port}/graphql`,
      world,
      Number(values.citizens),
      Number(values.seed),
    );
    const sent = population.citizens.reduce((n, c) => n + c.history.length, 0);
    console.log(
      `${world} world: ${population.citizens.length} citizens, ${sent} signals sent in ${((Date.now() - started) / 1000).toFixed(1)} s, ${population.citizens.filter((c) => c.upVote).length} up-votes, ${population.citizens.reduce((n, c) => n + c.downVotes.length, 0)} down-votes, ${population.citizens.reduce((n, c) => n + c.ratings.length, 0)} ratings; seed ${values.seed}`,
    );
    report('right after sending', await scoreAll(population));
    const trainCounts = countsOf(population.citizens.flatMap((c) => c.history));
    const waitSeconds = Number(values.wait);
    if (waitSeconds > 0) {
      await new Promise((r) => setTimeout(r, waitSeconds * 1000));
      report(`after ${waitSeconds} s`, await scoreAll(population));
    }
    // `--explain-signals 3-10`: which history sizes the explained citizens have.
    const [fewest, most] = values['explain-signals'].split('-').map(Number);
    const explained = population.citizens.filter(
      (c) => c.history.length >= fewest && c.history.length <= (most || fewest) && c.nextWeek.length > 0,
    );
    for (const c of explained.slice(0, Number(values.explain)))
      await explain(population.url, c, population.services, trainCounts, population.now);
    if (values.model) {
      await activateModel(population.url, JSON.parse(values.model));
      report(`with the model ${values.model}`, await scoreAll(population));
      for (const c of explained.slice(0, Number(values.explain)))
        await explain(population.url, c, population.services, trainCounts, population.now);
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The built server as `npm start` runs it, in development mode, on the embedded database in `dataDir` unless DATABASE_URL says. */
function startServer(port: number, dataDir: string) {
  return spawn(process.execPath, ['--max-old-space-size=240', path.join(ROOT, 'dist', 'src', 'index.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', process.env.LOG_LEVEL ? 'inherit' : 'ignore', 'inherit'],
  });
}

/** Citizens with profiles, their behaviour drawn, their history and votes sent. */
async function populate(url: string, world: World, count: number, seed: number): Promise<Population> {
  const random = seededRandom(seed);
  const services = await catalogue(url);
  const districts = [...new Set(services.flatMap((s) => s.districts))];
  const now = Date.now();
  const popularity = zipfPopularity(services, random, world === 'longtail' ? 1.3 : 0.9);
  const citizens = await makeCitizens(url, count, districts, random);
  const segmentCategories = new Map<string, string[]>();
  const chains = world === 'sequence' ? drawChains(services, random) : [];
  const quality = new Map<string, number>();
  if (world === 'longtail') for (const s of services) quality.set(s.id, Math.exp(0.8 * gaussian(random)));
  for (const c of citizens) {
    if (world === 'sequence') drawSequence(c, services, popularity, chains, random, now);
    else if (world === 'district') drawDistrict(c, services, popularity, random, now, segmentCategories);
    else if (world === 'longtail') drawLongTail(c, services, popularity, quality, random, now);
    else drawBehaviour(c, services, popularity, random, now, world, segmentCategories);
  }
  for (const c of citizens) await sendHistory(url, c);
  return { url, services, citizens, now, world };
}

/** NDCG@10 of the engine and the baselines for every citizen with a next week, with their history's size. */
async function scoreAll({ url, services, citizens, now, world }: Population): Promise<Scores> {
  const rows: Record<string, number[]> = {
    engine: [],
    'global popularity': [],
    'segment popularity': [],
    'own category': [],
    'item kNN': [],
    [NOT_A_BASELINE]: [],
  };
  const groups: string[] = [];
  const trainCounts = countsOf(citizens.flatMap((c) => c.history));
  const cooc = cooccurrence(citizens);
  for (const c of citizens) {
    const truth = gradedTruth(c.nextWeek);
    if (truth.size === 0) continue;
    const eligible = services.filter((s) => eligibleFor(s, c.profile, now));
    groups.push(historyGroup(c.history.length));
    rows.engine.push(ndcg(await recommended(url, c.token), truth));
    rows['global popularity'].push(ndcg(byCount(eligible, trainCounts), truth));
    const peers = citizens.filter((p) => segmentOf(p.profile, now, world) === segmentOf(c.profile, now, world));
    rows['segment popularity'].push(ndcg(byCount(eligible, countsOf(peers.flatMap((p) => p.history))), truth));
    rows['own category'].push(ndcg(ownCategory(c, eligible, trainCounts, services), truth));
    rows[NOT_A_BASELINE].push(ndcg(ownCategory(c, eligible, trainCounts, services, 3), truth));
    rows['item kNN'].push(ndcg(itemKnn(c, eligible, cooc, trainCounts), truth));
  }
  return { rows, groups };
}

const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function report(label: string, { rows, groups }: Scores) {
  const best = Math.max(
    ...Object.entries(rows)
      .filter(([k]) => k !== 'engine' && k !== NOT_A_BASELINE)
      .map(([, v]) => meanOf(v)),
  );
  const line = (r: Record<string, number[]>) =>
    Object.entries(r)
      .map(([k, v]) => `${k} ${meanOf(v).toFixed(4)}`)
      .join(', ');
  console.log(
    `${label}: ${rows.engine.length} citizens scored; ${line(rows)}; engine / best baseline ${(meanOf(rows.engine) / best).toFixed(3)}`,
  );
  for (const group of [...new Set(groups)].sort()) {
    const picked = Object.fromEntries(
      Object.entries(rows).map(([k, v]) => [k, v.filter((_, i) => groups[i] === group)]),
    );
    console.log(`  ${group}: ${picked.engine.length} citizens; ${line(picked)}`);
  }
}

/** One citizen's history, next week and ranking with its reasons, by category. */
async function explain(url: string, c: Citizen, services: Service[], counts?: Map<string, number>, now = Date.now()) {
  const categoryOf = new Map(services.map((s) => [s.id, s.categoryCode]));
  const data: {
    recommendedServices: {
      edges: {
        node: { score: number; service: { id: string; title: string }; reasons: { kind: string; weight: number }[] };
      }[];
    };
  } = await gql(
    url,
    '{ recommendedServices(first: 10) { edges { node { score service { id title } reasons { kind weight } } } } }',
    {},
    c.token,
  );
  console.log(`citizen ${JSON.stringify(c.profile)}`);
  console.log(
    `  history: ${c.history.map((s) => `${categoryOf.get(s.serviceId)}/${s.serviceId.slice(0, 6)}`).join(' ')}`,
  );
  console.log(
    `  next week: ${c.nextWeek.map((s) => `${categoryOf.get(s.serviceId)}/${s.serviceId.slice(0, 6)}`).join(' ')}`,
  );
  for (const { node } of data.recommendedServices.edges)
    console.log(
      `  ${node.score.toFixed(3)} ${categoryOf.get(node.service.id)}/${node.service.id.slice(0, 6)} ${node.service.title} ${node.reasons.map((r) => `${r.kind}:${r.weight.toFixed(2)}`).join(' ')}`,
    );
  if (counts) {
    const eligible = services.filter((s) => eligibleFor(s, c.profile, now));
    const page = ownCategory(c, eligible, counts, services);
    console.log(`  own category: ${page.map((id) => `${categoryOf.get(id)}/${id.slice(0, 6)}`).join(' ')}`);
    const popular = byCount(eligible, counts);
    console.log(`  global popularity: ${popular.map((id) => `${categoryOf.get(id)}/${id.slice(0, 6)}`).join(' ')}`);
  }
}

async function activateModel(url: string, weights: object) {
  if (!process.env.DATABASE_URL) throw new Error('--model needs DATABASE_URL');
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const {
    rows: [{ id }],
  } = await db.query(
    `INSERT INTO ranking_model (weights, method, history_from, fit_from, evaluation_from, evaluation_to, fit_citizens, evaluation)
     VALUES ($1::jsonb, 'api-world', now() - interval '104 days', now() - interval '14 days', now() - interval '7 days', now(), 0,
             '{"queries": 0, "fitted": 0, "defaults": 0, "baselines": {}}'::jsonb) RETURNING id`,
    [JSON.stringify(weights)],
  );
  await db.end();
  const admin = await tokenFor(randomUUID(), 'ADMIN');
  await gql(url, 'mutation($id: Int) { activateRankingModel(id: $id) { id } }', { id }, admin);
}

function tokenFor(sub: string, role: string): Promise<string> {
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('6h')
    .sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET));
}

async function waitReady(readyz: string) {
  for (let i = 0; i < 600; i += 1) {
    try {
      if ((await fetch(readyz)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('server did not become ready');
}

async function gql<T>(url: string, query: string, variables: object = {}, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

async function catalogue(url: string): Promise<Service[]> {
  const out: Service[] = [];
  let after: string | null = null;
  for (;;) {
    const page: {
      services: {
        edges: {
          node: {
            id: string;
            category: { code: string };
            eligibility: {
              minAge: number | null;
              maxAge: number | null;
              requiredTags: string[];
              districts: { code: string }[];
            };
          };
        }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    } = await gql(
      url,
      `query($after: String) { services(first: 100, after: $after) { edges { node { id category { code }
         eligibility { minAge maxAge requiredTags districts { code } } } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    for (const { node } of page.services.edges)
      out.push({
        id: node.id,
        categoryCode: node.category.code,
        minAge: node.eligibility.minAge,
        maxAge: node.eligibility.maxAge,
        requiredTags: node.eligibility.requiredTags,
        districts: node.eligibility.districts.map((d) => d.code),
      });
    if (!page.services.pageInfo.hasNextPage) return out;
    after = page.services.pageInfo.endCursor;
  }
}

function eligibleFor(s: Service, p: Profile, now: number): boolean {
  const age = new Date(now).getUTCFullYear() - p.birthYear;
  if (s.minAge !== null && age < s.minAge) return false;
  if (s.maxAge !== null && age > s.maxAge) return false;
  if (s.districts.length > 0 && !s.districts.includes(p.districtCode)) return false;
  return s.requiredTags.every((t) => p.tags.includes(t));
}

/** A popularity per service: Zipf over a random order, so no service is popular by its place in the catalogue. */
function zipfPopularity(services: Service[], random: () => number, exponent: number): Map<string, number> {
  const order = services.map((s) => s.id).sort(() => random() - 0.5);
  return new Map(order.map((id, i) => [id, 1 / (i + 1) ** exponent]));
}

async function makeCitizens(url: string, n: number, districts: string[], random: () => number): Promise<Citizen[]> {
  const citizens: Citizen[] = [];
  for (let i = 0; i < n; i += 1) {
    const id = randomUUID();
    const token = await tokenFor(id, 'CITIZEN');
    const profile: Profile = {
      districtCode: districts[Math.floor(random() * districts.length)],
      birthYear: 1940 + Math.floor(random() * 66),
      tags: TAGS.filter(() => random() < 0.15),
    };
    await gql(
      url,
      'mutation($input: CitizenProfileInput!) { updateMyProfile(input: $input) { id } }',
      { input: profile },
      token,
    );
    citizens.push({ id, token, profile, history: [], nextWeek: [], upVote: null, downVotes: [], ratings: [] });
  }
  return citizens;
}

/**
 * A citizen's taste: two or three categories they care for (weights 0.6, 0.3, 0.1), services
 * within a category by popularity; a fifth of what they do is exposure to popular services
 * whatever their taste. Activity is heavy-tailed (a median of about 8 signals in 8 weeks).
 */
function drawBehaviour(
  c: Citizen,
  services: Service[],
  popularity: Map<string, number>,
  random: () => number,
  now: number,
  world: World,
  segmentCategories: Map<string, string[]>,
) {
  const eligible = services.filter((s) => eligibleFor(s, c.profile, now));
  if (eligible.length === 0) return;
  const categories = [...new Set(eligible.map((s) => s.categoryCode))];
  const anyCategory = () => categories[Math.floor(random() * categories.length)];
  const segment = segmentOf(c.profile, now, world);
  if (world === 'segment' && !segmentCategories.has(segment))
    segmentCategories.set(segment, [0, 1, 2, 3].map(anyCategory));
  const shared = segmentCategories.get(segment) ?? [];
  const liked = [0, 1, 2].map(() => {
    if (world !== 'segment' || random() < 0.25) return anyCategory();
    const category = shared[Math.floor(random() * shared.length)];
    return categories.includes(category) ? category : anyCategory();
  });
  const likedWeights = [0.6, 0.3, 0.1];
  const pick = (pool: Service[]) => {
    const total = pool.reduce((a, s) => a + popularity.get(s.id)!, 0);
    let r = random() * total;
    for (const s of pool) if ((r -= popularity.get(s.id)!) <= 0) return s;
    return pool[pool.length - 1];
  };
  const draw = (): Service => {
    if (random() < 0.2) return pick(eligible);
    let r = random();
    let category = liked[2];
    for (let k = 0; k < 3; k += 1)
      if ((r -= likedWeights[k]) <= 0) {
        category = liked[k];
        break;
      }
    return pick(eligible.filter((s) => s.categoryCode === category));
  };
  const rate = Math.exp(Math.log(1) + 1.1 * gaussian(random)); // signals a week, median 1
  const cold = world === 'segment' && random() < 0.5;
  const historyCount = cold
    ? Math.floor(random() * 3)
    : Math.max(1, Math.min(80, Math.round(rate * (HISTORY_DAYS / 7))));
  for (let i = 0; i < historyCount; i += 1) {
    const s = draw();
    c.history.push({
      serviceId: s.id,
      kind: random() < 0.35 ? 'USE' : 'VIEW',
      at: now - random() * (HISTORY_DAYS - 1) * DAY_MS - 60_000,
    });
  }
  const weekCount = poisson(rate, random);
  for (let i = 0; i < weekCount; i += 1) {
    const s = draw();
    c.nextWeek.push({ serviceId: s.id, kind: random() < 0.35 ? 'USE' : 'VIEW', at: now + random() * 7 * DAY_MS });
  }
  if (c.history.length > 0 && random() < 0.08) c.upVote = c.history[Math.floor(random() * c.history.length)].serviceId;
}

/** A service of `pool` drawn in proportion to `weightOf`. */
function pickBy(pool: Service[], weightOf: (s: Service) => number, random: () => number): Service {
  const total = pool.reduce((a, s) => a + weightOf(s), 0);
  let r = random() * total;
  for (const s of pool) if ((r -= weightOf(s)) <= 0) return s;
  return pool[pool.length - 1];
}

function signalOf(s: Service, at: number, random: () => number): Signal {
  return { serviceId: s.id, kind: random() < 0.35 ? 'USE' : 'VIEW', at };
}

/** Forty sequences of four to seven services, each step from any category: what one need leads to next. */
function drawChains(services: Service[], random: () => number): Service[][] {
  return Array.from({ length: 40 }, () => {
    const chain: Service[] = [];
    const length = 4 + Math.floor(random() * 4);
    while (chain.length < length) {
      const s = services[Math.floor(random() * services.length)];
      if (!chain.includes(s)) chain.push(s);
    }
    return chain;
  });
}

/**
 * `sequence`: each citizen is somewhere along one or two of the city's sequences (a uniform
 * position, so about one in five has not begun); their history is the steps before it, in
 * order, a step once or twice; their next week is the step at their position and, a third of
 * the time, the one after. A sixth of what they do is exposure to popular services. Age,
 * district and categories say nothing.
 */
function drawSequence(
  c: Citizen,
  services: Service[],
  popularity: Map<string, number>,
  chains: Service[][],
  random: () => number,
  now: number,
) {
  const eligible = services.filter((s) => eligibleFor(s, c.profile, now));
  if (eligible.length === 0) return;
  const own = chains.map((chain) => chain.filter((s) => eligibleFor(s, c.profile, now))).filter((ch) => ch.length >= 3);
  if (own.length === 0) return;
  const followed = [own[Math.floor(random() * own.length)]];
  if (random() < 0.3) followed.push(own[Math.floor(random() * own.length)]);
  const exposure = () => pickBy(eligible, (s) => popularity.get(s.id)!, random);
  for (const chain of followed) {
    const position = Math.floor(random() * chain.length);
    // Steps spread over the eight weeks in order, the last a few days ago at most.
    for (let step = 0; step < position; step += 1) {
      const at = now - ((position - step) / (position + 1)) * (HISTORY_DAYS - 1) * DAY_MS - random() * DAY_MS;
      const times = random() < 0.4 ? 2 : 1;
      for (let t = 0; t < times; t += 1) c.history.push(signalOf(chain[step], at + t * 3_600_000, random));
    }
    c.nextWeek.push(signalOf(chain[position], now + random() * 7 * DAY_MS, random));
    if (position + 1 < chain.length && random() < 0.33)
      c.nextWeek.push(signalOf(chain[position + 1], now + random() * 7 * DAY_MS, random));
  }
  const noise = Math.round(c.history.length / 5);
  for (let i = 0; i < noise; i += 1)
    c.history.push(signalOf(exposure(), now - random() * (HISTORY_DAYS - 1) * DAY_MS - 60_000, random));
  if (random() < 0.2) c.nextWeek.push(signalOf(exposure(), now + random() * 7 * DAY_MS, random));
  c.history.sort((a, b) => a.at - b.at);
}

/**
 * `district`: demand set by where a citizen lives and their circumstances, not their age. Each
 * district and each circumstance has three categories of its own; a citizen's three liked
 * categories come from their district's (40%), one of their circumstances' (40%, else the
 * district's) or anywhere. Most citizens (55%) have sent nothing yet; the rest are heavy-tailed.
 */
function drawDistrict(
  c: Citizen,
  services: Service[],
  popularity: Map<string, number>,
  random: () => number,
  now: number,
  groupCategories: Map<string, string[]>,
) {
  const eligible = services.filter((s) => eligibleFor(s, c.profile, now));
  if (eligible.length === 0) return;
  const allCategories = [...new Set(services.map((s) => s.categoryCode))];
  const categoriesOf = (group: string) => {
    if (!groupCategories.has(group))
      groupCategories.set(
        group,
        [0, 1, 2].map(() => allCategories[Math.floor(random() * allCategories.length)]),
      );
    return groupCategories.get(group)!;
  };
  const mine = new Set(eligible.map((s) => s.categoryCode));
  const liked = [0, 1, 2].map(() => {
    const r = random();
    const from =
      r < 0.4
        ? categoriesOf(`district:${c.profile.districtCode}`)
        : r < 0.8 && c.profile.tags.length > 0
          ? categoriesOf(`tag:${c.profile.tags[Math.floor(random() * c.profile.tags.length)]}`)
          : r < 0.8
            ? categoriesOf(`district:${c.profile.districtCode}`)
            : [...mine];
    const category = from[Math.floor(random() * from.length)];
    return mine.has(category) ? category : [...mine][Math.floor(random() * mine.size)];
  });
  const weightOf = (s: Service) => popularity.get(s.id)!;
  const draw = (): Service => {
    if (random() < 0.15) return pickBy(eligible, weightOf, random);
    const r = random();
    const category = r < 0.5 ? liked[0] : r < 0.8 ? liked[1] : liked[2];
    return pickBy(
      eligible.filter((s) => s.categoryCode === category),
      weightOf,
      random,
    );
  };
  const rate = Math.exp(1.1 * gaussian(random));
  const historyCount = random() < 0.55 ? 0 : Math.max(1, Math.min(80, Math.round(rate * (HISTORY_DAYS / 7))));
  for (let i = 0; i < historyCount; i += 1)
    c.history.push(signalOf(draw(), now - random() * (HISTORY_DAYS - 1) * DAY_MS - 60_000, random));
  const weekCount = poisson(Math.max(rate, 0.7), random);
  for (let i = 0; i < weekCount; i += 1) c.nextWeek.push(signalOf(draw(), now + random() * 7 * DAY_MS, random));
  if (c.history.length > 0 && random() < 0.08) c.upVote = c.history[Math.floor(random() * c.history.length)].serviceId;
}

/**
 * `longtail`: a steep popularity (Zipf 1.3) and a long noisy tail (a quarter of what anyone does
 * lands anywhere in the catalogue), half the citizens with one signal; each service has a
 * quality that popularity does not show, and the week that follows is drawn by popularity times
 * quality (word gets round). Votes and ratings reflect quality: a third of the citizens vote on
 * a service they used (up above the median quality, down below it, with noise) and a tenth rate
 * one (stars by quality).
 */
function drawLongTail(
  c: Citizen,
  services: Service[],
  popularity: Map<string, number>,
  quality: Map<string, number>,
  random: () => number,
  now: number,
) {
  const eligible = services.filter((s) => eligibleFor(s, c.profile, now));
  if (eligible.length === 0) return;
  const categories = [...new Set(eligible.map((s) => s.categoryCode))];
  const liked = categories[Math.floor(random() * categories.length)];
  const inLiked = eligible.filter((s) => s.categoryCode === liked);
  const draw = (weightOf: (s: Service) => number): Service => {
    const r = random();
    if (r < 0.25) return eligible[Math.floor(random() * eligible.length)];
    return pickBy(r < 0.6 ? inLiked : eligible, weightOf, random);
  };
  const past = (s: Service) => popularity.get(s.id)!;
  const future = (s: Service) => popularity.get(s.id)! * quality.get(s.id)!;
  const rate = Math.exp(1.1 * gaussian(random));
  const historyCount = random() < 0.5 ? 1 : Math.max(1, Math.min(80, Math.round(rate * (HISTORY_DAYS / 7))));
  for (let i = 0; i < historyCount; i += 1)
    c.history.push(signalOf(draw(past), now - random() * (HISTORY_DAYS - 1) * DAY_MS - 60_000, random));
  const weekCount = poisson(Math.max(rate, 0.7), random);
  for (let i = 0; i < weekCount; i += 1) c.nextWeek.push(signalOf(draw(future), now + random() * 7 * DAY_MS, random));
  const used = c.history[Math.floor(random() * c.history.length)].serviceId;
  const q = quality.get(used)! * Math.exp(0.3 * gaussian(random));
  if (random() < 0.33) {
    if (q > 1) c.upVote = used;
    else c.downVotes.push(used);
  }
  if (random() < 0.1)
    c.ratings.push({ serviceId: used, stars: Math.max(1, Math.min(5, Math.round(3 + 1.5 * Math.log(q)))) });
}

function historyGroup(n: number): string {
  return n === 0 ? 'a. no history' : n <= 2 ? 'b. 1-2 signals' : n <= 10 ? 'c. 3-10 signals' : 'd. more than 10';
}

/**
 * Who a world's demand is shared by, as the segment-popularity baseline groups citizens: the
 * district and first circumstance in the district world, else the age band by decade and the
 * first circumstance.
 */
function segmentOf(p: Profile, now: number, world: World): string {
  if (world === 'district') return `${p.districtCode}:${p.tags[0] ?? '-'}`;
  const age = new Date(now).getUTCFullYear() - p.birthYear;
  return `${Math.min(7, Math.floor(age / 10))}:${p.tags[0] ?? '-'}`;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

async function sendHistory(url: string, c: Citizen): Promise<number> {
  const signals = c.history.map((s) => ({
    kind: s.kind,
    serviceId: s.serviceId,
    occurredAt: new Date(s.at).toISOString(),
    clientEventId: randomUUID(),
  }));
  for (let i = 0; i < signals.length; i += 50)
    await gql(
      url,
      'mutation($signals: [SignalInput!]!) { recordSignals(signals: $signals) { accepted } }',
      { signals: signals.slice(i, i + 50) },
      c.token,
    );
  if (c.upVote)
    await gql(url, 'mutation($id: ID!) { vote(value: UP, serviceId: $id) { viewerVote } }', { id: c.upVote }, c.token);
  for (const id of c.downVotes)
    await gql(url, 'mutation($id: ID!) { vote(value: DOWN, serviceId: $id) { viewerVote } }', { id }, c.token);
  for (const { serviceId, stars } of c.ratings)
    await gql(
      url,
      'mutation($id: ID!, $stars: Int!) { rateService(serviceId: $id, stars: $stars) { id } }',
      { id: serviceId, stars },
      c.token,
    );
  return signals.length;
}

async function recommended(url: string, token: string): Promise<string[]> {
  const data: { recommendedServices: { edges: { node: { service: { id: string } } }[] } } = await gql(
    url,
    '{ recommendedServices(first: 10) { edges { node { service { id } } } } }',
    {},
    token,
  );
  return data.recommendedServices.edges.map((e) => e.node.service.id);
}

function gradedTruth(week: Signal[]): Map<string, number> {
  const truth = new Map<string, number>();
  for (const s of week) truth.set(s.serviceId, Math.max(truth.get(s.serviceId) ?? 0, s.kind === 'USE' ? 2 : 1));
  return truth;
}

function ndcg(ranked: string[], truth: Map<string, number>, k = 10): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => (dcg += (2 ** (truth.get(id) ?? 0) - 1) / Math.log2(i + 2)));
  const ideal = [...truth.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

function countsOf(signals: Signal[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of signals) counts.set(s.serviceId, (counts.get(s.serviceId) ?? 0) + 1);
  return counts;
}

function byCount(pool: Service[], counts: Map<string, number>): string[] {
  return [...pool]
    .sort((a, b) => (counts.get(b.id) ?? 0) - (counts.get(a.id) ?? 0))
    .map((s) => s.id)
    .slice(0, 10);
}

function ownCategory(
  c: Citizen,
  eligible: Service[],
  counts: Map<string, number>,
  services: Service[],
  perCategory = Infinity,
): string[] {
  const categoryOf = new Map(services.map((s) => [s.id, s.categoryCode]));
  const mine = new Map<string, number>();
  for (const s of c.history) mine.set(categoryOf.get(s.serviceId)!, (mine.get(categoryOf.get(s.serviceId)!) ?? 0) + 1);
  const ranked = [...eligible].sort(
    (a, b) =>
      (mine.get(b.categoryCode) ?? 0) - (mine.get(a.categoryCode) ?? 0) ||
      (counts.get(b.id) ?? 0) - (counts.get(a.id) ?? 0),
  );
  const taken = new Map<string, number>();
  const page: string[] = [];
  for (const s of ranked) {
    if ((taken.get(s.categoryCode) ?? 0) >= perCategory) continue;
    taken.set(s.categoryCode, (taken.get(s.categoryCode) ?? 0) + 1);
    page.push(s.id);
    if (page.length === 10) break;
  }
  return page;
}

function cooccurrence(citizens: Citizen[]): Map<string, Map<string, number>> {
  const pairs = new Map<string, Map<string, number>>();
  for (const c of citizens) {
    const items = [...new Set(c.history.map((s) => s.serviceId))];
    for (const a of items)
      for (const b of items) {
        if (a === b) continue;
        const row = pairs.get(a) ?? new Map<string, number>();
        row.set(b, (row.get(b) ?? 0) + 1);
        pairs.set(a, row);
      }
  }
  return pairs;
}

function itemKnn(
  c: Citizen,
  eligible: Service[],
  cooc: Map<string, Map<string, number>>,
  counts: Map<string, number>,
): string[] {
  const mine = countsOf(c.history);
  const score = new Map<string, number>();
  for (const [a, n] of mine)
    for (const [b, together] of cooc.get(a) ?? [])
      score.set(b, (score.get(b) ?? 0) + (n * together) / Math.sqrt((counts.get(a) ?? 1) * (counts.get(b) ?? 1)));
  for (const [a, n] of mine) score.set(a, (score.get(a) ?? 0) + n);
  return [...eligible]
    .sort(
      (x, y) => (score.get(y.id) ?? 0) - (score.get(x.id) ?? 0) || (counts.get(y.id) ?? 0) - (counts.get(x.id) ?? 0),
    )
    .map((s) => s.id)
    .slice(0, 10);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
