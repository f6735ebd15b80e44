/**
 * A deterministic synthetic population of Guiyang: citizens, the preferences planted in
 * them, and the demand signals, votes and ratings drawn from those preferences. Pure: the
 * same seed, sizes, anchor and catalogue give the same output, and nothing here does I/O
 * (seeds/seed-cli.ts writes it to the database).
 */
import * as OpenCC from 'opencc-js';
import { isEligible } from '../src/modules/matching/eligibility';
import { stableId } from '../src/db/stable-id';
import { AgeBand, ageBandOf } from '../src/modules/citizens/age-band';
import type { CitizenTag } from '../src/modules/citizens/citizen-tags';
import { SignalKind } from '../src/modules/signals/signal-kind';
import { VoteValue } from '../src/modules/votes/vote-value';

const DAY_MS = 86_400_000;
/** Asia/Shanghai has no daylight saving: a fixed offset is exact. */
const CITY_OFFSET_MS = 8 * 3_600_000;

// ---------------------------------------------------------------------------------------
// Randomness: sfc32 seeded by cyrb128 of a string key, so every stream is named and stable.

export type Rng = () => number;

function cyrb128(key: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < key.length; i++) {
    const k = key.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

function sfc32(a: number, b: number, c: number, d: number): Rng {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A PRNG in [0, 1) named by its key: the same key always gives the same sequence. */
export function createRng(...key: (string | number)[]): Rng {
  const rng = sfc32(...cyrb128(key.join('\u0001')));
  for (let i = 0; i < 12; i++) rng();
  return rng;
}

/** One stable number in [0, 1) for a key. */
export function unitHash(...key: (string | number)[]): number {
  return cyrb128(key.join('\u0001'))[0] / 4294967296;
}

function gaussianHash(...key: (string | number)[]): number {
  const u = Math.max(unitHash(...key, 'u'), 1e-12);
  const v = unitHash(...key, 'v');
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function pickWeighted(rng: Rng, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  let r = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

function pickOne<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

/** Cumulative sums, for sampling by bisection. */
function cumulative(weights: ArrayLike<number>): Float64Array {
  const cdf = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) cdf[i] = sum += weights[i];
  return cdf;
}

function bisect(cdf: Float64Array, r: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function sampleCdf(rng: Rng, cdf: Float64Array): number {
  return bisect(cdf, rng() * cdf[cdf.length - 1]);
}

// ---------------------------------------------------------------------------------------
// The city.

/** Approximate 2020 (seventh national) census populations of Guiyang's divisions, thousands. */
export const DISTRICT_POPULATION: Readonly<Record<string, number>> = {
  '520102': 1141, // 南明区
  '520103': 1188, // 云岩区
  '520111': 758, // 花溪区
  '520112': 402, // 乌当区
  '520113': 404, // 白云区
  '520115': 709, // 观山湖区
  '520121': 363, // 开阳县
  '520122': 210, // 息烽县
  '520123': 306, // 修文县
  '520181': 502, // 清镇市
};
const DISTRICT_CODES = Object.keys(DISTRICT_POPULATION).sort();
const DISTRICT_CDF = cumulative(DISTRICT_CODES.map((code) => DISTRICT_POPULATION[code]));

/** Share of residents with rural household registration: high in the counties and 清镇市. */
const RURAL_SHARE: Readonly<Record<string, number>> = {
  '520102': 0.02,
  '520103': 0.01,
  '520111': 0.18,
  '520112': 0.2,
  '520113': 0.15,
  '520115': 0.03,
  '520121': 0.62,
  '520122': 0.6,
  '520123': 0.58,
  '520181': 0.45,
};
const POOR_DISTRICT_FACTOR: Readonly<Record<string, number>> = {
  '520121': 1.8,
  '520122': 1.8,
  '520123': 1.6,
  '520181': 1.4,
};

const BANDS = [AgeBand.CHILD, AgeBand.YOUTH, AgeBand.ADULT, AgeBand.SENIOR] as const;
export const AGE_BAND_SHARES: Readonly<Record<AgeBand, number>> = {
  [AgeBand.CHILD]: 0.18,
  [AgeBand.YOUTH]: 0.28,
  [AgeBand.ADULT]: 0.36,
  [AgeBand.SENIOR]: 0.18,
};
const NO_BIRTH_YEAR_SHARE = 0.05;
const NO_PERSONALIZATION_SHARE = 0.03;

function sampleAge(rng: Rng, band: AgeBand): number {
  switch (band) {
    // Children are represented by their guardians from their first birthday.
    case AgeBand.CHILD:
      return 1 + Math.floor(rng() * 17);
    case AgeBand.YOUTH:
      return 18 + Math.floor(rng() * 17);
    case AgeBand.ADULT:
      return 35 + Math.floor(rng() * 25);
    case AgeBand.SENIOR:
      return Math.min(100, 60 + Math.floor(-Math.log(1 - rng()) * 10));
  }
}

function studentRate(age: number): number {
  if (age >= 6 && age <= 17) return 0.85;
  if (age >= 18 && age <= 22) return 0.55;
  if (age >= 23 && age <= 24) return 0.2;
  if (age >= 25 && age <= 29) return 0.03;
  return 0;
}

function retireeRate(age: number): number {
  if (age >= 60) return 0.85;
  if (age >= 55) return 0.45;
  if (age >= 50) return 0.1;
  return 0;
}

function disabledRate(age: number): number {
  if (age < 18) return 0.02;
  if (age < 35) return 0.03;
  if (age < 60) return 0.06;
  return 0.14;
}

/** Circumstance tags, by age, sex and district. `male` is not stored: it shapes veteran only. */
function sampleTags(rng: Rng, age: number, male: boolean, districtCode: string): CitizenTag[] {
  const has = (p: number) => rng() < p;
  const adult = age >= 18 && age < 60;
  const student = has(studentRate(age));
  const retiree = has(retireeRate(age));
  const tags: CitizenTag[] = [];
  if (has(disabledRate(age))) tags.push('disabled');
  if (has(0.033 * (POOR_DISTRICT_FACTOR[districtCode] ?? 1) * (age >= 60 ? 1.3 : 1))) tags.push('low-income');
  if (male && has(age >= 40 ? 0.06 : age >= 22 ? 0.01 : 0)) tags.push('veteran');
  if (retiree) tags.push('retiree');
  if (student) tags.push('student');
  if (adult && !student && !retiree && has(0.045)) tags.push('unemployed');
  if (has(age >= 25 && age <= 34 ? 0.06 : age >= 22 && age <= 40 ? 0.03 : 0)) tags.push('expectant-parent');
  if (has(age >= 28 && age <= 38 ? 0.42 : age >= 22 && age <= 40 ? 0.25 : age >= 41 && age <= 45 ? 0.1 : 0)) {
    tags.push('parent-of-young-child');
  }
  if (adult && !student && has(age <= 50 ? 0.095 : 0.05)) tags.push('migrant-worker');
  if (has(RURAL_SHARE[districtCode] ?? 0.1)) tags.push('rural-resident');
  if (has(age < 18 ? 0 : age < 35 ? 0.3 : age < 60 ? 0.5 : 0.2)) tags.push('car-owner');
  if (has(age < 18 ? 0 : age < 25 ? 0.05 : age < 35 ? 0.35 : age < 60 ? 0.7 : 0.75)) tags.push('homeowner');
  return tags;
}

// ---------------------------------------------------------------------------------------
// What people want: category preferences by age band and circumstance, and the calendar.

type BandKey = AgeBand | 'UNKNOWN';

const BAND_CATEGORY_WEIGHTS: Readonly<Record<BandKey, Readonly<Record<string, number>>>> = {
  // For children, what their guardians look for on their behalf.
  CHILD: {
    'life.education': 30,
    'community.family-child': 20,
    'life.health': 18,
    'life.culture-sport': 12,
    'gov.medical-insurance': 8,
    'gov.household': 6,
    'life.transport': 3,
  },
  YOUTH: {
    'life.employment': 18,
    'gov.housing-fund': 13,
    'life.transport': 10,
    'life.education': 8,
    'gov.household': 8,
    'gov.social-security': 8,
    'gov.transport-licence': 7,
    'gov.business': 6,
    'gov.tax': 5,
    'gov.property': 5,
    'life.utilities': 5,
    'community.family-child': 4,
    'life.culture-sport': 4,
  },
  ADULT: {
    'gov.social-security': 13,
    'gov.medical-insurance': 11,
    'gov.tax': 9,
    'gov.property': 9,
    'gov.housing-fund': 9,
    'life.utilities': 9,
    'gov.transport-licence': 8,
    'life.health': 8,
    'life.education': 6,
    'community.family-child': 5,
    'gov.business': 5,
    'community.neighbourhood': 4,
    'gov.civil-affairs': 3,
  },
  SENIOR: {
    'community.elderly': 26,
    'life.health': 19,
    'gov.medical-insurance': 16,
    'gov.social-security': 16,
    'gov.civil-affairs': 5,
    'life.culture-sport': 5,
    'community.disability': 4,
    'community.legal-aid': 3,
    'life.utilities': 3,
    'life.transport': 3,
  },
  UNKNOWN: {
    'gov.household': 16,
    'life.utilities': 16,
    'life.transport': 16,
    'community.neighbourhood': 12,
    'gov.civil-affairs': 8,
    'life.health': 8,
    'community.legal-aid': 6,
    'life.culture-sport': 6,
  },
};
/** Every category keeps some interest, so no segment is blind to a part of the catalogue. */
const CATEGORY_FLOOR = 1.5;

const TAG_CATEGORY_BOOSTS: Readonly<Record<CitizenTag, Readonly<Record<string, number>>>> = {
  disabled: { 'community.disability': 5, 'gov.civil-affairs': 1.5 },
  'low-income': { 'gov.civil-affairs': 4, 'gov.property': 1.5 },
  veteran: { 'gov.veterans': 8 },
  retiree: { 'gov.social-security': 1.6, 'community.elderly': 1.5 },
  student: { 'life.education': 2.5, 'life.culture-sport': 1.3 },
  unemployed: { 'life.employment': 4 },
  'expectant-parent': { 'community.family-child': 4, 'life.health': 2 },
  'parent-of-young-child': { 'community.family-child': 3, 'life.education': 1.8, 'life.health': 1.4 },
  'migrant-worker': {
    'life.employment': 2,
    'gov.household': 2,
    'gov.social-security': 1.4,
    'community.legal-aid': 1.5,
  },
  'rural-resident': { 'gov.agriculture': 10 },
  'car-owner': { 'gov.transport-licence': 3 },
  homeowner: { 'gov.property': 2, 'life.utilities': 1.4 },
};

/** Demand multiplier by calendar month (January first) for categories with a season. */
const SEASONALITY: Readonly<Record<string, readonly number[]>> = {
  // Enrolment in August–September, exams and admissions in June–July, spring term.
  'life.education': [0.9, 1.3, 1.0, 0.9, 0.9, 1.3, 1.5, 2.3, 2.5, 1.0, 0.8, 0.8],
  // Residents' medical insurance enrolment for the next year runs September to December.
  'gov.medical-insurance': [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.7, 2.0, 2.1, 1.9],
  // Annual individual income tax reconciliation, 1 March to 30 June.
  'gov.tax': [0.8, 0.8, 1.9, 1.9, 1.8, 1.7, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8],
  // Heating in winter, air conditioning in midsummer.
  'life.utilities': [1.8, 1.5, 1.1, 0.9, 0.8, 0.9, 1.2, 1.2, 0.9, 0.9, 1.2, 1.6],
  // Spring hiring after the New Year, graduates in June–July.
  'life.employment': [1.0, 1.6, 1.6, 1.2, 1.1, 1.4, 1.4, 1.0, 1.0, 0.9, 0.9, 0.9],
  'gov.housing-fund': [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.3, 1.1, 1.0, 1.0, 1.0, 1.1],
  'community.elderly': [1.2, 1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.3, 1.1, 1.2],
  'life.culture-sport': [1.2, 1.3, 1.0, 1.1, 1.1, 1.0, 1.6, 1.6, 1.0, 1.4, 0.9, 0.9],
  'life.transport': [1.3, 1.6, 1.0, 1.0, 1.0, 1.0, 1.2, 1.2, 1.0, 1.3, 1.0, 1.0],
  // Spring planting subsidies, autumn harvest.
  'gov.agriculture': [0.8, 1.0, 1.5, 1.6, 1.3, 1.0, 0.9, 0.9, 1.3, 1.1, 0.8, 0.7],
  // Residents' pension contributions for the year are collected in the last months.
  'gov.social-security': [1.2, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.3],
  'gov.household': [1.0, 1.2, 1.0, 1.0, 1.0, 1.1, 1.3, 1.3, 1.0, 1.0, 1.0, 1.0],
  'community.family-child': [1.0, 1.0, 1.0, 1.0, 1.1, 1.3, 1.2, 1.1, 1.0, 1.0, 1.0, 1.0],
};

export function seasonalMultiplier(categoryCode: string, month: number): number {
  return SEASONALITY[categoryCode]?.[month - 1] ?? 1;
}

/** Relative volume by hour of the day, city time. */
const HOUR_WEIGHTS = [
  0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 0.9, 1.5, 2.2, 2.4, 2.1, 1.4, 1.5, 2.0, 2.2, 2.0, 1.6, 1.2, 1.3, 1.6, 1.5, 1.0,
  0.5,
];
const HOUR_CDF = cumulative(HOUR_WEIGHTS);

export const KIND_MIX: ReadonlyArray<readonly [SignalKind, number]> = [
  [SignalKind.VIEW, 0.45],
  [SignalKind.SEARCH, 0.15],
  [SignalKind.USE, 0.25],
  [SignalKind.REQUEST, 0.07],
  [SignalKind.RATING, 0.05],
  [SignalKind.COMPLAINT, 0.03],
];
const KIND_CDF = cumulative(KIND_MIX.map(([, share]) => share));

// ---------------------------------------------------------------------------------------
// Catalogue and eligibility.

export interface CatalogueService {
  id: string;
  code: string;
  title: string;
  categoryId: string;
  categoryCode: string;
  departmentId: string;
  minAge: number | null;
  maxAge: number | null;
  requiredTags: string[];
  districtCodes: string[];
  tags: string[];
}

export interface CitizenProfile {
  id: string;
  districtCode: string;
  birthYear: number | null;
  tags: readonly string[];
}

/** Whether the service's tag and district rules admit the citizen (the parts that do not age). */
function admitsCircumstances(citizen: CitizenProfile, service: CatalogueService): boolean {
  for (const tag of service.requiredTags) if (!citizen.tags.includes(tag)) return false;
  return service.districtCodes.length === 0 || service.districtCodes.includes(citizen.districtCode);
}

/** The engine's own hard filter (age at `at`, required tags, district), so the two never disagree. */
export { isEligible };

/** What the generator knows about a catalogue under a seed; built once, shared by all citizens. */
export interface PopulationModel {
  seed: number;
  /** Sorted by code, so the database's row order does not matter. */
  services: readonly CatalogueService[];
  categoryCodes: readonly string[];
  categoryIds: readonly string[];
  serviceCategory: Int32Array;
  /** Zipf-like citywide popularity; sums to 1. */
  popularity: Float64Array;
  /** A service's share of its category's popularity. */
  withinCategory: Float64Array;
  categoryMembers: readonly number[][];
  /** Latent quality in (0, 1): drives stars, votes and complaints. */
  quality: Float64Array;
  /** Seasonal multiplier per (category, month): index category * 12 + month - 1. */
  season: Float64Array;
  /** Largest seasonal multiplier per month (index month - 1), for rejection sampling. */
  seasonMax: Float64Array;
  segmentCache: Map<string, Float64Array>;
}

const ZIPF_EXPONENT = 1;

export function latentQuality(serviceId: string, seed: number): number {
  return 0.3 + 0.65 * unitHash(seed, 'quality', serviceId) ** 0.6;
}

export function createModel(services: readonly CatalogueService[], seed: number): PopulationModel {
  const sorted = [...services].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const categoryIdByCode = new Map(sorted.map((s) => [s.categoryCode, s.categoryId]));
  const categoryCodes = [...categoryIdByCode.keys()].sort();
  const categoryIndex = new Map(categoryCodes.map((code, i) => [code, i]));
  const serviceCategory = Int32Array.from(sorted, (s) => categoryIndex.get(s.categoryCode)!);

  const byPopularity = sorted
    .map((s, i) => ({ i, key: unitHash(seed, 'popularity', s.id) }))
    .sort((a, b) => a.key - b.key);
  const popularity = new Float64Array(sorted.length);
  byPopularity.forEach(({ i }, rank) => (popularity[i] = 1 / (rank + 1) ** ZIPF_EXPONENT));
  normalize(popularity);

  const categoryMembers: number[][] = categoryCodes.map(() => []);
  sorted.forEach((_, i) => categoryMembers[serviceCategory[i]].push(i));
  const withinCategory = new Float64Array(sorted.length);
  for (const members of categoryMembers) {
    const sum = members.reduce((acc, i) => acc + popularity[i], 0);
    for (const i of members) withinCategory[i] = popularity[i] / sum;
  }

  const season = new Float64Array(categoryCodes.length * 12);
  const seasonMax = new Float64Array(12);
  categoryCodes.forEach((code, c) => {
    for (let m = 1; m <= 12; m++) {
      season[c * 12 + m - 1] = seasonalMultiplier(code, m);
      seasonMax[m - 1] = Math.max(seasonMax[m - 1], season[c * 12 + m - 1]);
    }
  });

  return {
    seed,
    services: sorted,
    categoryCodes,
    categoryIds: categoryCodes.map((code) => categoryIdByCode.get(code)!),
    serviceCategory,
    popularity,
    withinCategory,
    categoryMembers,
    quality: Float64Array.from(sorted, (s) => latentQuality(s.id, seed)),
    season,
    seasonMax,
    segmentCache: new Map(),
  };
}

function normalize(weights: Float64Array): Float64Array {
  let sum = 0;
  for (const w of weights) sum += w;
  if (sum > 0) for (let i = 0; i < weights.length; i++) weights[i] /= sum;
  return weights;
}

/**
 * Category preference of a segment (district × age band): the band's profile, twisted per
 * segment by a stable random factor so districts differ from one another.
 */
function segmentWeights(model: PopulationModel, districtCode: string, band: AgeBand | null): Float64Array {
  const bandKey: BandKey = band ?? 'UNKNOWN';
  const key = `${districtCode}|${bandKey}`;
  const cached = model.segmentCache.get(key);
  if (cached) return cached;
  const base = BAND_CATEGORY_WEIGHTS[bandKey];
  const weights = Float64Array.from(
    model.categoryCodes,
    (code) => ((base[code] ?? 0) + CATEGORY_FLOOR) * Math.exp(0.5 * gaussianHash(model.seed, 'segment', key, code)),
  );
  normalize(weights);
  model.segmentCache.set(key, weights);
  return weights;
}

function categoryWeights(model: PopulationModel, citizen: CitizenProfile, band: AgeBand | null): Float64Array {
  const weights = Float64Array.from(segmentWeights(model, citizen.districtCode, band));
  for (const tag of citizen.tags) {
    const boosts = TAG_CATEGORY_BOOSTS[tag];
    if (!boosts) continue;
    model.categoryCodes.forEach((code, c) => {
      if (boosts[code]) weights[c] *= boosts[code];
    });
  }
  return normalize(weights);
}

const FAVOURITE_DECAY = 0.6;
const TARGETED_SERVICE_BOOST = 2;

/**
 * A citizen's affinity over every service before the eligibility filter: segment preference
 * (spread inside a category by popularity), a few personal favourites, and citywide
 * popularity, in proportions that differ per citizen. Services aimed at a circumstance the
 * citizen has (requiredTags) count double.
 */
function affinity(model: PopulationModel, citizen: CitizenProfile, band: AgeBand | null): Float64Array {
  const rng = createRng(model.seed, 'taste', citizen.id);
  const favouriteShare = 0.25 + 0.3 * rng();
  const popularShare = 0.08 + 0.1 * rng();
  const segmentShare = 1 - favouriteShare - popularShare;
  const categories = categoryWeights(model, citizen, band);

  const raw = new Float64Array(model.services.length);
  for (let i = 0; i < raw.length; i++) {
    raw[i] =
      segmentShare * categories[model.serviceCategory[i]] * model.withinCategory[i] +
      popularShare * model.popularity[i];
  }

  const favourites = favouriteServices(model, citizen, categories, rng);
  let norm = 0;
  favourites.forEach((_, rank) => (norm += FAVOURITE_DECAY ** rank));
  favourites.forEach((i, rank) => (raw[i] += (favouriteShare * FAVOURITE_DECAY ** rank) / norm));

  model.services.forEach((s, i) => {
    if (s.requiredTags.length > 0 && admitsCircumstances(citizen, s)) raw[i] *= TARGETED_SERVICE_BOOST;
  });
  return raw;
}

/** Two to five services: a preferred category, then any service in it the citizen could use. */
function favouriteServices(
  model: PopulationModel,
  citizen: CitizenProfile,
  categories: Float64Array,
  rng: Rng,
): number[] {
  const wanted = 2 + Math.floor(rng() * 4);
  const favourites: number[] = [];
  for (let attempt = 0; attempt < wanted * 4 && favourites.length < wanted; attempt++) {
    const members = model.categoryMembers[pickWeighted(rng, categories)];
    const candidate = members[Math.floor(rng() * members.length)];
    if (!favourites.includes(candidate) && admitsCircumstances(citizen, model.services[candidate]))
      favourites.push(candidate);
  }
  return favourites;
}

/** Eligible services (indexes into model.services) and the cumulative weights to draw them. */
interface PreferenceTable {
  services: Int32Array;
  cdf: Float64Array;
}

function preferenceTable(model: PopulationModel, citizen: CitizenProfile, at: Date): PreferenceTable {
  const raw = affinity(model, citizen, ageBandOf(citizen.birthYear, at));
  const eligible: number[] = [];
  model.services.forEach((s, i) => {
    if (raw[i] > 0 && isEligible(citizen, s, at)) eligible.push(i);
  });
  return { services: Int32Array.from(eligible), cdf: cumulative(eligible.map((i) => raw[i])) };
}

const modelCache = new WeakMap<readonly CatalogueService[], Map<number, PopulationModel>>();

function cachedModel(services: readonly CatalogueService[], seed: number): PopulationModel {
  let bySeed = modelCache.get(services);
  if (!bySeed) modelCache.set(services, (bySeed = new Map()));
  let model = bySeed.get(seed);
  if (!model) bySeed.set(seed, (model = createModel(services, seed)));
  return model;
}

/**
 * The preference planted in a citizen at time `at`: a probability over the services they are
 * eligible for (sums to 1; empty when none). Signals are drawn from it (times a seasonal
 * factor per category), so it is the oracle of an offline ranking evaluation.
 */
export function plantedPreferences(
  citizen: CitizenProfile,
  services: readonly CatalogueService[],
  seed: number,
  at: Date,
): Map<string, number> {
  const model = cachedModel(services, seed);
  const table = preferenceTable(model, citizen, at);
  const total = table.cdf.length ? table.cdf[table.cdf.length - 1] : 0;
  const preferences = new Map<string, number>();
  table.services.forEach((i, k) => {
    preferences.set(model.services[i].id, (table.cdf[k] - (k ? table.cdf[k - 1] : 0)) / total);
  });
  return preferences;
}

// ---------------------------------------------------------------------------------------
// Citizens.

export interface SyntheticCitizen extends CitizenProfile {
  index: number;
  tags: CitizenTag[];
  personalization: boolean;
  /** Category ids the citizen declared an interest in (citizen_interest). */
  interests: string[];
  /** Relative activity: how many signals they send compared with others. */
  activity: number;
  createdAt: Date;
}

export interface PopulationOptions {
  seed: number;
  citizens: number;
  signals: number;
  days: number;
  /** Anchor: signals fall on the `days` whole city days before the day of `now`. */
  now: Date;
}

export const citizenId = (seed: number, index: number) => stableId(`citizen:${seed}:${index}`);

const ACTIVITY_BY_BAND: Readonly<Record<BandKey, number>> = {
  CHILD: 0.8,
  YOUTH: 1.2,
  ADULT: 1,
  SENIOR: 0.7,
  UNKNOWN: 0.9,
};
const CASUAL_SHARE = 0.3;
const PARETO_ALPHA = 1.3;
const MAX_ACTIVITY = 150;

/** A heavy tail: casual users with a signal or two, most people a handful, a few very many. */
function sampleActivity(rng: Rng, band: BandKey): number {
  const base = rng() < CASUAL_SHARE ? 0.02 + 0.12 * rng() : Math.min(MAX_ACTIVITY, (1 - rng()) ** (-1 / PARETO_ALPHA));
  return base * ACTIVITY_BY_BAND[band];
}

function interestCount(rng: Rng): number {
  return pickWeighted(rng, [0.4, 0.3, 0.2, 0.1]);
}

/** 0–3 categories, mostly those the citizen's planted preference favours. */
function sampleInterests(model: PopulationModel, citizen: CitizenProfile, at: Date): string[] {
  const rng = createRng(model.seed, 'interests', citizen.id);
  const count = interestCount(rng);
  const table = preferenceTable(model, citizen, at);
  const mass = new Float64Array(model.categoryCodes.length);
  table.services.forEach((i, k) => (mass[model.serviceCategory[i]] += table.cdf[k] - (k ? table.cdf[k - 1] : 0)));
  const chosen: number[] = [];
  for (let attempt = 0; attempt < 12 && chosen.length < count; attempt++) {
    const c = rng() < 0.15 ? Math.floor(rng() * mass.length) : pickWeighted(rng, mass);
    if (!chosen.includes(c) && (mass[c] > 0 || rng() < 0.5)) chosen.push(c);
  }
  return chosen.map((c) => model.categoryIds[c]);
}

export function generateCitizen(
  model: PopulationModel,
  index: number,
  options: Pick<PopulationOptions, 'now' | 'days'>,
): SyntheticCitizen {
  const seed = model.seed;
  const rng = createRng(seed, 'citizen', index);
  const districtCode = DISTRICT_CODES[sampleCdf(rng, DISTRICT_CDF)];
  const male = rng() < 0.49;
  const band =
    BANDS[
      pickWeighted(
        rng,
        BANDS.map((b) => AGE_BAND_SHARES[b]),
      )
    ];
  const age = sampleAge(rng, band);
  const birthYear = rng() < NO_BIRTH_YEAR_SHARE ? null : options.now.getUTCFullYear() - age;
  const tags = sampleTags(rng, age, male, districtCode);
  const personalization = rng() >= NO_PERSONALIZATION_SHARE;
  const activity = sampleActivity(rng, birthYear === null ? 'UNKNOWN' : band);
  const registeredDaysAgo = options.days + 1 + Math.floor(rng() * 720);
  const createdAt = new Date(startOfCityDay(options.now) - registeredDaysAgo * DAY_MS + Math.floor(rng() * DAY_MS));
  const profile = { id: citizenId(seed, index), districtCode, birthYear, tags };
  return {
    ...profile,
    index,
    personalization,
    interests: sampleInterests(model, profile, options.now),
    activity,
    createdAt,
  };
}

export function generateCitizens(
  model: PopulationModel,
  options: Pick<PopulationOptions, 'citizens' | 'now' | 'days'>,
): SyntheticCitizen[] {
  return Array.from({ length: options.citizens }, (_, i) => generateCitizen(model, i, options));
}

/**
 * Splits `total` signals over citizens in proportion to their activity (systematic sampling:
 * each gets the floor or the ceiling of their expected share, and the counts sum to total).
 */
export function allocateSignals(activities: ArrayLike<number>, total: number, seed: number): Int32Array {
  const counts = new Int32Array(activities.length);
  let sum = 0;
  for (let i = 0; i < activities.length; i++) sum += activities[i];
  if (activities.length === 0 || total === 0 || sum <= 0) return counts;
  const offset = createRng(seed, 'allocation')();
  let running = 0;
  let previous = 0;
  for (let i = 0; i < activities.length; i++) {
    running += activities[i];
    const reached = i === activities.length - 1 ? total : Math.min(total, Math.floor((total * running) / sum + offset));
    counts[i] = reached - previous;
    previous = reached;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------
// Calendar.

interface CityDay {
  /** UTC milliseconds of the city midnight that starts the day. */
  start: number;
  month: number;
}

function startOfCityDay(at: Date): number {
  const local = at.getTime() + CITY_OFFSET_MS;
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - CITY_OFFSET_MS;
}

/** Relative volume of a day: weekdays above weekends, the National Day week low, slow growth. */
function dayWeight(localDate: Date, position: number): number {
  const weekday = localDate.getUTCDay();
  let weight = weekday === 0 ? 0.5 : weekday === 6 ? 0.6 : 1;
  if (localDate.getUTCMonth() === 9 && localDate.getUTCDate() <= 7) weight *= 0.5;
  return weight * (0.85 + 0.3 * position);
}

/** The `days` whole city days before the day of `now`, oldest first, with their weights. */
function cityCalendar(now: Date, days: number): { days: CityDay[]; cdf: Float64Array } {
  const today = startOfCityDay(now);
  const list: CityDay[] = [];
  const weights: number[] = [];
  for (let k = 0; k < days; k++) {
    const start = today - (days - k) * DAY_MS;
    const local = new Date(start + CITY_OFFSET_MS);
    list.push({ start, month: local.getUTCMonth() + 1 });
    weights.push(dayWeight(local, days > 1 ? k / (days - 1) : 1));
  }
  return { days: list, cdf: cumulative(weights) };
}

// ---------------------------------------------------------------------------------------
// Texts.

const REQUEST_TEMPLATES = [
  '怎么办理{x}',
  '{x}在哪里办',
  '我想申请{x}',
  '{x}需要什么材料',
  '请问{x}怎么弄',
  '{x}可以网上办吗',
  '想问一下{x}的流程',
  '{x}去哪个窗口办理',
  '帮我查一下{x}',
  '{x}要多久才能办好',
  '办{x}要带什么',
  '我要办{x}',
];
const SEARCH_TEMPLATES = ['{x}', '{x}', '{x}', '{x}', '{x}办理', '贵阳{x}', '{x} 流程', '{x}怎么办'];
const COMPLAINT_PHRASES = [
  '办理时间太长了',
  '窗口排队太久',
  '线上申请一直提交不了',
  '工作人员态度不好',
  '材料要求说得不清楚',
  '跑了好几趟还没办好',
  '电话一直打不通',
];

/**
 * Needs the catalogue does not meet, with the category a citizen would file them under. They
 * are not marked in the data: the unmet-demand analysis has to find them.
 */
export const UNMET_NEEDS: ReadonlyArray<{ category: string; texts: readonly string[] }> = [
  {
    category: 'community.neighbourhood',
    texts: ['宠物疫苗在哪里打', '狗狗打狂犬疫苗去哪里', '怎么给猫打疫苗', '宠物疫苗接种点'],
  },
  {
    category: 'community.neighbourhood',
    texts: ['养狗要办证吗', '宠物登记怎么办', '犬只登记在哪里办', '办狗证需要什么材料'],
  },
  {
    category: 'gov.transport-licence',
    texts: ['电动车上牌在哪里办', '电动自行车怎么上牌照', '电瓶车挂牌需要什么材料', '新买的电动车要登记吗'],
  },
  {
    category: 'life.utilities',
    texts: ['小区能不能装共享充电桩', '共享充电桩安装申请', '电动车充电棚在哪里申请', '楼下想装电瓶车充电桩'],
  },
  { category: 'community.neighbourhood', texts: ['宠物走失怎么找', '狗丢了去哪里登记'] },
  { category: 'community.neighbourhood', texts: ['快递驿站乱收费投诉', '小区快递柜收费太高'] },
];
const UNMET_SHARE = 0.12;
const TRADITIONAL_SHARE = 0.06;

let toTraditional: ((text: string) => string) | undefined;
function traditional(text: string): string {
  const convert = (toTraditional ??= OpenCC.Converter({ from: 'cn', to: 'hk' }));
  return convert(text);
}

/** What a citizen would type about a service: one of its tags, or its title. */
function subjectOf(service: CatalogueService, rng: Rng): string {
  return service.tags.length > 0 && rng() < 0.65 ? pickOne(rng, service.tags) : service.title;
}

function phrase(templates: readonly string[], subject: string, rng: Rng): string {
  const text = pickOne(rng, templates).replace('{x}', subject);
  return rng() < TRADITIONAL_SHARE ? traditional(text) : text;
}

export function searchText(service: CatalogueService, rng: Rng): string {
  return phrase(SEARCH_TEMPLATES, subjectOf(service, rng), rng);
}

export function requestText(service: CatalogueService, rng: Rng): string {
  return phrase(REQUEST_TEMPLATES, subjectOf(service, rng), rng);
}

// ---------------------------------------------------------------------------------------
// Signals, votes and ratings.

export interface SyntheticSignal {
  citizenId: string;
  kind: SignalKind;
  serviceId: string | null;
  categoryId: string | null;
  districtCode: string;
  ageBand: AgeBand | null;
  text: string | null;
  rating: number | null;
  occurredAt: Date;
}

export interface SyntheticVote {
  citizenId: string;
  serviceId: string;
  value: VoteValue;
  createdAt: Date;
}

export interface SyntheticRating {
  citizenId: string;
  serviceId: string;
  stars: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CitizenActivity {
  citizen: SyntheticCitizen;
  signals: SyntheticSignal[];
  votes: SyntheticVote[];
  ratings: SyntheticRating[];
}

const VOTE_SHARE = 0.22;
const SEASONAL_TRIES = 16;

export function starsFor(quality: number, rng: Rng): number {
  return Math.min(5, Math.max(1, Math.round(1 + 4 * quality + 0.8 * gaussian(rng))));
}

function voteFor(quality: number, stars: number | undefined, rng: Rng): VoteValue {
  const pUp = stars === undefined ? 0.15 + 0.8 * quality : stars >= 4 ? 0.93 : stars <= 2 ? 0.08 : 0.5;
  return rng() < pUp ? VoteValue.UP : VoteValue.DOWN;
}

/** Generates one citizen's signals (and the votes and ratings that follow) in the window. */
class ActivityGenerator {
  private readonly calendar: { days: CityDay[]; cdf: Float64Array };
  private readonly requestCategory: Map<string, string>;

  constructor(
    private readonly model: PopulationModel,
    private readonly options: PopulationOptions,
  ) {
    this.calendar = cityCalendar(options.now, options.days);
    this.requestCategory = new Map(model.categoryCodes.map((code, c) => [code, model.categoryIds[c]]));
  }

  generate(citizen: SyntheticCitizen, count: number): CitizenActivity {
    const rng = createRng(this.model.seed, 'signals', citizen.id);
    const tables = new Map<number, PreferenceTable>();
    const tableAt = (at: Date) => {
      const year = at.getUTCFullYear();
      let table = tables.get(year);
      if (!table) tables.set(year, (table = preferenceTable(this.model, citizen, at)));
      return table;
    };
    const signals: SyntheticSignal[] = [];
    const firstUse = new Map<number, Date>();
    const latestRating = new Map<number, { stars: number; first: Date; last: Date }>();

    for (let n = 0; n < count; n++) {
      const day = this.calendar.days[sampleCdf(rng, this.calendar.cdf)];
      const occurredAt = new Date(day.start + sampleCdf(rng, HOUR_CDF) * 3_600_000 + Math.floor(rng() * 3_600_000));
      const kind = KIND_MIX[sampleCdf(rng, KIND_CDF)][0];
      const signal = this.signal(citizen, kind, occurredAt, day.month, tableAt(occurredAt), rng);
      signals.push(signal.row);
      if (signal.service === undefined) continue;
      if (kind === SignalKind.USE) {
        const first = firstUse.get(signal.service);
        if (!first || occurredAt < first) firstUse.set(signal.service, occurredAt);
      } else if (kind === SignalKind.RATING) {
        const seen = latestRating.get(signal.service);
        if (!seen) latestRating.set(signal.service, { stars: signal.row.rating!, first: occurredAt, last: occurredAt });
        else {
          if (occurredAt >= seen.last) Object.assign(seen, { stars: signal.row.rating!, last: occurredAt });
          if (occurredAt < seen.first) seen.first = occurredAt;
        }
      }
    }

    const votes: SyntheticVote[] = [];
    for (const [i, usedAt] of firstUse) {
      if (rng() >= VOTE_SHARE) continue;
      const value = voteFor(this.model.quality[i], latestRating.get(i)?.stars, rng);
      votes.push({
        citizenId: citizen.id,
        serviceId: this.model.services[i].id,
        value,
        createdAt: new Date(usedAt.getTime() + 60_000),
      });
    }
    const ratings: SyntheticRating[] = [...latestRating].map(([i, r]) => ({
      citizenId: citizen.id,
      serviceId: this.model.services[i].id,
      stars: r.stars,
      createdAt: r.first,
      updatedAt: r.last,
    }));
    return { citizen, signals, votes, ratings };
  }

  private signal(
    citizen: SyntheticCitizen,
    kind: SignalKind,
    occurredAt: Date,
    month: number,
    table: PreferenceTable,
    rng: Rng,
  ): { row: SyntheticSignal; service?: number } {
    const row: SyntheticSignal = {
      citizenId: citizen.id,
      kind,
      serviceId: null,
      categoryId: null,
      districtCode: citizen.districtCode,
      ageBand: ageBandOf(citizen.birthYear, occurredAt),
      text: null,
      rating: null,
      occurredAt,
    };
    if (kind === SignalKind.REQUEST && rng() < UNMET_SHARE) {
      const need = pickOne(rng, UNMET_NEEDS);
      row.text = pickOne(rng, need.texts);
      row.categoryId = this.requestCategory.get(need.category) ?? null;
      return { row };
    }
    const service = kind === SignalKind.COMPLAINT ? this.complainedOf(table, month, rng) : this.draw(table, month, rng);
    if (service === undefined) {
      // Nothing in the catalogue is open to this citizen: all they can do is look.
      row.kind = SignalKind.SEARCH;
      row.text = pickOne(rng, ['办事指南', '便民服务', '附近的服务窗口']);
      return { row };
    }
    const s = this.model.services[service];
    switch (kind) {
      case SignalKind.SEARCH:
        row.text = searchText(s, rng);
        return { row };
      case SignalKind.REQUEST:
        row.text = requestText(s, rng);
        row.categoryId = s.categoryId;
        return { row };
      case SignalKind.RATING:
        row.rating = starsFor(this.model.quality[service], rng);
        break;
      case SignalKind.COMPLAINT:
        if (rng() < 0.5) row.text = `${s.title}：${pickOne(rng, COMPLAINT_PHRASES)}`;
        break;
      default:
        break;
    }
    row.serviceId = s.id;
    row.categoryId = s.categoryId;
    return { row, service };
  }

  /** A service from the citizen's preference, reweighted by its category's season. */
  private draw(table: PreferenceTable, month: number, rng: Rng): number | undefined {
    if (table.services.length === 0) return undefined;
    const limit = this.model.seasonMax[month - 1];
    let service = 0;
    for (let tries = 0; tries < SEASONAL_TRIES; tries++) {
      service = table.services[sampleCdf(rng, table.cdf)];
      if (rng() * limit <= this.model.season[this.model.serviceCategory[service] * 12 + month - 1]) break;
    }
    return service;
  }

  /** Complaints fall more on poor services. */
  private complainedOf(table: PreferenceTable, month: number, rng: Rng): number | undefined {
    let service = this.draw(table, month, rng);
    for (let tries = 0; tries < 4 && service !== undefined; tries++) {
      if (rng() < 1.1 - this.model.quality[service]) break;
      service = this.draw(table, month, rng);
    }
    return service;
  }
}

export interface Population {
  model: PopulationModel;
  citizens: SyntheticCitizen[];
  /** Signals per citizen, in citizen order; sums to options.signals. */
  signalCounts: Int32Array;
  /** Each citizen's activity in turn, generated as it is consumed. */
  activities(): Generator<CitizenActivity>;
}

/** Citizens (held in memory) and a lazy stream of their activity. */
export function createPopulation(services: readonly CatalogueService[], options: PopulationOptions): Population {
  const model = createModel(services, options.seed);
  const citizens = generateCitizens(model, options);
  const signalCounts = allocateSignals(
    citizens.map((c) => c.activity),
    options.signals,
    options.seed,
  );
  return {
    model,
    citizens,
    signalCounts,
    *activities() {
      const generator = new ActivityGenerator(model, options);
      for (const [i, citizen] of citizens.entries()) yield generator.generate(citizen, signalCounts[i]);
    },
  };
}

// ---------------------------------------------------------------------------------------
// PostgreSQL COPY text format.

export type CopyValue = string | number | boolean | null | Date | readonly string[];

function escapeCopyText(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** An array literal with every element quoted: `{"a","b \"c\""}`. */
export function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return escapeCopyText(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  return escapeCopyText(arrayLiteral(value));
}

/** One row of `COPY … FROM STDIN` in text format, with its newline. */
export function copyLine(values: readonly CopyValue[]): string {
  return `${values.map(copyField).join('\t')}\n`;
}
