#!/usr/bin/env node
// Validates the needs model in this folder against the catalogue in ../catalogue:
//   audiences.json   whom a need serves (a fixed vocabulary)
//   life-events.json moments of life (出生, 入学, 退休, 身后事 …)
//   needs.json       needs with citizens' trigger phrases, the services that meet them (catalogue
//                    codes) and the departments responsible; a need with no service is a real gap
// Usage: node seeds/needs/check.mjs   (exits 1 with a list of problems on failure)
import { readFileSync } from 'node:fs';
import * as OpenCC from 'opencc-js';

const here = (name) => new URL(`./${name}`, import.meta.url);
const errors = [];
const fail = (msg) => errors.push(msg);

function load(url, name) {
  try {
    return JSON.parse(readFileSync(url, 'utf8'));
  } catch (e) {
    fail(`${name}: cannot read or parse (${e.message})`);
    return [];
  }
}

const audiences = load(here('audiences.json'), 'audiences.json');
const lifeEvents = load(here('life-events.json'), 'life-events.json');
const needs = load(here('needs.json'), 'needs.json');
const services = load(new URL('../catalogue/services.json', import.meta.url), 'catalogue/services.json');
const departments = load(new URL('../catalogue/departments.json', import.meta.url), 'catalogue/departments.json');

// The same canonical form as src/text/normalize.ts: NFKC, traditional → simplified, lower case.
const toSimplified = OpenCC.Converter({ from: 'twp', to: 'cn' });
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
// Names are compared character by character (twp would also swap Taiwan words: 檔案 → 文件).
const charsToSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const normalize = (text) => toSimplified(text.normalize('NFKC')).toLowerCase().replace(/\s+/g, ' ').trim();

const CJK = /[\u4e00-\u9fff]/;
const isStr = (v) => typeof v === 'string' && v.trim().length > 0 && v === v.trim();
const isList = (v) => Array.isArray(v);
const hasKeys = (obj, required, optional = []) =>
  obj &&
  typeof obj === 'object' &&
  !Array.isArray(obj) &&
  required.every((k) => k in obj) &&
  Object.keys(obj).every((k) => required.includes(k) || optional.includes(k));
const duplicates = (list) => list.filter((x, i) => list.indexOf(x) !== i);

/** Simplified name, its traditional form and an English name, each what it claims to be. */
function checkNames(where, obj) {
  if (!isStr(obj.name) || !CJK.test(obj.name)) fail(`${where}: name must be Chinese`);
  if (!isStr(obj.nameZhHant) || !CJK.test(obj.nameZhHant)) fail(`${where}: nameZhHant must be Chinese`);
  if (!isStr(obj.nameEn) || !/^[A-Z]/.test(obj.nameEn) || CJK.test(obj.nameEn) || !/[a-z]{3}/.test(obj.nameEn))
    fail(`${where}: nameEn must be an English name starting with a capital`);
  if (!isStr(obj.name) || !isStr(obj.nameZhHant)) return;
  if (charsToSimplified(obj.name) !== obj.name) fail(`${where}: name "${obj.name}" is not in simplified script`);
  if (charsToSimplified(obj.nameZhHant) !== obj.name)
    fail(`${where}: nameZhHant "${obj.nameZhHant}" is not the traditional form of "${obj.name}"`);
  if (toTraditional(obj.nameZhHant) !== obj.nameZhHant)
    fail(`${where}: nameZhHant "${obj.nameZhHant}" still has simplified characters (${toTraditional(obj.nameZhHant)})`);
}

// ---------------------------------------------------------------- audiences
const AUDIENCES = {
  self: 'PERSON',
  child: 'PERSON',
  'older-person': 'PERSON',
  family: 'PERSON',
  'disabled-person': 'PERSON',
  deceased: 'PERSON',
  business: 'ORGANISATION',
  community: 'ORGANISATION',
  property: 'THING',
  vehicle: 'THING',
  farm: 'THING',
  pet: 'ANIMAL',
};
const audienceCodes = new Set();
audiences.forEach((a, i) => {
  const where = `audiences[${i}] ${a && a.code}`;
  if (!hasKeys(a, ['code', 'name', 'nameZhHant', 'nameEn', 'kind'])) {
    fail(`${where}: fields must be exactly code, name, nameZhHant, nameEn, kind`);
    return;
  }
  if (!(a.code in AUDIENCES)) fail(`${where}: not in the audience vocabulary (${Object.keys(AUDIENCES).join(', ')})`);
  else if (AUDIENCES[a.code] !== a.kind) fail(`${where}: kind must be ${AUDIENCES[a.code]}`);
  if (audienceCodes.has(a.code)) fail(`${where}: duplicate code`);
  audienceCodes.add(a.code);
  checkNames(where, a);
});
for (const code of Object.keys(AUDIENCES)) if (!audienceCodes.has(code)) fail(`audiences: ${code} is missing`);

// -------------------------------------------------------------- life events
const eventCodes = new Set();
lifeEvents.forEach((e, i) => {
  const where = `life-events[${i}] ${e && e.code}`;
  if (!hasKeys(e, ['code', 'name', 'nameZhHant', 'nameEn', 'summary'])) {
    fail(`${where}: fields must be exactly code, name, nameZhHant, nameEn, summary`);
    return;
  }
  if (!/^[a-z][a-z-]{1,30}$/.test(e.code)) fail(`${where}: code must be lower-case words joined by hyphens`);
  if (eventCodes.has(e.code)) fail(`${where}: duplicate code`);
  eventCodes.add(e.code);
  checkNames(where, e);
  if (!isStr(e.summary) || !CJK.test(e.summary)) fail(`${where}: summary must be Chinese`);
});
if (lifeEvents.length < 20) fail(`life-events: expected at least 20, found ${lifeEvents.length}`);

// -------------------------------------------------------------------- needs
const serviceByCode = new Map(services.map((s) => [s.code, s]));
const departmentCodes = new Set(departments.map((d) => d.code));
const titles = new Map(services.map((s) => [normalize(s.title), s.code]));
const PET = /宠物|犬|狗|猫|\bpets?\b|\bdogs?\b|\bcats?\b/i;
const NEED_KEYS = [
  'code',
  'name',
  'nameZhHant',
  'nameEn',
  'audiences',
  'lifeEvents',
  'services',
  'departments',
  'triggers',
];
const MIN_TRIGGERS = 8;

const needCodes = new Set();
const needsOfEvent = new Map();
const needsOfService = new Map();
const needsOfTrigger = new Map(); // normalised trigger → codes of the needs that list it
const shared = new Map(); // need code → normalised triggers it shares on purpose
let triggerCount = 0;
let englishTriggers = 0;
const unmetNeeds = [];

for (const [i, n] of needs.entries()) {
  const where = `needs[${i}] ${n && n.code}`;
  if (!hasKeys(n, NEED_KEYS, ['sharedTriggers'])) {
    fail(`${where}: fields must be ${NEED_KEYS.join(', ')} (and optionally sharedTriggers)`);
    continue;
  }
  if (!/^[a-z][a-z0-9-]{2,47}$/.test(n.code)) fail(`${where}: code must be lower-case words joined by hyphens`);
  if (needCodes.has(n.code)) fail(`${where}: duplicate code`);
  needCodes.add(n.code);
  checkNames(where, n);

  if (!isList(n.audiences) || n.audiences.length === 0) fail(`${where}: at least one audience`);
  else {
    for (const a of n.audiences) if (!(a in AUDIENCES)) fail(`${where}: unknown audience ${a}`);
    if (duplicates(n.audiences).length) fail(`${where}: duplicate audiences`);
  }

  if (!isList(n.lifeEvents) || n.lifeEvents.length === 0) fail(`${where}: at least one life event`);
  else {
    for (const e of n.lifeEvents) {
      if (!eventCodes.has(e)) fail(`${where}: unknown life event ${e}`);
      else needsOfEvent.set(e, (needsOfEvent.get(e) ?? 0) + 1);
    }
    if (duplicates(n.lifeEvents).length) fail(`${where}: duplicate life events`);
  }

  if (!isList(n.services)) fail(`${where}: services must be a list of catalogue codes`);
  else {
    if (duplicates(n.services).length) fail(`${where}: duplicate services`);
    for (const code of n.services) {
      const s = serviceByCode.get(code);
      if (!s) {
        fail(`${where}: unknown service ${code}`);
        continue;
      }
      needsOfService.set(code, [...(needsOfService.get(code) ?? []), n.code]);
      if (isList(n.departments) && !n.departments.includes(s.department))
        fail(`${where}: ${code}'s lead department ${s.department} must be among the departments responsible`);
      // Whom a need serves is a hard boundary: a need of a pet is never met by a service for people.
      const aboutAnimals = PET.test(`${s.title} ${s.titleEn} ${s.tags.join(' ')}`);
      if (isList(n.audiences) && n.audiences.includes('pet') && !aboutAnimals)
        fail(`${where}: a pet need cannot be met by ${code} (${s.title}), a service for people`);
    }
    if (n.services.length === 0) unmetNeeds.push(n.code);
  }

  if (!isList(n.departments) || n.departments.length === 0) fail(`${where}: at least one department responsible`);
  else {
    for (const d of n.departments) if (!departmentCodes.has(d)) fail(`${where}: unknown department ${d}`);
    if (duplicates(n.departments).length) fail(`${where}: duplicate departments`);
  }

  if (!isList(n.triggers) || n.triggers.length < MIN_TRIGGERS) {
    fail(`${where}: at least ${MIN_TRIGGERS} trigger phrases, found ${isList(n.triggers) ? n.triggers.length : 0}`);
    continue;
  }
  const own = new Set();
  for (const t of n.triggers) {
    if (!isStr(t) || t.length < 2 || t.length > (CJK.test(t) ? 40 : 60)) {
      fail(`${where}: trigger ${JSON.stringify(t)} must be 2-40 characters (60 in English) without outer spaces`);
      continue;
    }
    const key = normalize(t);
    if (own.has(key)) fail(`${where}: trigger "${t}" repeated`);
    own.add(key);
    if (titles.has(key))
      fail(`${where}: trigger "${t}" is the title of ${titles.get(key)}; triggers are how citizens speak`);
    if (!CJK.test(t) && /[a-z]{2}/i.test(t)) englishTriggers++;
    needsOfTrigger.set(key, [...(needsOfTrigger.get(key) ?? []), n.code]);
    triggerCount++;
  }
  if (!n.triggers.some((t) => CJK.test(t))) fail(`${where}: triggers must be mostly Chinese`);
  if ('sharedTriggers' in n) {
    if (!isList(n.sharedTriggers) || n.sharedTriggers.length === 0)
      fail(`${where}: sharedTriggers must be a non-empty list`);
    else {
      const keys = n.sharedTriggers.map((t) => normalize(String(t)));
      for (const [j, k] of keys.entries())
        if (!own.has(k)) fail(`${where}: shared trigger "${n.sharedTriggers[j]}" is not one of its triggers`);
      shared.set(n.code, new Set(keys));
    }
  }
}

// A phrase that two needs list is ambiguous; allowed only where every need listing it says so.
for (const [key, codes] of needsOfTrigger) {
  if (codes.length < 2) continue;
  if (!codes.every((c) => shared.get(c)?.has(key)))
    fail(`trigger "${key}" is listed by ${codes.join(', ')}; flag it in sharedTriggers of each or keep one`);
}
for (const [code, keys] of shared)
  for (const k of keys)
    if ((needsOfTrigger.get(k) ?? []).length < 2)
      fail(`need ${code}: "${k}" is flagged shared but no other need lists it`);

// The seed catalogue holds published services only: every one of them must meet some need.
const uncovered = services.filter((s) => !needsOfService.has(s.code)).map((s) => s.code);
if (uncovered.length) fail(`services that meet no need (${uncovered.length}): ${uncovered.join(', ')}`);
for (const e of eventCodes) if (!needsOfEvent.has(e)) fail(`life event ${e} has no needs`);
if (needs.length < 150) fail(`needs: expected at least 150, found ${needs.length}`);
if (unmetNeeds.length === 0) fail('needs: none is unmet; the gaps planners should see must be in the model');

if (errors.length) {
  console.error(`needs check FAILED (${errors.length} problem${errors.length > 1 ? 's' : ''}):`);
  for (const e of errors) console.error(`  - ${e}`);
  process.exit(1);
}
console.log(
  `needs OK: ${lifeEvents.length} life events, ${needs.length} needs (${unmetNeeds.length} met by no service), ` +
    `${triggerCount} trigger phrases (${englishTriggers} English), ${audiences.length} audiences; ` +
    `${needsOfService.size} of ${services.length} services covered`,
);
