// Simulated worlds for the ranking's evaluation: differently built populations over the seeded
// catalogue, each a log of signals (in memory) and an oracle. A world is a daily simulation:
// each citizen sends a Poisson number of signals a day (their rate, which a world may raise in
// a burst), each about a service drawn from the citizen's preference that day (which a world
// may make depend on what the citizen did before). The oracle of a citizen over the last
// week is their preference as of the split: it knows their hidden state then (the taste, the
// place in a chain, an event under way), which no ranking sees, but not what is yet to happen
// (an event that begins in the last week).
import type { ParseArgsConfig } from 'node:util';
import { categoryId as categoryIdOf, readCatalogueSeed, serviceId as serviceIdOf } from '../../seeds/catalogue';
import {
  createPopulation,
  createRng,
  plantedPreferences,
  seasonalMultiplier,
  type CatalogueService,
  type Rng,
} from '../../seeds/population';
import { ageBandOf } from '../../src/modules/citizens/age-band';
import { isEligible } from '../../src/modules/matching/eligibility';
import type { SignalSource } from '../../src/modules/matching/ranking-fit';
import type {
  FeatureCitizen,
  FeatureService,
  SignalRecord,
  TextRecord,
} from '../../src/modules/matching/signal-features';
import { TextMatcher } from '../../src/modules/matching/text-matcher';
import { SignalKind } from '../../src/modules/signals/signal-kind';

const DAY_MS = 86_400_000;
/** The end of every world's log (city midnight, 30 November 2026): any run gives the same figures. */
export const WORLD_END = new Date('2026-11-29T16:00:00Z');
export const WORLD_DAYS = 104;
export const EVALUATION_DAYS = 7;

export interface WorldOptions {
  citizens: number;
  seed: number;
}

export interface World {
  name: string;
  description: string;
  services: FeatureService[];
  citizens: Map<string, FeatureCitizen>;
  signals: SignalRecord[];
  texts: TextRecord[];
  /** Per citizen: their preference over the services as of the split (the oracle's ranking). */
  oracle(citizenId: string): Map<string, number>;
  /** Per citizen: the group of the world's hidden state they were in at the split, when the world has groups. */
  groupOf?(citizenId: string): string;
}

/** Citizens per world and citizens scored per week: the full size and a smaller one for development. */
export const WORLD_SIZES = {
  full: { citizens: 2000, queries: 800 },
  small: { citizens: 700, queries: 300 },
} as const;

/** The flags the worlds' scripts share (worlds.eval.ts, tune-defaults.ts), for `parseArgs`. */
export const WORLD_FLAGS = {
  worlds: { type: 'string' },
  seeds: { type: 'string' },
  size: { type: 'string', default: 'full' },
  citizens: { type: 'string' },
  queries: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Which worlds and seeds a script runs, and how large. */
export interface WorldRun {
  worlds: WorldName[];
  seeds: number[];
  size: keyof typeof WORLD_SIZES;
  citizens: number;
  maxQueries: number;
  /** Whether --citizens or --queries set a size of their own. */
  resized: boolean;
}

function positiveInteger(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} takes a positive integer, got "${raw}"`);
  return n;
}

/** The shared flags' values read from `parseArgs` (WORLD_FLAGS), checked; `defaultSeeds` without --seeds. */
export function worldRun(
  values: { worlds?: string; seeds?: string; size?: string; citizens?: string; queries?: string },
  defaultSeeds: readonly number[],
): WorldRun {
  const worlds = (values.worlds?.split(',') ?? [...DEFAULT_WORLDS]) as WorldName[];
  for (const w of worlds)
    if (!WORLD_NAMES.includes(w)) throw new Error(`Unknown world ${w} (${WORLD_NAMES.join(', ')})`);
  const seeds = values.seeds?.split(',').map((seed) => positiveInteger('seeds', seed)) ?? [...defaultSeeds];
  const size = (values.size ?? 'full') as keyof typeof WORLD_SIZES;
  if (!(size in WORLD_SIZES)) throw new Error(`--size is ${Object.keys(WORLD_SIZES).join(' or ')}`);
  return {
    worlds,
    seeds,
    size,
    citizens: values.citizens ? positiveInteger('citizens', values.citizens) : WORLD_SIZES[size].citizens,
    maxQueries: values.queries ? positiveInteger('queries', values.queries) : WORLD_SIZES[size].queries,
    resized: values.citizens !== undefined || values.queries !== undefined,
  };
}

/** The oracle's top 10 of `candidates` for a citizen: by the world's preference, ties by id. */
export function oracleTop(world: World, candidates: readonly { id: string }[], citizenId: string): string[] {
  const planted = world.oracle(citizenId);
  return [...candidates]
    .sort((a, b) => (planted.get(b.id) ?? 0) - (planted.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1))
    .slice(0, 10)
    .map((c) => c.id);
}

interface Catalogue {
  services: FeatureService[];
  matchable: ConstructorParameters<typeof TextMatcher>[0];
  districts: { code: string; name: string }[];
  leafCategories: string[];
  categoryCode: Map<string, string>;
  catalogueServices: CatalogueService[];
}

let catalogue: Catalogue | undefined;

/** The seeded catalogue (300 services in 22 leaf categories), as the worlds use it. */
export function worldCatalogue(): Catalogue {
  if (catalogue) return catalogue;
  const seed = readCatalogueSeed();
  const categories = new Map(seed.categories.map((c) => [c.code, c]));
  const services: FeatureService[] = seed.services.map((s) => ({
    id: serviceIdOf(s.code),
    title: s.title,
    categoryId: categoryIdOf(s.category),
    parentCategoryId: categories.get(s.category)?.parent ? categoryIdOf(categories.get(s.category)!.parent!) : null,
    categoryName: categories.get(s.category)?.name ?? s.category,
    minAge: s.eligibility.minAge,
    maxAge: s.eligibility.maxAge,
    requiredTags: s.eligibility.requiredTags,
    districtCodes: s.eligibility.districts,
  }));
  const matchable = seed.services.map((s) => ({
    id: serviceIdOf(s.code),
    title: s.title,
    titleEn: s.titleEn,
    tags: s.tags,
    summary: s.summary,
    description: s.description ?? null,
    categoryCodes: [s.category, categories.get(s.category)?.parent].filter((c): c is string => !!c),
    districtCodes: s.eligibility.districts,
  }));
  const catalogueServices: CatalogueService[] = seed.services.map((s) => ({
    id: serviceIdOf(s.code),
    code: s.code,
    title: s.title,
    categoryId: categoryIdOf(s.category),
    categoryCode: s.category,
    departmentId: s.department,
    minAge: s.eligibility.minAge,
    maxAge: s.eligibility.maxAge,
    requiredTags: s.eligibility.requiredTags,
    districtCodes: s.eligibility.districts,
    tags: s.tags,
  }));
  catalogue = {
    services,
    matchable,
    districts: seed.districts.map((d) => ({ code: d.code, name: d.name })),
    leafCategories: [...new Set(services.map((s) => s.categoryId))].sort(),
    categoryCode: new Map(seed.services.map((s) => [categoryIdOf(s.category), s.category])),
    catalogueServices,
  };
  return catalogue;
}

/** A signal source over a world's log, for the fit and the evaluation. */
export function worldSource(world: World): SignalSource {
  const { matchable } = worldCatalogue();
  let matcher: TextMatcher | undefined;
  const memo = new Map<string, { serviceId: string; score: number }[]>();
  return {
    services: async () => world.services,
    citizens: async () => world.citizens,
    signals: async (since, before) => ({
      signals: world.signals.filter((s) => s.at >= since && s.at < before),
      texts: world.texts.filter((t) => t.at >= since && t.at < before),
    }),
    textMatch: async () => {
      matcher ??= new TextMatcher(matchable);
      return (text) => {
        let matches = memo.get(text);
        if (!matches) {
          matches = matcher!
            .rank(text)
            .slice(0, 20)
            .map((m) => ({ serviceId: matcher!.serviceIdAt(m.index), score: m.score }));
          memo.set(text, matches);
        }
        return matches;
      };
    },
  };
}

/** A Poisson draw (at most 50) with mean `rate`. */
export function poisson(rate: number, rng: Rng): number {
  let k = 0;
  let p = Math.exp(-rate);
  let sum = p;
  const u = rng();
  while (u > sum && k < 50) {
    k += 1;
    p *= rate / k;
    sum += p;
  }
  return k;
}

function drawIndex(weights: Float64Array, rng: Rng): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng() * total;
  for (let i = 0; i < weights.length; i += 1) {
    u -= weights[i];
    if (u <= 0 && weights[i] > 0) return i;
  }
  for (let i = weights.length - 1; i >= 0; i -= 1) if (weights[i] > 0) return i;
  return -1;
}

const TAGS = [
  'student',
  'retiree',
  'unemployed',
  'expectant-parent',
  'parent-of-young-child',
  'migrant-worker',
  'low-income',
  'disabled',
  'homeowner',
  'car-owner',
];

/** A citizen of a simulated world: profile, a daily rate and whatever the world's model keeps. */
interface SimCitizen<State> {
  profile: FeatureCitizen;
  eligible: Uint8Array;
  rate: number;
  state: State;
}

/** How a world draws its citizens' signals. */
interface WorldModel<State> {
  name: string;
  description: string;
  initial(profile: FeatureCitizen, eligible: Uint8Array, rng: Rng): { rate: number; state: State };
  /** Today's signal rate (a burst raises it). */
  rateOn?(citizen: SimCitizen<State>, day: number): number;
  /** Unnormalised preference over the services today (0 for the ineligible). */
  preference(citizen: SimCitizen<State>, day: number): Float64Array;
  /** After a signal about service `index` on `day`. */
  used?(citizen: SimCitizen<State>, index: number, day: number): void;
  /** The citizen's group at the split (`day` its first day), for reporting by group. */
  group?(citizen: SimCitizen<State>, day: number): string;
  /** A signal's kind and stars (by default the shares of `signalKind`, stars 3–5). */
  signal?(citizen: SimCitizen<State>, rng: Rng): { kind: SignalKind; stars: number | null };
  /**
   * Accidental views: this share of a citizen's signals are views of a service drawn from
   * `weights` (0 for the ineligible), whatever their preference; the oracle does not hold them.
   */
  noise?: { share: number; weights: Float64Array };
}

function randomProfile(index: number, seed: number, rng: Rng): FeatureCitizen {
  const { districts } = worldCatalogue();
  const district = districts[Math.floor(rng() * districts.length)];
  const age = Math.floor(5 + rng() * 80);
  const tags = TAGS.filter(() => rng() < 0.12);
  return {
    id: `w${seed}-c${index}`,
    districtCode: district.code,
    districtName: district.name,
    birthYear: WORLD_END.getUTCFullYear() - age,
    tags,
    interestCategoryIds: [],
  };
}

/** Service popularity shared by every world of a seed: a heavy-tailed exposure bias. */
function exposure(seed: number): Float64Array {
  const rng = createRng('world-exposure', seed);
  return Float64Array.from(worldCatalogue().services, () => Math.exp(1.2 * normal(rng)));
}

function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(Math.max(1e-12, rng()))) * Math.cos(2 * Math.PI * rng());
}

/** Runs a world model: the daily simulation, the log and the oracle of the evaluation week. */
function simulate<State>(model: WorldModel<State>, options: WorldOptions): World {
  const { services } = worldCatalogue();
  const rng = createRng('world', model.name, options.seed);
  const start = WORLD_END.getTime() - WORLD_DAYS * DAY_MS;
  const evaluationDay = WORLD_DAYS - EVALUATION_DAYS;
  const citizens = new Map<string, FeatureCitizen>();
  const signals: SignalRecord[] = [];
  const texts: TextRecord[] = [];
  const oracles = new Map<string, Map<string, number>>();
  const groups = new Map<string, string>();
  for (let i = 0; i < options.citizens; i += 1) {
    const profile = randomProfile(i, options.seed, rng);
    const at = new Date(WORLD_END.getTime() - EVALUATION_DAYS * DAY_MS);
    const eligible = Uint8Array.from(services, (s) => (isEligible(profile, s, at) ? 1 : 0));
    const { rate, state } = model.initial(profile, eligible, rng);
    const citizen: SimCitizen<State> = { profile, eligible, rate, state };
    citizens.set(profile.id, profile);
    const expected = new Float64Array(services.length);
    const noise = model.noise && {
      share: model.noise.share,
      weights: Float64Array.from(model.noise.weights, (w, k) => w * eligible[k]),
    };
    for (let day = 0; day < WORLD_DAYS; day += 1) {
      const today = model.rateOn?.(citizen, day) ?? citizen.rate;
      const preference = model.preference(citizen, day);
      for (let k = 0; k < preference.length; k += 1) preference[k] *= eligible[k];
      if (day === evaluationDay) {
        // The oracle knows the citizen's hidden state at the split, not what is yet to happen.
        const known = model.preference(citizen, day - 1);
        for (let k = 0; k < known.length; k += 1) expected[k] = known[k] * eligible[k];
        const group = model.group?.(citizen, day);
        if (group) groups.set(profile.id, group);
      }
      for (let n = poisson(today, rng); n > 0; n -= 1) {
        const accident = noise !== undefined && rng() < noise.share;
        const index = drawIndex(accident ? noise.weights : preference, rng);
        if (index < 0) break;
        const when = new Date(start + (day + rng()) * DAY_MS);
        const drawn = accident
          ? { kind: SignalKind.VIEW, stars: null }
          : (model.signal?.(citizen, rng) ?? defaultSignal(rng));
        const kind = drawn.kind;
        if (kind === SignalKind.REQUEST) {
          texts.push({ citizenId: profile.id, text: services[index].title, at: when });
        } else {
          const stars = drawn.stars;
          signals.push({
            citizenId: profile.id,
            serviceId: services[index].id,
            kind,
            stars,
            at: when,
            districtCode: profile.districtCode,
            ageBand: ageBandOf(profile.birthYear, when),
          });
        }
        if (!accident) model.used?.(citizen, index, day);
      }
    }
    oracles.set(profile.id, new Map(services.map((s, k) => [s.id, expected[k]])));
  }
  return {
    name: model.name,
    description: model.description,
    services,
    citizens,
    signals,
    texts,
    oracle: (id) => oracles.get(id) ?? new Map(),
    groupOf: model.group ? (id) => groups.get(id) ?? '' : undefined,
  };
}

function signalKind(rng: Rng): SignalKind {
  const u = rng();
  if (u < 0.6) return SignalKind.VIEW;
  if (u < 0.88) return SignalKind.USE;
  if (u < 0.94) return SignalKind.RATING;
  return SignalKind.REQUEST;
}

/** A signal as most worlds draw it: `signalKind`'s shares, a rating of 3 to 5 stars. */
function defaultSignal(rng: Rng): { kind: SignalKind; stars: number | null } {
  const kind = signalKind(rng);
  return { kind, stars: kind === SignalKind.RATING ? 3 + Math.floor(rng() * 3) : null };
}

/** Taste over a few leaf categories, exposure biased towards popular services. */
function tasteWorld(seed: number): WorldModel<{ taste: Map<string, number> }> {
  const { services, leafCategories } = worldCatalogue();
  const bias = exposure(seed);
  return {
    name: 'taste over leaf categories',
    description: 'each citizen likes 1–3 leaf categories (90% of their use), popularity-biased exposure within them',
    initial(_profile, eligible, rng) {
      const reachable = leafCategories.filter((c) => services.some((s, k) => eligible[k] && s.categoryId === c));
      const taste = new Map<string, number>();
      const count = 1 + Math.floor(rng() * 3);
      for (let i = 0; i < count && reachable.length > 0; i += 1)
        taste.set(reachable[Math.floor(rng() * reachable.length)], 0.3 + rng());
      return { rate: 0.05 + rng() * 0.35, state: { taste } };
    },
    preference({ state }) {
      return Float64Array.from(
        services,
        (s, k) => bias[k] * (0.1 / services.length + (state.taste.get(s.categoryId) ?? 0)),
      );
    },
  };
}

/**
 * Co-use chains: services used in sequence (a birth registered, then the child's hukou, then
 * their medical insurance…). A citizen on a chain is drawn to its next step for a few weeks
 * after each step; otherwise they use popular services.
 */
function chainWorld(seed: number): WorldModel<{ chain: number[]; step: number; since: number }> {
  const { services } = worldCatalogue();
  const bias = exposure(seed);
  const rng = createRng('chains', seed);
  // 40 chains of 3–5 services across categories; the first one named after the birth chain.
  const named = ['出生医学证明', '户口', '医疗保险']
    .map((word) => services.findIndex((s) => s.title.includes(word)))
    .filter((k) => k >= 0);
  const chains: number[][] = named.length === 3 ? [named] : [];
  while (chains.length < 40)
    chains.push(Array.from({ length: 3 + Math.floor(rng() * 3) }, () => Math.floor(rng() * services.length)));
  return {
    name: 'co-use chains',
    description:
      'services used in sequence (birth → hukou → insurance and 39 other chains of 3–5 steps); each step draws the next for about three weeks',
    initial(_profile, _eligible, r) {
      return {
        rate: 0.1 + r() * 0.3,
        state: {
          chain: chains[Math.floor(r() * chains.length)],
          step: 0,
          since: Math.floor(r() * WORLD_DAYS * 0.7) - 10,
        },
      };
    },
    preference({ state }, day) {
      const weights = Float64Array.from(bias, (b) => (0.15 * b) / services.length);
      if (day >= state.since && state.step < state.chain.length) weights[state.chain[state.step]] += 1;
      if (state.step > 0) weights[state.chain[state.step - 1]] += 0.3;
      return weights;
    },
    used({ state }, index, day) {
      if (day >= state.since && state.chain[state.step] === index) {
        state.step += 1;
        state.since = day + 1;
      }
    },
  };
}

/** Segment-driven demand: what a district × age band × circumstance wants, little personal taste. */
function segmentWorld(seed: number): WorldModel<{ weights: Float64Array }> {
  const { services } = worldCatalogue();
  const bias = exposure(seed);
  const segmentWeights = new Map<string, Float64Array>();
  return {
    name: 'segment-driven demand',
    description: 'demand set by district × age band (and each circumstance tag), personal noise small',
    initial(profile, _eligible, rng) {
      const key = `${profile.districtCode}:${ageBandOf(profile.birthYear, WORLD_END)}`;
      let segment = segmentWeights.get(key);
      if (!segment) {
        const r = createRng('segment', key, seed);
        segment = Float64Array.from(services, (_, k) => bias[k] * Math.exp(2 * normal(r)));
        segmentWeights.set(key, segment);
      }
      const weights = Float64Array.from(segment, (w) => w * Math.exp(0.3 * normal(rng)));
      for (const tag of profile.tags) {
        const r = createRng('tag', tag, seed);
        for (let k = 0; k < weights.length; k += 1) if (r() < 0.05) weights[k] += 3 * bias[k];
      }
      return { rate: 0.05 + rng() * 0.3, state: { weights } };
    },
    preference({ state }) {
      return state.weights.slice();
    },
  };
}

/**
 * Mostly cold-start citizens: 80% arrive on a day of the period (none of them sent anything
 * before), are active for one to two weeks, then send almost nothing; so in any week most
 * active citizens have little or no history. Each likes 1–3 leaf categories drawn from what is
 * typical of their age band and circumstances (so that a profile says something before any
 * signal does), with popularity-biased exposure as in the first world.
 */
function coldWorld(
  seed: number,
): WorldModel<{ cold: boolean; arrival: number; stay: number; taste: Map<string, number> }> {
  const { services, leafCategories } = worldCatalogue();
  const bias = exposure(seed);
  const typical = (key: string) => {
    const r = createRng('cold-typical', key, seed);
    return new Map(leafCategories.map((c) => [c, Math.exp(1.5 * normal(r))]));
  };
  return {
    name: 'mostly cold-start',
    description:
      '80% of citizens arrive during the period (no signal before), active for 1–2 weeks, then almost silent; each likes 1–3 leaf categories typical of their age band and circumstances',
    initial(profile, eligible, rng) {
      const band = typical(String(ageBandOf(profile.birthYear, WORLD_END)));
      for (const tag of profile.tags) for (const [c, w] of typical(tag)) band.set(c, band.get(c)! + w);
      const reachable = leafCategories.filter((c) => services.some((s, k) => eligible[k] && s.categoryId === c));
      const weights = Float64Array.from(reachable, (c) => band.get(c)!);
      const taste = new Map<string, number>();
      const count = 1 + Math.floor(rng() * 3);
      for (let i = 0; i < count && reachable.length > 0; i += 1)
        taste.set(reachable[drawIndex(weights, rng)], 0.3 + rng());
      const cold = rng() < 0.8;
      return {
        rate: 0.05 + rng() * 0.35,
        state: { cold, arrival: Math.floor(rng() * WORLD_DAYS), stay: 7 + Math.floor(rng() * 8), taste },
      };
    },
    group({ state }, day) {
      if (!state.cold) return 'settled (active all along)';
      if (state.arrival >= day) return 'arrives in the evaluation week';
      return state.arrival + state.stay > day ? 'arrived, still active' : 'arrived, gone quiet';
    },
    rateOn({ rate, state }, day) {
      if (!state.cold) return rate;
      if (day < state.arrival) return 0;
      return day < state.arrival + state.stay ? 0.3 : 0.01;
    },
    preference({ state }) {
      return Float64Array.from(
        services,
        (s, k) => bias[k] * (0.1 / services.length + (state.taste.get(s.categoryId) ?? 0)),
      );
    },
  };
}

/**
 * Life-event bursts: a citizen's event (a birth, a retirement, a lost job, a move…) sets off
 * two to three weeks of heavy use of its categories, on top of a light background taste.
 */
function burstWorld(
  seed: number,
): WorldModel<{ event: string[]; at: number; length: number; inner: { taste: Map<string, number> } }> {
  const { services, leafCategories } = worldCatalogue();
  const bias = exposure(seed);
  const taste = tasteWorld(seed);
  const rng = createRng('events', seed);
  const events = Array.from({ length: 12 }, () =>
    Array.from({ length: 2 }, () => leafCategories[Math.floor(rng() * leafCategories.length)]),
  );
  return {
    name: 'life-event bursts',
    description:
      'an event (12 kinds, each two leaf categories) sets off 2–3 weeks of use 8× the usual rate; background taste as in the first world',
    initial(profile, eligible, r) {
      const inner = taste.initial(profile, eligible, r);
      return {
        rate: inner.rate * 0.5,
        state: {
          event: events[Math.floor(r() * events.length)],
          at: Math.floor(r() * WORLD_DAYS),
          length: 14 + Math.floor(r() * 8),
          inner: inner.state,
        },
      };
    },
    group({ state }, day) {
      if (state.at >= day)
        return state.at < day + EVALUATION_DAYS ? 'event begins in the evaluation week' : 'event later';
      return state.at + state.length > day ? 'event under way at the split' : 'event over';
    },
    rateOn({ rate, state }, day) {
      return day >= state.at && day < state.at + state.length ? 0.6 : rate;
    },
    preference(citizen, day) {
      const { state } = citizen;
      if (day >= state.at && day < state.at + state.length)
        return Float64Array.from(services, (s, k) => bias[k] * (state.event.includes(s.categoryId) ? 1 : 0.01));
      return taste.preference({ ...citizen, state: state.inner }, day);
    },
  };
}

/** A citywide campaign: services that spike for everybody eligible from `from` to `to` (days). */
interface Wave {
  label: string;
  services: number[];
  from: number;
  to: number;
}

/**
 * Citywide waves: deadlines and campaigns (the medical-insurance payment window, school
 * enrolment, a subsidy) that make a few services spike for everybody at once, rising towards
 * their end, on top of a personal taste as in the first world. At the split one wave is under
 * way since three weeks, one began three days before, two are over (one ended a month
 * before, one long ago). A citizen's pull towards a wave is their own (0 to 1.2), and a wave
 * brings citizens who otherwise come rarely.
 */
function waveWorld(seed: number): WorldModel<{ taste: Map<string, number>; pull: number }> {
  const { services } = worldCatalogue();
  const taste = tasteWorld(seed);
  const rng = createRng('waves', seed);
  const byCode = (...codes: string[]) =>
    codes.map((code) => services.findIndex((s) => s.id === serviceIdOf(code))).filter((k) => k >= 0);
  const any = () => Math.floor(rng() * services.length);
  const split = WORLD_DAYS - EVALUATION_DAYS;
  const waves: Wave[] = [
    { label: 'medical-insurance payment', services: byCode('MI-0002'), from: split - 21, to: WORLD_DAYS },
    { label: 'subsidy campaign', services: byCode('BZ-0009'), from: split - 3, to: WORLD_DAYS },
    { label: 'school enrolment', services: byCode('ED-0001', 'ED-0002', 'ED-0003'), from: split - 45, to: split - 30 },
    { label: 'skills subsidy', services: byCode('EM-0003'), from: split - 70, to: split - 50 },
    { label: 'a campaign drawn by seed', services: [any()], from: split - 14, to: split - 4 },
  ].filter((w) => w.services.length > 0);
  /** A wave's strength on `day`: 0 outside it, rising from 0.4 to 1 towards its end. */
  const strength = (wave: Wave, day: number) =>
    day < wave.from || day >= wave.to ? 0 : 0.4 + (0.6 * (day - wave.from)) / Math.max(1, wave.to - wave.from);
  return {
    name: 'citywide waves',
    description:
      'deadlines and campaigns (medical-insurance payment, a subsidy, school enrolment, two more) make a few services spike for everybody eligible, rising towards their end; at the split two are under way and three over; personal taste as in the first world',
    initial(profile, eligible, r) {
      const inner = taste.initial(profile, eligible, r);
      return { rate: inner.rate * 0.6, state: { taste: inner.state.taste, pull: 1.2 * r() } };
    },
    group({ state }) {
      return state.pull < 0.4 ? 'pulled little by waves' : 'pulled by waves';
    },
    rateOn({ rate, state, eligible }, day) {
      let extra = 0;
      for (const wave of waves)
        if (wave.services.some((k) => eligible[k])) extra += 0.08 * state.pull * strength(wave, day);
      return rate + extra;
    },
    preference(citizen, day) {
      const weights = taste.preference({ ...citizen, state: { taste: citizen.state.taste } }, day);
      let total = 0;
      for (let k = 0; k < weights.length; k += 1) total += weights[k] * citizen.eligible[k];
      for (const wave of waves) {
        const share = citizen.state.pull * strength(wave, day);
        if (share === 0) continue;
        for (const k of wave.services) weights[k] += (share * total) / wave.services.length;
      }
      return weights;
    },
  };
}

/**
 * Sparse and noisy: most citizens send one to five signals over the whole period, mostly
 * views, and a third of all signals are accidental views of services popular in the city,
 * whatever the citizen wants; a vocal tenth sends many, with ratings of 1 to 5
 * stars. Taste as in the first world.
 */
function sparseWorld(seed: number): WorldModel<{ taste: Map<string, number>; vocal: boolean }> {
  const taste = tasteWorld(seed);
  const bias = exposure(seed);
  return {
    name: 'sparse and noisy',
    description:
      'most citizens send 1–5 signals over the period (a vocal tenth about 30), mostly views; a third of all signals are accidental views of popular services; the vocal rate 1–5 stars; taste as in the first world',
    initial(profile, eligible, rng) {
      const inner = taste.initial(profile, eligible, rng);
      const vocal = rng() < 0.1;
      return {
        rate: vocal ? 0.2 + rng() * 0.2 : (1 + rng() * 4) / WORLD_DAYS,
        state: { taste: inner.state.taste, vocal },
      };
    },
    group({ state }) {
      return state.vocal ? 'vocal' : 'quiet';
    },
    signal({ state }, rng) {
      const u = rng();
      if (state.vocal) {
        if (u < 0.4) return { kind: SignalKind.VIEW, stars: null };
        if (u < 0.65) return { kind: SignalKind.USE, stars: null };
        if (u < 0.95) return { kind: SignalKind.RATING, stars: 1 + Math.floor(rng() * 5) };
        return { kind: SignalKind.REQUEST, stars: null };
      }
      if (u < 0.85) return { kind: SignalKind.VIEW, stars: null };
      if (u < 0.97) return { kind: SignalKind.USE, stars: null };
      return { kind: SignalKind.REQUEST, stars: null };
    },
    noise: { share: 0.35, weights: Float64Array.from(bias, (b) => b * b) },
    preference(citizen, day) {
      return taste.preference({ ...citizen, state: { taste: citizen.state.taste } }, day);
    },
  };
}

/**
 * Habitual repeaters: each citizen uses the same two to four services again and again (a
 * monthly pension check, a weekly pickup), each at its own pace (weekly to monthly), often
 * several of one category; now and then they look at something popular. The right answer is
 * mostly what they already use.
 */
function habitWorld(seed: number): WorldModel<{ habits: Map<number, number> }> {
  const { services } = worldCatalogue();
  const bias = exposure(seed);
  return {
    name: 'habitual repeaters',
    description:
      'each citizen uses 2–4 services again and again, each weekly to monthly (85% of their signals; half of the habits in the first one’s category), the rest popularity-biased exploration',
    initial(_profile, eligible, rng) {
      const habits = new Map<number, number>();
      const count = 2 + Math.floor(rng() * 3);
      const open = Float64Array.from(bias, (b, k) => b * eligible[k]);
      const first = drawIndex(open, rng);
      if (first >= 0) {
        const pace = [7, 14, 30][Math.floor(rng() * 3)];
        habits.set(first, 1 / pace);
        open[first] = 0;
        for (let i = 1; i < count; i += 1) {
          const sameCategory = rng() < 0.5;
          const pool = Float64Array.from(open, (w, k) =>
            sameCategory && services[k].categoryId !== services[first].categoryId ? 0 : w,
          );
          const next = drawIndex(pool.some((w) => w > 0) ? pool : open, rng);
          if (next < 0) break;
          habits.set(next, 1 / [7, 14, 30][Math.floor(rng() * 3)]);
          open[next] = 0;
        }
      }
      let habitual = 0;
      for (const pace of habits.values()) habitual += pace;
      // About the habits' own pace, plus the exploration.
      return { rate: habitual / 0.85, state: { habits } };
    },
    preference({ state, eligible }) {
      let habitual = 0;
      for (const pace of state.habits.values()) habitual += pace;
      let explore = 0;
      for (let k = 0; k < bias.length; k += 1) explore += bias[k] * eligible[k];
      const weights = Float64Array.from(bias, (b) => (0.15 * habitual * b) / Math.max(1e-9, 0.85 * explore));
      for (const [k, pace] of state.habits) weights[k] += pace;
      return weights;
    },
  };
}

/** The project's own population generator (seeds/population.ts), in memory: the default world. */
function defaultWorld(options: WorldOptions): World {
  const { catalogueServices, services, districts } = worldCatalogue();
  const evaluationFrom = new Date(WORLD_END.getTime() - EVALUATION_DAYS * DAY_MS);
  const population = createPopulation(catalogueServices, {
    seed: options.seed,
    citizens: options.citizens,
    signals: options.citizens * 30,
    days: WORLD_DAYS,
    now: new Date(WORLD_END.getTime() - 1),
  });
  const names = new Map(districts.map((d) => [d.code, d.name]));
  const citizens = new Map<string, FeatureCitizen>();
  const signals: SignalRecord[] = [];
  const texts: TextRecord[] = [];
  for (const { citizen, signals: log } of population.activities()) {
    citizens.set(citizen.id, {
      id: citizen.id,
      districtCode: citizen.districtCode,
      districtName: names.get(citizen.districtCode) ?? '',
      birthYear: citizen.birthYear,
      tags: citizen.tags,
      interestCategoryIds: citizen.interests,
    });
    for (const s of log) {
      if (s.occurredAt >= WORLD_END) continue;
      if (s.text && (s.kind === SignalKind.REQUEST || s.kind === SignalKind.SEARCH))
        texts.push({ citizenId: s.citizenId, text: s.text, at: s.occurredAt });
      if (s.serviceId)
        signals.push({
          citizenId: s.citizenId,
          serviceId: s.serviceId,
          kind: s.kind,
          stars: s.rating,
          at: s.occurredAt,
          districtCode: s.districtCode,
          ageBand: s.ageBand,
        });
    }
  }
  const month = new Date(evaluationFrom.getTime() + 8 * 3_600_000).getUTCMonth() + 1;
  const code = new Map(catalogueServices.map((s) => [s.id, s.categoryCode]));
  const profiles = new Map(population.citizens.map((c) => [c.id, c]));
  return {
    name: 'default (seeds/population.ts)',
    description:
      "the project's generator: planted preferences by segment, circumstances, interests and life events, seasonal",
    services,
    citizens,
    signals,
    texts,
    oracle(id) {
      const planted = plantedPreferences(profiles.get(id)!, catalogueServices, options.seed, evaluationFrom);
      return new Map([...planted].map(([s, p]) => [s, p * seasonalMultiplier(code.get(s)!, month)]));
    },
  };
}

/** The six worlds a run evaluates unless told which (`--worlds`), and whose table the docs hold. */
export const DEFAULT_WORLDS = ['default', 'taste', 'chains', 'segment', 'cold', 'bursts'] as const;
/** Every world: the six, and three built on other assumptions (citywide waves, sparse and noisy signals, habits). */
export const WORLD_NAMES = [...DEFAULT_WORLDS, 'waves', 'sparse', 'habits'] as const;
export type WorldName = (typeof WORLD_NAMES)[number];

export function buildWorld(name: WorldName, options: WorldOptions): World {
  switch (name) {
    case 'default':
      return defaultWorld(options);
    case 'taste':
      return simulate(tasteWorld(options.seed), options);
    case 'chains':
      return simulate(chainWorld(options.seed), options);
    case 'segment':
      return simulate(segmentWorld(options.seed), options);
    case 'cold':
      return simulate(coldWorld(options.seed), options);
    case 'bursts':
      return simulate(burstWorld(options.seed), options);
    case 'waves':
      return simulate(waveWorld(options.seed), options);
    case 'sparse':
      return simulate(sparseWorld(options.seed), options);
    case 'habits':
      return simulate(habitWorld(options.seed), options);
  }
}
